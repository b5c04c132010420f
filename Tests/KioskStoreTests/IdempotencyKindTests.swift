import Foundation
import KioskCore
import KioskStore
import Testing

/// An idempotency key answers only for the kind of operation that first used it.
@Suite struct IdempotencyKindTests {
    @Test func anotherKindUnderTheSameKeyAndRequestIsRefusedNotGivenTheFirstResult() throws {
        let fixture = try StoreFixture(members: 1)
        let purchase = try StoreFixture.purchase("k-1")
        let first = try fixture.store.commit(purchase)
        let before = try fixture.counts()
        var other = purchase
        other.kind = "return"
        other.postings = [LedgerPosting(memberID: "m0", account: .points, amount: -120, lotID: "lot-k-1")]
        // Before: replayed, answered with the purchase's result and receipt.
        let refused = #expect(throws: StoreError.self) { try fixture.store.commit(other) }
        #expect(refused?.code == .idempotencyConflict)
        #expect(refused?.message.contains("already used by a purchase operation, not return") == true)
        #expect(try fixture.counts() == before)
        // The purchase itself still replays.
        #expect(try fixture.store.commit(purchase).transactionID == first.transactionID)
    }
}
