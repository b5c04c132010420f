import Foundation
import GRDB
import KioskCore

/// The kiosk's durable local store: one SQLite file in WAL mode, `synchronous=FULL`, foreign keys
/// on, the schema kept by named append-only migrations.
///
/// Every business operation is one SQLite transaction: its ledger rows, its transaction row, its
/// audit row and its outbox event commit together or not at all (see `commit(_:also:)`).
public final class KioskStore: Sendable {
    public enum Mode: Sendable {
        /// Open for reading and writing, creating the file and applying migrations if needed.
        case readWrite
        /// Open an existing database for reading only; writes fail with `.readOnly`.
        case readOnly
    }

    public struct Options: Sendable {
        /// Refuse to grow the file beyond this many bytes: writes past it fail with `.diskFull`,
        /// the same clean failure as a full disk. `nil` leaves the size to the disk.
        public var maxSizeBytes: Int64?
        /// How long a writer waits for another process's write lock before `.busy`.
        public var busyTimeout: TimeInterval
        /// Apply pending migrations on open (read-write mode only).
        public var migrate: Bool
        /// Who may read the database and its backups (`store.file_mode`).
        public var fileMode: StoreFileMode

        public init(maxSizeBytes: Int64? = nil, busyTimeout: TimeInterval = 5, migrate: Bool = true, fileMode: StoreFileMode = .ownerOnly) {
            self.maxSizeBytes = maxSizeBytes
            self.busyTimeout = busyTimeout
            self.migrate = migrate
            self.fileMode = fileMode
        }
    }

    public let path: String
    /// The mode of the files that hold personal data: the database, its WAL, its backups.
    public let fileMode: StoreFileMode
    let writer: any DatabaseWriter

    /// Opens (and, read-write, creates and migrates) the store at `path`.
    public init(path: String, mode: Mode = .readWrite, options: Options = Options()) throws(StoreError) {
        self.path = path
        fileMode = options.fileMode
        var config = Configuration()
        config.foreignKeysEnabled = true
        config.busyMode = .timeout(options.busyTimeout)
        config.label = "kiosk-store"
        let maxSize = options.maxSizeBytes
        config.prepareDatabase { db in
            // FULL here covers the read-only queue; a DatabasePool's writer is set to NORMAL by
            // GRDB's WAL set-up after this runs, and is made FULL again below.
            try db.execute(sql: "PRAGMA synchronous = FULL")
            if let maxSize {
                let pageSize = try Int64.fetchOne(db, sql: "PRAGMA page_size") ?? 4096
                try db.execute(sql: "PRAGMA max_page_count = \(max(1, maxSize / pageSize))")
            }
        }
        do {
            switch mode {
            case .readWrite:
                let directory = (path as NSString).deletingLastPathComponent
                if !directory.isEmpty {
                    try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
                }
                // A database holds personal data: created with the store's file mode (0600, or 0640
                // for the service group), and SQLite gives its -wal and -shm files the database
                // file's mode. An existing one of this user's is given the mode too.
                try PrivateFile.create(path, mode: options.fileMode)
                PrivateFile.apply(options.fileMode, toDatabaseAt: path)
                writer = try DatabasePool(path: path, configuration: config)
                try Self.makeDurable(writer, path: path)
                if options.migrate {
                    try Self.ensureNotNewer(writer)
                    try Schema.migrator.migrate(writer)
                }
            case .readOnly:
                // A directory on the way that this user may not enter hides the file: that is
                // "permission denied", not "no database".
                if let why = FileAccess.denial(for: path, writing: false) {
                    throw StoreError(.permissionDenied, "cannot open the database at \(path): \(why)")
                }
                guard FileAccess.exists(path) else {
                    throw StoreError(.cannotOpen, "no database at \(path)")
                }
                config.readonly = true
                writer = try Self.openReadOnly(path, configuration: config)
            }
        } catch {
            throw Self.explainOpenFailure(error, path: path, writing: mode == .readWrite)
        }
    }

    /// A `.permissionDenied` error naming the directory or file on the way to `path` that this
    /// process may not enter, read (or, `writing`, write), with its owner and mode; nil when
    /// permissions do not stand in the way. For callers that look for the file before opening it.
    public static func accessDenied(at path: String, writing: Bool) -> StoreError? {
        FileAccess.denial(for: path, writing: writing).map { StoreError(.permissionDenied, "cannot open the database at \(path): \($0)") }
    }

    /// Says why an open failed when the cause is not SQLite's to tell: permissions (whose file or
    /// directory, its mode, the user the kiosk runs as), or a rollback journal left by a write cut
    /// short, which a read-only open cannot roll back and SQLite reports as "read-only".
    static func explainOpenFailure(_ error: any Error, path: String, writing: Bool) -> StoreError {
        if let storeError = error as? StoreError { return storeError }
        if let dbError = error as? DatabaseError,
           [.SQLITE_CANTOPEN, .SQLITE_READONLY, .SQLITE_PERM, .SQLITE_AUTH].contains(dbError.resultCode) {
            if let why = FileAccess.denial(for: path, writing: writing) {
                return StoreError(.permissionDenied, "cannot open the database at \(path): \(why)")
            }
            let journal = path + "-journal"
            if dbError.resultCode == .SQLITE_READONLY, let size = FileAccess.size(journal), size > 0 {
                return StoreError(.unfinishedWrite, """
                    \(journal) was left beside the database by a write that was cut short (the kiosk killed or the power cut, \
                    for example while the database was being created), and a command that only reads cannot roll it back. \
                    To recover: run `kiosk db migrate` as a user who may write \(path) (it rolls the unfinished write back and \
                    keeps everything committed before it), then `kiosk db check`. Do not delete the journal: it is what undoes \
                    the half-written change.
                    """)
            }
        }
        return StoreError.from(error, while: "opening the store at \(path)")
    }

