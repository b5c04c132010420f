/// The loyalty engine's tables (migration `0002-loyalty`). Like the foundation's, the record
/// tables are append-only; the few that hold a current state (voucher uses, catalogue stock,
/// request status) change only through the functions in `Loyalty/`, inside the transaction of
/// the business operation that changes them.
extension Schema {
    static let loyalty = """
        CREATE TABLE loyalty_programs (
            version TEXT PRIMARY KEY NOT NULL,
            body BLOB NOT NULL,
            loaded_at TEXT NOT NULL
        ) WITHOUT ROWID;

        CREATE TABLE loyalty_members (
            member_id TEXT PRIMARY KEY NOT NULL REFERENCES members(id),
            has_purchased INTEGER NOT NULL DEFAULT 0,
            birthday_bonus_year INTEGER
        ) WITHOUT ROWID;

        -- Visits: +1 per tap or purchase, -1 when a purchase is fully returned.
        CREATE TABLE loyalty_visits (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            member_id TEXT NOT NULL REFERENCES members(id),
            transaction_id TEXT NOT NULL REFERENCES business_transactions(id),
            delta INTEGER NOT NULL,
            at TEXT NOT NULL
        );
        CREATE INDEX loyalty_visits_member ON loyalty_visits(member_id);

        -- What counts toward the tier (net spend or points), signed; summed over the rolling window.
        CREATE TABLE loyalty_tier_activity (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            member_id TEXT NOT NULL REFERENCES members(id),
            transaction_id TEXT NOT NULL REFERENCES business_transactions(id),
            amount INTEGER NOT NULL,
            at TEXT NOT NULL
        );
        CREATE INDEX loyalty_tier_activity_member ON loyalty_tier_activity(member_id, at);

        CREATE TABLE loyalty_tier_changes (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            member_id TEXT NOT NULL REFERENCES members(id),
            transaction_id TEXT REFERENCES business_transactions(id),
            from_tier TEXT,
            to_tier TEXT,
            at TEXT NOT NULL
        );

        -- Each purchase (its outcome is the transaction's result; returns read it back).
        CREATE TABLE loyalty_purchases (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            idempotency_key TEXT NOT NULL UNIQUE,
            transaction_id TEXT NOT NULL REFERENCES business_transactions(id),
            member_id TEXT NOT NULL REFERENCES members(id),
            at TEXT NOT NULL
        );

        CREATE TABLE loyalty_returns (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            idempotency_key TEXT NOT NULL UNIQUE,
            purchase_key TEXT NOT NULL REFERENCES loyalty_purchases(idempotency_key),
            transaction_id TEXT NOT NULL REFERENCES business_transactions(id),
            history BLOB NOT NULL,
            fully_returned INTEGER NOT NULL,
            at TEXT NOT NULL
        );
        CREATE INDEX loyalty_returns_purchase ON loyalty_returns(purchase_key, seq);

        -- Debts from reversed awards that were already spent (clamp policy): + owed, - settled.
        CREATE TABLE loyalty_debts (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            member_id TEXT NOT NULL REFERENCES members(id),
            account TEXT NOT NULL,
            amount INTEGER NOT NULL CHECK (amount <> 0),
            transaction_id TEXT NOT NULL REFERENCES business_transactions(id),
            at TEXT NOT NULL
        );
        CREATE INDEX loyalty_debts_member ON loyalty_debts(member_id);

        -- Vouchers: shared codes from the program (added at their first use) and generated codes.
        CREATE TABLE vouchers (
            code TEXT PRIMARY KEY NOT NULL COLLATE NOCASE,
            template TEXT,
            definition BLOB NOT NULL,
            issued_to TEXT REFERENCES members(id),
            valid_from TEXT,
            valid_until TEXT,
            uses INTEGER NOT NULL DEFAULT 0 CHECK (uses >= 0),
            max_uses INTEGER CHECK (max_uses IS NULL OR uses <= max_uses),
            created_at TEXT NOT NULL,
            transaction_id TEXT REFERENCES business_transactions(id)
        ) WITHOUT ROWID;

        CREATE TABLE voucher_redemptions (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            code TEXT NOT NULL COLLATE NOCASE REFERENCES vouchers(code),
            member_id TEXT NOT NULL REFERENCES members(id),
            transaction_id TEXT NOT NULL REFERENCES business_transactions(id),
            at TEXT NOT NULL
        );
        CREATE INDEX voucher_redemptions_code ON voucher_redemptions(code, member_id);

        CREATE TABLE catalogue_stock (
            item TEXT PRIMARY KEY NOT NULL,
            stock INTEGER CHECK (stock IS NULL OR stock >= 0)
        ) WITHOUT ROWID;

        CREATE TABLE catalogue_requests (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            idempotency_key TEXT NOT NULL UNIQUE,
            member_id TEXT NOT NULL REFERENCES members(id),
            item TEXT NOT NULL,
            transaction_id TEXT NOT NULL REFERENCES business_transactions(id),
            status TEXT NOT NULL CHECK (status IN ('pending', 'fulfilled', 'cancelled')),
            outcome BLOB NOT NULL,
            requested_at TEXT NOT NULL,
            cancelled_by TEXT REFERENCES business_transactions(id)
        );

        -- Every spin, with its audit record and the record's SHA-256.
        CREATE TABLE wheel_spins (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            idempotency_key TEXT NOT NULL UNIQUE,
            member_id TEXT NOT NULL REFERENCES members(id),
            transaction_id TEXT NOT NULL REFERENCES business_transactions(id),
            at TEXT NOT NULL,
            day_start TEXT NOT NULL,
            week_start TEXT NOT NULL,
            segment TEXT NOT NULL,
            prize_rial INTEGER NOT NULL DEFAULT 0,
            audit BLOB NOT NULL,
            audit_sha256 TEXT NOT NULL
        );
        CREATE INDEX wheel_spins_member ON wheel_spins(member_id, at);

        -- Per segment: how many times it was won and what it gave in Rial (kept with each spin,
        -- so that the stock and budget checks do not scan every spin).
        CREATE TABLE wheel_segment_totals (
            segment TEXT PRIMARY KEY NOT NULL,
            won INTEGER NOT NULL,
            spent INTEGER NOT NULL
        ) WITHOUT ROWID;

        CREATE TABLE raffle_entries (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            raffle_id TEXT NOT NULL,
            member_id TEXT NOT NULL REFERENCES members(id),
            entries INTEGER NOT NULL CHECK (entries <> 0),
            transaction_id TEXT NOT NULL REFERENCES business_transactions(id),
            at TEXT NOT NULL
        );
        CREATE INDEX raffle_entries_raffle ON raffle_entries(raffle_id, member_id);

        CREATE TABLE staff_commissions (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            operator_id TEXT NOT NULL REFERENCES operators(id),
            member_id TEXT NOT NULL REFERENCES members(id),
            amount INTEGER NOT NULL,
            transaction_id TEXT NOT NULL REFERENCES business_transactions(id),
            at TEXT NOT NULL
        );

        CREATE TRIGGER loyalty_visits_append_only BEFORE UPDATE ON loyalty_visits BEGIN
            SELECT RAISE(ABORT, 'loyalty_visits is append-only');
        END;
        CREATE TRIGGER loyalty_tier_activity_append_only BEFORE UPDATE ON loyalty_tier_activity BEGIN
            SELECT RAISE(ABORT, 'loyalty_tier_activity is append-only');
        END;
        CREATE TRIGGER wheel_spins_append_only BEFORE UPDATE ON wheel_spins BEGIN
            SELECT RAISE(ABORT, 'wheel_spins is append-only');
        END;
        CREATE TRIGGER wheel_spins_no_delete BEFORE DELETE ON wheel_spins BEGIN
            SELECT RAISE(ABORT, 'wheel_spins is append-only');
        END;
        CREATE TRIGGER raffle_entries_append_only BEFORE UPDATE ON raffle_entries BEGIN
            SELECT RAISE(ABORT, 'raffle_entries is append-only');
        END;
        """
}
