import Foundation
import GRDB
import KioskCore
import KioskStore
import Testing

@Suite struct CommitTests {
    @Test func aPurchaseWritesItsTransactionLedgerAuditAndOutboxTogether() throws {
        let fixture = try StoreFixture()
        let before = try fixture.counts()
        let receipt = try fixture.store.commit(StoreFixture.purchase("p-1", points: 120, credit: 5_000))
        let after = try fixture.counts()
        #expect(!receipt.replayed)
        #expect(after["business_transactions"]! == before["business_transactions"]! + 1)
        #expect(after["ledger"]! == before["ledger"]! + 2)
        #expect(after["audit_log"]! == before["audit_log"]! + 1)
        #expect(after["outbox"]! == before["outbox"]! + 1)
        #expect(try fixture.store.balances(of: "m0") == Balances(points: 120, credit: Rial(5_000)))
        #expect(try fixture.store.ledgerBalances(of: "m0") == Balances(points: 120, credit: Rial(5_000)))
    }

    @Test func retryingAKeyReturnsTheFirstResultAndWritesNothing() throws {
        let fixture = try StoreFixture()
        let first = try fixture.store.commit(StoreFixture.purchase("p-1"))
        let before = try fixture.counts()
        let again = try fixture.store.commit(StoreFixture.purchase("p-1"))
        #expect(again.replayed)
        #expect(again.transactionID == first.transactionID)
        #expect(again.result == first.result)
        #expect(again.eventSequence == first.eventSequence)
        #expect(try fixture.counts() == before)
        #expect(try fixture.store.balances(of: "m0").points == 120)
    }

    @Test func reusingAKeyForADifferentRequestIsRefused() throws {
        let fixture = try StoreFixture()
        try fixture.store.commit(StoreFixture.purchase("p-1"))
        let before = try fixture.counts()
        let error = #expect(throws: StoreError.self) {
            try fixture.store.commit(StoreFixture.purchase("p-1", points: 999, request: "{\"amount\":9990000}"))
        }
        #expect(error?.code == .idempotencyConflict)
        #expect(try fixture.counts() == before)
    }

    @Test func aFailureInsideTheOperationWritesNothingAtAll() throws {
        let fixture = try StoreFixture()
        let before = try fixture.counts()
        // The second posting names a member that does not exist: the foreign key fails after the
        // transaction row and the first ledger row were written, so all must roll back.
        var operation = try StoreFixture.purchase("p-bad")
        operation.postings.append(LedgerPosting(memberID: "nobody", account: .coins, amount: 3))
        #expect(throws: StoreError.self) { try fixture.store.commit(operation) }
        #expect(try fixture.counts() == before)
        // The key was not burnt: the corrected operation commits.
        #expect(try !fixture.store.commit(StoreFixture.purchase("p-bad")).replayed)
    }

    @Test func anErrorThrownByExtraWritesRollsBackTheWholeOperation() throws {
        struct Refused: Error {}
        let fixture = try StoreFixture()
        let before = try fixture.counts()
        #expect(throws: StoreError.self) {
            try fixture.store.commit(StoreFixture.purchase("p-2")) { _ in throw Refused() }
        }
        #expect(try fixture.counts() == before)
    }

    @Test func zeroPostingsAreRefused() throws {
        let fixture = try StoreFixture()
        var operation = try StoreFixture.purchase("p-0")
        operation.postings[0].amount = 0
        let error = #expect(throws: StoreError.self) { try fixture.store.commit(operation) }
        #expect(error?.code == .invalidOperation)
    }

    @Test func theLedgerAuditAndTransactionsCannotBeRewritten() throws {
        let fixture = try StoreFixture()
        try fixture.store.commit(StoreFixture.purchase("p-1"))
        let pool = try DatabasePool(path: fixture.path)
        for statement in ["UPDATE ledger SET amount = 1000000", "DELETE FROM ledger",
                          "UPDATE audit_log SET action = 'x'", "DELETE FROM audit_log",
                          "UPDATE business_transactions SET result = x''", "DELETE FROM business_transactions",
                          "UPDATE outbox SET payload = x''", "UPDATE outbox SET payload_source = 'result'"] {
            #expect(throws: DatabaseError.self, "\(statement)") { try pool.write { try $0.execute(sql: statement) } }
        }
        // Delivery state is the one thing about an event that may change.
        try pool.write { try $0.execute(sql: "UPDATE outbox SET state = 'delivered', attempts = 1") }
        #expect(try fixture.store.check().isHealthy)
    }

    @Test func concurrentRetriesOfOneKeyCommitItOnce() async throws {
        let fixture = try StoreFixture()
        let store = fixture.store
        let operation = try StoreFixture.purchase("p-race")
        let receipts = try await withThrowingTaskGroup(of: CommitReceipt.self) { group in
            for _ in 0..<8 { group.addTask { try store.commit(operation) } }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(receipts.filter { !$0.replayed }.count == 1)
        #expect(Set(receipts.map(\.transactionID)).count == 1)
        #expect(try store.balances(of: "m0").points == 120)
    }
}

@Suite struct ReceiptLookupTests {
    @Test func aRetryFindsItsReceiptAndADifferentRequestUnderTheKeyIsRefused() throws {
        let fixture = try StoreFixture()
        let operation = try StoreFixture.purchase("p-1")
        let receipt = try fixture.store.commit(operation)
        #expect(try fixture.store.receipt(for: operation.idempotencyKey, request: operation.request)?.transactionID == receipt.transactionID)
        #expect(try fixture.store.receipt(for: IdempotencyKey("p-unknown"), request: operation.request) == nil)
        let error = #expect(throws: StoreError.self) {
            try fixture.store.receipt(for: operation.idempotencyKey, request: Data("{\"other\":1}".utf8))
        }
        #expect(error?.code == .idempotencyConflict)
    }
}
