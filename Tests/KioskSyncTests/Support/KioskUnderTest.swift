import Foundation
import KioskCore
import KioskStore
import KioskTestSupport

/// A kiosk's store on a real SQLite file, with a branch, members and queued events.
final class KioskUnderTest: @unchecked Sendable {
    let directory: TemporaryDirectory
    let store: KioskStore
    static let branch: BranchID = "tehran-1"
    private var counter = 0

    init(members: [String] = ["m0", "m1"]) throws {
        directory = try TemporaryDirectory()
        store = try KioskStore(path: directory.file("kiosk.sqlite"))
        try store.upsertBranch(Self.branch, name: "Tehran 1")
        for member in members { try enroll(MemberID(rawValue: member)) }
    }

    var path: String { store.path }

    func enroll(_ member: MemberID) throws {
        let body = Data("{\"member\":\"\(member)\"}".utf8)
        let operation = BusinessOperation(
            idempotencyKey: try IdempotencyKey("enroll-\(member)"), kind: "enroll", memberID: member, branchID: Self.branch,
            occurredAt: Date(timeIntervalSince1970: 1_790_000_000), request: body, result: body, postings: [],
            event: .result(type: "member.joined"))
        try store.commit(operation) { db in
            try KioskStore.insert(NewMember(id: member, personal: MemberPersonal(name: "Test", phone: "09120000000"),
                                            branchID: Self.branch, enrolledBy: nil), at: operation.occurredAt, in: db)
        }
    }

    /// Commits `count` purchases, each an outbox event; returns their ids in order.
    @discardableResult
    func purchases(_ count: Int, member: String = "m0", points: Int64 = 10, prefix: String = "p") throws -> [String] {
        var ids: [String] = []
        for _ in 0..<count {
            counter += 1
            let id = "\(prefix)-\(counter)"
            try purchase(id, member: member, points: points)
            ids.append(id)
        }
        return ids
    }

    /// A purchase committed under `key`, with `voucher` applied when given; `padding` makes the body bigger.
    func purchase(_ key: String, member: String = "m0", points: Int64 = 10, voucher: (code: String, discount: Int64)? = nil,
                  padding: Int = 0) throws {
        let memberID = MemberID(rawValue: member)
        let voucherJSON = voucher.map { ",\"voucher\":{\"code\":\"\($0.code)\",\"discount\":\($0.discount)}" } ?? ""
        let pad = padding > 0 ? ",\"note\":\"\(String(repeating: "x", count: padding))\"" : ""
        let result = Data("""
            {"member":"\(member)","postings":[{"member":"\(member)","account":"points","amount":\(points)}]\(voucherJSON)\(pad)}
            """.utf8)
        let operation = BusinessOperation(
            idempotencyKey: try IdempotencyKey(key), kind: "purchase", memberID: memberID, branchID: Self.branch,
            programVersion: "2026-11-a", occurredAt: Date(timeIntervalSince1970: 1_790_000_100),
            request: Data("{\"key\":\"\(key)\"}".utf8), result: result,
            postings: [LedgerPosting(memberID: memberID, account: .points, amount: points)],
            event: .result(type: "purchase.recorded"))
        try store.commit(operation)
    }

    /// The ids of the events still pending, in order.
    func pendingIDs() throws -> [String] {
        try store.outboxEvents(limit: 1_000_000, pendingOnly: true).map(\.eventID)
    }

    func allIDs() throws -> [String] {
        try store.outboxEvents(limit: 1_000_000).map(\.eventID)
    }

    func balance(_ member: String, _ account: Account) throws -> Int64 {
        try store.balances(of: MemberID(rawValue: member))[account]
    }
}
