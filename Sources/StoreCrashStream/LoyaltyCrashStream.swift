import Foundation

/// A deterministic stream of loyalty events in `kiosk engine replay`'s format, for the crash
/// tests that drive the loyalty service's own operations (ReplayKillTests kills `kiosk engine
/// replay`; LoyaltyCrashTests cuts the power under the crash writer's `--loyalty` mode):
/// enrollments, purchases (some paying with credit, some with a voucher), returns (some for more than was bought),
/// spins and catalogue gift requests, for four members of the example program. Some events are
/// dated before the ones already in the file (an offline backlog), so that a rerun that decided a
/// refused event again would end elsewhere.
public enum LoyaltyCrashStream {
    /// A deterministic hostile stream (SplitMix64, so it needs no engine code).
    public static func events(count: Int, seed: UInt64) -> String {
        var state = seed
        func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        func pick(_ n: Int) -> Int { Int(next() % UInt64(n)) }
        let members = (0..<4).map { "m-\($0)" }
        let groups = ["dairy", "bakery", "produce", "household"]
        let start = Date(timeIntervalSince1970: 1_793_500_000)
        let formatter = ISO8601DateFormatter()
        func at(_ minute: Int) -> String { formatter.string(from: start.addingTimeInterval(TimeInterval(minute * 60))) }
        var out = members.enumerated().map { i, m in
            #"{"type": "enroll", "key": "enroll-\#(m)", "member": "\#(m)", "at": "\#(at(i))"}"#
        }
        var purchases: [(key: String, member: String, amount: Int)] = []
        for n in 0..<count {
            // Now and then an event dated before the ones already in the file (an offline
            // backlog): a purchase refused for want of credit that an earlier-dated purchase
            // later in the file provides would be accepted if it were decided again.
            let back = pick(4) == 0 ? pick(600) : 0
            let key = "e-\(n)", member = members[pick(members.count)], when = at(max(5, 10 + n * 7 - back))
            switch pick(10) {
            case 0..<5:
                let amount = 100_000 + pick(300) * 100_000
                let credit = pick(3) == 0 ? #", "payWithCredit": \#(100_000 * (1 + pick(40)))"# : ""
                // Now and then a voucher: WELCOME10 once per member (a second use is refused), FREESHIP any time.
                let voucher = pick(6) == 0 ? #", "voucher": "\#(pick(2) == 0 ? "WELCOME10" : "FREESHIP")""# : ""
                out.append(#"{"type": "purchase", "key": "\#(key)", "member": "\#(member)", "at": "\#(when)", "lines": [{"group": "\#(groups[pick(groups.count)])", "amount": \#(amount)}]\#(credit)\#(voucher)}"#)
                purchases.append((key, member, amount))
            case 5 where !purchases.isEmpty, 6 where !purchases.isEmpty:  // a `where` binds to one pattern only
                let p = purchases[pick(purchases.count)]
                let amount = pick(3) == 0 ? p.amount + 1 : max(1, p.amount / (1 + pick(3)))
                out.append(#"{"type": "return", "key": "\#(key)", "member": "\#(p.member)", "purchase": "\#(p.key)", "at": "\#(when)", "lines": [{"line": 0, "amount": \#(amount)}]}"#)
            case 7, 8:
                out.append(#"{"type": "spin", "key": "\#(key)", "member": "\#(member)", "at": "\#(when)"}"#)
            default:
                out.append(#"{"type": "gift-request", "key": "\#(key)", "member": "\#(member)", "item": "mug", "at": "\#(when)"}"#)
            }
        }
        return out.joined(separator: "\n") + "\n"
    }

    // Beside the events, the crash writer's `--loyalty` mode claims till receipts and advances
    // NTAG 424 DNA counters (neither has an event in the replay format); the crash tests check
    // them by these rules.

    /// The branch receipts are issued at: the example program's first.
    public static let receiptBranch = "br-tehran-1"
    public static let receiptTill = "till-1"

    /// Whether a receipt is claimed beside line `index` (after the four enrollments, every 5th).
    public static func claimsReceipt(_ index: Int) -> Bool { index >= 4 && index % 5 == 0 }
    /// The receipt claimed beside line `index` (every 15th line claims the previous one again: replayed).
    public static func receiptNumber(_ index: Int) -> Int { index % 15 == 0 ? index - 5 : index }
    public static func receiptMember(_ index: Int) -> String { "m-\(receiptNumber(index) % 4)" }
    /// The claim's idempotency key (`Receipt.claimKey`).
    public static func receiptKey(_ index: Int) -> String { "receipt:\(receiptBranch):\(receiptTill):r-\(receiptNumber(index))" }
    /// When the receipt was issued (seconds since 1970; claimed 30 s later).
    public static func receiptIssued(_ index: Int) -> Int64 { 1_793_500_000 + Int64(receiptNumber(index)) * 60 }

    public static let sdmUIDs = ["04AA0000000001", "04AA0000000002"]
    /// The counter advanced beside line `index` (every 3rd line, the two cards in turn).
    public static func sdmAdvance(_ index: Int) -> (uid: String, counter: UInt32)? {
        index >= 4 && index % 3 == 0 ? (sdmUIDs[(index / 3) % 2], UInt32(index)) : nil
    }
}
