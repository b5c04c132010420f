import GRDB

/// Outbox events whose payload is their transaction's result, stored once.
///
/// Before this migration every operation wrote its outcome twice: as
/// `business_transactions.result` and, byte for byte, as its outbox event's `payload`. An event
/// can now say `payload_source = 'result'`: its own `payload` is empty and readers
/// (`KioskStore.outboxEvents`) get the result of the transaction it names. Rows written before
/// keep `payload_source = 'inline'` and their own bytes, so an existing database reads as before.
///
/// SQLite cannot drop the `NOT NULL` of `payload`, so a reference stores an empty blob; a trigger
/// refuses a reference that carries bytes or names no transaction. The transaction's result
/// cannot change (`business_transactions` is append-only), so neither can such an event's payload.
/// The immutability trigger is recreated to cover the new column: only the delivery state of an
/// event may change.
enum OutboxPayloadSchema {
    static let migration = "0004-outbox-payload-by-reference"

    static let sql = """
        ALTER TABLE outbox ADD COLUMN payload_source TEXT NOT NULL DEFAULT 'inline'
            CHECK (payload_source IN ('inline', 'result'));

        DROP TRIGGER outbox_event_is_immutable;
        CREATE TRIGGER outbox_event_is_immutable
        BEFORE UPDATE OF seq, event_id, type, payload, payload_source, created_at, transaction_id ON outbox BEGIN
            SELECT RAISE(ABORT, 'an outbox event cannot be changed, only its delivery state');
        END;

        CREATE TRIGGER outbox_result_payload_is_a_reference BEFORE INSERT ON outbox
        WHEN NEW.payload_source = 'result' AND (length(NEW.payload) <> 0 OR NEW.transaction_id IS NULL) BEGIN
            SELECT RAISE(ABORT, 'an event whose payload is its transaction''s result names the transaction and stores no bytes of its own');
        END;
        """

    /// Whether the database has the column (a database opened read-only and not migrated may not).
    static func isApplied(_ db: GRDB.Database) throws -> Bool {
        try db.columns(in: "outbox").contains { $0.name == "payload_source" }
    }
}
