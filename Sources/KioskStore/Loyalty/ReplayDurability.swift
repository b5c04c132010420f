import GRDB

extension KioskStore {
    /// For throw-away databases only (a what-if replay into a temporary file, a benchmark):
    /// stops waiting for each commit to reach the disk (`PRAGMA synchronous = OFF` on the writer
    /// connection). Transactions stay atomic; a power cut may lose the last commits or damage
    /// the file. Never used on the kiosk's own database.
    public func relaxDurabilityForThrowawayDatabase() throws(StoreError) {
        do {
            try writer.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA synchronous = OFF") }
        } catch {
            throw StoreError.from(error, while: "relaxing durability")
        }
    }
}
