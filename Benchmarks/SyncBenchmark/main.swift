// The central API's benchmarks (BENCHMARKS.md quotes the latest figures):
//
// 1. Draining N queued events (default 100,000) from a kiosk's outbox to the reference server
//    over loopback HTTP, on SQLite and (when KIOSK_TEST_POSTGRES_PORT names one) PostgreSQL:
//    events per second and request bytes on the wire per event (gzip included), against a
//    baseline measured in the same run: the same forwarder draining into an uploader that
//    acknowledges everything at once (the kiosk's own cost: reading and marking the outbox).
// 2. The time for the forwarder to notice the central is back after an outage, with the
//    default backoff: from the server accepting again to the first delivered batch.
// 3. The kiosk's database growth per day at 2,000 purchases a day.
//
// usage: sync-bench [--events N] [--rounds N] [--outage SECONDS] [--skip-postgres]
import Foundation
import KioskCentralServer
import KioskCore
import KioskStore
import KioskSync
import Logging
import PostgresNIO

var settings = (events: 100_000, rounds: 3, outage: 20.0, postgres: true)
var arguments = CommandLine.arguments.dropFirst().makeIterator()
while let argument = arguments.next() {
    switch argument {
    case "--events": settings.events = Int(arguments.next()!)!
    case "--rounds": settings.rounds = Int(arguments.next()!)!
    case "--outage": settings.outage = Double(arguments.next()!)!
    case "--skip-postgres": settings.postgres = false
    default: fatalError("unknown option \(argument)")
    }
}

func median(_ values: [Double]) -> Double {
    let sorted = values.sorted()
    return sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
}

/// CPU seconds this process has used, all threads (the kiosk's side and the in-process server;
/// PostgreSQL's own processes are not counted). Robust to a shared machine, unlike wall time.
func processCPUSeconds() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
}

func elapsed(since start: ContinuousClock.Instant) -> Double {
    let d = ContinuousClock.now - start
    return Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
}

let work = NSTemporaryDirectory() + "sync-bench-\(getpid())"
try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
defer { try? FileManager.default.removeItem(atPath: work) }
let branch: BranchID = "tehran-1"
let token = "bench-token-0123456789"

/// A kiosk store with `count` purchases queued, each with an engine-sized body (~600 bytes).
func queuedStore(_ name: String, count: Int) throws -> KioskStore {
    let store = try KioskStore(path: work + "/\(name).sqlite")
    try store.upsertBranch(branch, name: "Tehran 1")
    let member = MemberID(rawValue: "m-bench")
    try store.commit(BusinessOperation(
        idempotencyKey: try IdempotencyKey("enroll-bench"), kind: "enroll", memberID: member, branchID: branch,
        occurredAt: Date(), request: Data("{}".utf8), result: Data("{\"member\":\"m-bench\"}".utf8), postings: [],
        event: .result(type: "member.joined"))) { db in
        try KioskStore.insert(NewMember(id: member, branchID: branch), at: Date(), in: db)
    }
    for index in 0..<count {
        let result = Data("""
            {"programVersion":"2026-11-a","member":"m-bench","branch":"tehran-1","at":"2026-12-01T10:00:00Z","subtotal":\(1_200_000 + index),\
            "lines":[{"productGroup":"coffee","amount":450000,"points":45},{"productGroup":"pastry","amount":750000,"points":75}],\
            "offerDiscount":0,"due":\(1_200_000 + index),"postings":[{"member":"m-bench","account":"points","amount":120,"lot":"lot-\(index)","reason":"award.points"},\
            {"member":"m-bench","account":"credit","amount":12000,"reason":"award.cashback"}],"tier":"silver","coins":1}
            """.utf8)
        try store.commit(BusinessOperation(
            idempotencyKey: try IdempotencyKey("bench-\(index)"), kind: "purchase", memberID: member, branchID: branch,
            programVersion: "2026-11-a", occurredAt: Date(), request: Data("{\"i\":\(index)}".utf8), result: result,
            postings: [LedgerPosting(memberID: member, account: .points, amount: 120)],
            event: .result(type: "purchase.recorded")))
    }
    return store
}

