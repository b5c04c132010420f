/// A per-member summary of what the engine reads before each decision, kept by triggers in the
/// same transaction as the rows it sums (as `balances` is kept from the ledger), so that reading
/// a member's state costs the same with 10 earlier operations as with 10,000:
///
/// - `loyalty_lot_balances`: per member, lot and account, what the lot's ledger rows sum to, its
///   first posting's time, latest expiry and restrictions (exactly what grouping the ledger by lot
///   gave); open lots (`remaining <> 0`) are indexed in spending order per member and account.
/// - `loyalty_account_summary`: per member and account, the sum of the postings outside any lot
///   (`unlotted`) and of the debts (`debt`).
/// - `loyalty_members.visits`: the sum of the member's visit rows.
/// - `loyalty_tier_days`: the member's tier activity summed per UTC day; a rolling window is its
///   whole days plus the raw rows of the day it starts in.
///
/// The rows summed stay the truth: `check()` recomputes every summary from them and compares,
/// `rebuildBalances()` (`kiosk db check --repair-balances`) rewrites it. The migration fills it
/// from the rows already there.
enum MemberSummarySchema {
    static let migration = "0011-member-summary"

    /// The ledger grouped by lot, as `loyalty_lot_balances` holds it.
    static let lotsFromLedger = """
        SELECT member_id, lot_id, account, SUM(amount), MIN(occurred_at), MAX(expires_at), MAX(restrictions)
        FROM ledger WHERE lot_id IS NOT NULL GROUP BY member_id, lot_id, account
        """

    /// Unlotted postings and debts per member and account, as `loyalty_account_summary` holds them.
    static let accountsFromRows = """
        SELECT member_id, account, SUM(unlotted), SUM(debt) FROM (
            SELECT member_id, account, amount AS unlotted, 0 AS debt FROM ledger WHERE lot_id IS NULL
            UNION ALL
            SELECT member_id, account, 0, amount FROM loyalty_debts
        ) GROUP BY member_id, account
        """

    static let tierDaysFromRows = """
        SELECT member_id, substr(at, 1, 10), SUM(amount) FROM loyalty_tier_activity GROUP BY member_id, substr(at, 1, 10)
        """

    static let visitsFromRows = "SELECT member_id, SUM(delta) FROM loyalty_visits GROUP BY member_id"

    static let tables = """
        CREATE TABLE loyalty_lot_balances (
            member_id TEXT NOT NULL,
            lot_id TEXT NOT NULL,
            account TEXT NOT NULL,
            remaining INTEGER NOT NULL,
            created_at TEXT NOT NULL,
            expires_at TEXT,
            restrictions TEXT,
            PRIMARY KEY (member_id, lot_id, account)
        ) WITHOUT ROWID;
        CREATE INDEX loyalty_lot_balances_open
            ON loyalty_lot_balances(member_id, account, expires_at IS NULL, expires_at, created_at, lot_id)
            WHERE remaining <> 0;

        CREATE TABLE loyalty_account_summary (
            member_id TEXT NOT NULL,
            account TEXT NOT NULL,
            unlotted INTEGER NOT NULL DEFAULT 0,
            debt INTEGER NOT NULL DEFAULT 0,
            PRIMARY KEY (member_id, account)
        ) WITHOUT ROWID;

        CREATE TABLE loyalty_tier_days (
            member_id TEXT NOT NULL,
            day TEXT NOT NULL,
            amount INTEGER NOT NULL,
            PRIMARY KEY (member_id, day)
        ) WITHOUT ROWID;

        ALTER TABLE loyalty_members ADD COLUMN visits INTEGER NOT NULL DEFAULT 0;
        """

    /// Fills the summary from the rows (the migration, and a rebuild after the tables were emptied).
    static let fill = """
        INSERT INTO loyalty_lot_balances (member_id, lot_id, account, remaining, created_at, expires_at, restrictions)
        \(lotsFromLedger);
        INSERT INTO loyalty_account_summary (member_id, account, unlotted, debt) \(accountsFromRows);
        INSERT INTO loyalty_tier_days (member_id, day, amount) \(tierDaysFromRows);
        INSERT INTO loyalty_members (member_id, visits) SELECT * FROM (\(visitsFromRows)) WHERE true
            ON CONFLICT(member_id) DO UPDATE SET visits = excluded.visits;
        """

