import Foundation
import KioskTestSupport
import GRDB
import KioskCore
import KioskStore

/// A store with a branch, a cashier and some members, on a real SQLite file.
struct StoreFixture {
    let directory: TemporaryDirectory
    let store: KioskStore
    static let branch: BranchID = "tehran-1"
    static let cashier: OperatorID = "op-cashier"

    init(members: Int = 3, options: KioskStore.Options = .init(), in directory: TemporaryDirectory? = nil) throws {
        self.directory = try directory ?? TemporaryDirectory()
        store = try KioskStore(path: self.directory.file("kiosk.sqlite"), options: options)
        try store.upsertBranch(Self.branch, name: "Tehran 1")
        try store.upsertOperator(Self.cashier, displayName: "Cashier", role: .cashier, pinHash: nil, branchID: Self.branch)
        for index in 0..<members {
            try enroll(MemberID(rawValue: "m\(index)"), card: CardID(rawValue: "uid:0400000000000\(index)"))
        }
    }

    var path: String { store.path }

    @discardableResult
    func enroll(_ member: MemberID, card: CardID?, name: String = "Sara Ahmadi") throws -> CommitReceipt {
        let operation = BusinessOperation(
            idempotencyKey: try IdempotencyKey("enroll-\(member)"), kind: "enroll", memberID: member,
            branchID: Self.branch, operatorID: Self.cashier, occurredAt: Date(timeIntervalSince1970: 1_790_000_000),
            request: Data("{\"member\":\"\(member)\"}".utf8), result: Data("{\"member\":\"\(member)\"}".utf8), postings: [],
            audit: AuditEntry(operatorID: Self.cashier, role: .enroller, action: "member.enroll", subject: member.rawValue),
            event: OutboxEvent(type: "member.joined", payload: Data("{\"member\":\"\(member)\"}".utf8)))
        return try store.commit(operation) { db in
            try KioskStore.insert(NewMember(id: member, personal: MemberPersonal(name: name, phone: "09120000000"),
                                            branchID: Self.branch, enrolledBy: Self.cashier), at: operation.occurredAt, in: db)
            if let card {
                try KioskStore.insert(CardBinding(cardID: card, memberID: member, kind: "ntag215"), at: operation.occurredAt, in: db)
            }
        }
    }

    static func purchase(_ key: String, member: MemberID = "m0", points: Int64 = 120, credit: Int64 = 5_000,
                         request: String? = nil) throws -> BusinessOperation {
        let body = Data((request ?? "{\"purchase\":\"\(key)\",\"amount\":1200000}").utf8)
        return BusinessOperation(
            idempotencyKey: try IdempotencyKey(key), kind: "purchase", memberID: member, branchID: branch,
            operatorID: cashier, programVersion: "p-1", occurredAt: Date(timeIntervalSince1970: 1_790_000_100),
            request: body, result: Data("{\"points\":\(points)}".utf8),
            postings: [
                LedgerPosting(memberID: member, account: .points, amount: points, lotID: LotID(rawValue: "lot-\(key)"),
                              expiresAt: Date(timeIntervalSince1970: 1_820_000_000)),
                LedgerPosting(memberID: member, account: .credit, amount: credit),
            ],
            audit: AuditEntry(operatorID: cashier, role: .cashier, action: "purchase.record", subject: member.rawValue),
            event: OutboxEvent(type: "purchase.recorded", payload: body))
    }

    /// Row counts of every table an operation writes, to prove that a failure wrote nothing.
    func counts() throws -> [String: Int] {
        let queue = try DatabaseQueue(path: path, configuration: { var c = Configuration(); c.readonly = true; return c }())
        defer { try? queue.close() }
        return try queue.read { db in
            var result: [String: Int] = [:]
            for table in ["business_transactions", "ledger", "audit_log", "outbox", "members", "member_personal", "cards", "balances"] {
                result[table] = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM \(table)")
            }
            return result
        }
    }
}
