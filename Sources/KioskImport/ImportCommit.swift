import Foundation
import GRDB
import KioskCore
import KioskStore

/// What importing a file did, or would do.
public struct ImportReport: Sendable, Codable {
    public var rows: Int
    public var problems: [ImportProblem]
    /// Members written by this run.
    public var imported: [MemberID]
    /// Members whose row was already imported by an earlier run (nothing written again).
    public var replayed: [MemberID]
    public var dryRun: Bool
    public var valid: Bool { problems.isEmpty }
}

/// Checks a parsed file against the store and commits it, one business operation per row.
public struct MemberImporter {
    public let store: KioskStore
    public let branch: BranchID
    /// What the audit rows name as the import (the file's name).
    public let source: String

    public init(store: KioskStore, branch: BranchID, source: String) {
        self.store = store
        self.branch = branch
        self.source = source
    }

    public static func key(for member: MemberID) -> IdempotencyKey {
        // Member ids are 1-64 ASCII letters, digits, '_' and '-', so the key is always valid.
        try! IdempotencyKey("import:\(member.rawValue)")
    }

    /// The request stored with a row's operation: the normalised row without its row number, so
    /// that the same member re-run from a reordered file still replays.
    static func request(_ member: ImportedMember) throws -> Data {
        var copy = member
        copy.row = 0
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return try encoder.encode(copy)
    }

    /// Problems with the store: a member or card already there (not from an earlier run of the
    /// same row), or a row that an earlier import committed differently.
    public func conflicts(_ members: [ImportedMember]) throws(StoreError) -> [ImportProblem] {
        var problems: [ImportProblem] = []
        for member in members {
            let request: Data
            do { request = try Self.request(member) } catch { throw StoreError(.other, "encoding row \(member.row): \(error)") }
            let previous: CommitReceipt?
            do {
                previous = try store.receipt(for: Self.key(for: member.memberID), request: request)
            } catch where error.code == .idempotencyConflict {
                problems.append(ImportProblem(row: member.row, column: "member_id",
                                              "\"\(member.memberID)\" was imported before with different data"))
                continue
            }
            if previous != nil { continue }
            // The member row, not their personal data, says they are here (erased members have none).
            if try store.memberStatus(member.memberID) != nil {
                problems.append(ImportProblem(row: member.row, column: "member_id", "member \"\(member.memberID)\" is already in the store"))
            }
            if let card = member.cardID, let bound = try store.member(byCard: card) {
                problems.append(ImportProblem(row: member.row, column: "card_id", "card \"\(card)\" is already bound to member \"\(bound.memberID)\""))
            }
        }
        return problems
    }

    /// How many rows one transaction commits, unless told otherwise: one disk sync per batch
    /// instead of one per row.
    public static let defaultBatchSize = 1_000

    /// Validates the text and the store; writes nothing when `dryRun` or when there is any problem.
    /// A valid file is committed in batches of `batchSize` rows, each batch one transaction (all
    /// its rows or none); `progress` hears after each batch how many rows are done of how many.
    /// A run stopped part-way (a kill, a full disk) has committed whole batches only, and running
    /// it again resumes: the committed rows replay.
    public func run(_ text: String, dryRun: Bool, at now: Date = Date(), batchSize: Int = MemberImporter.defaultBatchSize,
                    progress: ((_ done: Int, _ total: Int) -> Void)? = nil) throws(StoreError) -> ImportReport {
        let parsed = MemberImportParser.parse(text)
        var problems = parsed.problems
        problems += try conflicts(parsed.members)
        problems.sort { ($0.row ?? 0, $0.column ?? "") < ($1.row ?? 0, $1.column ?? "") }
        var report = ImportReport(rows: parsed.rows,
                                  problems: problems, imported: [], replayed: [], dryRun: dryRun)
        guard problems.isEmpty, !dryRun else { return report }
        let members = parsed.members
        var start = 0
        while start < members.count {
            let batch = members[start..<min(members.count, start + max(1, batchSize))]
            let receipts: [CommitReceipt]
            do {
                receipts = try commit(batch: Array(batch), at: now)
            } catch {
                // The batches before this one are committed (each is one transaction): say how
                // many rows, not only that this batch wrote nothing. Running the import again resumes.
                let done = report.imported.count + report.replayed.count
                let first = batch.first?.row ?? 0
                throw StoreError(error.code, "\(error.message) in the batch of rows \(first) to \(batch.last?.row ?? first), "
                                 + "at row \(first); the \(done) rows before it are committed "
                                 + "(\(report.imported.count) imported now, \(report.replayed.count) already there), "
                                 + "\(members.count - done) not; run the import again to resume")
            }
            for (member, receipt) in zip(batch, receipts) {
                if receipt.replayed { report.replayed.append(member.memberID) } else { report.imported.append(member.memberID) }
            }
            start += batch.count
            progress?(start, members.count)
        }
        return report
    }

