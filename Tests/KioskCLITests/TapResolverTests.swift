import Foundation
import KioskCards
import KioskCore
@testable import kiosk
import KioskReaders
import KioskStore
import KioskTestSupport
import Testing

@Suite struct TapResolverTests {
    let directory: TemporaryDirectory
    let store: KioskStore

    init() throws {
        directory = try TemporaryDirectory()
        store = try KioskStore(path: directory.file("k.sqlite"))
        try store.upsertBranch("b", name: "B")
        for (member, card) in [("m-ali", "uid:04A1B2C3D4E5F6"), ("m-lost", "uid:04000000000009")] {
            let operation = BusinessOperation(
                idempotencyKey: try IdempotencyKey("enroll-\(member)"), kind: "enroll", memberID: MemberID(rawValue: member),
                branchID: "b", occurredAt: Date(), request: Data(member.utf8), result: Data(), postings: [],
                event: OutboxEvent(type: "member.joined", payload: Data()))
            try store.commit(operation) { db in
                try KioskStore.insert(NewMember(id: MemberID(rawValue: member), branchID: "b"), at: Date(), in: db)
                try KioskStore.insert(CardBinding(cardID: CardID(rawValue: card), memberID: MemberID(rawValue: member), kind: "uid"), at: Date(), in: db)
                if member == "m-lost" { try KioskStore.blockCard(CardID(rawValue: card), reason: "lost", at: Date(), in: db) }
            }
        }
    }

    private func resolve(_ outcome: TapOutcome) throws -> TapVerdict { try TapResolver(store: store).resolve(outcome) }

    @Test func aBoundCardIdentifiesItsMember() throws {
        #expect(try resolve(.identified(.bareUID([0x04, 0xA1, 0xB2, 0xC3, 0xD4, 0xE5, 0xF6], card: "uid:04A1B2C3D4E5F6")))
                == .member("m-ali", card: "uid:04A1B2C3D4E5F6", boundHere: true))
    }

    @Test func aTokenForAnotherMemberOnABoundCardIsRefused() throws {
        #expect(try resolve(.identified(.memberToken("m-mina", card: "uid:04A1B2C3D4E5F6")))
                == .tokenMismatch(token: "m-mina", boundTo: "m-ali", card: "uid:04A1B2C3D4E5F6"))
    }

    @Test func aSignedTokenOnAnUnboundCardIdentifiesItsMember() throws {
        #expect(try resolve(.identified(.memberToken("m-mina", card: "uid:04112233445566")))
                == .member("m-mina", card: "uid:04112233445566", boundHere: false))
    }

    @Test func unknownAndBlockedCardsAreSaidSo() throws {
        #expect(try resolve(.identified(.bareUID([1, 2, 3, 4], card: "uid:01020304"))) == .unknownCard("uid:01020304"))
        #expect(try resolve(.identified(.bareUID([], card: "uid:04000000000009"))) == .blocked("m-lost", card: "uid:04000000000009"))
    }

    @Test func refusalsAndFailuresPassThroughWithTheirReason() throws {
        #expect(try resolve(.refused(.bareUIDNotAccepted)) == .refused("bare UID not accepted (readers.accept_bare_uid is false)"))
        #expect(try resolve(.failed(.cardLeft)) == .unreadable("card left the reader during the read"))
    }
}
