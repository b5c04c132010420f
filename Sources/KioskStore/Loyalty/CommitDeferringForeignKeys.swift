import GRDB
import KioskCore

extension KioskStore {
    /// `commit(_:also:)` for an operation whose `also` creates a row that the operation's own
    /// rows refer to (an enrollment: the transaction and the welcome points name the member that
    /// `also` inserts). Foreign keys are checked at the end of the transaction instead of at
    /// each insert (`PRAGMA defer_foreign_keys`, which SQLite switches off at every commit), so
    /// the transaction still fails as a whole if anything is left dangling.
    ///
    /// The pragma is set on the writer connection just before the commit; if another write
    /// slips in between and consumes it, the commit fails on the foreign key and is tried again.
    @discardableResult
    public func commitDeferringForeignKeys(_ operation: BusinessOperation,
                                           also: ((Database) throws -> Void)? = nil) throws(StoreError) -> CommitReceipt {
        var attempt = 0
        while true {
            do {
                try writer.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA defer_foreign_keys = ON") }
            } catch {
                throw StoreError.from(error, while: "preparing \(operation.kind) \(operation.idempotencyKey)")
            }
            do {
                return try commit(operation, also: also)
            } catch where error.code == .constraint && attempt < 3 {
                attempt += 1
            }
        }
    }
}
