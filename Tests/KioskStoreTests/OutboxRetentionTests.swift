import Foundation
import GRDB
import KioskCore
import KioskStore
import KioskTestSupport
import Testing

/// Delivered events pruned after their retention, on a real SQLite file: only delivered ones, as a
/// prefix of the outbox, and `check()` still proves that no event was lost.
@Suite struct OutboxRetentionTests {
    let day: TimeInterval = 86_400
    let start = Date(timeIntervalSince1970: 1_790_000_000)

    /// A store with 3 enrollments and `purchases` purchases, each its own outbox event.
    func fixture(purchases: Int) throws -> StoreFixture {
        let fixture = try StoreFixture()
        for index in 0..<purchases { try fixture.store.commit(StoreFixture.purchase("p-\(index)")) }
        return fixture
    }

    func sequences(_ store: KioskStore) throws -> [Int64] {
        try store.outboxEvents(limit: 10_000).map(\.sequence)
    }

    @Test func onlyEventsDeliveredBeforeTheCutoffArePrunedAsAPrefixAndTheCheckStaysHealthy() throws {
        let fixture = try fixture(purchases: 7)
        let store = fixture.store
        let all = try sequences(store)  // 10 events: 3 enrollments, 7 purchases
        #expect(all.count == 10)
        // 1–4 delivered 40 days ago, 5 parked, 6–7 delivered 40 days ago, 8 delivered yesterday, 9–10 pending.
        try store.markOutboxDelivered(Array(all[0..<4]) + Array(all[5..<7]), at: start)
        try store.parkOutboxEvent(all[4], reason: "rejected: test")
        try store.markOutboxDelivered([all[7]], at: start.addingTimeInterval(39 * day))
        let now = start.addingTimeInterval(40 * day)

        let first = try store.pruneDeliveredOutbox(deliveredBefore: now.addingTimeInterval(-30 * day), now: now)
        // Stops at the parked event: 6 and 7 stay although they are old enough.
        #expect(first.pruned == 4)
        #expect(first.throughSequence == all[3])
        #expect(try sequences(store) == Array(all[4...]))
        var report = try store.check()
        #expect(report.isHealthy, "\(report.problemSummary)")
        #expect(report.transactionsWithoutOneEvent == 0)
        #expect(report.outboxPruned == 4)

        // Pruning again changes nothing; the parked event, once delivered, lets the prefix grow
        // up to the event delivered yesterday.
        #expect(try store.pruneDeliveredOutbox(deliveredBefore: now.addingTimeInterval(-30 * day), now: now).pruned == 0)
        #expect(try store.retryParkedOutboxEvent(all[4]))
        try store.markOutboxDelivered([all[4]], at: start)
        let second = try store.pruneDeliveredOutbox(deliveredBefore: now.addingTimeInterval(-30 * day), now: now)
        #expect(second.pruned == 3)
        #expect(second.totalPruned == 7)
        #expect(try sequences(store) == Array(all[7...]))
        #expect(try store.outboxQueueStatus().pending == 2)
        report = try store.check()
        #expect(report.isHealthy, "\(report.problemSummary)")
        #expect(report.outboxPruned == 7)

        // New sequence numbers never reuse a pruned one.
        try store.commit(StoreFixture.purchase("p-after"))
        #expect(try sequences(store).last! > all.last!)
        #expect(try store.check().isHealthy)
    }

    @Test func anEventLostOutsidePruningIsStillFoundByTheCheck() throws {
        let fixture = try fixture(purchases: 4)
        let store = fixture.store
        let all = try sequences(store)
        try store.markOutboxDelivered(Array(all[0..<3]), at: start)
        let now = start.addingTimeInterval(40 * day)
        #expect(try store.pruneDeliveredOutbox(deliveredBefore: now.addingTimeInterval(-30 * day), now: now).pruned == 3)
        #expect(try store.check().isHealthy)

        // A pending event's row deleted behind the store's back: one transaction is without its
        // event and pruning does not account for it.
        let pool = try DatabasePool(path: fixture.path)
        try pool.write { try $0.execute(sql: "DELETE FROM outbox WHERE seq = ?", arguments: [all[5]]) }
        try pool.close()
        let report = try store.check()
        #expect(!report.isHealthy)
        #expect(report.transactionsWithoutOneEvent == 1)
        #expect(report.problemSummary.contains("1 transactions without exactly one outbox event"))
    }

    @Test func theCountCannotBeForgedDownOrTheRecordDeleted() throws {
        let fixture = try fixture(purchases: 2)
        let store = fixture.store
        try store.markOutboxDelivered(try sequences(store), at: start)
        let now = start.addingTimeInterval(40 * day)
        #expect(try store.pruneDeliveredOutbox(deliveredBefore: now.addingTimeInterval(-30 * day), now: now).pruned == 5)
        let pool = try DatabasePool(path: fixture.path)
        #expect(throws: DatabaseError.self) {
            try pool.write { try $0.execute(sql: "UPDATE outbox_pruned SET transaction_events = 1") }
        }
        #expect(throws: DatabaseError.self) {
            try pool.write { try $0.execute(sql: "DELETE FROM outbox_pruned") }
        }
        try pool.close()
        #expect(try store.check().isHealthy)
    }

    @Test func nothingIsPrunedWhileTheFirstEventIsPending() throws {
        let fixture = try fixture(purchases: 2)
        let store = fixture.store
        let all = try sequences(store)
        try store.markOutboxDelivered(Array(all[1...]), at: start)
        let now = start.addingTimeInterval(40 * day)
        let report = try store.pruneDeliveredOutbox(deliveredBefore: now, now: now)
        #expect(report.pruned == 0)
        #expect(try sequences(store) == all)
        #expect(try store.check().isHealthy)
    }
}
