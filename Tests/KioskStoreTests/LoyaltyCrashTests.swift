import Foundation
import GRDB
import KioskStore
import KioskTestSupport
import StoreCrashStream
import Testing

/// Crashes under the loyalty service's own operations: the crash writer (`--loyalty`, the example
/// program) replays a hostile stream of enrollments, purchases with offers, credit and vouchers,
/// returns, spins and gift requests, and beside it claims till receipts and advances NTAG 424 DNA
/// counters. It is killed with SIGKILL, or its power is cut by the power-loss VFS at a random
/// write (keeping none, a random part or all of what was not synced). After each crash the store
/// is healthy and holds every event whose commit returned (its transaction or its recorded
/// refusal), every receipt claim and every SDM counter reported; run to the end at last, it ends
/// where an uninterrupted run on a fresh database ends, report for report.
@Suite struct LoyaltyCrashTests {
    static let events = 600
    static let program = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("kiosk/programs/example.json").path

    /// A stream written to a file, its lines' keys, and the report of an uninterrupted run of it.
    struct Fixture {
        let directory: TemporaryDirectory
        let eventsFile: String
        let keys: [Int: String]
        let expected: String
        let writer: String

        init(seed: UInt64) throws {
            directory = try TemporaryDirectory()
            let stream = LoyaltyCrashStream.events(count: LoyaltyCrashTests.events, seed: seed)
            eventsFile = directory.file("events.jsonl")
            try stream.write(toFile: eventsFile, atomically: true, encoding: .utf8)
            keys = LoyaltyCrashTests.keys(stream)
            try #require(keys.count == LoyaltyCrashTests.events + 4, "every line has its key")
            writer = try ProductLocator.executable("kiosk-crashwriter")
            let reference = try ChildProcess(executable: writer, arguments: ["--loyalty", LoyaltyCrashTests.program, eventsFile,
                                                                             directory.file("reference.sqlite")])
            reference.waitUntil { $0.finished || $0.failure != nil }
            expected = try #require(reference.finish().summary, "the reference run reports its summary")
        }

        /// The writer on `path`, with `options` (a power cut) before `--loyalty`.
        func start(_ path: String, options: [String] = []) throws -> ChildProcess {
            try ChildProcess(executable: writer, arguments: options + ["--loyalty", LoyaltyCrashTests.program, eventsFile, path])
        }

        /// The store after a crash: healthy, with every event, receipt claim and counter reported up to `last`.
        func verify(_ path: String, reportedUpTo last: Int, _ context: String) throws {
            #expect(try KioskStore(path: path).check().isHealthy, "after a crash (\(context))")
            let queue = try DatabaseQueue(path: path, configuration: { var c = Configuration(); c.readonly = true; return c }())
            let (present, counters) = try queue.read { db in
                (Set(try String.fetchAll(db, sql: "SELECT idempotency_key FROM business_transactions UNION SELECT idempotency_key FROM loyalty_refusals")),
                 try LoyaltyCrashTests.counters(db))
            }
            try queue.close()
            let missing = last < 0 ? [] : (0...last).filter { !present.contains(keys[$0] ?? "?") }
            #expect(missing.isEmpty, "events reported as committed are missing after a crash (\(context)): lines \(missing.prefix(10))")
            let beside = LoyaltyCrashTests.expectedBeside(upTo: last)
            #expect(beside.receipts.isSubset(of: present),
                    "receipt claims reported are missing after a crash (\(context)): \(beside.receipts.subtracting(present).sorted().prefix(5))")
            for (uid, counter) in beside.counters {
                #expect((counters[uid] ?? 0) >= counter, "the SDM counter of \(uid) went back below \(counter) after a crash (\(context))")
            }
        }

