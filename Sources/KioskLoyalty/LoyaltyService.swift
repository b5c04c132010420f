import Foundation
import GRDB
import KioskCore
import KioskEngine
import KioskStore

/// The loyalty engine on the kiosk's store: each operation reads the member's state, asks the
/// pure engine, and commits the decision (ledger postings, the engine's own tables, one outbox
/// event, an audit row for staff actions) in one SQLite transaction, idempotent by key.
public final class LoyaltyService: Sendable {
    public let store: KioskStore
    public let engine: LoyaltyEngine

    /// Prepares the store for `program`: records the version and seeds the catalogue stock.
    public init(store: KioskStore, program: Program, programJSON: Data? = nil, at: Date) throws(LoyaltyError) {
        self.store = store
        engine = LoyaltyEngine(program: program)
        do {
            let body = try programJSON ?? Self.encoder.encode(program)
            try store.recordProgram(version: program.version, body: body, at: at)
            try store.seedCatalogue((program.catalogue ?? []).map { ($0.id, $0.stock) })
        } catch let error as StoreError {
            throw .store(error)
        } catch {
            throw .refused(Refusal("program.encoding", "\(error)"))
        }
    }

    public var program: Program { engine.program }

    static let encoder: JSONEncoder = {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys]
        return e
    }()

    static let decoder = JSONDecoder()

    // MARK: - State

    /// The member's state as the engine sees it at `at`, with the lots `lots` selects (all by
    /// default; an operation that spends at most a known amount reads only the lots that cover it).
    public func state(of member: MemberID, at: Date, lots: LotSelection = .all) throws(LoyaltyError) -> MemberState {
        let windowStart = engine.calendar.days(program.tiers?.windowDays ?? 365, before: at)
        let record: LoyaltyMemberRecord?
        do { record = try store.loyaltyMember(member, tierWindowStart: windowStart, lots: lots) } catch { throw .store(error) }
        guard let record else { throw .refused(Refusal("member.unknown", "unknown member \(member)")) }
        guard record.status == "active" else { throw .refused(Refusal("member.blocked", "member \(member) is blocked")) }
        var state = MemberState(
            memberID: record.memberID, enrolledAt: record.enrolledAt, enrolledBy: record.enrolledBy,
            birthday: record.birthday.flatMap(LocalDate.parse), anniversary: record.anniversary.flatMap(LocalDate.parse),
            customerGroups: record.customerGroups, cardGroups: record.cardGroups, tier: record.tier, visits: record.visits,
            tierWindowTotal: record.tierWindowTotal, hasPurchased: record.hasPurchased,
            lastBirthdayBonusYear: record.birthdayBonusYear, referredBy: record.referredBy,
            lots: record.lots.map {
                Lot(id: $0.lotID, account: $0.account, remaining: $0.remaining, createdAt: $0.createdAt, expiresAt: $0.expiresAt,
                    restrictions: $0.restrictions.flatMap { try? Self.decoder.decode(LotRestrictions.self, from: Data($0.utf8)) })
            },
            debts: record.debts)
        state.unlotted = record.unlotted
        return state
    }

    // MARK: - Committing

    /// What an operation commits, besides its postings.
    struct Operation<Outcome: Codable & Sendable> {
        var kind: String
        var key: String
        var member: MemberID?
        var branch: BranchID
        var operatorID: OperatorID?
        var at: Date
        var request: Data
        var outcome: Outcome
        var postings: [Posting]
        var eventType: String
        /// Writes the operation's own rows: given the database, the transaction id and the
        /// outcome as encoded JSON.
        var also: (Database, String, Data) throws -> Void
        /// The operation creates the member it names (enrollment): every foreign key is checked
        /// at commit.
        var createsMember = false
    }

    /// The stored outcome of an operation already committed under `key`, if any; a different
    /// request under the same key is refused as an idempotency conflict.
    func previous<Outcome: Codable & Sendable>(_ key: String, request: Data, as type: Outcome.Type) throws(LoyaltyError) -> Committed<Outcome>? {
        let idempotencyKey = try Self.key(key)
        do {
            guard let receipt = try store.receipt(for: idempotencyKey, request: request) else { return nil }
            return Committed(outcome: try Self.decoder.decode(Outcome.self, from: receipt.result), receipt: receipt)
        } catch let error as StoreError {
            throw .store(error)
        } catch {
            throw .store(StoreError(.corrupt, "the stored result of \(key) cannot be read: \(error)"))
        }
    }

    static func key(_ raw: String) throws(LoyaltyError) -> IdempotencyKey {
        do { return try IdempotencyKey(raw) } catch {
            throw .refused(Refusal("request.bad-key", error.description))
        }
    }

    static func encode(_ value: some Encodable) throws(LoyaltyError) -> Data {
        do { return try encoder.encode(value) } catch { throw .refused(Refusal("request.encoding", "\(error)")) }
    }

    /// Commits an operation in one transaction: its postings, its outcome as the result, one
    /// outbox event whose payload is that result (stored once, with the transaction), an audit row when staff acted, and whatever `also` writes
    /// (given the database and the transaction id). A lot drawn from is checked not to be
    /// overdrawn by a concurrent operation.
    func commit<Outcome: Codable & Sendable>(_ op: Operation<Outcome>) throws(LoyaltyError) -> Committed<Outcome> {
        let key = try Self.key(op.key)
        let result = try Self.encode(op.outcome)
        let ledger = try op.postings.map { (p: Posting) throws(LoyaltyError) -> LedgerPosting in
            LedgerPosting(memberID: p.member, account: p.account, amount: p.amount, lotID: p.lot, expiresAt: p.expiresAt,
                          restrictions: try p.restrictions.map { r throws(LoyaltyError) in String(decoding: try Self.encode(r), as: UTF8.self) })
        }
        let drawn = op.postings.filter { $0.amount < 0 }.compactMap { p in p.lot.map { (member: p.member, lot: $0) } }
        let operation = BusinessOperation(
            idempotencyKey: key, kind: op.kind, memberID: op.member, branchID: op.branch, operatorID: op.operatorID,
            programVersion: program.version, occurredAt: op.at, request: op.request, result: result, postings: ledger,
            audit: op.operatorID.map { AuditEntry(operatorID: $0, role: nil, action: op.kind, subject: op.member?.rawValue) },
            event: .result(type: op.eventType))
        do {
            let body: (Database) throws -> Void = { db in
                let tx = try KioskStore.transactionID(forKey: key, in: db)
                try KioskStore.guardLots(drawn, in: db)
                try op.also(db, tx, result)
            }
            let receipt = try store.commit(operation, deferringForeignKeys: op.createsMember, also: body)
            let outcome = receipt.replayed ? try Self.decoder.decode(Outcome.self, from: receipt.result) : op.outcome
            return Committed(outcome: outcome, receipt: receipt)
        } catch let error as StoreError {
            throw LoyaltyError.from(error)
        } catch {
            throw .store(StoreError(.corrupt, "the stored result of \(op.key) cannot be read: \(error)"))
        }
    }

    /// Runs `body` again (reading the state afresh) when a concurrent operation changed the
    /// member's lots between the read and the commit.
    func retryingStale<T>(_ body: () throws(LoyaltyError) -> T) throws(LoyaltyError) -> T {
        var attempt = 0
        while true {
            do { return try body() } catch {
                if case .store(let e) = error, e.code == .staleState, attempt < 5 {
                    attempt += 1
                    continue
                }
                throw error
            }
        }
    }
}
