import Foundation
import GRDB
import KioskCore
@testable import KioskStore
import KioskTestSupport
import Testing

/// Each operation's reads stay independent of the member's history and of the size of the whole
/// ledger: they read the per-member summary (0011-member-summary).
@Suite struct LedgerIndexTests {
    @Test func guardingALotReadsItsSummaryRowNotTheLedger() throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("kiosk.sqlite")
        _ = try KioskStore(path: path)
        let queue = try DatabaseQueue(path: path)
        let plan = try queue.read { db in
            try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN " + KioskStore.lotBalanceSQL, arguments: ["m-1", "lot-1"])
                .map { $0["detail"] as String }
        }
        #expect(plan.contains { $0.contains("loyalty_lot_balances USING PRIMARY KEY") }, "\(plan)")
        #expect(!plan.contains { $0.contains("ledger") && !$0.contains("loyalty_lot_balances") }, "\(plan)")
    }

    @Test func aSpendThatWouldOverdrawAMembersLotIsRefusedAndOnlyThatMembersLotCounts() throws {
        let fixture = try StoreFixture()
        try fixture.store.commit(try StoreFixture.purchase("p1", member: "m0", points: 100))
        let lot = LotID(rawValue: "lot-p1")
        // A spend of 150 from that lot, as if it were committed: refused; the same lot id under
        // another member is another member's business (lots belong to their member).
        let spend = BusinessOperation(
            idempotencyKey: try IdempotencyKey("spend-1"), kind: "spin", memberID: "m0", branchID: StoreFixture.branch,
            operatorID: nil, programVersion: "p-1", occurredAt: Date(timeIntervalSince1970: 1_790_000_200),
            request: Data("{}".utf8), result: Data("{}".utf8),
            postings: [LedgerPosting(memberID: "m0", account: .points, amount: -150, lotID: lot)],
            event: OutboxEvent(type: "wheel.spun", payload: Data("{}".utf8)))
        #expect(throws: StoreError.self) {
            try fixture.store.commit(spend) { db in try KioskStore.guardLots([(member: "m0", lot: lot)], in: db) }
        }
        #expect(try fixture.store.ledgerBalances(of: "m0").points == 100, "the refused spend wrote nothing")
        var fits = spend
        fits.idempotencyKey = try IdempotencyKey("spend-2")
        fits.postings = [LedgerPosting(memberID: "m0", account: .points, amount: -60, lotID: lot)]
        try fixture.store.commit(fits) { db in
            try KioskStore.guardLots([(member: "m0", lot: lot), (member: "m1", lot: lot)], in: db)
        }
        #expect(try fixture.store.ledgerBalances(of: "m0").points == 40)
    }
}
