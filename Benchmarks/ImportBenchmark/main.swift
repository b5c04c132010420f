// The member import's speed (see BENCHMARKS.md): a generated CSV of N members (default
// 1,000,000; name, phone, birthday, card, four opening balances, groups) imported into a fresh
// database with batches of --batch rows (default 1,000), against the same import one row per
// transaction (the way it was before batches) on a sample of --baseline rows of the same file, in
// the same run. Reports the wall time of parse and validation and of the commits, rows per second
// and their ratio.
//
// usage: import-bench [--rows N] [--batch N] [--baseline N] [--dir DIR]
import Foundation
import KioskCore
import KioskImport
import KioskStore

var settings = (rows: 1_000_000, batch: MemberImporter.defaultBatchSize, baseline: 5_000, dir: NSTemporaryDirectory())
var arguments = CommandLine.arguments.dropFirst().makeIterator()
while let argument = arguments.next() {
    guard let value = arguments.next() else { fatalError("missing value after \(argument)") }
    switch argument {
    case "--rows": settings.rows = Int(value)!
    case "--batch": settings.batch = Int(value)!
    case "--baseline": settings.baseline = Int(value)!
    case "--dir": settings.dir = value
    default: fatalError("unknown option \(argument)")
    }
}

func seconds(_ body: () throws -> Void) rethrows -> Double {
    let start = ContinuousClock.now
    try body()
    let elapsed = ContinuousClock.now - start
    return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
}

func csv(_ rows: Int) -> String {
    var text = "member_id,name,phone,birthday,card_id,points,credit_rial,gift_credit_rial,coins,groups\n"
    text.reserveCapacity(rows * 110)
    for i in 0..<rows {
        let day = i % 28 + 1, month = i % 12 + 1
        text += "M-\(i),Member \(i),0912\(String(format: "%07d", i % 10_000_000)),19\(60 + i % 40)-\(month < 10 ? "0" : "")\(month)-\(day < 10 ? "0" : "")\(day),"
        text += "uid:04\(String(format: "%012X", i)),\(i % 5_000 + 1),\(i % 7 * 10_000),\(i % 3 * 50_000),\(i % 20),regular;group-\(i % 9)\n"
    }
    return text
}

let work = (settings.dir as NSString).appendingPathComponent("kiosk-import-bench-\(getpid())")
try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
defer { try? FileManager.default.removeItem(atPath: work) }

/// Imports `rows` generated rows in batches of `batch`; returns the seconds until the first batch
/// was committed (parse, validation against the store, one batch) and in all.
func run(_ label: String, rows: Int, batch: Int) throws -> (first: Double, total: Double) {
    let text = csv(rows)
    let path = work + "/\(label).sqlite"
    let store = try KioskStore(path: path)
    let importer = MemberImporter(store: store, branch: "br-1", source: "bench.csv")
    let start = ContinuousClock.now
    var first: Duration?
    var report: ImportReport?
    let total = try seconds {
        report = try importer.run(text, dryRun: false, batchSize: batch, progress: { _, _ in
            if first == nil { first = ContinuousClock.now - start }
        })
    }
    guard let report, report.valid, report.imported.count == rows else { fatalError("\(label): the import did not import every row") }
    let health = try store.check()
    guard health.isHealthy, health.members == rows else { fatalError("\(label): db check: \(health.problemSummary)") }
    let f = first.map { Double($0.components.seconds) + Double($0.components.attoseconds) / 1e18 } ?? total
    return (f, total)
}

print("rows: \(settings.rows), batch: \(settings.batch), baseline sample: \(settings.baseline) rows one per transaction")
let baseline = try run("baseline", rows: settings.baseline, batch: 1)
let batched = try run("batched", rows: settings.rows, batch: settings.batch)
func rate(_ rows: Int, _ s: Double) -> Int { Int(Double(rows) / s) }
print("| import | rows | to the first committed batch | total | rows/s |")
print("|---|---|---|---|---|")
print(String(format: "| one row per transaction (before) | %d | %.2f s | %.2f s | %d |", settings.baseline, baseline.first,
             baseline.total, rate(settings.baseline, baseline.total)))
print(String(format: "| batches of %d | %d | %.2f s | %.2f s | %d |", settings.batch, settings.rows, batched.first,
             batched.total, rate(settings.rows, batched.total)))
print(String(format: "ratio (rows/s, batched / one per transaction): %.1f; goal 1,000,000 rows in under 120 s: %@",
             Double(rate(settings.rows, batched.total)) / Double(max(1, rate(settings.baseline, baseline.total))),
             settings.rows >= 1_000_000 ? (batched.total < 120 ? "met" : "not met") : "not measured at this size"))
