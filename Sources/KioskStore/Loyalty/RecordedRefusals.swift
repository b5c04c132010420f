import Foundation
import GRDB

/// A refusal as recorded under its idempotency key.
public struct RecordedRefusal: Sendable, Hashable {
    public var request: Data
    public var code: String
    public var message: String
}

extension KioskStore {
    /// Records that the request under `key` was refused (once: a key keeps its first refusal).
    public func recordRefusal(key: String, request: Data, code: String, message: String, at: Date) throws(StoreError) {
        try write("recording the refusal of \(key)") { db in
            try db.cachedStatement(sql: "INSERT OR IGNORE INTO loyalty_refusals (idempotency_key, request, code, message, at) VALUES (?, ?, ?, ?, ?)")
                .execute(arguments: [key, request, code, message, at])
        }
    }

    /// The refusal recorded under `key`, if any.
    public func recordedRefusal(key: String) throws(StoreError) -> RecordedRefusal? {
        try read("reading the refusal of \(key)") { db in
            try Row.fetchOne(try db.cachedStatement(sql: "SELECT request, code, message FROM loyalty_refusals WHERE idempotency_key = ?"),
                             arguments: [key]).map { RecordedRefusal(request: $0[0], code: $0[1], message: $0[2]) }
        }
    }
}