    /// Opens the database for reading. On a read-only file system SQLite cannot create the
    /// `-shm` file a WAL database needs, and fails with "unable to open database file": when no
    /// WAL is left beside the database (it was closed cleanly), nothing can change it, and it is
    /// opened as immutable (`?immutable=1`), which needs no `-shm`. A WAL left behind is read the
    /// normal way (SQLite reads it if its `-shm` exists too).
    private static func openReadOnly(_ path: String, configuration: Configuration) throws -> DatabaseQueue {
        do {
            return try DatabaseQueue(path: path, configuration: configuration)
        } catch let error as DatabaseError where error.resultCode == .SQLITE_CANTOPEN {
            let wal = (try? FileManager.default.attributesOfItem(atPath: path + "-wal"))?[.size] as? NSNumber
            guard (wal?.intValue ?? 0) == 0, access(path, R_OK) == 0 else { throw error }
            let absolute = path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
            let encoded = absolute.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? absolute
            return try DatabaseQueue(path: "file:" + encoded + "?immutable=1", configuration: configuration)
        }
    }

    /// GRDB's `DatabasePool` runs `PRAGMA synchronous = NORMAL` on its writer when it sets up WAL
    /// mode, after `prepareDatabase`: in WAL mode NORMAL syncs the WAL only at checkpoints, so a
    /// power cut loses the last commits. The writer is the one connection that moves value; it is
    /// set to FULL (the WAL is synced at every commit) and read back, and the store refuses to
    /// open if it did not take.
    private static func makeDurable(_ writer: any DatabaseWriter, path: String) throws {
        let level = try writer.writeWithoutTransaction { db in
            try db.execute(sql: "PRAGMA synchronous = FULL")
            return try Int.fetchOne(db, sql: "PRAGMA synchronous") ?? 0
        }
        guard level >= Self.synchronousFull else {
            throw StoreError(.notDurable, "the database at \(path) would not sync its commits to disk (PRAGMA synchronous reads \(level), FULL is \(Self.synchronousFull)); refusing to run")
        }
    }

    /// SQLite's `PRAGMA synchronous` level FULL (EXTRA is 3, also durable).
    static let synchronousFull = 2

    /// The effective `PRAGMA synchronous` level of the connection that commits operations (2 is
    /// FULL: every commit syncs the WAL before it returns).
    public func writerSynchronousLevel() throws(StoreError) -> Int {
        do {
            return try writer.writeWithoutTransaction { db in try Int.fetchOne(db, sql: "PRAGMA synchronous") ?? 0 }
        } catch {
            throw StoreError.from(error, while: "reading the writer's synchronous level")
        }
    }

    private static func ensureNotNewer(_ writer: any DatabaseWriter) throws {
        let known = Set(Schema.migrator.migrations)
        let applied = try writer.read { db in try Schema.migrator.appliedIdentifiers(db) }
        let unknown = applied.subtracting(known)
        if !unknown.isEmpty {
            throw StoreError(.newerSchema,
                             "the database has migrations this kiosk does not know (\(unknown.sorted().joined(separator: ", "))): it was written by a newer version")
        }
    }

    /// Copies every committed page from the WAL into the database file (`wal_checkpoint(TRUNCATE)`).
    public func writerCheckpoint() throws(StoreError) {
        do {
            try writer.writeWithoutTransaction { db in _ = try db.execute(sql: "PRAGMA wal_checkpoint(TRUNCATE)") }
        } catch {
            throw StoreError.from(error, while: "checkpointing the WAL")
        }
    }

    /// Closes the store's connections (the object is unusable afterwards).
    func close() throws {
        if let pool = writer as? DatabasePool { try pool.close() } else if let queue = writer as? DatabaseQueue { try queue.close() }
    }

    /// The migrations this build knows, in order.
    public static var knownMigrations: [String] { Schema.migrator.migrations }

    /// Runs `body` in a read transaction, translating errors.
    func read<T>(_ doing: @autoclosure () -> String, _ body: (Database) throws -> T) throws(StoreError) -> T {
        do { return try writer.read(body) } catch { throw StoreError.from(error, while: doing()) }
    }

    /// Runs `body` in one write transaction, translating errors. Nothing is written if it throws.
    func write<T>(_ doing: @autoclosure () -> String, _ body: (Database) throws -> T) throws(StoreError) -> T {
        do { return try writer.write(body) } catch { throw StoreError.from(error, while: doing()) }
    }
}

extension KioskStore {
    /// Applies pending migrations and returns the names of those applied now.
    @discardableResult
    public func migrate() throws(StoreError) -> [String] {
        do {
            try Self.ensureNotNewer(writer)
            let before = try writer.read { db in try Schema.migrator.appliedIdentifiers(db) }
            try Schema.migrator.migrate(writer)
            return Schema.migrator.migrations.filter { !before.contains($0) }
        } catch {
            throw StoreError.from(error, while: "migrating the store")
        }
    }

    /// The migrations applied to this database, in order.
    public func appliedMigrations() throws(StoreError) -> [String] {
        try read("reading the applied migrations") { db in try Schema.migrator.appliedMigrations(db) }
    }
}

extension KioskStore {
    /// The version of the SQLite library the store runs on.
    public static var sqliteVersion: String {
        (try? DatabaseQueue().read { db in try String.fetchOne(db, sql: "SELECT sqlite_version()") }) ?? "unknown"
    }
}
