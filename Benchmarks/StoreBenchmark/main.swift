// The store's benchmarks (see BENCHMARKS.md for the latest figures and how to run them):
//
// 1. Durable "record a purchase" operations per second (transaction + 3 ledger rows + audit +
//    outbox rows, one SQLite transaction each, synchronous=FULL in WAL mode) against raw SQLite
//    durable single-row inserts with the same pragmas, measured in alternating rounds of the same
//    run, reported as medians and their ratio.
// 2. Member lookup by card id with N members (default 1,000,000): p50 and p99 latency, and the
//    database size per member.
//
// usage: store-bench [--members N] [--ops N] [--rounds N] [--dir DIR]
import Foundation
import GRDB
import GRDBSQLite
import KioskCore
import KioskStore

var settings = (members: 1_000_000, ops: 1_000, rounds: 5, dir: NSTemporaryDirectory())
var argumentIterator = CommandLine.arguments.dropFirst().makeIterator()
while let argument = argumentIterator.next() {
    guard let value = argumentIterator.next() else { fatalError("missing value after \(argument)") }
    switch argument {
    case "--members": settings.members = Int(value)!
    case "--ops": settings.ops = Int(value)!
    case "--rounds": settings.rounds = Int(value)!
    case "--dir": settings.dir = value
    default: fatalError("unknown option \(argument)")
    }
}

func median(_ values: [Double]) -> Double {
    let sorted = values.sorted()
    return sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
}

func percentile(_ sorted: [Double], _ p: Double) -> Double {
    sorted[min(sorted.count - 1, Int((Double(sorted.count) * p).rounded(.up)) - 1)]
}

func seconds(_ body: () throws -> Void) rethrows -> Double {
    let start = ContinuousClock.now
    try body()
    let elapsed = ContinuousClock.now - start
    return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
}

let workDirectory = (settings.dir as NSString).appendingPathComponent("kiosk-bench-\(getpid())")
try FileManager.default.createDirectory(atPath: workDirectory, withIntermediateDirectories: true)
defer { try? FileManager.default.removeItem(atPath: workDirectory) }

// MARK: 1. durable purchases vs raw durable inserts

/// Raw SQLite through its C API: one durable single-row INSERT per transaction, same pragmas.
final class RawInserter {
    var db: OpaquePointer?
    var statement: OpaquePointer?
    var next = 0

    init(path: String) {
        precondition(sqlite3_open(path, &db) == SQLITE_OK)
        for pragma in ["PRAGMA journal_mode = WAL", "PRAGMA synchronous = FULL", "PRAGMA foreign_keys = ON",
                       "CREATE TABLE t (id INTEGER PRIMARY KEY, key TEXT NOT NULL UNIQUE, amount INTEGER NOT NULL, at TEXT NOT NULL)"] {
            precondition(sqlite3_exec(db, pragma, nil, nil, nil) == SQLITE_OK)
        }
        precondition(sqlite3_prepare_v2(db, "INSERT INTO t (key, amount, at) VALUES (?, ?, ?)", -1, &statement, nil) == SQLITE_OK)
    }

    func insert() {
        let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
        precondition(sqlite3_exec(db, "BEGIN IMMEDIATE", nil, nil, nil) == SQLITE_OK)
        sqlite3_bind_text(statement, 1, "raw-\(next)", -1, transient)
        sqlite3_bind_int64(statement, 2, Int64(next))
        sqlite3_bind_text(statement, 3, "2026-11-24 10:00:00.000", -1, transient)
        precondition(sqlite3_step(statement) == SQLITE_DONE)
        sqlite3_reset(statement)
        precondition(sqlite3_exec(db, "COMMIT", nil, nil, nil) == SQLITE_OK)
        next += 1
    }

    deinit {
        sqlite3_finalize(statement)
        sqlite3_close(db)
    }
}

let purchaseStore = try KioskStore(path: workDirectory + "/purchases.sqlite")
try purchaseStore.upsertBranch("b1", name: "Bench")
try purchaseStore.upsertOperator("op1", displayName: "Bench cashier", role: .cashier, pinHash: nil, branchID: "b1")
for m in 0..<100 {
    let id = MemberID(rawValue: "m\(m)")
    try purchaseStore.commit(BusinessOperation(
        idempotencyKey: try IdempotencyKey("enroll-\(m)"), kind: "enroll", memberID: id, branchID: "b1",
        occurredAt: Date(), request: Data(), result: Data(), postings: [],
        event: OutboxEvent(type: "member.joined", payload: Data()))) { db in
        try KioskStore.insert(NewMember(id: id, branchID: "b1"), at: Date(), in: db)
    }
}
var purchaseCounter = 0
@MainActor func recordPurchase() throws {
    let i = purchaseCounter
    purchaseCounter += 1
    let member = MemberID(rawValue: "m\(i % 100)")
    let request = Data("{\"amount\":\(1_000_000 + i),\"member\":\"\(member)\"}".utf8)
    try purchaseStore.commit(BusinessOperation(
        idempotencyKey: try IdempotencyKey("purchase-\(i)"), kind: "purchase", memberID: member, branchID: "b1",
        operatorID: "op1", programVersion: "bench", occurredAt: Date(), request: request, result: Data("{\"points\":10}".utf8),
        postings: [
            LedgerPosting(memberID: member, account: .points, amount: 100, lotID: LotID(rawValue: "lot-\(i)"),
                          expiresAt: Date().addingTimeInterval(86_400 * 365)),
            LedgerPosting(memberID: member, account: .credit, amount: 5_000),
            LedgerPosting(memberID: member, account: .coins, amount: 1),
        ],
        audit: AuditEntry(operatorID: "op1", role: .cashier, action: "purchase.record", subject: member.rawValue),
        event: .result(type: "purchase.recorded")))  // as the loyalty service commits: the payload is the result, stored once
}
let raw = RawInserter(path: workDirectory + "/raw.sqlite")
// Warm up both paths.
for _ in 0..<20 { try recordPurchase(); raw.insert() }

