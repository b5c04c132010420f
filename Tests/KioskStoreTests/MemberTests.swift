import Foundation
import GRDB
import KioskCore
import KioskStore
import Testing

@Suite struct MemberTests {
    @Test func aCardResolvesToItsMemberWithoutPersonalData() throws {
        let fixture = try StoreFixture(members: 2)
        let lookup = try #require(try fixture.store.member(byCard: "uid:04000000000001"))
        #expect(lookup.memberID == "m1")
        #expect(!lookup.cardBlocked)
        #expect(lookup.memberStatus == "active")
        let encoded = String(decoding: try JSONEncoder().encode(lookup), as: UTF8.self)
        #expect(!encoded.contains("Sara"))
        #expect(!encoded.contains("0912"))
        #expect(try fixture.store.member(byCard: "uid:unknown") == nil)
    }

    @Test func personalDataIsKeptApartAndReadableForTheMember() throws {
        let fixture = try StoreFixture(members: 1)
        #expect(try fixture.store.personal(of: "m0")?.name == "Sara Ahmadi")
        let queue = try DatabaseQueue(path: fixture.path)
        let memberColumns = try queue.read { db in try db.columns(in: "members").map(\.name) }
        #expect(!memberColumns.contains("name"))
        #expect(!memberColumns.contains("phone"))
    }

    @Test func aMemberCanHoldSeveralCardsAndABlockedCardSaysSo() throws {
        let fixture = try StoreFixture(members: 1)
        let operation = BusinessOperation(
            idempotencyKey: try IdempotencyKey("replace-card"), kind: "card.replace", memberID: "m0",
            branchID: StoreFixture.branch, operatorID: StoreFixture.cashier, occurredAt: Date(),
            request: Data("{}".utf8), result: Data("{}".utf8), postings: [],
            audit: AuditEntry(operatorID: StoreFixture.cashier, role: .manager, action: "card.replace", subject: "m0"),
            event: OutboxEvent(type: "card.replaced", payload: Data("{}".utf8)))
        try fixture.store.commit(operation) { db in
            try KioskStore.blockCard("uid:04000000000000", reason: "lost", at: Date(), in: db)
            try KioskStore.insert(CardBinding(cardID: "uid:04AAAAAAAAAAAA", memberID: "m0", kind: "ntag424"), at: Date(), in: db)
        }
        #expect(try fixture.store.member(byCard: "uid:04000000000000")?.cardBlocked == true)
        #expect(try fixture.store.member(byCard: "uid:04AAAAAAAAAAAA")?.memberID == "m0")
    }

    @Test func aCardCannotBeBoundTwice() throws {
        let fixture = try StoreFixture(members: 1)
        let before = try fixture.counts()
        let error = #expect(throws: StoreError.self) { try fixture.enroll("m9", card: "uid:04000000000000") }
        #expect(error?.code == .constraint)
        #expect(try fixture.counts() == before)
    }
}
