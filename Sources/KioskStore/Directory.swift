import Foundation
import GRDB
import KioskCore

/// Branches and operators: the reference data that transactions point to.
extension KioskStore {
    /// Adds a branch or renames an existing one.
    public func upsertBranch(_ id: BranchID, name: String, at date: Date = Date()) throws(StoreError) {
        try write("saving branch \(id)") { db in
            try db.execute(
                sql: "INSERT INTO branches (id, name, created_at) VALUES (?, ?, ?) ON CONFLICT(id) DO UPDATE SET name = excluded.name",
                arguments: [id.rawValue, name, date])
        }
    }

    /// Adds a branch under its id as its name, unless it exists (a kiosk's own branch, before
    /// the central names it).
    public func ensureBranch(_ id: BranchID, at date: Date = Date()) throws(StoreError) {
        try write("saving branch \(id)") { db in
            try db.execute(sql: "INSERT INTO branches (id, name, created_at) VALUES (?, ?, ?) ON CONFLICT(id) DO NOTHING",
                           arguments: [id.rawValue, id.rawValue, date])
        }
    }

    /// Adds an operator or updates their name, role and PIN hash.
    public func upsertOperator(_ id: OperatorID, displayName: String, role: Role, pinHash: String?,
                               branchID: BranchID?, at date: Date = Date()) throws(StoreError) {
        try write("saving operator \(id)") { db in
            try db.execute(
                sql: """
                    INSERT INTO operators (id, display_name, role, pin_hash, branch_id, created_at)
                    VALUES (?, ?, ?, ?, ?, ?)
                    ON CONFLICT(id) DO UPDATE SET display_name = excluded.display_name, role = excluded.role,
                        pin_hash = excluded.pin_hash, branch_id = excluded.branch_id
                    """,
                arguments: [id.rawValue, displayName, role.rawValue, pinHash, branchID?.rawValue, date])
        }
    }
}
