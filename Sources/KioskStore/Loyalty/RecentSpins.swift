import Foundation
import GRDB
import KioskCore

/// A spin as committed, for showing its result again after a restart.
public struct CommittedSpin: Sendable, Hashable {
    public var key: String
    public var memberID: MemberID
    public var at: Date
    public var segment: String
    /// The audit record (JSON), as `kiosk engine verify-spin` takes it.
    public var audit: Data
}

extension KioskStore {
    /// The last spin whose tap was at or after `since`, if any.
    public func lastSpin(since: Date) throws(StoreError) -> CommittedSpin? {
        try read("reading the last spin") { db in
            try Row.fetchOne(
                db, sql: "SELECT idempotency_key, member_id, at, segment, audit FROM wheel_spins WHERE at >= ? ORDER BY seq DESC LIMIT 1",
                arguments: [since]
            ).map { CommittedSpin(key: $0[0], memberID: MemberID(rawValue: $0[1]), at: $0[2], segment: $0[3], audit: $0[4]) }
        }
    }
}

extension KioskStore {
    /// The SHA-256 (hex) of a spin's audit record, as committed with it.
    public func spinAuditSHA256(key: String) throws(StoreError) -> String? {
        try read("reading a spin's audit hash") { db in
            try String.fetchOne(db, sql: "SELECT audit_sha256 FROM wheel_spins WHERE idempotency_key = ?", arguments: [key])
        }
    }
}
