/// The reference server's schema, the same tables on SQLite and PostgreSQL (docs/central.md).
enum CentralSchema {
    static let sqliteMigration = "0001-central"
    /// A device's client certificate, bound by its DER's SHA-256 (`add-device --client-certificate`).
    static let sqliteCertificatesMigration = "0002-device-certificates"
    static let sqliteCertificates = "CREATE TABLE device_certificates (kiosk_id TEXT PRIMARY KEY NOT NULL, sha256 TEXT NOT NULL)"

    static let sqlite = """
        CREATE TABLE devices (
            token_hash TEXT PRIMARY KEY NOT NULL,
            kiosk_id TEXT NOT NULL UNIQUE,
            branch_id TEXT NOT NULL
        );
        CREATE TABLE events (
            arrival INTEGER PRIMARY KEY AUTOINCREMENT,
            kiosk_id TEXT NOT NULL,
            event_id TEXT NOT NULL,
            seq INTEGER NOT NULL,
            type TEXT NOT NULL,
            occurred_at TEXT NOT NULL,
            program_version TEXT,
            member_id TEXT,
            body BLOB NOT NULL,
            fingerprint TEXT NOT NULL,
            received_at TEXT NOT NULL,
            UNIQUE (kiosk_id, event_id)
        );
        CREATE TABLE claims (
            kind TEXT NOT NULL,
            key TEXT NOT NULL,
            kiosk_id TEXT NOT NULL,
            event_id TEXT NOT NULL,
            claimed_at TEXT NOT NULL,
            PRIMARY KEY (kind, key)
        );
        CREATE TABLE sun_marks (
            card_uid TEXT PRIMARY KEY NOT NULL,
            counter INTEGER NOT NULL,
            kiosk_id TEXT NOT NULL,
            updated_at TEXT NOT NULL
        );
        CREATE TABLE corrections (
            cursor INTEGER PRIMARY KEY AUTOINCREMENT,
            id TEXT NOT NULL UNIQUE,
            kiosk_id TEXT NOT NULL,
            member_id TEXT NOT NULL,
            account TEXT NOT NULL,
            amount INTEGER NOT NULL CHECK (amount <> 0),
            reason TEXT NOT NULL,
            related_event_id TEXT,
            created_at TEXT NOT NULL
        );
        CREATE INDEX corrections_kiosk ON corrections (kiosk_id, cursor);
        CREATE TABLE members (
            id TEXT PRIMARY KEY NOT NULL,
            document BLOB NOT NULL,
            cursor INTEGER NOT NULL
        );
        CREATE INDEX members_cursor ON members (cursor);
        CREATE TABLE member_keys (
            kind TEXT NOT NULL,
            key TEXT NOT NULL,
            member_id TEXT NOT NULL,
            PRIMARY KEY (kind, key)
        );
        """

    static let postgres: [String] = [
        "CREATE TABLE IF NOT EXISTS devices (token_hash TEXT PRIMARY KEY, kiosk_id TEXT NOT NULL UNIQUE, branch_id TEXT NOT NULL)",
        "CREATE TABLE IF NOT EXISTS device_certificates (kiosk_id TEXT PRIMARY KEY, sha256 TEXT NOT NULL)",
        """
        CREATE TABLE IF NOT EXISTS events (
            arrival BIGSERIAL PRIMARY KEY, kiosk_id TEXT NOT NULL, event_id TEXT NOT NULL, seq BIGINT NOT NULL,
            type TEXT NOT NULL, occurred_at TIMESTAMPTZ NOT NULL, program_version TEXT, member_id TEXT,
            body BYTEA NOT NULL, fingerprint TEXT NOT NULL, received_at TIMESTAMPTZ NOT NULL, UNIQUE (kiosk_id, event_id))
        """,
        """
        CREATE TABLE IF NOT EXISTS claims (
            kind TEXT NOT NULL, key TEXT NOT NULL, kiosk_id TEXT NOT NULL, event_id TEXT NOT NULL,
            claimed_at TIMESTAMPTZ NOT NULL, PRIMARY KEY (kind, key))
        """,
        "CREATE TABLE IF NOT EXISTS sun_marks (card_uid TEXT PRIMARY KEY, counter BIGINT NOT NULL, kiosk_id TEXT NOT NULL, updated_at TIMESTAMPTZ NOT NULL)",
        """
        CREATE TABLE IF NOT EXISTS corrections (
            cursor BIGSERIAL PRIMARY KEY, id TEXT NOT NULL UNIQUE, kiosk_id TEXT NOT NULL, member_id TEXT NOT NULL,
            account TEXT NOT NULL, amount BIGINT NOT NULL CHECK (amount <> 0), reason TEXT NOT NULL,
            related_event_id TEXT, created_at TIMESTAMPTZ NOT NULL)
        """,
        "CREATE INDEX IF NOT EXISTS corrections_kiosk ON corrections (kiosk_id, cursor)",
        "CREATE TABLE IF NOT EXISTS members (id TEXT PRIMARY KEY, document BYTEA NOT NULL, cursor BIGINT NOT NULL)",
        "CREATE INDEX IF NOT EXISTS members_cursor ON members (cursor)",
        "CREATE SEQUENCE IF NOT EXISTS member_cursor",
        "CREATE TABLE IF NOT EXISTS member_keys (kind TEXT NOT NULL, key TEXT NOT NULL, member_id TEXT NOT NULL, PRIMARY KEY (kind, key))",
    ]
}
