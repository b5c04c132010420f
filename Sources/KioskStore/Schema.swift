import GRDB

/// The store's schema as named, append-only migrations: a released migration is never edited;
/// a change is a new migration appended at the end.
enum Schema {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("0001-foundation") { db in
            try db.execute(sql: foundation)
        }
        migrator.registerMigration("0002-loyalty") { db in try db.execute(sql: loyalty) }
        migrator.registerMigration("0003-sdm-counters") { db in try db.execute(sql: SDMCounterSchema.sql) }
        migrator.registerMigration(OutboxPayloadSchema.migration) { db in try db.execute(sql: OutboxPayloadSchema.sql) }
        migrator.registerMigration(AmountBoundsSchema.migration) { db in try db.execute(sql: AmountBoundsSchema.sql) }
        migrator.registerMigration(OccasionGrantSchema.migration) { db in try db.execute(sql: OccasionGrantSchema.sql) }
        migrator.registerMigration(SDMCounterIdentificationSchema.migration) { db in
            try db.execute(sql: SDMCounterIdentificationSchema.sql)
        }
        migrator.registerMigration(RecordedRefusalSchema.migration) { db in try db.execute(sql: RecordedRefusalSchema.sql) }
        migrator.registerMigration(StaffCardSchema.migration) { db in try db.execute(sql: StaffCardSchema.sql) }
        migrator.registerMigration(OutboxRetentionSchema.migration) { db in try db.execute(sql: OutboxRetentionSchema.sql) }
        migrator.registerMigration(MemberSummarySchema.migration) { db in try db.execute(sql: MemberSummarySchema.sql) }
        migrator.registerMigration(PersonalDataSchema.migration) { db in try PersonalDataSchema.migrate(db) }
        migrator.registerMigration(CounterLookupSchema.migration) { db in try db.execute(sql: CounterLookupSchema.sql) }
        return migrator
    }

    /// The foundation schema. Personal member data lives in `member_personal`, apart from what
    /// the engine and the technicians' views read. `ledger`, `business_transactions` and
    /// `audit_log` are append-only (enforced by triggers); `outbox` rows change only their
    /// delivery state. `balances` is a cache of the ledger kept by a trigger; `kiosk db check`
    /// recomputes it from the ledger and compares. References to a member from the rows of an
    /// operation are checked at commit, so that an enrollment can write its transaction and
    /// welcome postings before the member row it creates.
    ///
    /// Indexes are few on purpose: every index is one more page written by each durable commit.
    /// Transaction ids are time-ordered, so their inserts append at the right edge of the tree.
    /// An operation's outbox event carries its idempotency key as `event_id`.
    static let foundation = """
        CREATE TABLE branches (
            id TEXT PRIMARY KEY NOT NULL,
            name TEXT NOT NULL,
            created_at TEXT NOT NULL
        ) WITHOUT ROWID;

        CREATE TABLE operators (
            id TEXT PRIMARY KEY NOT NULL,
            display_name TEXT NOT NULL,
            role TEXT NOT NULL CHECK (role IN ('cashier', 'enroller', 'manager', 'technician')),
            pin_hash TEXT,
            branch_id TEXT REFERENCES branches(id),
            active INTEGER NOT NULL DEFAULT 1,
            created_at TEXT NOT NULL
        ) WITHOUT ROWID;

        CREATE TABLE members (
            id TEXT PRIMARY KEY NOT NULL,
            status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'blocked')),
            tier TEXT,
            enrolled_at TEXT NOT NULL,
            enrolled_branch TEXT REFERENCES branches(id),
            enrolled_by TEXT REFERENCES operators(id),
            source TEXT,
            referral_code TEXT UNIQUE,
            referred_by TEXT REFERENCES members(id),
            customer_groups TEXT NOT NULL DEFAULT '[]'
        ) WITHOUT ROWID;
        CREATE INDEX members_referred_by ON members(referred_by) WHERE referred_by IS NOT NULL;

        CREATE TABLE member_personal (
            member_id TEXT PRIMARY KEY NOT NULL REFERENCES members(id),
            name TEXT,
            phone TEXT,
            birthday TEXT,
            anniversary TEXT,
            gender TEXT,
            interests TEXT NOT NULL DEFAULT '[]'
        ) WITHOUT ROWID;
        CREATE INDEX member_personal_phone ON member_personal(phone);

        CREATE TABLE cards (
            id TEXT PRIMARY KEY NOT NULL,
            member_id TEXT NOT NULL REFERENCES members(id),
            kind TEXT NOT NULL,
            card_group TEXT,
            bound_at TEXT NOT NULL,
            blocked_at TEXT,
            blocked_reason TEXT
        ) WITHOUT ROWID;
        CREATE INDEX cards_member ON cards(member_id);

        CREATE TABLE business_transactions (
            id TEXT PRIMARY KEY NOT NULL,
            idempotency_key TEXT NOT NULL UNIQUE,
            request BLOB NOT NULL,
            kind TEXT NOT NULL,
            member_id TEXT REFERENCES members(id) DEFERRABLE INITIALLY DEFERRED,
            branch_id TEXT NOT NULL REFERENCES branches(id),
            operator_id TEXT REFERENCES operators(id),
            program_version TEXT,
            occurred_at TEXT NOT NULL,
            recorded_at TEXT NOT NULL,
            result BLOB NOT NULL
        ) WITHOUT ROWID;
        CREATE INDEX business_transactions_member ON business_transactions(member_id, occurred_at);

        CREATE TABLE ledger (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            idempotency_key TEXT NOT NULL UNIQUE,
            transaction_id TEXT NOT NULL REFERENCES business_transactions(id),
            member_id TEXT NOT NULL REFERENCES members(id) DEFERRABLE INITIALLY DEFERRED,
            account TEXT NOT NULL CHECK (account IN ('points', 'credit', 'gift_credit', 'coins')),
            amount INTEGER NOT NULL CHECK (amount <> 0),
            lot_id TEXT,
            expires_at TEXT,
            restrictions TEXT,
            program_version TEXT,
            occurred_at TEXT NOT NULL
        );
        CREATE INDEX ledger_member ON ledger(member_id, account);
        CREATE INDEX ledger_transaction ON ledger(transaction_id);

        CREATE TABLE balances (
            member_id TEXT NOT NULL REFERENCES members(id) DEFERRABLE INITIALLY DEFERRED,
            account TEXT NOT NULL,
            amount INTEGER NOT NULL,
            PRIMARY KEY (member_id, account)
        ) WITHOUT ROWID;

        CREATE TABLE audit_log (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            at TEXT NOT NULL,
            operator_id TEXT REFERENCES operators(id),
            role TEXT,
            action TEXT NOT NULL,
            subject TEXT,
            transaction_id TEXT REFERENCES business_transactions(id),
            details TEXT NOT NULL DEFAULT '{}'
        );

        CREATE TABLE outbox (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            event_id TEXT NOT NULL UNIQUE,
            type TEXT NOT NULL,
            payload BLOB NOT NULL,
            created_at TEXT NOT NULL,
            transaction_id TEXT REFERENCES business_transactions(id),
            state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'delivered', 'rejected')),
            attempts INTEGER NOT NULL DEFAULT 0,
            last_error TEXT,
            delivered_at TEXT
        );
        CREATE INDEX outbox_pending ON outbox(seq) WHERE state = 'pending';

        CREATE TRIGGER ledger_keeps_balances AFTER INSERT ON ledger BEGIN
            INSERT INTO balances(member_id, account, amount) VALUES (NEW.member_id, NEW.account, NEW.amount)
            ON CONFLICT(member_id, account) DO UPDATE SET amount = amount + NEW.amount;
        END;
        CREATE TRIGGER ledger_no_update BEFORE UPDATE ON ledger BEGIN
            SELECT RAISE(ABORT, 'the ledger is append-only');
        END;
        CREATE TRIGGER ledger_no_delete BEFORE DELETE ON ledger BEGIN
            SELECT RAISE(ABORT, 'the ledger is append-only');
        END;
        CREATE TRIGGER business_transactions_no_update BEFORE UPDATE ON business_transactions BEGIN
            SELECT RAISE(ABORT, 'business transactions are append-only');
        END;
        CREATE TRIGGER business_transactions_no_delete BEFORE DELETE ON business_transactions BEGIN
            SELECT RAISE(ABORT, 'business transactions are append-only');
        END;
        CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log BEGIN
            SELECT RAISE(ABORT, 'the audit log is append-only');
        END;
        CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log BEGIN
            SELECT RAISE(ABORT, 'the audit log is append-only');
        END;
        CREATE TRIGGER outbox_event_is_immutable
        BEFORE UPDATE OF seq, event_id, type, payload, created_at, transaction_id ON outbox BEGIN
            SELECT RAISE(ABORT, 'an outbox event cannot be changed, only its delivery state');
        END;
        """
}
