import Foundation
import GRDB
import KioskCore

extension KioskStore {
    /// Appends an audit entry that belongs to no business transaction: a staff session opened
    /// or ended, a wrong PIN, a locked staff card tapped. Entries that belong to an operation are
    /// written inside its transaction instead (`Operation.audit`).
    public func appendAudit(_ entry: AuditEntry, at date: Date) throws(StoreError) {
        try write("writing an audit entry") { db in
            try db.execute(
                sql: "INSERT INTO audit_log (at, operator_id, role, action, subject, details) VALUES (?, ?, ?, ?, ?, ?)",
                arguments: [date, entry.operatorID?.rawValue, entry.role?.rawValue, entry.action, entry.subject, entry.details])
        }
    }
}
