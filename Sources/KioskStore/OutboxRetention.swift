import Foundation
import GRDB

/// What one pruning of delivered outbox events did, and the totals since the store began.
public struct OutboxPruneReport: Sendable, Hashable {
    /// Events deleted by this pruning.
    public var pruned: Int
    /// Every event up to this sequence number has been delivered and pruned.
    public var throughSequence: Int64
    /// Events pruned since the store began, and how many of them belonged to a transaction.
    public var totalPruned: Int
    public var totalTransactionEvents: Int
}

/// What pruning has removed so far (none when the store was never pruned).
struct OutboxPruned: Sendable, Hashable {
    var throughSequence: Int64 = 0
    var events = 0
    var transactionEvents = 0
    var prunedAt: String?

    static func read(_ db: GRDB.Database) throws -> OutboxPruned {
        guard try OutboxRetentionSchema.isApplied(db),
              let row = try Row.fetchOne(db, sql: "SELECT through_seq, events, transaction_events, pruned_at FROM outbox_pruned WHERE id = 1")
        else { return OutboxPruned() }
        return OutboxPruned(throughSequence: row[0], events: row[1], transactionEvents: row[2], prunedAt: row[3])
    }
}

extension KioskStore {
    /// Deletes the events delivered before `deliveredBefore`, as a prefix of the outbox: it stops
    /// at the first event that is pending, parked or delivered since, so an event the central has
    /// not acknowledged is never deleted and the events kept are every event after one sequence
    /// number. Records what it deleted in `outbox_pruned` in the same transaction (see
    /// `OutboxRetentionSchema`), which is what lets `check()` still prove nothing was lost.
    @discardableResult
    public func pruneDeliveredOutbox(deliveredBefore: Date, now: Date) throws(StoreError) -> OutboxPruneReport {
        try write("pruning delivered outbox events") { db in
            var record = try OutboxPruned.read(db)
            let cutoff = StoreTimestamp.text(deliveredBefore)
            let firstKept = try Int64.fetchOne(db, sql: """
                SELECT MIN(seq) FROM outbox WHERE state <> 'delivered' OR delivered_at IS NULL OR delivered_at >= ?
                """, arguments: [cutoff])
            let last = try Int64.fetchOne(db, sql: "SELECT MAX(seq) FROM outbox") ?? 0
            let through = firstKept.map { $0 - 1 } ?? last
            guard through > record.throughSequence else {
                return OutboxPruneReport(pruned: 0, throughSequence: record.throughSequence,
                                         totalPruned: record.events, totalTransactionEvents: record.transactionEvents)
            }
            let transactionEvents = try Int.fetchOne(db, sql: """
                SELECT COUNT(*) FROM outbox WHERE seq <= ? AND transaction_id IS NOT NULL
                """, arguments: [through]) ?? 0
            try db.execute(sql: "DELETE FROM outbox WHERE seq <= ? AND state = 'delivered'", arguments: [through])
            let pruned = db.changesCount
            record.throughSequence = through
            record.events += pruned
            record.transactionEvents += transactionEvents
            try db.execute(sql: """
                INSERT INTO outbox_pruned (id, through_seq, events, transaction_events, pruned_at) VALUES (1, ?, ?, ?, ?)
                ON CONFLICT (id) DO UPDATE SET through_seq = excluded.through_seq, events = excluded.events,
                    transaction_events = excluded.transaction_events, pruned_at = excluded.pruned_at
                """, arguments: [through, record.events, record.transactionEvents, StoreTimestamp.text(now)])
            return OutboxPruneReport(pruned: pruned, throughSequence: through,
                                     totalPruned: record.events, totalTransactionEvents: record.transactionEvents)
        }
    }
}