        /// The last run, to the end: the uninterrupted run's report, each receipt claimed once.
        func finish(_ path: String) throws {
            let last = try start(path)
            last.waitUntil { $0.finished || $0.failure != nil }
            let seen = last.finish()
            #expect(seen.finished, "\(seen.failure ?? "")")
            #expect(seen.summary == expected, "the replay resumed after the crashes ended elsewhere than an uninterrupted one")
            let (claims, counters) = try DatabaseQueue(path: path).read { db in
                (try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM business_transactions WHERE idempotency_key LIKE 'receipt:%'") ?? 0,
                 try LoyaltyCrashTests.counters(db))
            }
            let all = LoyaltyCrashTests.expectedBeside(upTo: keys.count - 1)
            #expect(claims == all.receipts.count, "each receipt claimed once: \(claims) claims for \(all.receipts.count) receipts")
            #expect(counters == all.counters)
        }
    }

    /// Each event line's idempotency key, by its index in the file (from 0).
    static func keys(_ stream: String) -> [Int: String] {
        var keys: [Int: String] = [:]
        for (index, line) in stream.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            guard let range = line.range(of: #""key": ""#), let end = line[range.upperBound...].firstIndex(of: "\"") else { continue }
            keys[index] = String(line[range.upperBound..<end])
        }
        return keys
    }

    /// What the store must hold once lines 0...`last` were reported: the receipt claims' keys and
    /// each card's SDM counter at least.
    static func expectedBeside(upTo last: Int) -> (receipts: Set<String>, counters: [String: Int64]) {
        var receipts: Set<String> = [], counters: [String: Int64] = [:]
        guard last >= 0 else { return ([], [:]) }
        for index in 0...last {
            if LoyaltyCrashStream.claimsReceipt(index) { receipts.insert(LoyaltyCrashStream.receiptKey(index)) }
            if let (uid, counter) = LoyaltyCrashStream.sdmAdvance(index) { counters[uid] = max(counters[uid] ?? 0, Int64(counter)) }
        }
        return (receipts, counters)
    }

    static func counters(_ db: Database) throws -> [String: Int64] {
        Dictionary(uniqueKeysWithValues: try Row.fetchAll(db, sql: "SELECT uid, counter FROM sdm_counters").map { ($0[0] as String, $0[1] as Int64) })
    }

    @Test func aPowerCutUnderTheLoyaltyServiceKeepsEveryCommitThatReturnedAndEndsWhereAnUninterruptedRunEnds() throws {
        let fixture = try Fixture(seed: 7)
        let path = fixture.directory.file("power.sqlite")
        var generator = SeededRandom.forTest("aPowerCutUnderTheLoyaltyService")
        let runs = 12
        var cuts = 0, cutsAfterNewCommits = 0, lastReported = -1
        for run in 0..<runs {
            let keep = ["none", "random", "random", "all"][run % 4]
            let cutAfter = run % 3 == 0 ? Int.random(in: 1...150, using: &generator) : Int.random(in: 1...1_200, using: &generator)
            let vfsSeed = UInt64.random(in: 1...UInt64.max, using: &generator)
            let context = "seed \(generator.seed), run \(run): cut after \(cutAfter), keep \(keep), VFS seed \(vfsSeed)"
            let child = try fixture.start(path, options: ["--power-cut-after", "\(cutAfter)", "--seed", "\(vfsSeed)", "--keep", keep])
            child.waitUntil { $0.finished || $0.powerCut || $0.failure != nil }
            let seen = child.finish()
            #expect(seen.errors.isEmpty && seen.failure == nil, "the writer failed (\(context)): \(seen.errors) \(seen.failure ?? "")")
            if seen.powerCut {
                cuts += 1
                if seen.lastOK > lastReported { cutsAfterNewCommits += 1 }
            }
            // Every event reported before the cut, in this run or an earlier one, is there.
            lastReported = max(lastReported, seen.lastOK)
            try fixture.verify(path, reportedUpTo: lastReported, context)
        }
        #expect(cuts >= runs * 3 / 4, "most runs must end in a power cut, not at the end of the stream")
        #expect(cutsAfterNewCommits >= runs / 3, "many cuts must land after the run committed events of its own")
        try fixture.finish(path)
    }

    /// The same stream, the writer killed with SIGKILL at random points (ReplayKillTests does this
    /// to `kiosk engine replay`, without the receipts and counters).
    @Test func aSigkillUnderTheLoyaltyServiceKeepsEveryCommitThatReturned() throws {
        let fixture = try Fixture(seed: 11)
        let path = fixture.directory.file("killed.sqlite")
        var generator = SeededRandom.forTest("aSigkillUnderTheLoyaltyService")
        var lastReported = -1, killsMidStream = 0
        for run in 0..<10 {
            let child = try fixture.start(path)
            let target = min(fixture.keys.count - 1, lastReported + Int.random(in: 1...60, using: &generator))
            child.waitUntil { $0.lastOK >= target || $0.finished || $0.failure != nil }
            usleep(UInt32.random(in: 0...2_000, using: &generator))
            child.kill()
            let seen = child.finish()
            let context = "seed \(generator.seed), run \(run)"
            #expect(seen.errors.isEmpty && seen.failure == nil, "\(context): \(seen.errors) \(seen.failure ?? "")")
            if !seen.finished { killsMidStream += 1 }
            lastReported = max(lastReported, seen.lastOK)
            try fixture.verify(path, reportedUpTo: lastReported, context)
        }
        #expect(killsMidStream >= 5, "most kills must land before the stream finished")
        try fixture.finish(path)
    }

    @Test func theLoyaltyPowerLossTestSeesAWriterThatDoesNotSync() throws {
        // The control: synchronous=OFF loses events it reported at a cut that keeps nothing unsynced.
        let fixture = try Fixture(seed: 7)
        let path = fixture.directory.file("relaxed.sqlite")
        let child = try fixture.start(path, options: ["--power-cut-after", "1500", "--seed", "1", "--keep", "none", "--relaxed"])
        child.waitUntil { $0.finished || $0.powerCut || $0.failure != nil }
        let seen = child.finish()
        #expect(seen.powerCut)
        #expect(seen.lastOK >= 20, "the cut must land after the writer reported events")
        let present = try DatabaseQueue(path: path).read { db in
            Set(try String.fetchAll(db, sql: "SELECT idempotency_key FROM business_transactions UNION SELECT idempotency_key FROM loyalty_refusals"))
        }
        #expect((0...seen.lastOK).contains { !present.contains(fixture.keys[$0] ?? "?") }, "a writer that does not sync loses reported events")
    }
}
