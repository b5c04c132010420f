import GRDB

/// Delivered outbox events pruned after a retention period, and the record that lets
/// `kiosk db check` still prove that no event was lost.
///
/// Every business transaction has exactly one outbox event; pruning deletes delivered events
/// (never pending or parked ones), always a prefix of the outbox by `seq` (every event up to
/// `through_seq` was delivered), and counts in `outbox_pruned` how many it deleted and how many
/// of those belonged to a transaction. The check then requires the transactions without an event
/// to be exactly that many: an event lost any other way (a row deleted by hand, a bug) still
/// shows. (Counts, not times: a kiosk's clock may jump.) The row only grows: a trigger refuses moving the
/// watermark back or lowering a count.
enum OutboxRetentionSchema {
    static let migration = "0010-outbox-retention"

    static let sql = """
        CREATE TABLE outbox_pruned (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            through_seq INTEGER NOT NULL CHECK (through_seq >= 0),
            events INTEGER NOT NULL CHECK (events >= 0),
            transaction_events INTEGER NOT NULL CHECK (transaction_events >= 0 AND transaction_events <= events),
            pruned_at TEXT NOT NULL
        );
        CREATE TRIGGER outbox_pruned_only_grows BEFORE UPDATE ON outbox_pruned
        WHEN NEW.through_seq < OLD.through_seq OR NEW.events < OLD.events OR NEW.transaction_events < OLD.transaction_events BEGIN
            SELECT RAISE(ABORT, 'the outbox pruning record only grows');
        END;
        CREATE TRIGGER outbox_pruned_no_delete BEFORE DELETE ON outbox_pruned BEGIN
            SELECT RAISE(ABORT, 'the outbox pruning record cannot be deleted');
        END;
        """

    /// Whether the database has the table (a database opened read-only and not migrated may not).
    static func isApplied(_ db: GRDB.Database) throws -> Bool {
        try db.tableExists("outbox_pruned")
    }
}
