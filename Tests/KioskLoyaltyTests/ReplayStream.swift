import Foundation
import KioskEngine

/// A deterministic stream of replay events against the example program (JSON Lines), with
/// everything a resumed replay can get wrong: refusals that later events would turn into
/// successes (credit spent before it is earned, returns of more than was bought, spins beyond
/// the coins or the caps), spins, generated voucher codes, gift requests, a raffle draw, sweeps,
/// reminders and moves of the replay's clock.
enum ReplayStream {
    static func lines(count: Int, seed: UInt64) -> [String] {
        var random = SeededRandom(seed: seed)
        func pick(_ n: Int) -> Int { Int(random.next() % UInt64(n)) }
        let members = (0..<6).map { "m-\($0)" }
        let groups = ["dairy", "bakery", "produce", "beverages", "household"]
        var out: [String] = []
        var purchases: [(key: String, member: String, lines: [Int64])] = []
        var day = 0
        let start = Date(timeIntervalSince1970: 1_793_500_000) // 2026-11-02, in the Tehran morning
        func at(_ day: Int, _ minute: Int) -> String {
            ISO8601DateFormatter().string(from: start.addingTimeInterval(TimeInterval(day * 86_400 + minute * 60)))
        }
        for (i, member) in members.enumerated() {
            let referral = i > 0 && i % 2 == 0 ? #", "referralCode": "REF-0""# : ""
            let own = i == 0 ? #", "ownReferralCode": "REF-0""# : ""
            out.append(#"{"type": "enroll", "key": "enroll-\#(member)", "member": "\#(member)", "at": "\#(at(0, i))", "birthday": "1990-11-\#(10 + i * 3)", "groups": \#(i % 3 == 0 ? #"["silver"]"# : "[]")\#(referral)\#(own)}"#)
        }
        for n in 0..<count {
            if pick(4) == 0 { day += 1 + pick(3) }
            let key = "e-\(n)", member = members[pick(members.count)], when = at(day, 60 + n % 600)
            switch pick(20) {
            case 0..<7:
                let amounts = (0...pick(2)).map { _ in Int64(100_000 + pick(200) * 100_000) }
                let lines = amounts.map { #"{"group": "\#(groups[pick(groups.count)])", "amount": \#($0)}"# }.joined(separator: ", ")
                var extra = ""
                if pick(3) == 0 { extra += #", "payWithCredit": \#(100_000 * (1 + pick(30)))"# }
                if pick(5) == 0 { extra += #", "payWithGiftCredit": \#(100_000 * (1 + pick(20)))"# }
                if pick(8) == 0 { extra += #", "voucher": "WELCOME10""# }
                out.append(#"{"type": "purchase", "key": "\#(key)", "member": "\#(member)", "at": "\#(when)", "lines": [\#(lines)]\#(extra)}"#)
                purchases.append((key, member, amounts))
            case 7..<9 where !purchases.isEmpty:
                let p = purchases[pick(purchases.count)]
                let line = pick(p.lines.count)
                let amount = pick(4) == 0 ? p.lines[line] + 1 : max(1, p.lines[line] / Int64(1 + pick(3)))
                out.append(#"{"type": "return", "key": "\#(key)", "member": "\#(p.member)", "purchase": "\#(p.key)", "at": "\#(when)", "lines": [{"line": \#(line), "amount": \#(amount)}]}"#)
            case 9..<12:
                out.append(#"{"type": "spin", "key": "\#(key)", "member": "\#(member)", "at": "\#(when)"}"#)
            case 12:
                out.append(#"{"type": "voucher-issue", "key": "\#(key)", "member": "\#(member)", "template": "prize-50k", "at": "\#(when)"}"#)
            case 13:
                out.append(#"{"type": "gift-credit", "key": "\#(key)", "member": "\#(member)", "occasion": "\#(pick(2) == 0 ? "apology" : "birthday")", "at": "\#(when)"}"#)
            case 14:
                out.append(#"{"type": "gift-request", "key": "\#(key)", "member": "\#(member)", "item": "\#(pick(2) == 0 ? "mug" : "cinema")", "at": "\#(when)"}"#)
            case 15:
                out.append(#"{"type": "behaviour", "key": "\#(key)", "member": "\#(member)", "behaviour": "survey", "at": "\#(when)"}"#)
            case 16:
                out.append(#"{"type": "raffle-draw", "key": "\#(key)", "raffle": "yalda-raffle", "winners": 2, "at": "\#(when)"}"#)
            case 17:
                out.append(#"{"type": "sweep", "key": "\#(key)", "at": "\#(when)"}"#)
            case 18:
                out.append(#"{"type": "expiring", "key": "\#(key)", "within": 30, "at": "\#(when)"}"#)
            default:
                out.append(#"{"type": "purchase", "key": "\#(key)", "member": "\#(member)", "at": "\#(when)", "lines": [{"group": "bakery", "amount": 500000}], "payWithCredit": 2000000}"#)
            }
        }
        return out
    }
}
