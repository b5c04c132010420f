import Foundation
import GRDB
import KioskCore
import KioskStore
import Testing

/// No stored amount can leave INTEGER: postings beyond ±10^15 and balances beyond ±10^18 are
/// refused and write nothing (before this, a balance overflowing Int64 became a REAL that every
/// later read of the member failed to decode).
@Suite struct AmountBoundsTests {
    @Test func aPostingBeyondTheLimitIsRefusedAndWritesNothing() throws {
        let fixture = try StoreFixture()
        let before = try fixture.counts()
        for amount in [AmountLimits.maxPosting + 1, Int64.max, -AmountLimits.maxPosting - 1, Int64.min] {
            let operation = try StoreFixture.purchase("huge-\(amount)", points: amount)
            #expect {
                try fixture.store.commit(operation)
            } throws: { error in
                (error as? StoreError)?.code == .invalidOperation
                    && (error as? StoreError)?.message.contains("largest amount accepted") == true
            }
        }
        #expect(try fixture.counts() == before)
        // The limit itself is accepted.
        try fixture.store.commit(try StoreFixture.purchase("at-limit", points: AmountLimits.maxPosting))
        #expect(try fixture.store.balances(of: "m0").points == AmountLimits.maxPosting)
    }

    @Test func aBalanceBeyondTheLimitIsRefusedAndTheMemberStaysReadable() throws {
        // 1,001 postings of 10^15 in one operation: each within bounds, the sum past 10^18.
        let fixture = try StoreFixture()
        let posting = LedgerPosting(memberID: "m1", account: .points, amount: AmountLimits.maxPosting)
        func operation(_ key: String, postings count: Int) throws -> BusinessOperation {
            BusinessOperation(
                idempotencyKey: try IdempotencyKey(key), kind: "adjust", memberID: "m1", branchID: StoreFixture.branch,
                occurredAt: Date(timeIntervalSince1970: 1_790_000_200), request: Data(key.utf8), result: Data("{}".utf8),
                postings: Array(repeating: posting, count: count), event: OutboxEvent(type: "adjusted", payload: Data()))
        }
        try fixture.store.commit(try operation("fill", postings: 1_000))
        #expect(try fixture.store.balances(of: "m1").points == AmountLimits.maxBalance)
        let before = try fixture.counts()
        #expect {
            try fixture.store.commit(try operation("past", postings: 1))
        } throws: { error in
            (error as? StoreError)?.code == .invalidOperation
                && (error as? StoreError)?.message.contains("a balance would leave the allowed range") == true
        }
        #expect(try fixture.counts() == before)
        #expect(try fixture.store.balances(of: "m1").points == AmountLimits.maxBalance)
        #expect(try fixture.store.check().isHealthy)
    }

    @Test func aNonIntegerAmountWrittenBehindTheStoresBackIsRefused() throws {
        let fixture = try StoreFixture()
        try fixture.store.commit(try StoreFixture.purchase("p1"))
        let queue = try DatabaseQueue(path: fixture.path)
        defer { try? queue.close() }
        #expect {
            try queue.write { db in
                try db.execute(sql: """
                    INSERT INTO ledger (idempotency_key, transaction_id, member_id, account, amount, occurred_at)
                    SELECT 'p1#9', transaction_id, member_id, account, 1.5, occurred_at FROM ledger LIMIT 1
                    """)
            }
        } throws: { error in
            (error as? DatabaseError)?.message?.contains("must be a whole number") == true
        }
    }
}
