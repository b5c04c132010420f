import Foundation
import GRDB

/// What a restore did.
public struct RestoreReport: Sendable, Equatable {
    /// The database that now holds the backup's content.
    public var database: String
    /// Where the database that was replaced was kept (nil when there was none, or when it was
    /// replaced in place through the backup API).
    public var previous: String?
    /// Whether the replaced database failed to open or to pass its quick check.
    public var previousWasDamaged: Bool
    /// The backup's SHA-256 digest, checked against its digest file.
    public var digest: String
}

extension KioskStore {
    /// Checks a backup before it replaces anything: its bytes against its digest file
    /// (`BACKUP.sha256`, written by `backup(to:)`; without one only with `requireDigest: false`),
    /// then a copy of it at `staging` (never the backup itself, which stays byte for byte as it
    /// was and gets no `-wal` / `-shm` beside it): a kiosk database, not from a newer kiosk,
    /// migrated, and the full `check()` (integrity, foreign keys, every balance against the
    /// ledger, the outbox). Returns the digest; the checked, migrated copy is left at `staging`.
    static func verifyBackup(_ source: String, staging: String, requireDigest: Bool, fileMode: StoreFileMode = .ownerOnly) throws(StoreError) -> String {
        guard FileManager.default.fileExists(atPath: source) else {
            throw StoreError(.cannotOpen, "no backup at \(source)")
        }
        let bytes: Data
        do { bytes = try Data(contentsOf: URL(fileURLWithPath: source)) } catch {
            throw StoreError(.cannotOpen, "cannot read the backup \(source) (\(error.localizedDescription)); nothing was restored")
        }
        let digest = BackupDigest.of(bytes)
        if let recorded = try BackupDigest.recorded(for: source) {
            guard recorded == digest else {
                throw StoreError(.corrupt, "the backup \(source) was altered since it was written: its content does not match \(BackupDigest.path(for: source)); nothing was restored")
            }
        } else if requireDigest {
            throw StoreError(.corrupt, "the backup \(source) has no digest file (\(BackupDigest.path(for: source)), written by `kiosk db backup`); nothing was restored (--without-digest accepts it after the full check)")
        }
        removeDatabaseFiles(staging)
        do {
            try PrivateFile.create(staging, mode: fileMode)
            try bytes.write(to: URL(fileURLWithPath: staging))
        } catch {
            throw StoreError(.readOnly, "cannot write \(staging) to check the backup (\(error.localizedDescription)); nothing was restored")
        }
        do {
            try checkKioskDatabase(staging, source: source)
            let store = try KioskStore(path: staging, options: .init(fileMode: fileMode))
            let report = try store.check()
            guard report.isHealthy else {
                try? store.close()
                throw StoreError(.corrupt, "the backup \(source) fails the full check (\(report.problemSummary)); nothing was restored")
            }
            try store.writer.writeWithoutTransaction { db in _ = try db.execute(sql: "PRAGMA wal_checkpoint(TRUNCATE)") }
            try store.close()
        } catch {
            removeDatabaseFiles(staging)
            if let storeError = error as? StoreError, storeError.message.contains("nothing was restored") { throw storeError }
            let translated = StoreError.from(error, while: "checking the backup \(source)")
            throw StoreError(translated.code, translated.message + "; nothing was restored")
        }
        return digest
    }

    /// A kiosk database not written by a newer kiosk (read-only, without migrating).
    private static func checkKioskDatabase(_ path: String, source: String) throws {
        var config = Configuration()
        config.readonly = true
        let queue = try DatabaseQueue(path: path, configuration: config)
        defer { try? queue.close() }
        try queue.read { db in
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
    }

    static func removeDatabaseFiles(_ path: String) {
        for suffix in ["", "-wal", "-shm", "-journal"] { try? FileManager.default.removeItem(atPath: path + suffix) }
    }

    /// Replaces this (open, working) store's content with the backup at `source`, through
    /// SQLite's backup API, so that open readers see either the old or the new database. The
    /// backup is verified first (`verifyBackup`); if it is refused, the live database is not
    /// touched.
    @discardableResult
    public func restore(from source: String, requireDigest: Bool = true) throws(StoreError) -> RestoreReport {
        let staging = path + ".restoring"
        let digest = try Self.verifyBackup(source, staging: staging, requireDigest: requireDigest, fileMode: fileMode)
        defer { Self.removeDatabaseFiles(staging) }
        do {
            var config = Configuration()
            config.readonly = true
            let checked = try DatabaseQueue(path: staging, configuration: config)
            defer { try? checked.close() }
            try checked.backup(to: writer)
        } catch {
            throw StoreError.from(error, while: "restoring from \(source)")
        }
        return RestoreReport(database: path, previous: nil, previousWasDamaged: false, digest: digest)
    }

    /// Restores `source` over the database file at `livePath`, which may be damaged or
    /// unreadable (the case restore exists for), with the kiosk stopped. The backup is verified
    /// first; then the database being replaced (with its `-wal`) is kept aside as
    /// `LIVE.before-restore-YYYYMMDD-HHMMSS` and the checked copy takes its place. Refuses while
    /// another process has the database open. Nothing is changed when it refuses.
    public static func restore(from source: String, over livePath: String, requireDigest: Bool = true,
                               fileMode: StoreFileMode = .ownerOnly, at now: Date = Date()) throws(StoreError) -> RestoreReport {
        if DatabaseLocks.isInUse(livePath) {
            throw StoreError(.inUse, "\(livePath) is open in another process; stop the kiosk first (systemctl stop kiosk); nothing was restored")
        }
        let staging = livePath + ".restoring"
        let digest = try verifyBackup(source, staging: staging, requireDigest: requireDigest, fileMode: fileMode)
        let manager = FileManager.default
        var previous: String?
        var damaged = false
        if manager.fileExists(atPath: livePath) {
            damaged = !isSound(livePath)
            let aside = livePath + ".before-restore-" + StoreTimestamp.compact(now)
            do {
                try manager.moveItem(atPath: livePath, toPath: aside)
                if manager.fileExists(atPath: livePath + "-wal") { try manager.moveItem(atPath: livePath + "-wal", toPath: aside + "-wal") }
                try? manager.removeItem(atPath: livePath + "-shm")
                try? manager.removeItem(atPath: livePath + "-journal")
            } catch {
                removeDatabaseFiles(staging)
                throw StoreError(.readOnly, "cannot move \(livePath) aside to \(aside) (\(error.localizedDescription))")
            }
            previous = aside
        }
        do {
            try manager.moveItem(atPath: staging, toPath: livePath)
            // Checkpointed and closed, the copy's WAL is empty; moved along all the same.
            if manager.fileExists(atPath: staging + "-wal") { try manager.moveItem(atPath: staging + "-wal", toPath: livePath + "-wal") }
            try? manager.removeItem(atPath: staging + "-shm")
        } catch {
            throw StoreError(.readOnly, "cannot move the checked backup \(staging) to \(livePath) (\(error.localizedDescription)); the previous database is at \(previous ?? "nowhere")")
        }
        DatabaseLocks.syncDirectory(of: livePath)
        return RestoreReport(database: livePath, previous: previous, previousWasDamaged: damaged, digest: digest)
    }

    /// Whether the file opens read-only and passes `quick_check`.
    private static func isSound(_ path: String) -> Bool {
        var config = Configuration()
        config.readonly = true
        guard let queue = try? DatabaseQueue(path: path, configuration: config) else { return false }
        defer { try? queue.close() }
        return (try? queue.read { db in try String.fetchAll(db, sql: "PRAGMA quick_check") }) == ["ok"]
    }
}
