import Foundation
import KioskCore
import KioskEngine
import KioskLoyalty
import KioskStore

/// A durable purchase through the store for a member with a short and with a long history: the
/// cost per operation should not grow with the member's history (issue #10: the second within
/// 1.2× of the first). Measured interleaved (short, long, short, long, …) on one store, each
/// purchase committed with the kiosk's own durability; medians and p99.
enum HistoryBenchmark {
    static func run(_ program: Program, short: Int, long: Int, samples: Int) throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("history-bench-\(UUID().uuidString).sqlite").path
        defer { for s in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + s) } }
        let start = Date(timeIntervalSince1970: 1_790_000_000)
        do {
            // Seeding without waiting for the disk; the measurement below opens the file durable.
            let store = try KioskStore(path: path)
            try store.relaxDurabilityForThrowawayDatabase()
            let service = try LoyaltyService(store: store, program: program, at: start)
            try store.upsertBranch("b1", name: "b1")
            for (member, count) in [("m-short", short), ("m-long", long)] {
                try service.enroll(Enrollment(key: "enroll-\(member)", member: MemberID(rawValue: member), branch: "b1", at: start))
                for i in 0..<count {
                    try service.purchase(request("\(member)-seed-\(i)", member, at: start.addingTimeInterval(TimeInterval(60 + i * 60))))
                }
            }
        }
        func bytes() -> Int64 {
            ["", "-wal"].reduce(0) { sum, suffix in
                sum + (((try? FileManager.default.attributesOfItem(atPath: path + suffix))?[.size] as? NSNumber)?.int64Value ?? 0)
            }
        }
        let operations = Int64(2 + short + long)
        print("database after seeding \(operations) operations (2 enrollments, \(short) and \(long) purchases): \(bytes()) bytes, \(bytes() / operations) bytes per operation")
        let store = try KioskStore(path: path)
        let service = try LoyaltyService(store: store, program: program, at: start)
        let clock = ContinuousClock()
        var times: [String: [Duration]] = ["m-short": [], "m-long": []]
        let measuredFrom = start.addingTimeInterval(TimeInterval(60 * (long + 10)))
        for i in 0..<(samples + 20) {
            for member in ["m-short", "m-long"] {
                let request = request("\(member)-run-\(i)", member, at: measuredFrom.addingTimeInterval(TimeInterval(i * 60)))
                let begin = clock.now
                try service.purchase(request)
                if i >= 20 { times[member]!.append(clock.now - begin) } // the first 20 warm up
            }
        }
        func stats(_ member: String) -> (p50: Duration, p99: Duration) {
            let sorted = times[member]!.sorted()
            return (sorted[sorted.count / 2], sorted[min(sorted.count - 1, sorted.count * 99 / 100)])
        }
        let a = stats("m-short"), b = stats("m-long")
        print("durable purchase through the store (\(samples) each, interleaved): member with \(short) earlier operations p50 \(EngineBenchmark.micro(a.p50)) µs, p99 \(EngineBenchmark.micro(a.p99)) µs; with \(long) p50 \(EngineBenchmark.micro(b.p50)) µs, p99 \(EngineBenchmark.micro(b.p99)) µs; ratio of medians \(String(format: "%.2f", ratio(b.p50, a.p50))), of p99 \(String(format: "%.2f", ratio(b.p99, a.p99)))")
    }

    static func request(_ key: String, _ member: String, at: Date) -> PurchaseRequest {
        PurchaseRequest(key: key, member: MemberID(rawValue: member), branch: "b1", at: at,
                        lines: [PurchaseLine(productGroup: "bakery", amount: Rial(1_200_000)), PurchaseLine(productGroup: "dairy", amount: Rial(800_000))])
    }

    static func ratio(_ a: Duration, _ b: Duration) -> Double {
        func seconds(_ d: Duration) -> Double { Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18 }
        return seconds(a) / seconds(b)
    }
}

/// How long checking a program takes, hostile ones included: the bounded reader and the
/// set-based validator keep it linear in the file (issue #10). Medians of `rounds` loads each,
/// with the ratio to the shipped example's median, measured in the same run.
enum ProgramLoadBenchmark {
    static func run(example: Data, rounds: Int) {
        var cases: [(String, Data)] = [("the shipped example (\(example.count) bytes)", example)]
        cases.append(("500 nested [ (refused at depth 32)", Data(String(repeating: "[", count: 500).utf8)))
        var object = try! JSONSerialization.jsonObject(with: example) as! [String: Any]
        func with(_ change: (inout [String: Any]) -> Void) -> Data {
            var copy = object
            change(&copy)
            return try! JSONSerialization.data(withJSONObject: copy)
        }
        func nested(_ depth: Int) -> Data {
            with { program in
                var condition: Any = ["visitsMoreThan": 1]
                for _ in 0..<depth { condition = ["not": condition] }
                var offers = program["offers"] as! [String: Any]
                var list = offers["list"] as! [[String: Any]]
                list[0]["when"] = condition
                offers["list"] = list
                program["offers"] = offers
            }
        }
        cases.append(("500 nested not conditions (refused at depth 32)", nested(500)))
        cases.append(("20 nested not conditions (loads)", nested(20)))
        let groups = (0..<9_990).map { "g\($0)" }
        cases.append(("10,000 product groups, each referenced once (loads)", with { program in
            program["productGroups"] = (program["productGroups"] as! [String]) + groups
            var points = program["points"] as! [String: Any]
            var windows = points["windows"] as! [[String: Any]]
            windows[2]["productGroups"] = groups
            points["windows"] = windows
            program["points"] = points
        }))
        cases.append(("10,000 offers (loads)", with { program in
            var offers = program["offers"] as! [String: Any]
            let one = (offers["list"] as! [[String: Any]])[1]
            offers["list"] = (0..<10_000).map { i in one.merging(["id": "o\(i)"]) { $1 } }
            program["offers"] = offers
        }))
        cases.append(("300,000 offers (refused: over 4 MiB)", with { program in
            var offers = program["offers"] as! [String: Any]
            let one = (offers["list"] as! [[String: Any]])[1]
            offers["list"] = (0..<300_000).map { i in one.merging(["id": "o\(i)"]) { $1 } }
            program["offers"] = offers
        }))
        object = [:]
        let clock = ContinuousClock()
        var baseline: Duration?
        for (name, data) in cases {
            var samples: [Duration] = []
            var outcome = ""
            for _ in 0..<rounds {
                let begin = clock.now
                do {
                    _ = try ProgramLoader.load(data)
                    outcome = "loads"
                } catch {
                    outcome = "refused: \(error.issues.first.map { "\($0.path.prefix(40)): \($0.problem.prefix(60))" } ?? "")"
                }
                samples.append(clock.now - begin)
            }
            samples.sort()
            let median = samples[samples.count / 2]
            if baseline == nil { baseline = median }
            print("program check, \(name), \(data.count) bytes: median \(EngineBenchmark.micro(median)) µs (\(String(format: "%.1f", HistoryBenchmark.ratio(median, baseline!)))× the example) — \(outcome)")
        }
    }
}
