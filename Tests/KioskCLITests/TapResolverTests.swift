import Foundation
import GRDB
import KioskCards
import KioskConfig
import KioskCore
@testable import kiosk
import KioskAppliance
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

    @Test func aSignedTokenOnAnUnboundCardIdentifiesItsMemberWhenTheStoreKnowsThem() throws {
        #expect(try resolve(.identified(.memberToken("m-ali", card: "token:m-ali")))
                == .member("m-ali", card: "token:m-ali", boundHere: false))
    }

    @Test func aSignedTokenForAMemberTheStoreDoesNotKnowIsNotKnownHere() throws {
        #expect(try resolve(.identified(.memberToken("m-mina", card: "uid:04112233445566")))
                == .notKnownHere("m-mina", card: "uid:04112233445566"))
        #expect(try resolve(.identified(.memberToken("m-mina", card: "token:m-mina"))) == .notKnownHere("m-mina", card: "token:m-mina"))
    }

    @Test func aSignedTokenOfABlockedMemberIsRefused() throws {
        let operation = BusinessOperation(
            idempotencyKey: try IdempotencyKey("block-m-ali"), kind: "member.block", memberID: "m-ali",
            branchID: "b", occurredAt: Date(), request: Data("block".utf8), result: Data(), postings: [],
            event: OutboxEvent(type: "member.blocked", payload: Data()))
        try store.commit(operation) { db in
            try db.execute(sql: "UPDATE members SET status = 'blocked' WHERE id = 'm-ali'")
        }
        #expect(try resolve(.identified(.memberToken("m-ali", card: "token:m-ali"))) == .blocked("m-ali", card: "token:m-ali"))
        #expect(try resolve(.identified(.memberToken("m-ali", card: "uid:04A1B2C3D4E5F6"))) == .blocked("m-ali", card: "uid:04A1B2C3D4E5F6"))
    }

    @Test func unknownAndBlockedCardsAreSaidSo() throws {
        #expect(try resolve(.identified(.bareUID([1, 2, 3, 4], card: "uid:01020304"))) == .unknownCard("uid:01020304"))
        #expect(try resolve(.identified(.bareUID([], card: "uid:04000000000009"))) == .blocked("m-lost", card: "uid:04000000000009"))
    }

    @Test func theReaderFeedbackFollowsTheVerdict() throws {
        let resolver = TapResolver(store: store)
        func signal(_ outcome: TapOutcome) -> ReaderFeedback.Signal {
            resolver.signal(for: Tap(reader: "r", atr: [], kind: .ultralightOrNTAG, outcome: outcome, apdus: 0))
        }
        #expect(signal(.identified(.bareUID([], card: "uid:04A1B2C3D4E5F6"))) == .accepted)
        #expect(signal(.identified(.bareUID([], card: "uid:04000000000009"))) == .refused, "a blocked card is identified, and refused")
        #expect(signal(.identified(.bareUID([], card: "uid:01020304"))) == .refused)
        #expect(signal(.identified(.memberToken("m-mina", card: "uid:04A1B2C3D4E5F6"))) == .refused)
        #expect(signal(.identified(.memberToken("m-mina", card: "token:m-mina"))) == .refused, "not known here")
        #expect(signal(.refused(.noCredential)) == .refused)
        #expect(signal(.failed(.cardLeft)) == .error)
    }

    @Test func refusalsAndFailuresPassThroughWithTheirReason() throws {
        #expect(try resolve(.refused(.bareUIDNotAccepted)) == .refused("bare UID not accepted (readers.accept_bare_uid is false)"))
        #expect(try resolve(.failed(.cardLeft)) == .unreadable("card left the reader during the read"))
    }

    @Test func aStaffCardOpensAStaffSessionAndABlockedOrInactiveOneIsRefused() throws {
        try store.upsertOperator("op-sara", displayName: "Sara", role: .cashier, pinHash: "x", branchID: "b")
        try store.bindStaffCard("uid:04C0FFEE000001", to: "op-sara")
        guard case .staff(let staff) = try resolve(.identified(.bareUID([], card: "uid:04C0FFEE000001"))) else {
            Issue.record("a staff card"); return
        }
        #expect(staff.operatorID == "op-sara" && staff.role == .cashier && staff.displayName == "Sara")
        #expect(TapVerdict.staff(staff).signal == .accepted)
        let db = try DatabaseQueue(path: directory.file("k.sqlite"))
        try db.write { try $0.execute(sql: "UPDATE operators SET active = 0 WHERE id = 'op-sara'") }
        #expect(try resolve(.identified(.bareUID([], card: "uid:04C0FFEE000001"))) == .staffRefused("op-sara", card: "uid:04C0FFEE000001"))
        #expect(TapVerdict.staffRefused("op-sara", card: "uid:04C0FFEE000001").signal == .refused)
    }

    @Test func aMembersCardCannotBecomeAStaffCard() throws {
        try store.upsertOperator("op-sara", displayName: "Sara", role: .cashier, pinHash: nil, branchID: "b")
        #expect(throws: StoreError.self) { try store.bindStaffCard("uid:04A1B2C3D4E5F6", to: "op-sara") }
        #expect(try resolve(.identified(.bareUID([], card: "uid:04A1B2C3D4E5F6"))) == .member("m-ali", card: "uid:04A1B2C3D4E5F6", boundHere: true))
    }

    @Test func aForgedTokenOrSUNIsACloneNotAnUnknownCard() throws {
        #expect(try resolve(.refused(.badToken(.badSignature))) == .forged(MemberTokenError.badSignature.description))
    }
}

/// The offline credit limit as `kiosk run` takes it from the configuration: Toman into Rial.
@Suite struct OfflineCreditPolicyTests {
    @Test func theLimitAndItsOverridesAreTakenInTomanAndKeptInRial() throws {
        var configuration = KioskConfiguration()
        configuration.central.offlineCreditLimitToman = 250_000
        configuration.central.offlineCreditOverridesToman = ["m-trusted": 5_000_000, "m-watched": 0]
        let limit = OfflineCreditPolicy.limit(configuration)
        #expect(limit.limit(for: "m-anyone") == Rial(2_500_000))
        #expect(limit.limit(for: "m-trusted") == Rial(50_000_000))
        #expect(limit.limit(for: "m-watched") == .zero)
    }
}