    /// Commits rows in one transaction, each as `commit(_:at:)` would.
    @discardableResult
    public func commit(batch: [ImportedMember], at now: Date) throws(StoreError) -> [CommitReceipt] {
        var items: [KioskStore.BatchItem] = []
        items.reserveCapacity(batch.count)
        for member in batch { items.append(try item(member, at: now)) }
        return try store.commit(batch: items, deferringForeignKeys: true)
    }

    /// Commits one row as a `member.import` operation: the member, their card, their opening
    /// balances as postings with lot ids `import:<member>/<account>`, a `member.imported` event
    /// and an audit row naming the import.
    @discardableResult
    public func commit(_ member: ImportedMember, at now: Date) throws(StoreError) -> CommitReceipt {
        let (operation, also) = try item(member, at: now)
        return try store.commit(operation, deferringForeignKeys: true, also: also)
    }

    /// A row's operation and the rows its `also` writes.
    func item(_ member: ImportedMember, at now: Date) throws(StoreError) -> KioskStore.BatchItem {
        let key = Self.key(for: member.memberID)
        let request: Data
        let payload: Data
        let details: Data
        do {
            request = try Self.request(member)
            struct Event: Encodable { var member: MemberID; var card: CardID?; var balances: [String: Int64] }
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            var balances: [String: Int64] = [:]
            for (account, amount) in member.openingBalances { balances[account.rawValue] = amount }
            payload = try encoder.encode(Event(member: member.memberID, card: member.cardID, balances: balances))
            details = try encoder.encode(["import": source, "row": String(member.row)])
        } catch {
            throw StoreError(.other, "encoding row \(member.row): \(error)")
        }
        let postings = member.openingBalances.map { entry in
            LedgerPosting(memberID: member.memberID, account: entry.account, amount: entry.amount,
                          lotID: LotID(rawValue: "\(key.rawValue)/\(entry.account.rawValue)"))
        }
        let operation = BusinessOperation(
            idempotencyKey: key, kind: "member.import", memberID: member.memberID, branchID: branch, occurredAt: now,
            request: request, result: payload, postings: postings,
            audit: AuditEntry(operatorID: nil, role: nil, action: "member.import", subject: member.memberID.rawValue,
                              details: String(decoding: details, as: UTF8.self)),
            event: .result(type: "member.imported"))
        let newMember = NewMember(id: member.memberID,
                                  personal: MemberPersonal(name: member.name, phone: member.phone, birthday: member.birthday),
                                  branchID: branch, source: "import", customerGroups: member.groups)
        let branch = self.branch
        return (operation, { db in
            // A branch not in the store yet (a fresh kiosk) is added with its id as its name, as
            // `kiosk engine replay` does; an existing branch is left as it is.
            try db.cachedStatement(sql: "INSERT OR IGNORE INTO branches (id, name, created_at) VALUES (?, ?, ?)")
                .execute(arguments: [branch.rawValue, branch.rawValue, now])
            try KioskStore.insert(newMember, at: now, in: db)
            if let card = member.cardID {
                try KioskStore.insert(CardBinding(cardID: card, memberID: member.memberID, kind: "card"), at: now, in: db)
            }
            try KioskStore.ensureLoyaltyMember(member.memberID, in: db)
        })
    }
}
