import Foundation
import GRDB

extension KioskStore {
    /// Copies the live database to `destination` through SQLite's online backup (safe while the
    /// kiosk runs), then checks the copy's integrity. Refuses to overwrite an existing file.
    public func backup(to destination: String) throws(StoreError) {
        guard !FileManager.default.fileExists(atPath: destination) else {
            throw StoreError(.cannotOpen, "\(destination) already exists; choose a new file for the backup")
        }
        do {
            let target = try DatabaseQueue(path: destination)
            try writer.backup(to: target)
            let integrity = try target.read { db in try String.fetchAll(db, sql: "PRAGMA integrity_check") }
            try target.close()
            guard integrity == ["ok"] else {
                try? FileManager.default.removeItem(atPath: destination)
                throw StoreError(.corrupt, "the backup failed its integrity check: \(integrity.joined(separator: "; "))")
            }
        } catch {
            try? FileManager.default.removeItem(atPath: destination)
            throw StoreError.from(error, while: "backing up to \(destination)")
        }
    }

    /// Replaces the live database's content with the backup at `source`, through SQLite's
    /// backup API (so that open readers see either the old or the new database). Refuses a backup
    /// that fails its integrity check, that is not a kiosk database, or that was written by a
    /// newer version; the live database is untouched then.
    public func restore(from source: String) throws(StoreError) {
        do {
            guard FileManager.default.fileExists(atPath: source) else {
                throw StoreError(.cannotOpen, "no backup at \(source)")
            }
            var config = Configuration()
            config.readonly = true
            let backup = try DatabaseQueue(path: source, configuration: config)
            defer { try? backup.close() }
            try backup.read { db in
                let integrity = try String.fetchAll(db, sql: "PRAGMA integrity_check")
                guard integrity == ["ok"] else {
                    throw StoreError(.corrupt, "the backup \(source) fails its integrity check (\(integrity.prefix(3).joined(separator: "; "))); nothing was restored")
                }
                guard try db.tableExists("grdb_migrations"), try db.tableExists("ledger") else {
                    throw StoreError(.corrupt, "\(source) is not a kiosk database; nothing was restored")
                }
                let unknown = try Schema.migrator.appliedIdentifiers(db).subtracting(Schema.migrator.migrations)
                guard unknown.isEmpty else {
                    throw StoreError(.newerSchema, "the backup was written by a newer kiosk (\(unknown.sorted().joined(separator: ", "))); nothing was restored")
                }
            }
            try backup.backup(to: writer)
            try Schema.migrator.migrate(writer)
        } catch {
            throw StoreError.from(error, while: "restoring from \(source)")
        }
    }
}
