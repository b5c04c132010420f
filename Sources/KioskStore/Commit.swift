import Foundation
import GRDB
import KioskCore

extension KioskStore {
    /// Commits a business operation: its transaction row, its ledger rows, its audit row and its
    /// outbox event in one SQLite transaction, together with whatever `also` writes. An event
    /// made with `OutboxEvent.result(type:)` stores no bytes of its own: it names the
    /// transaction, whose result is its payload.
    ///
    /// If the idempotency key was committed before with the same request, nothing is written and
    /// the first result is returned (`replayed == true`); with a different request the call fails
    /// with `.idempotencyConflict`. If anything fails, nothing is written.
    ///
    /// References to a member from the foundation's rows are checked when the transaction commits
    /// (the schema declares them deferred), so an enrollment's transaction row and welcome points
    /// may name the member its `also` creates. With `deferringForeignKeys`, every foreign key is
    /// checked at commit (for an `also` that writes other tables before the rows they name); a
    /// reference still dangling at the end fails the whole operation either way. Deferring every
    /// key costs a re-preparation of the cached statements (SQLite expires them when the pragma
    /// changes), so it is for rare operations such as enrollment only.
    @discardableResult
    public func commit(_ operation: BusinessOperation, deferringForeignKeys: Bool = false,
                       also: ((Database) throws -> Void)? = nil) throws(StoreError) -> CommitReceipt {
        for posting in operation.postings where posting.amount == 0 {
            throw StoreError(.invalidOperation, "a ledger posting of zero \(posting.account.rawValue) is not allowed")
        }
        if operation.event.payload == .transactionResult && operation.result.isEmpty {
            throw StoreError(.invalidOperation, "the event of \(operation.idempotencyKey) carries the operation's result, which is empty")
        }
        return try write("committing \(operation.kind) \(operation.idempotencyKey)") { db in
            if deferringForeignKeys {
                // SQLite switches this off again at the end of the transaction.
                try db.execute(sql: "PRAGMA defer_foreign_keys = ON")
            }
            let recordedAt = Date()
            let transactionID = TransactionID(rawValue: "tx-" + TimeOrderedID.make(at: recordedAt))
            let now = StoreTimestamp.text(recordedAt)
            let occurredAt = StoreTimestamp.text(operation.occurredAt)
            // The unique idempotency key decides: a retry inserts nothing and gets the first receipt.
            try db.cachedStatement(sql: """
                INSERT INTO business_transactions
                    (id, idempotency_key, request, kind, member_id, branch_id, operator_id,
                     program_version, occurred_at, recorded_at, result)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT(idempotency_key) DO NOTHING
                """
            ).execute(arguments: [transactionID.rawValue, operation.idempotencyKey.rawValue, operation.request,
                                  operation.kind, operation.memberID?.rawValue, operation.branchID.rawValue,
                                  operation.operatorID?.rawValue, operation.programVersion, occurredAt, now,
                                  operation.result])
            if db.changesCount == 0 {
                guard let existing = try Self.existingReceipt(db, key: operation.idempotencyKey) else {
                    throw StoreError(.other, "the transaction for \(operation.idempotencyKey) was neither written nor found")
                }
                guard existing.request == operation.request else {
                    throw StoreError(.idempotencyConflict,
                                     "the idempotency key \(operation.idempotencyKey) was already used for a different request")
                }
                return existing.receipt
            }
            if !operation.postings.isEmpty {
                try insertLedger(operation, transactionID: transactionID, occurredAt: occurredAt, db: db)
            }
            if let audit = operation.audit {
                try db.cachedStatement(sql: """
                    INSERT INTO audit_log (at, operator_id, role, action, subject, transaction_id, details)
                    VALUES (?, ?, ?, ?, ?, ?, ?)
                    """
                ).execute(arguments: [occurredAt, audit.operatorID?.rawValue, audit.role?.rawValue, audit.action,
                                      audit.subject, transactionID.rawValue, audit.details])
            }
            try also?(db)
            switch operation.event.payload {
            case .inline(let payload):
                try db.cachedStatement(sql: """
                    INSERT INTO outbox (event_id, type, payload, created_at, transaction_id) VALUES (?, ?, ?, ?, ?)
                    """
                ).execute(arguments: [operation.idempotencyKey.rawValue, operation.event.type, payload,
                                      now, transactionID.rawValue])
            case .transactionResult:
                // The result is in the transaction row written above: the event only names it.
                try db.cachedStatement(sql: """
                    INSERT INTO outbox (event_id, type, payload, payload_source, created_at, transaction_id)
                    VALUES (?, ?, x'', 'result', ?, ?)
                    """
                ).execute(arguments: [operation.idempotencyKey.rawValue, operation.event.type, now, transactionID.rawValue])
            }
            return CommitReceipt(transactionID: transactionID, result: operation.result, replayed: false,
                                 eventSequence: db.lastInsertedRowID)
        }
    }

    /// Inserts all of an operation's ledger rows with one statement (cached per row count).
    private func insertLedger(_ operation: BusinessOperation, transactionID: TransactionID, occurredAt: String,
                              db: Database) throws {
        let row = "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
        let statement = try db.cachedStatement(sql: """
            INSERT INTO ledger
                (idempotency_key, transaction_id, member_id, account, amount, lot_id,
                 expires_at, restrictions, program_version, occurred_at)
            VALUES \(Array(repeating: row, count: operation.postings.count).joined(separator: ", "))
            """)
        var values: [(any DatabaseValueConvertible)?] = []
        values.reserveCapacity(operation.postings.count * 10)
        for (index, posting) in operation.postings.enumerated() {
            values += [operation.idempotencyKey.part(index), transactionID.rawValue, posting.memberID.rawValue,
                       posting.account.rawValue, posting.amount, posting.lotID?.rawValue,
                       StoreTimestamp.value(posting.expiresAt), posting.restrictions, operation.programVersion,
                       occurredAt]
        }
        try statement.execute(arguments: StatementArguments(values))
    }

    private static func existingReceipt(_ db: Database, key: IdempotencyKey) throws -> (request: Data, receipt: CommitReceipt)? {
        guard let row = try Row.fetchOne(
            db.cachedStatement(sql: """
                SELECT t.id, t.request, t.result, o.seq FROM business_transactions t
                LEFT JOIN outbox o ON o.event_id = t.idempotency_key
                WHERE t.idempotency_key = ?
                """),
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

    /// The receipt of an already committed operation for this request, if its key was committed;
    /// the same key committed for a different request fails with `.idempotencyConflict`, as
    /// `commit` would. Lets a caller answer a retry without recomputing it.
    public func receipt(for key: IdempotencyKey, request: Data) throws(StoreError) -> CommitReceipt? {
        let existing = try read("looking up \(key)") { db in try Self.existingReceipt(db, key: key) }
        guard let existing else { return nil }
        guard existing.request == request else {
            throw StoreError(.idempotencyConflict, "the idempotency key \(key) was already used for a different request")
        }
        return existing.receipt
    }
}