var storeRates: [Double] = []
var rawRates: [Double] = []
for _ in 0..<settings.rounds {
    let rawTime = seconds { for _ in 0..<settings.ops { raw.insert() } }
    rawRates.append(Double(settings.ops) / rawTime)
    let storeTime = try seconds { for _ in 0..<settings.ops { try recordPurchase() } }
    storeRates.append(Double(settings.ops) / storeTime)
}
let storeMedian = median(storeRates)
let rawMedian = median(rawRates)
print("## Durable writes (\(settings.rounds) alternating rounds of \(settings.ops))")
print("")
print("| path | median ops/s | rounds |")
print("|---|---|---|")
print("| record a purchase (tx + 3 ledger + audit + outbox, one transaction) | \(Int(storeMedian)) | \(storeRates.map { String(Int($0)) }.joined(separator: ", ")) |")
print("| raw SQLite single-row durable insert | \(Int(rawMedian)) | \(rawRates.map { String(Int($0)) }.joined(separator: ", ")) |")
print("")
print(String(format: "ratio (purchase / raw insert): %.2f (goal ≥ 0.5)", storeMedian / rawMedian))
print("")

// MARK: 2. member lookup by card id with many members

let lookupPath = workDirectory + "/members.sqlite"
let lookupStore = try KioskStore(path: lookupPath)
try lookupStore.upsertBranch("b1", name: "Bench")
let populate = try seconds {
    let pool = try DatabasePool(path: lookupPath)
    try pool.write { db in
        let member = try db.makeStatement(sql: """
            INSERT INTO members (id, enrolled_at, enrolled_branch, referral_code, customer_groups) VALUES (?, ?, 'b1', ?, '[]')
            """)
        let personal = try db.makeStatement(sql: """
            INSERT INTO member_personal (member_id, name, phone, birthday) VALUES (?, ?, ?, ?)
            """)
        let card = try db.makeStatement(sql: "INSERT INTO cards (id, member_id, kind, bound_at) VALUES (?, ?, 'ntag215', ?)")
        let now = Date()
        for i in 0..<settings.members {
            let id = String(format: "m%08d", i)
            try member.execute(arguments: [id, now, String(format: "R%07X", i)])
            try personal.execute(arguments: [id, "Member \(i)", String(format: "0912%07d", i), "1990-01-01"])
            try card.execute(arguments: [String(format: "uid:04%012X", UInt64(i) &* 2_654_435_761 % 0xFFFF_FFFF_FFFF), id, now])
        }
    }
    try pool.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA wal_checkpoint(TRUNCATE)") }
}
let fileBytes = (try FileManager.default.attributesOfItem(atPath: lookupPath)[.size] as! NSNumber).int64Value
var generator = SystemRandomNumberGenerator()
let lookups = 100_000
var latencies: [Double] = []
latencies.reserveCapacity(lookups)
var found = 0
for _ in 0..<2_000 { _ = try lookupStore.member(byCard: "uid:04000000000000") }
for _ in 0..<lookups {
    let i = Int.random(in: 0..<settings.members, using: &generator)
    let card = CardID(rawValue: String(format: "uid:04%012X", UInt64(i) &* 2_654_435_761 % 0xFFFF_FFFF_FFFF))
    let start = ContinuousClock.now
    let result = try lookupStore.member(byCard: card)
    let elapsed = ContinuousClock.now - start
    if result != nil { found += 1 }
    latencies.append(Double(elapsed.components.attoseconds) / 1e12 + Double(elapsed.components.seconds) * 1e6)
}
precondition(found == lookups, "every looked-up card must resolve to a member (found \(found))")
latencies.sort()
print("## Member lookup by card id (\(settings.members) members with personal data and a card each)")
print("")
print(String(format: "populated in %.1f s; %d lookups of random cards through KioskStore.member(byCard:)", populate, lookups))
print("")
print("| p50 | p99 | p99.9 | max |")
print("|---|---|---|---|")
print(String(format: "| %.1f µs | %.1f µs | %.1f µs | %.1f µs |", percentile(latencies, 0.5), percentile(latencies, 0.99),
             percentile(latencies, 0.999), latencies.last!))
print("")
print(String(format: "database size: %.1f MiB, %.0f bytes per member (member, personal data, one card, indexes)",
             Double(fileBytes) / 1_048_576, Double(fileBytes) / Double(settings.members)))
