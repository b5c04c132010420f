import Foundation
import KioskCore
import KioskEngine
import KioskLoyalty
import KioskStore

/// Measures the loyalty engine (figures go in BENCHMARKS.md; nothing here is a test):
///
/// 1. one purchase evaluated against 1,000 active offers and 50 earning rules, p50 and p99;
/// 2. replaying events end to end through the store (LoyaltyService on a real SQLite file),
///    events per second.
///
/// 3. checking programs, hostile ones included (`ProgramLoadBenchmark`), medians and ratios to
///    the shipped example;
/// 4. a durable purchase for a member with 10 and with 10,000 earlier operations
///    (`HistoryBenchmark`), p50 and p99.
///
/// Usage: `swift run -c release engine-bench [--purchases N] [--events N] [--members N] [--skip-big-replay] [--skip-durable]
/// [--skip-program-check] [--check-rounds N] [--skip-history] [--history N] [--history-samples N] [--only-new]`.
/// `--members` sets the number of members of the first replay (default: one per 50 events); fewer
/// members means a longer history per member.
@main
struct EngineBenchmark {
    static func main() throws {
        let arguments = CommandLine.arguments
        func value(_ name: String, _ fallback: Int) -> Int {
            guard let i = arguments.firstIndex(of: name), i + 1 < arguments.count, let n = Int(arguments[i + 1]) else { return fallback }
            return n
        }
        let purchases = value("--purchases", 5_000)
        let events = value("--events", 20_000)
        if !arguments.contains("--skip-program-check") {
            let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
                .appendingPathComponent("kiosk/programs/example.json")
            ProgramLoadBenchmark.run(example: try Data(contentsOf: url), rounds: value("--check-rounds", 21))
        }
        if !arguments.contains("--skip-history") {
            try HistoryBenchmark.run(try examplePurchaseProgram(), short: 10, long: value("--history", 10_000), samples: value("--history-samples", 300))
        }
        if arguments.contains("--only-new") { return }
        let program = try bigProgram()
        try benchmarkPurchase(program, iterations: purchases)
        let example = try examplePurchaseProgram()
        let members = arguments.contains("--members") ? value("--members", 10) : nil
        try benchmarkReplay(example, name: "example program (5 offers)", events: events, members: members, durable: false)
        if !arguments.contains("--skip-big-replay") {
            try benchmarkReplay(program, name: "1,000 offers", events: min(events, 5_000), durable: false)
        }
        if !arguments.contains("--skip-durable") {
            try benchmarkReplay(example, name: "example program (5 offers)", events: min(events, 5_000), durable: true)
        }
    }

    /// The shipped example program with 50 extra product groups `g0`…`g49` (the replay's events use them).
    static func examplePurchaseProgram() throws -> Program {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("kiosk/programs/example.json")
        var object = try JSONSerialization.jsonObject(with: try Data(contentsOf: url)) as! [String: Any]
        object["productGroups"] = (object["productGroups"] as! [String]) + (0..<50).map { "g\($0)" }
        object["branches"] = (object["branches"] as! [String]) + ["b1"]
        return try ProgramLoader.load(try JSONSerialization.data(withJSONObject: object))
    }

