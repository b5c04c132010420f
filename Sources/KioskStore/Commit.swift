import Foundation
import GRDB
import KioskCore

extension KioskStore {
    /// Commits a business operation: its transaction row, its ledger rows, its audit row and its
    /// outbox event in one SQLite transaction, together with whatever `also` writes.
    ///
    /// If the idempotency key was committed before with the same request, nothing is written and
    /// the first result is returned (`replayed == true`); with a different request the call fails
    /// with `.idempotencyConflict`. If anything fails, nothing is written.
    @discardableResult
    public func commit(_ operation: BusinessOperation, also: ((Database) throws -> Void)? = nil) throws(StoreError) -> CommitReceipt {
        for posting in operation.postings where posting.amount == 0 {
            throw StoreError(.invalidOperation, "a ledger posting of zero \(posting.account.rawValue) is not allowed")
        }
        return try write("committing \(operation.kind) \(operation.idempotencyKey)") { db in
            if let existing = try Self.existingReceipt(db, key: operation.idempotencyKey) {
                guard existing.request == operation.request else {
                    throw StoreError(.idempotencyConflict,
                                     "the idempotency key \(operation.idempotencyKey) was already used for a different request")
                }
                return existing.receipt
            }
            let transactionID = TransactionID(rawValue: "tx-" + UUID().uuidString.lowercased())
            let now = Date()
            try db.execute(
                sql: """
                    INSERT INTO business_transactions
                        (id, idempotency_key, request, kind, member_id, branch_id, operator_id,
                         program_version, occurred_at, recorded_at, result)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [transactionID.rawValue, operation.idempotencyKey.rawValue, operation.request,
                            operation.kind, operation.memberID?.rawValue, operation.branchID.rawValue,
                            operation.operatorID?.rawValue, operation.programVersion, operation.occurredAt,
                            now, operation.result])
            for (index, posting) in operation.postings.enumerated() {
                try db.execute(
                    sql: """
                        INSERT INTO ledger
                            (idempotency_key, transaction_id, member_id, account, amount, lot_id,
                             expires_at, restrictions, program_version, occurred_at)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                        """,
                    arguments: [operation.idempotencyKey.part(index), transactionID.rawValue,
                                posting.memberID.rawValue, posting.account.rawValue, posting.amount,
                                posting.lotID?.rawValue, posting.expiresAt, posting.restrictions,
                                operation.programVersion, operation.occurredAt])
            }
            if let audit = operation.audit {
                try db.execute(
                    sql: """
                        INSERT INTO audit_log (at, operator_id, role, action, subject, transaction_id, details)
                        VALUES (?, ?, ?, ?, ?, ?, ?)
                        """,
                    arguments: [operation.occurredAt, audit.operatorID?.rawValue, audit.role?.rawValue,
                                audit.action, audit.subject, transactionID.rawValue, audit.details])
            }
            try also?(db)
            try db.execute(
                sql: """
                    INSERT INTO outbox (event_id, type, payload, created_at, transaction_id)
                    VALUES (?, ?, ?, ?, ?)
                    """,
                arguments: [operation.idempotencyKey.rawValue, operation.event.type, operation.event.payload,
                            now, transactionID.rawValue])
            return CommitReceipt(transactionID: transactionID, result: operation.result, replayed: false,
                                 eventSequence: db.lastInsertedRowID)
        }
    }

    private static func existingReceipt(_ db: Database, key: IdempotencyKey) throws -> (request: Data, receipt: CommitReceipt)? {
        guard let row = try Row.fetchOne(
            db,
            sql: """
                SELECT t.id, t.request, t.result, o.seq FROM business_transactions t
                LEFT JOIN outbox o ON o.transaction_id = t.id
                WHERE t.idempotency_key = ?
                """,
            arguments: [key.rawValue])
        else { return nil }
        let receipt = CommitReceipt(transactionID: TransactionID(rawValue: row[0]), result: row[2],
                                    replayed: true, eventSequence: row[3] ?? 0)
        return (row[1], receipt)
    }

    /// The receipt of an already committed operation, if its key was committed.
    public func receipt(for key: IdempotencyKey) throws(StoreError) -> CommitReceipt? {
        try read("looking up \(key)") { db in try Self.existingReceipt(db, key: key)?.receipt }
    }
}
