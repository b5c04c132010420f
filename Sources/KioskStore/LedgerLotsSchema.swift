import GRDB

/// A cache of every lot's remaining amount, kept from the ledger by a trigger in the same
/// transaction as the ledger rows, as `balances` is.
///
/// Before this migration each operation read the member's lots by grouping all their ledger
/// rows (`GROUP BY lot_id, account`), and `guardLots` summed a lot's postings with a scan of the
/// whole ledger (no index on `lot_id`): an operation's cost grew with the member's history and
/// the ledger's size. `ledger_lots` holds one row per member, lot and account with exactly what
/// that grouping gave: the sum of the postings (`remaining`), the first posting's time
/// (`created_at`), the latest expiry and the restrictions (the maximum, as `MAX` aggregates:
/// NULLs ignored). Its primary key starts with the member, so a member's lots are one range.
///
/// The ledger stays the truth: `check()` recomputes every lot from the ledger and compares,
/// `rebuildLots()` rewrites the cache. The migration fills it from the ledger already there.
enum LedgerLotsSchema {
    static let migration = "0005-ledger-lots"

    /// The ledger grouped as the cache holds it (also what `check()` compares against).
    static let fromLedger = """
        SELECT member_id, lot_id, account, SUM(amount), MIN(occurred_at), MAX(expires_at), MAX(restrictions)
        FROM ledger WHERE lot_id IS NOT NULL GROUP BY member_id, lot_id, account
        """

    static let sql = """
        CREATE TABLE ledger_lots (
            member_id TEXT NOT NULL,
            lot_id TEXT NOT NULL,
            account TEXT NOT NULL,
            remaining INTEGER NOT NULL,
            created_at TEXT NOT NULL,
            expires_at TEXT,
            restrictions TEXT,
            PRIMARY KEY (member_id, lot_id, account)
        ) WITHOUT ROWID;

        CREATE TRIGGER ledger_keeps_lots AFTER INSERT ON ledger WHEN NEW.lot_id IS NOT NULL BEGIN
            INSERT INTO ledger_lots (member_id, lot_id, account, remaining, created_at, expires_at, restrictions)
            VALUES (NEW.member_id, NEW.lot_id, NEW.account, NEW.amount, NEW.occurred_at, NEW.expires_at, NEW.restrictions)
            ON CONFLICT (member_id, lot_id, account) DO UPDATE SET
                remaining = remaining + excluded.remaining,
                created_at = min(created_at, excluded.created_at),
                expires_at = CASE WHEN excluded.expires_at IS NULL THEN expires_at
                                  WHEN expires_at IS NULL THEN excluded.expires_at
                                  ELSE max(expires_at, excluded.expires_at) END,
                restrictions = CASE WHEN excluded.restrictions IS NULL THEN restrictions
                                    WHEN restrictions IS NULL THEN excluded.restrictions
                                    ELSE max(restrictions, excluded.restrictions) END;
        END;

        INSERT INTO ledger_lots (member_id, lot_id, account, remaining, created_at, expires_at, restrictions)
        \(fromLedger);
        """
}