    /// 50 product groups each with its own rate (50 earning rules), 4 time windows, and 1,000
    /// offers whose conditions mix visits, amounts, groups, tiers, customer groups and dates.
    static func bigProgram() throws -> Program {
        let groups = (0..<50).map { "g\($0)" }
        var offers: [[String: Any]] = []
        for i in 0..<1_000 {
            let condition: [String: Any]
            switch i % 5 {
            case 0: condition = ["visitsMoreThan": i % 20]
            case 1: condition = ["all": [["purchaseMoreThan": (i % 50) * 100_000], ["productGroup": [groups[i % 50]]]]]
            case 2: condition = ["any": [["customerGroup": ["silver"]], ["tier": ["gold"]]]]
            case 3: condition = ["dateRange": ["from": "2026-01-01", "until": "2026-12-31"]]
            default: condition = ["all": [["branch": ["b1"]], ["not": ["birthday": ["daysBefore": 3, "daysAfter": 3]]]]]
            }
            let benefit: [String: Any] = i % 3 == 0
                ? ["kind": "discountPercent", "percent": (i % 20) + 1, "productGroups": [groups[i % 50]]]
                : (i % 3 == 1 ? ["kind": "extraCreditPercent", "percent": "\(i % 10).5"] : ["kind": "extraPoints", "points": i % 100 + 1])
            offers.append(["id": "offer-\(i)", "when": condition, "benefit": benefit])
        }
        let object: [String: Any] = [
            "format": 1, "version": "bench", "productGroups": groups, "customerGroups": ["silver"], "branches": ["b1", "b2"],
            "points": [
                "base": ["units": 1, "perRial": 100_000],
                "groups": groups.enumerated().map { ["productGroup": $0.element, "rate": ["units": $0.offset % 5 + 1, "perRial": 100_000]] },
                "windows": [
                    ["id": "happy", "multiplier": 200, "weekdays": [6, 7, 1], "from": "16:00", "until": "18:00"],
                    ["id": "nowruz", "multiplier": 300, "dates": [["calendar": "persian", "month": 1, "day": 1]]],
                    ["id": "night", "multiplier": 150, "from": "22:00", "until": "02:00"],
                    ["id": "g7-days", "multiplier": 120, "productGroups": ["g7"], "weekdays": [2, 4]],
                ],
                "expiry": ["days": 365], "value": ["rial": 1000, "points": 1],
            ],
            "tiers": ["basis": "spend", "windowDays": 365, "levels": [
                ["name": "bronze", "threshold": 0], ["name": "silver", "threshold": 50_000_000, "pointsMultiplier": 125],
                ["name": "gold", "threshold": 200_000_000, "pointsMultiplier": 150]]],
            "cashback": ["percent": 1], "coins": ["rate": ["units": 1, "perRial": 1_000_000]],
            "offers": ["policy": "best", "list": offers],
            "catalogue": [["id": "mug", "title": "Mug", "costCoins": 40, "stock": 1_000_000]],
            "wheel": ["costCoins": 1, "capPerDay": 1000, "segments": [
                ["id": "none", "weight": 60, "prize": ["kind": "nothing"]],
                ["id": "pts", "weight": 40, "prize": ["kind": "points", "amount": 5]]]],
            "returns": ["spentAwardPolicy": "allowNegative"],
        ]
        return try ProgramLoader.load(try JSONSerialization.data(withJSONObject: object))
    }