    static let triggers = """
        CREATE TRIGGER ledger_keeps_lot_balances AFTER INSERT ON ledger WHEN NEW.lot_id IS NOT NULL BEGIN
            INSERT INTO loyalty_lot_balances (member_id, lot_id, account, remaining, created_at, expires_at, restrictions)
            VALUES (NEW.member_id, NEW.lot_id, NEW.account, NEW.amount, NEW.occurred_at, NEW.expires_at, NEW.restrictions)
            ON CONFLICT(member_id, lot_id, account) DO UPDATE SET
                remaining = remaining + excluded.remaining,
                created_at = MIN(created_at, excluded.created_at),
                expires_at = COALESCE(MAX(expires_at, excluded.expires_at), expires_at, excluded.expires_at),
                restrictions = COALESCE(MAX(restrictions, excluded.restrictions), restrictions, excluded.restrictions);
        END;
        CREATE TRIGGER ledger_keeps_unlotted AFTER INSERT ON ledger WHEN NEW.lot_id IS NULL BEGIN
            INSERT INTO loyalty_account_summary (member_id, account, unlotted) VALUES (NEW.member_id, NEW.account, NEW.amount)
            ON CONFLICT(member_id, account) DO UPDATE SET unlotted = unlotted + excluded.unlotted;
        END;
        CREATE TRIGGER debts_keep_summary AFTER INSERT ON loyalty_debts BEGIN
            INSERT INTO loyalty_account_summary (member_id, account, debt) VALUES (NEW.member_id, NEW.account, NEW.amount)
            ON CONFLICT(member_id, account) DO UPDATE SET debt = debt + excluded.debt;
        END;
        CREATE TRIGGER visits_keep_summary AFTER INSERT ON loyalty_visits BEGIN
            INSERT INTO loyalty_members (member_id, visits) VALUES (NEW.member_id, NEW.delta)
            ON CONFLICT(member_id) DO UPDATE SET visits = visits + excluded.visits;
        END;
        CREATE TRIGGER tier_activity_keeps_days AFTER INSERT ON loyalty_tier_activity BEGIN
            INSERT INTO loyalty_tier_days (member_id, day, amount) VALUES (NEW.member_id, substr(NEW.at, 1, 10), NEW.amount)
            ON CONFLICT(member_id, day) DO UPDATE SET amount = amount + excluded.amount;
        END;
        """

    static let sql = tables + fill + triggers

    /// Summary rows that differ from the rows they sum, or are missing from either side.
    static let mismatchesSQL = """
        WITH lots (member_id, lot_id, account, remaining, created_at, expires_at, restrictions) AS (\(lotsFromLedger)),
             accounts (member_id, account, unlotted, debt) AS (\(accountsFromRows)),
             days (member_id, day, amount) AS (\(tierDaysFromRows)),
             visits (member_id, visits) AS (\(visitsFromRows))
        SELECT
            (SELECT COUNT(*) FROM lots s FULL OUTER JOIN loyalty_lot_balances c
                ON c.member_id = s.member_id AND c.lot_id = s.lot_id AND c.account = s.account
             WHERE s.member_id IS NULL OR c.member_id IS NULL OR c.remaining <> s.remaining OR c.created_at IS NOT s.created_at
                OR c.expires_at IS NOT s.expires_at OR c.restrictions IS NOT s.restrictions)
          + (SELECT COUNT(*) FROM accounts s FULL OUTER JOIN loyalty_account_summary c
                ON c.member_id = s.member_id AND c.account = s.account
             WHERE COALESCE(c.unlotted, 0) <> COALESCE(s.unlotted, 0) OR COALESCE(c.debt, 0) <> COALESCE(s.debt, 0))
          + (SELECT COUNT(*) FROM days s FULL OUTER JOIN loyalty_tier_days c ON c.member_id = s.member_id AND c.day = s.day
             WHERE COALESCE(c.amount, 0) <> COALESCE(s.amount, 0))
          + (SELECT COUNT(*) FROM visits s FULL OUTER JOIN loyalty_members c ON c.member_id = s.member_id
             WHERE COALESCE(c.visits, 0) <> COALESCE(s.visits, 0))
        """

    /// Empties the summary and fills it again from the rows it sums.
    static let rebuild = """
        DELETE FROM loyalty_lot_balances;
        DELETE FROM loyalty_account_summary;
        DELETE FROM loyalty_tier_days;
        UPDATE loyalty_members SET visits = 0;
        """ + fill
}
