/// Refusals recorded under the idempotency key of the request refused (`kiosk engine replay`):
/// a retried refused event gives the same refusal instead of being decided again against a
/// store that has moved on, so a replay resumed after a kill ends where an uninterrupted one does.
enum RecordedRefusalSchema {
    static let migration = "0008-recorded-refusals"

    static let sql = """
        CREATE TABLE loyalty_refusals (
            idempotency_key TEXT PRIMARY KEY NOT NULL,
            request BLOB NOT NULL,
            code TEXT NOT NULL,
            message TEXT NOT NULL,
            at TEXT NOT NULL
        ) WITHOUT ROWID;
        """
}