    static func benchmarkPurchase(_ program: Program, iterations: Int) throws {
        let engine = LoyaltyEngine(program: program)
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "Asia/Tehran")!
        let at = calendar.date(from: DateComponents(year: 2026, month: 11, day: 24, hour: 17))!
        let member = MemberState(memberID: "m", enrolledAt: at.addingTimeInterval(-86_400 * 300), birthday: LocalDate(year: 1990, month: 11, day: 26),
                                 customerGroups: ["silver"], tier: "silver", visits: 12, tierWindowTotal: 60_000_000,
                                 lots: [Lot(id: "c", account: .credit, remaining: 5_000_000, createdAt: at.addingTimeInterval(-1000))])
        let request = PurchaseRequest(key: "p", member: "m", branch: "b1", at: at,
                                      lines: (0..<8).map { PurchaseLine(productGroup: "g\($0 * 6)", amount: Rial(Int64(1_000_000 + $0 * 250_000))) },
                                      payWithCredit: Rial(1_000_000))
        for _ in 0..<200 { _ = try engine.purchase(request, member: member) } // warm-up
        var samples: [Duration] = []
        samples.reserveCapacity(iterations)
        let clock = ContinuousClock()
        var applied = 0
        for _ in 0..<iterations {
            let start = clock.now
            let outcome = try engine.purchase(request, member: member)
            samples.append(clock.now - start)
            applied &+= outcome.decision.applied.count
        }
        samples.sort()
        let p50 = samples[samples.count / 2], p99 = samples[min(samples.count - 1, samples.count * 99 / 100)]
        print("purchase vs 1,000 offers and 50 earning rules (\(iterations) runs, 8 lines): p50 \(micro(p50)) µs, p99 \(micro(p99)) µs, max \(micro(samples.last!)) µs")
        _ = applied
    }

    static func benchmarkReplay(_ program: Program, name: String, events: Int, members: Int? = nil, durable: Bool) throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("engine-bench-\(UUID().uuidString).sqlite").path
        defer { for s in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + s) } }
        let store = try KioskStore(path: path)
        if !durable { try store.relaxDurabilityForThrowawayDatabase() }
        let start = Date(timeIntervalSince1970: 1_790_000_000)
        let service = try LoyaltyService(store: store, program: program, at: start)
        var replayer = try Replayer(service: service, random: SeededRandom(seed: 1), start: start, keepEvents: false)
        let members = members ?? max(10, events / 50)
        var lines: [String] = []
        var generator = SeededRandom(seed: 42)
        for i in 0..<events {
            let at = start.addingTimeInterval(TimeInterval(i * 30))
            let stamp = ISO8601DateFormatter().string(from: at)
            if i < members {
                lines.append(#"{"type":"enroll","member":"m-\#(i)","at":"\#(stamp)"}"#)
                continue
            }
            let m = Int(generator.next() % UInt64(members))
            switch generator.next() % 20 {
            case 0:
                lines.append(#"{"type":"spin","member":"m-\#(m)","at":"\#(stamp)"}"#)
            case 1:
                lines.append(#"{"type":"return","member":"m-\#(m)","purchase":"line-\#(i - 1)","lines":[{"line":0,"amount":100000}],"at":"\#(stamp)"}"#)
            default:
                let g = generator.next() % 50, amount = 100_000 + generator.next() % 20_000_000
                lines.append(#"{"type":"purchase","member":"m-\#(m)","lines":[{"group":"g\#(g)","amount":\#(amount)},{"group":"g\#((g + 7) % 50)","amount":500000}],"at":"\#(stamp)"}"#)
            }
        }
        let clock = ContinuousClock()
        let begin = clock.now
        // The last tenth of the stream timed on its own: how the rate holds as the database grows.
        let lastTenth = lines.count - lines.count / 10
        var lastTenthBegin = begin
        for (i, line) in lines.enumerated() {
            if i == lastTenth { lastTenthBegin = clock.now }
            try replayer.apply(line: line, number: i + 1)
        }
        let elapsed = clock.now - begin
        let tail = clock.now - lastTenthBegin
        let report = try replayer.report(seed: 1)
        // The main file and the write-ahead log not yet checkpointed into it: what the replay wrote.
        let bytes = ["", "-wal"].reduce(Int64(0)) { total, suffix in
            total + (((try? FileManager.default.attributesOfItem(atPath: path + suffix))?[.size] as? NSNumber)?.int64Value ?? 0)
        }
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        let tailSeconds = Double(tail.components.seconds) + Double(tail.components.attoseconds) / 1e18
        print("replay through the store, \(name) (\(durable ? "synchronous=FULL, every commit fsynced" : "synchronous=OFF, throw-away database")): \(events) events (\(members) members, \(report.refusals) refused) in \(String(format: "%.2f", seconds)) s: \(Int(Double(events) / seconds)) events/s (last tenth \(Int(Double(lines.count - lastTenth) / tailSeconds))/s); database \(bytes / 1_048_576) MiB (\(bytes / Int64(max(1, events))) bytes per event); ledger matches for every member: \(report.members.allSatisfy(\.ledgerMatches))")
    }

    static func micro(_ d: Duration) -> String {
        let ns = d.components.seconds * 1_000_000_000 + d.components.attoseconds / 1_000_000_000
        return String(format: "%.1f", Double(ns) / 1000)
    }
}
