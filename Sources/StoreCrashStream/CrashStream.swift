import Foundation
import KioskCore
import KioskStore

/// A deterministic stream of business operations for the crash test: operation `i` is a
/// purchase-like operation with a known set of ledger postings, an audit row on every third, and
/// one outbox event whose payload is the operation's result (`result(_:)`, stored once); the
/// enrollments' events carry their own payload. The writer commits them in order; the test recomputes what each must have
/// written and checks the database against it.
public enum CrashStream {
    public static let branch: BranchID = "crash-branch"
    public static let cashier: OperatorID = "crash-cashier"

    public static func memberID(_ index: Int) -> MemberID { MemberID(rawValue: "crash-member-\(index)") }

    public static func key(_ i: Int) -> IdempotencyKey { try! IdempotencyKey("crash-op-\(i)") }

    /// The ledger postings operation `i` writes, for `members` members.
    public static func postings(_ i: Int, members: Int) -> [LedgerPosting] {
        let member = memberID(i % members)
        var postings = [
            LedgerPosting(memberID: member, account: .points, amount: Int64(i * 37 % 500 + 1),
                          lotID: LotID(rawValue: "lot-\(i)"), expiresAt: Date(timeIntervalSince1970: 1_900_000_000)),
            LedgerPosting(memberID: member, account: .credit, amount: Int64((i * 13 % 1000 + 1) * 10)),
        ]
        if i % 4 == 0 { postings.append(LedgerPosting(memberID: member, account: .coins, amount: Int64(i % 7 + 1))) }
        if i % 5 == 0 { postings.append(LedgerPosting(memberID: member, account: .points, amount: -1)) }
        return postings
    }

    /// Operation `i`'s result, which is also its event's payload.
    public static func result(_ i: Int) -> Data { Data("{\"ok\":\(i)}".utf8) }

    public static func operation(_ i: Int, members: Int) -> BusinessOperation {
        let member = memberID(i % members)
        let request = Data("{\"op\":\(i),\"member\":\"\(member)\"}".utf8)
        return BusinessOperation(
            idempotencyKey: key(i), kind: "purchase", memberID: member, branchID: branch, operatorID: cashier,
            programVersion: "crash-1", occurredAt: Date(timeIntervalSince1970: 1_800_000_000 + Double(i)),
            request: request, result: result(i), postings: postings(i, members: members),
            audit: i % 3 == 0 ? AuditEntry(operatorID: cashier, role: .cashier, action: "purchase.record", subject: member.rawValue) : nil,
            event: .result(type: "purchase.recorded"))
    }

    /// Creates the branch, the cashier and the members the stream refers to (idempotent).
    public static func prepare(_ store: KioskStore, members: Int) throws {
        try store.upsertBranch(branch, name: "Crash test branch")
        try store.upsertOperator(cashier, displayName: "Crash cashier", role: .cashier, pinHash: nil, branchID: branch)
        for index in 0..<members {
            let member = memberID(index)
            let operation = BusinessOperation(
                idempotencyKey: try IdempotencyKey("crash-enroll-\(index)"), kind: "enroll", memberID: member,
                branchID: branch, operatorID: cashier, occurredAt: Date(timeIntervalSince1970: 1_700_000_000),
                request: Data("{\"enroll\":\(index)}".utf8), result: Data("{}".utf8), postings: [],
                event: OutboxEvent(type: "member.joined", payload: Data("{\"member\":\"\(member)\"}".utf8)))
            try store.commit(operation) { db in
                try KioskStore.insert(NewMember(id: member, branchID: branch, enrolledBy: cashier), at: operation.occurredAt, in: db)
            }
        }
    }
}