/// Acknowledges every event at once: the kiosk's own cost of a drain.
struct AcceptAll: EventUploader {
    func upload(_ events: [OutboxDeliveryEvent]) async -> DeliveryOutcome {
        .answered(events.map { .init(eventID: $0.eventID, status: .accepted) })
    }
}

final class Server: @unchecked Sendable {
    let storage: any CentralStorage
    var port = 0
    var task: Task<Void, any Error>?
    var background: Task<Void, Never>?

    init(storage: any CentralStorage, background: Task<Void, Never>? = nil) {
        self.storage = storage
        self.background = background
    }

    func start() async throws {
        var logger = Logger(label: "bench")
        logger.logLevel = .critical
        let router = try CentralServer.router(storage: storage, configuration: ConfigurationFiles(directory: work), logger: logger)
        let (stream, continuation) = AsyncStream.makeStream(of: Int.self)
        let app = try CentralServer.application(router: router, host: "127.0.0.1", port: port, logger: logger) { continuation.yield($0) }
        task = Task { try await app.runService(gracefulShutdownSignals: []) }
        for await bound in stream { port = bound; break }
    }

    func stop() async {
        task?.cancel()
        _ = await task?.result
    }
}

func makeStorage(_ backend: String, round: Int) async throws -> Server {
    if backend == "sqlite" {
        let storage = try SQLiteCentralStorage(path: work + "/central-\(round).sqlite")
        try await storage.register(CentralDevice(kioskID: "kiosk-bench", branchID: "tehran-1"), token: token)
        return Server(storage: storage)
    }
    let env = ProcessInfo.processInfo.environment
    var configuration = PostgresClient.Configuration(
        host: env["KIOSK_TEST_POSTGRES_HOST"] ?? "127.0.0.1", port: Int(env["KIOSK_TEST_POSTGRES_PORT"]!)!,
        username: env["KIOSK_TEST_POSTGRES_USER"] ?? "kiosk", password: nil,
        database: env["KIOSK_TEST_POSTGRES_DATABASE"] ?? "postgres", tls: .disable)
    let admin = PostgresCentralStorage(configuration: configuration, logger: Logger(label: "bench"))
    let adminTask = Task { await admin.run() }
    let name = "bench_\(getpid())_\(round)"
    try await admin.client.query(PostgresQuery(unsafeSQL: "CREATE DATABASE \(name)"))
    adminTask.cancel()
    configuration.database = name
    let storage = PostgresCentralStorage(configuration: configuration, logger: Logger(label: "bench"))
    let background = Task { await storage.run() }
    try await storage.migrate()
    try await storage.register(CentralDevice(kioskID: "kiosk-bench", branchID: "tehran-1"), token: token)
    return Server(storage: storage, background: background)
}

