import GRDB
import KioskCore

/// Why the store could not do what it was asked. A struct with an opaque code so that new
/// reasons can be added without breaking callers.
public struct StoreError: Error, Sendable, CustomStringConvertible, Equatable {
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        let name: String
        public var description: String { name }

        /// The database file or its directory cannot be written (read-only medium or mount).
        public static let readOnly = Code(name: "read-only")
        /// The disk, or the store's configured size cap, is full.
        public static let diskFull = Code(name: "disk-full")
        /// The operating system reported an I/O error.
        public static let io = Code(name: "io-error")
        /// The file is not a database, or the database is damaged.
        public static let corrupt = Code(name: "corrupt")
        /// The file could not be opened.
        public static let cannotOpen = Code(name: "cannot-open")
        /// Another process holds the write lock for longer than the busy timeout.
        public static let busy = Code(name: "busy")
        /// The idempotency key was already used for a different request.
        public static let idempotencyConflict = Code(name: "idempotency-conflict")
        /// A row the operation refers to does not exist (member, card, branch, operator…).
        public static let notFound = Code(name: "not-found")
        /// The operation breaks a rule the schema enforces (unique card, append-only ledger…).
        public static let constraint = Code(name: "constraint")
        /// The database was written by a newer version of the kiosk.
        public static let newerSchema = Code(name: "newer-schema")
        /// The operation itself is malformed (for example a ledger posting of zero).
        public static let invalidOperation = Code(name: "invalid-operation")
        /// The database connection would not sync commits to disk (`PRAGMA synchronous` below
        /// FULL after opening): the store refuses to run rather than lose commits at a power cut.
        public static let notDurable = Code(name: "not-durable")
        /// A file the operation would create exists already (a backup is never overwritten).
        public static let alreadyExists = Code(name: "already-exists")
        /// Another process has the database open (a restore that replaces the file needs the
        /// kiosk stopped).
        public static let inUse = Code(name: "in-use")
        /// The operating system's permissions stop this process (the message names the file or
        /// directory, its owner and mode, and the user the kiosk runs as).
        public static let permissionDenied = Code(name: "permission-denied")
        /// A rollback journal beside the database says a write was cut short (a kill or a power
        /// cut, for example while the database was being created); a read-only open cannot roll
        /// it back (the message says how to recover).
        public static let unfinishedWrite = Code(name: "unfinished-write")
        /// Anything else SQLite reported.
        public static let other = Code(name: "sqlite-error")
    }

    public let code: Code
    /// A sentence for people: what failed and, where it helps, what to do.
    public let message: String
    /// For a refusal the store enforced on behalf of a caller (a voucher used up, a spin cap
    /// reached), the caller's stable refusal code (`voucher.exhausted`), carried as a field so
    /// that no caller parses it out of the message.
    public let refusalCode: String?

    public init(_ code: Code, _ message: String, refusalCode: String? = nil) {
        self.code = code
        self.message = message
        self.refusalCode = refusalCode
    }

    public var description: String { "\(message) [\(code)]" }

    /// Translates an error thrown by GRDB into a store error, saying what was being done.
    static func from(_ error: any Error, while doing: String) -> StoreError {
        if let storeError = error as? StoreError { return storeError }
        guard let dbError = error as? DatabaseError else {
            return StoreError(.other, "\(doing): \(error)")
        }
        let detail = dbError.message ?? "\(dbError.resultCode)"
        switch dbError.resultCode {
        case .SQLITE_READONLY:
            return StoreError(.readOnly, "\(doing): the database is read-only (\(detail)); nothing was written")
        case .SQLITE_FULL:
            return StoreError(.diskFull, "\(doing): the disk or the store's size cap is full; nothing was written")
        case .SQLITE_IOERR:
            return StoreError(.io, "\(doing): I/O error (\(detail)); nothing was written")
        case .SQLITE_CORRUPT, .SQLITE_NOTADB:
            return StoreError(.corrupt, "\(doing): the database is damaged or not a kiosk database (\(detail))")
        case .SQLITE_CANTOPEN:
            return StoreError(.cannotOpen, "\(doing): cannot open the database (\(detail))")
        case .SQLITE_BUSY, .SQLITE_LOCKED:
            return StoreError(.busy, "\(doing): the database is busy (\(detail))")
        case .SQLITE_CONSTRAINT:
            if detail.contains(AmountBoundsSchema.balanceOutOfRange) {
                return StoreError(.invalidOperation, "\(doing): \(detail) (±\(AmountLimits.maxBalance)); nothing was written")
            }
            return StoreError(.constraint, "\(doing): \(detail)")
        default:
            return StoreError(.other, "\(doing): \(detail)")
        }
    }

    public static func == (lhs: StoreError, rhs: StoreError) -> Bool { lhs.code == rhs.code && lhs.message == rhs.message }
}
