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

        public init(maxSizeBytes: Int64? = nil, busyTimeout: TimeInterval = 5, migrate: Bool = true) {
            self.maxSizeBytes = maxSizeBytes
            self.busyTimeout = busyTimeout
            self.migrate = migrate
        }
    }

    public let path: String
    let writer: any DatabaseWriter

    /// Opens (and, read-write, creates and migrates) the store at `path`.
    public init(path: String, mode: Mode = .readWrite, options: Options = Options()) throws(StoreError) {
        self.path = path
        var config = Configuration()
        config.foreignKeysEnabled = true
        config.busyMode = .timeout(options.busyTimeout)
        config.label = "kiosk-store"
        let maxSize = options.maxSizeBytes
        config.prepareDatabase { db in
            // Durable on every path: each commit is fsynced before it is reported.
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
                writer = try DatabasePool(path: path, configuration: config)
                if options.migrate {
                    try Self.ensureNotNewer(writer)
                    try Schema.migrator.migrate(writer)
                }
            case .readOnly:
                guard FileManager.default.fileExists(atPath: path) else {
                    throw StoreError(.cannotOpen, "no database at \(path)")
                }
                config.readonly = true
                writer = try DatabaseQueue(path: path, configuration: config)
            }
        } catch {
            throw StoreError.from(error, while: "opening the store at \(path)")
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
