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
        try Self.validate(operation)
        return try write("committing \(operation.kind) \(operation.idempotencyKey)") { db in
            try commitRows(operation, deferringForeignKeys: deferringForeignKeys, also: also, db: db)
        }
    }

    /// One operation of a batch: the operation and what its `also` writes.
    public typealias BatchItem = (operation: BusinessOperation, also: ((Database) throws -> Void)?)

    /// Commits several operations in one SQLite transaction (one sync of the WAL for all of
    /// them): each exactly as `commit` would (idempotent by key: an operation committed before is
    /// replayed, not written again), and all of them or none. For bulk work such as an import,
    /// where one durable commit per row costs a disk sync per row. A failure names the operation.
    @discardableResult
    public func commit(batch: [BatchItem], deferringForeignKeys: Bool = false) throws(StoreError) -> [CommitReceipt] {
        for item in batch { try Self.validate(item.operation) }
        guard !batch.isEmpty else { return [] }
        return try write("committing a batch of \(batch.count) operations") { db in
            if deferringForeignKeys { try db.execute(sql: "PRAGMA defer_foreign_keys = ON") }
            var receipts: [CommitReceipt] = []
            receipts.reserveCapacity(batch.count)
            for (index, item) in batch.enumerated() {
                do {
                    receipts.append(try commitRows(item.operation, deferringForeignKeys: false, also: item.also, db: db))
                } catch {
                    throw StoreError.from(error, while: "committing \(item.operation.kind) \(item.operation.idempotencyKey) "
                                          + "(operation \(index + 1) of a batch of \(batch.count); none of the batch was written)")
                }
            }
            return receipts
        }
    }

    private static func validate(_ operation: BusinessOperation) throws(StoreError) {
        for posting in operation.postings where posting.amount == 0 {
            throw StoreError(.invalidOperation, "a ledger posting of zero \(posting.account.rawValue) is not allowed")
        }
        for posting in operation.postings where !AmountLimits.isValidPosting(posting.amount) {
            throw StoreError(.invalidOperation, "a ledger posting of \(posting.amount) \(posting.account.rawValue) is beyond the largest amount accepted (±\(AmountLimits.maxPosting)); nothing was written")
        }
        if operation.event.payload == .transactionResult && operation.result.isEmpty {
            throw StoreError(.invalidOperation, "the event of \(operation.idempotencyKey) carries the operation's result, which is empty")
        }
    }

    /// Writes one operation's rows inside the current transaction.
    private func commitRows(_ operation: BusinessOperation, deferringForeignKeys: Bool,
                            also: ((Database) throws -> Void)?, db: Database) throws -> CommitReceipt {
        if deferringForeignKeys {
            // SQLite switches this off again at the end of the transaction.
            try db.execute(sql: "PRAGMA defer_foreign_keys = ON")
        }
        let recordedAt = Date()
        let transactionID = TransactionID(rawValue: "tx-" + TimeOrderedID.make(at: recordedAt))
        let now = StoreTimestamp.text(recordedAt)
        let occurredAt = StoreTimestamp.text(operation.occurredAt)
        // Personal data stays out of the append-only request (PersonalRequest): an enrollment
        // or an import stores a keyed digest of it instead, under the member's own key.
        var request = operation.request
        var newDigestKey: Data?
        if PersonalRequest.fieldsByKind[operation.kind] != nil {
            let key: Data
            if let member = operation.memberID, let existing = try PersonalRequest.key(of: member.rawValue, in: db) {
                key = existing
            } else {
                key = PersonalRequest.newKey()
                newDigestKey = key
            }
            request = PersonalRequest.stripped(operation.request, kind: operation.kind, key: key)
        }
        // The unique idempotency key decides: a retry inserts nothing and gets the first receipt.
        try db.cachedStatement(sql: """
            INSERT INTO business_transactions
                (id, idempotency_key, request, kind, member_id, branch_id, operator_id,
                 program_version, occurred_at, recorded_at, result)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT(idempotency_key) DO NOTHING
            """
        ).execute(arguments: [transactionID.rawValue, operation.idempotencyKey.rawValue, request,
                              operation.kind, operation.memberID?.rawValue, operation.branchID.rawValue,
                              operation.operatorID?.rawValue, operation.programVersion, occurredAt, now,
                              operation.result])
        if db.changesCount == 0 {
            guard let existing = try Self.existingReceipt(db, key: operation.idempotencyKey) else {
                throw StoreError(.other, "the transaction for \(operation.idempotencyKey) was neither written nor found")
            }
            // A key answers only for its own kind: another kind's operation under it, even
            // with the same request bytes, is refused rather than given that operation's result.
            guard existing.kind == operation.kind else {
                throw StoreError(.idempotencyConflict,
                                 "the idempotency key \(operation.idempotencyKey) was already used by a \(existing.kind) operation, not \(operation.kind)")
            }
            guard try Self.matches(existing, request: operation.request, db: db) else {
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
        if let newDigestKey, let member = operation.memberID {
            // The member's personal-data row (written by `also`, if at all) keeps the key.
            try db.cachedStatement(sql: "UPDATE member_personal SET digest_key = ? WHERE member_id = ? AND digest_key IS NULL")
                .execute(arguments: [newDigestKey, member.rawValue])
        }
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

    /// An operation already committed under a key: its stored request, kind and member, and its receipt.
    struct Existing {
        var request: Data
        var kind: String
        var member: String?
        var receipt: CommitReceipt
    }

    private static func existingReceipt(_ db: Database, key: IdempotencyKey) throws -> Existing? {
        guard let row = try Row.fetchOne(
            db.cachedStatement(sql: """
                SELECT t.id, t.request, t.result, o.seq, t.kind, t.member_id FROM business_transactions t
                LEFT JOIN outbox o ON o.event_id = t.idempotency_key
                WHERE t.idempotency_key = ?
                """),
            arguments: [key.rawValue])
        else { return nil }
        let receipt = CommitReceipt(transactionID: TransactionID(rawValue: row[0]), result: row[2],
                                    replayed: true, eventSequence: row[3] ?? 0)
        return Existing(request: row[1], kind: row[4], member: row[5], receipt: receipt)
    }

    /// Whether `request` (as a caller encodes it, personal data included) is the request stored
    /// with `existing`. For a kind with personal fields the comparison is of the stripped forms,
    /// under the member's digest key; when the member has no key any more (their personal data was
    /// erased), only the fields outside the personal data are compared.
    private static func matches(_ existing: Existing, request: Data, db: Database) throws -> Bool {
        guard PersonalRequest.fieldsByKind[existing.kind] != nil else { return existing.request == request }
        if let member = existing.member, let key = try PersonalRequest.key(of: member, in: db) {
            return existing.request == PersonalRequest.stripped(request, kind: existing.kind, key: key)
        }
        let stripped = PersonalRequest.stripped(request, kind: existing.kind, key: PersonalRequest.newKey())
        return PersonalRequest.withoutDigest(existing.request) == PersonalRequest.withoutDigest(stripped)
    }

    /// The receipt of an already committed operation, if its key was committed.
    public func receipt(for key: IdempotencyKey) throws(StoreError) -> CommitReceipt? {
        try read("looking up \(key)") { db in try Self.existingReceipt(db, key: key)?.receipt }
    }

    /// The receipt of an already committed operation for this request, if its key was committed;
    /// the same key committed for a different request fails with `.idempotencyConflict`, as
    /// `commit` would. Lets a caller answer a retry without recomputing it.
    public func receipt(for key: IdempotencyKey, request: Data) throws(StoreError) -> CommitReceipt? {
        let found: (Existing, Bool)? = try read("looking up \(key)") { db in
            guard let existing = try Self.existingReceipt(db, key: key) else { return nil }
            return (existing, try Self.matches(existing, request: request, db: db))
        }
        guard let (existing, same) = found else { return nil }
        guard same else {
            throw StoreError(.idempotencyConflict, "the idempotency key \(key) was already used for a different request")
        }
        return existing.receipt
    }
}