print("events per round: \(settings.events), rounds: \(settings.rounds); batches of 500 events / 512 KiB, gzip above 4 KiB")
print()
var backends = ["sqlite"]
if settings.postgres && ProcessInfo.processInfo.environment["KIOSK_TEST_POSTGRES_PORT"] != nil { backends.append("postgres") }
print("| drain | events/s (median) | rounds | bytes on the wire per event | vs baseline | CPU µs per event (median) |")
print("|---|---|---|---|---|---|")
var baselineRates: [Double] = []
var rates: [String: [Double]] = [:]
var cpu: [String: [Double]] = [:]
var bytesPerEvent: [String: Double] = [:]
for round in 0..<settings.rounds {
    // Baseline first, then each backend, alternating within the round.
    let baseStore = try queuedStore("base-\(round)", count: settings.events)
    let start = ContinuousClock.now
    let baseCPU = processCPUSeconds()
    let report = try await Forwarder(store: baseStore, uploader: AcceptAll(), sleep: { _ in }).flush()
    precondition(report.remaining == 0)
    baselineRates.append(Double(settings.events + 1) / elapsed(since: start))
    cpu["baseline", default: []].append((processCPUSeconds() - baseCPU) * 1e6 / Double(settings.events + 1))
    for backend in backends {
        let store = try queuedStore("\(backend)-\(round)", count: settings.events)
        let server = try await makeStorage(backend, round: round)
        try await server.start()
        let counter = WireCounter()
        let client = try CentralClient(endpoint: CentralEndpoint(url: URL(string: "http://127.0.0.1:\(server.port)")!, token: token),
                                       wireCounter: counter)
        let start = ContinuousClock.now
        let startCPU = processCPUSeconds()
        let report = try await Forwarder(store: store, uploader: client, sleep: { _ in }).flush(maxFailures: 3)
        let seconds = elapsed(since: start)
        cpu[backend, default: []].append((processCPUSeconds() - startCPU) * 1e6 / Double(settings.events + 1))
        precondition(report.remaining == 0, "not drained: \(report)")
        let stored = try await server.storage.events(kioskID: "kiosk-bench").count
        precondition(stored == settings.events + 1, "the server holds \(stored)")
        rates[backend, default: []].append(Double(settings.events + 1) / seconds)
        bytesPerEvent[backend] = Double(counter.requestBytes) / Double(settings.events + 1)
        try await client.shutdown()
        await server.stop()
        server.background?.cancel()
    }
}
let baseline = median(baselineRates)
print("| baseline: outbox read + marked, no network | \(Int(baseline)) | \(baselineRates.map { String(Int($0)) }.joined(separator: ", ")) | — | 1.00 | \(Int(median(cpu["baseline"]!))) |")
for backend in backends {
    let value = median(rates[backend]!)
    print("| reference server on \(backend), loopback HTTP | **\(Int(value))** | \(rates[backend]!.map { String(Int($0)) }.joined(separator: ", ")) | \(String(format: "%.0f", bytesPerEvent[backend]!)) | \(String(format: "%.2f", value / baseline)) | \(Int(median(cpu[backend]!))) |")
}

// MARK: 2. noticing the central is back
print()
do {
    let store = try queuedStore("outage", count: 10)
    let server = try await makeStorage("sqlite", round: 99)
    try await server.start()
    let port = server.port
    await server.stop()
    let client = try CentralClient(endpoint: CentralEndpoint(url: URL(string: "http://127.0.0.1:\(port)")!, token: token))
    let forwarder = Forwarder(store: store, uploader: client)
    let running = Task { try await forwarder.run() }
    try await Task.sleep(nanoseconds: UInt64(settings.outage * 1e9))
    let failures = await forwarder.state.consecutiveFailures
    server.port = port
    try await server.start()
    let back = ContinuousClock.now
    while try store.outboxQueueStatus().pending > 0 { try await Task.sleep(nanoseconds: 5_000_000) }
    let noticed = elapsed(since: back)
    running.cancel()
    _ = await running.result
    try await client.shutdown()
    await server.stop()
    print("central back after a \(Int(settings.outage)) s outage (\(failures) failed attempts, default backoff 0.5 s doubling, half jitter, cap 300 s): first delivery \(String(format: "%.2f", noticed)) s after the server listens again")
}

// MARK: 3. disk per day
do {
    let store = try queuedStore("day", count: 0)
    func size() throws -> Int64 {
        let attributes = try FileManager.default.attributesOfItem(atPath: store.path)
        let wal = (try? FileManager.default.attributesOfItem(atPath: store.path + "-wal")[.size] as? Int64) ?? 0
        return (attributes[.size] as! Int64) + (wal ?? 0)
    }
    let before = try size()
    let day = try queuedStore("day2", count: 2_000)
    _ = day
    let attributes = try FileManager.default.attributesOfItem(atPath: work + "/day2.sqlite")
    let wal = (try? FileManager.default.attributesOfItem(atPath: work + "/day2.sqlite-wal"))?[.size] as? Int64 ?? 0
    let after = (attributes[.size] as! Int64) + wal
    print("kiosk database after one day of 2,000 purchases (this benchmark's bodies): \(after - before) bytes "
          + "(\((after - before) / 2_000) bytes per operation, outbox row included; retention prunes delivered outbox rows, "
          + "not the transactions, see docs/central.md)")
}
