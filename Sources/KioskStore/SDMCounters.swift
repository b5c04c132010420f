import GRDB

/// The last NTAG 424 DNA SDM read counter accepted per card UID. A SUN message is accepted only
/// with a counter strictly greater than the stored one, so a copied SUN URL is refused. The
/// reader service reaches this through its `SDMCounterStore` protocol (the conformance is
/// declared where both modules are imported).
enum SDMCounterSchema {
    static let sql = """
        CREATE TABLE sdm_counters (
            uid TEXT PRIMARY KEY NOT NULL,
            counter INTEGER NOT NULL CHECK (counter >= 0),
            updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
        ) WITHOUT ROWID;
        """
}

/// Which identification (the tap's id) consumed the stored counter, written in the same
/// transaction as the counter: a counter burnt by a copied URL can be traced to its tap.
enum SDMCounterIdentificationSchema {
    static let migration = "0007-sdm-counter-identification"
    static let sql = "ALTER TABLE sdm_counters ADD COLUMN identification TEXT;"
}

extension KioskStore {
    /// Stores `counter` for `uid` (upper-case hex) if it is strictly greater than the stored
    /// one, with the id of the identification that used it, in one transaction. Returns nil when
    /// accepted, else the stored counter it did not exceed.
    public func advanceSDMCounter(uid: String, to counter: UInt32, identification: String) throws(StoreError) -> UInt32? {
        try write("advancing the SDM counter") { db -> UInt32? in
            if let last = try Int64.fetchOne(db, sql: "SELECT counter FROM sdm_counters WHERE uid = ?", arguments: [uid]),
               Int64(counter) <= last {
                return UInt32(clamping: last)
            }
            try db.execute(
                sql: """
                    INSERT INTO sdm_counters(uid, counter, identification) VALUES (?, ?, ?)
                    ON CONFLICT(uid) DO UPDATE SET counter = excluded.counter,
                        identification = excluded.identification,
                        updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
                    """,
                arguments: [uid, Int64(counter), identification])
            return nil
        }
    }

    /// The last accepted SDM counter for `uid`, if any.
    public func sdmCounter(uid: String) throws(StoreError) -> UInt32? {
        try read("reading the SDM counter") { db in
            try Int64.fetchOne(db, sql: "SELECT counter FROM sdm_counters WHERE uid = ?", arguments: [uid]).map { UInt32(clamping: $0) }
        }
    }
}

extension KioskStore {
    /// The last accepted SDM counter for `uid` and the identification that used it, if any.
    public func sdmCounterUse(uid: String) throws(StoreError) -> (counter: UInt32, identification: String?)? {
        try read("reading the SDM counter") { db in
            try Row.fetchOne(db, sql: "SELECT counter, identification FROM sdm_counters WHERE uid = ?", arguments: [uid]).map {
                (UInt32(clamping: $0["counter"] as Int64), $0["identification"] as String?)
            }
        }
    }
}
