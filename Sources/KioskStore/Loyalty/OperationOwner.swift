import Foundation
import GRDB
import KioskCore

/// Who committed the business operation under an idempotency key.
public struct OperationOwner: Sendable, Hashable {
    public var kind: String
    /// The member the operation was for; nil for an operation without one.
    public var member: MemberID?
    /// The branch the operation belongs to.
    public var branch: BranchID
}

extension KioskStore {
    /// The kind and member of the operation committed under `key`, or nil when nothing was
    /// committed under it. Receipt claims use it to tell a member's own retry (replayed) from
    /// another member's scan of an already claimed receipt (refused).
    public func operationOwner(forKey key: IdempotencyKey) throws(StoreError) -> OperationOwner? {
        try read("reading the operation under \(key)") { db in
            guard let row = try Row.fetchOne(
                try db.cachedStatement(sql: "SELECT kind, member_id, branch_id FROM business_transactions WHERE idempotency_key = ?"),
                arguments: [key.rawValue])
            else { return nil }
            return OperationOwner(kind: row[0], member: (row[1] as String?).map(MemberID.init(rawValue:)),
                                  branch: BranchID(rawValue: row[2]))
        }
    }
}
