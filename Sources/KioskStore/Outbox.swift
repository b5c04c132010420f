import Foundation
import GRDB
import KioskCore

/// An outbox event as a reader (the forwarder to the central API, a technician's tool, a test)
/// gets it: its payload is always the event's body, whether the row holds the bytes itself or
/// names its transaction's result (`OutboxEvent.result(type:)`).
public struct StoredOutboxEvent: Sendable, Hashable {
    public enum DeliveryState: String, Sendable, Hashable {
        case pending, delivered, rejected
    }

    /// The event's place in the outbox: events are forwarded in this order.
    public var sequence: Int64
    /// The event's id: its operation's idempotency key.
    public var eventID: String
    public var type: String
    /// The event's JSON body.
    public var payload: Data
    /// True when the payload was read from the transaction's result (stored once) rather than
    /// from the event's own row.
    public var payloadIsTransactionResult: Bool
    public var createdAt: Date
    public var transactionID: TransactionID?
    public var state: DeliveryState
    public var attempts: Int
}

extension KioskStore {
    /// Outbox events after `sequence` in order, at most `limit`; only pending ones with
    /// `pendingOnly`. A payload that names a transaction without a result (a damaged database:
    /// `check()` reports it) fails with `.corrupt` rather than reading as an empty body.
    public func outboxEvents(after sequence: Int64 = 0, limit: Int = 100, pendingOnly: Bool = false) throws(StoreError) -> [StoredOutboxEvent] {
        try read("reading the outbox") { db in
            try Row.fetchAll(
                db.cachedStatement(sql: Self.outboxSelect(db) + """
                     WHERE o.seq > ? \(pendingOnly ? "AND o.state = 'pending'" : "") ORDER BY o.seq LIMIT ?
                    """),
                arguments: [sequence, max(0, limit)]
            ).map(Self.outboxEvent)
        }
    }

    /// The outbox event of the operation committed under `key`, if any.
    public func outboxEvent(for key: IdempotencyKey) throws(StoreError) -> StoredOutboxEvent? {
        try read("reading the outbox event of \(key)") { db in
            try Row.fetchOne(db.cachedStatement(sql: Self.outboxSelect(db) + " WHERE o.event_id = ?"), arguments: [key.rawValue])
                .map(Self.outboxEvent)
        }
    }

    /// The columns `outboxEvent(_:)` reads, the payload resolved. The transaction is joined only
    /// for events that name its result. A database opened read-only before its migration to
    /// `0004-outbox-payload-by-reference` has inline payloads only.
    private static func outboxSelect(_ db: Database) throws -> String {
        let byReference = try OutboxPayloadSchema.isApplied(db)
        return """
            SELECT o.seq, o.event_id, o.type, \(byReference ? "o.payload_source = 'result'" : "0"), o.payload,
                   \(byReference ? "t.result" : "NULL"), o.created_at, o.transaction_id, o.state, o.attempts
            FROM outbox o
            """ + (byReference ? " LEFT JOIN business_transactions t ON o.payload_source = 'result' AND t.id = o.transaction_id" : "")
    }

    private static func outboxEvent(_ row: Row) throws -> StoredOutboxEvent {
        let sequence: Int64 = row[0]
        let byReference: Bool = row[3]
        let payload: Data
        if byReference {
            guard let result = row[5] as Data?, !result.isEmpty else {
                throw StoreError(.corrupt, "outbox event \(sequence) takes its payload from transaction \(row[7] as String? ?? "(none)"), which has no result; run `kiosk db check`")
            }
            payload = result
        } else {
            payload = row[4]
        }
        guard let state = StoredOutboxEvent.DeliveryState(rawValue: row[8]) else {
            throw StoreError(.corrupt, "outbox event \(sequence) has an unknown delivery state \(row[8] as String)")
        }
        return StoredOutboxEvent(
            sequence: sequence, eventID: row[1], type: row[2], payload: payload, payloadIsTransactionResult: byReference,
            createdAt: row[6], transactionID: (row[7] as String?).map(TransactionID.init), state: state, attempts: row[9])
    }
}
