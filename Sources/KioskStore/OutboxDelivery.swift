import Foundation
import GRDB

/// A pending outbox event as the forwarder sends it: its body resolved, with the instant and the
/// program version of the operation that caused it.
public struct OutboxDeliveryEvent: Sendable, Hashable {
    public var sequence: Int64
    public var eventID: String
    public var type: String
    public var payload: Data
    public var occurredAt: Date
    public var memberID: String?
    public var programVersion: String?
    public var attempts: Int
}

/// An event the central rejected permanently, with its reason.
public struct ParkedOutboxEvent: Sendable, Hashable {
    public var sequence: Int64
    public var eventID: String
    public var type: String
    public var reason: String
    public var attempts: Int
    public var createdAt: Date
}

/// The outbox's depth as the forwarder and `kiosk sync status` show it.
public struct OutboxQueueStatus: Sendable, Hashable {
    public var pending: Int
    public var parked: Int
    public var delivered: Int
    /// When the oldest pending event was written, if any is pending.
    public var oldestPendingAt: Date?
    /// The bytes of the pending events' bodies.
    public var pendingBytes: Int64
}

extension KioskStore {
    /// Pending events after `sequence`, in order: at most `limit`, and no more than `maxBytes` of
    /// bodies in all, except that the first event is returned whatever its size (a batch always
    /// makes progress; the central rejects one that is too large, and it is parked).
    public func pendingOutbox(after sequence: Int64 = 0, limit: Int, maxBytes: Int) throws(StoreError) -> [OutboxDeliveryEvent] {
        try read("reading pending outbox events") { db in
            let rows = try Row.fetchCursor(
                db.cachedStatement(sql: """
                    SELECT o.seq, o.event_id, o.type,
                           CASE WHEN o.payload_source = 'result' THEN t.result ELSE o.payload END,
                           COALESCE(t.occurred_at, o.created_at), t.member_id, t.program_version, o.attempts
                    FROM outbox o LEFT JOIN business_transactions t ON t.id = o.transaction_id
                    WHERE o.state = 'pending' AND o.seq > ? ORDER BY o.seq LIMIT ?
                    """),
                arguments: [sequence, max(1, limit)])
            var events: [OutboxDeliveryEvent] = []
            var bytes = 0
            while let row = try rows.next() {
                let sequence: Int64 = row[0]
                guard let payload = row[3] as Data?, !payload.isEmpty else {
                    throw StoreError(.corrupt, "outbox event \(sequence) has no body; run `kiosk db check`")
                }
                bytes += payload.count
                if !events.isEmpty && bytes > maxBytes { break }
                events.append(OutboxDeliveryEvent(
                    sequence: sequence, eventID: row[1], type: row[2], payload: payload, occurredAt: row[4],
                    memberID: row[5], programVersion: row[6], attempts: row[7]))
            }
            return events
        }
    }

    /// Marks events acknowledged by the central (stored now or held already).
    public func markOutboxDelivered(_ sequences: [Int64], at: Date) throws(StoreError) {
        guard !sequences.isEmpty else { return }
        try write("marking outbox events delivered") { db in
            let statement = try db.cachedStatement(sql: """
                UPDATE outbox SET state = 'delivered', delivered_at = ?, attempts = attempts + 1, last_error = NULL
                WHERE seq = ? AND state = 'pending'
                """)
            let at = StoreTimestamp.text(at)
            for sequence in sequences { try statement.execute(arguments: [at, sequence]) }
        }
    }

    /// Parks an event the central rejected permanently: it stays in the outbox with the reason,
    /// is not sent again until `retryParkedOutboxEvent`, and does not hold up the events after it.
    public func parkOutboxEvent(_ sequence: Int64, reason: String) throws(StoreError) {
        try write("parking outbox event \(sequence)") { db in
            try db.execute(sql: """
                UPDATE outbox SET state = 'rejected', attempts = attempts + 1, last_error = ? WHERE seq = ? AND state = 'pending'
                """, arguments: [reason, sequence])
        }
    }

    /// Counts a failed attempt for events that stay pending, with what went wrong.
    public func recordOutboxAttempt(_ sequences: [Int64], error: String) throws(StoreError) {
        guard !sequences.isEmpty else { return }
        try write("recording an outbox delivery attempt") { db in
            let statement = try db.cachedStatement(sql: "UPDATE outbox SET attempts = attempts + 1, last_error = ? WHERE seq = ? AND state = 'pending'")
            for sequence in sequences { try statement.execute(arguments: [error, sequence]) }
        }
    }

    /// Puts a parked event back in the queue. False when no parked event has that sequence.
    public func retryParkedOutboxEvent(_ sequence: Int64) throws(StoreError) -> Bool {
        try write("retrying parked outbox event \(sequence)") { db in
            try db.execute(sql: "UPDATE outbox SET state = 'pending' WHERE seq = ? AND state = 'rejected'", arguments: [sequence])
            return db.changesCount == 1
        }
    }

    /// The parked events, oldest first.
    public func parkedOutboxEvents(limit: Int = 1000) throws(StoreError) -> [ParkedOutboxEvent] {
        try read("reading parked outbox events") { db in
            try Row.fetchAll(db, sql: """
                SELECT seq, event_id, type, COALESCE(last_error, ''), attempts, created_at
                FROM outbox WHERE state = 'rejected' ORDER BY seq LIMIT ?
                """, arguments: [max(0, limit)]).map {
                ParkedOutboxEvent(sequence: $0[0], eventID: $0[1], type: $0[2], reason: $0[3], attempts: $0[4], createdAt: $0[5])
            }
        }
    }

    /// Counts by delivery state and the age of the queue.
    public func outboxQueueStatus() throws(StoreError) -> OutboxQueueStatus {
        try read("reading the outbox status") { db in
            var counts: [String: Int] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT state, COUNT(*) FROM outbox GROUP BY state") {
                counts[row[0]] = row[1]
            }
            let oldest = try Date.fetchOne(db, sql: "SELECT created_at FROM outbox WHERE state = 'pending' ORDER BY seq LIMIT 1")
            let bytes = try Int64.fetchOne(db, sql: """
                SELECT COALESCE(SUM(CASE WHEN o.payload_source = 'result' THEN length(t.result) ELSE length(o.payload) END), 0)
                FROM outbox o LEFT JOIN business_transactions t ON t.id = o.transaction_id WHERE o.state = 'pending'
                """) ?? 0
            return OutboxQueueStatus(
                pending: counts["pending"] ?? 0, parked: counts["rejected"] ?? 0, delivered: counts["delivered"] ?? 0,
                oldestPendingAt: oldest, pendingBytes: bytes)
        }
    }
}
