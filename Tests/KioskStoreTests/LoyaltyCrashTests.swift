import Foundation
import GRDB
import KioskStore
import KioskTestSupport
import StoreCrashStream
import Testing

/// The power-loss VFS under the loyalty service's own operations: the crash writer replays a
/// hostile stream of enrollments, purchases with offers, credit and vouchers, returns, spins and
/// gift requests (`--loyalty`, the example program), claims till receipts and advances NTAG 424
/// DNA counters beside it, and the power is cut at a random write, keeping none, a random part or
/// all of what was not synced. After every cut the store is healthy and holds every event whose
/// commit returned (its transaction or its recorded refusal), every receipt claim and every SDM
/// counter reported; run to the end at last, it ends where an uninterrupted run on a fresh
/// database ends, report for report.
@Suite struct LoyaltyCrashTests {
    static let events = 600
    static let runs = 12
    static let program = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("kiosk/programs/example.json").path

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
        let directory = try TemporaryDirectory()
        let stream = LoyaltyCrashStream.events(count: Self.events, seed: 7)
        let eventsFile = directory.file("events.jsonl")
        try stream.write(toFile: eventsFile, atomically: true, encoding: .utf8)
        let keys = Self.keys(stream)
        try #require(keys.count == Self.events + 4, "every line has its key")
        let writer = try ProductLocator.executable("kiosk-crashwriter")

        // The reference: one uninterrupted run on a fresh database.
        let reference = try ChildProcess(executable: writer, arguments: ["--loyalty", Self.program, eventsFile, directory.file("reference.sqlite")])
        reference.waitUntil { $0.finished || $0.failure != nil }
        let expected = try #require(reference.finish().summary, "the reference run reports its summary")

        let path = directory.file("power.sqlite")
        var generator = SeededRandom.forTest("aPowerCutUnderTheLoyaltyService")
        var cuts = 0, cutsAfterNewCommits = 0, lastReported = -1
        for run in 0..<Self.runs {
            let keep = ["none", "random", "random", "all"][run % 4]
            let cutAfter = run % 3 == 0 ? Int.random(in: 1...150, using: &generator) : Int.random(in: 1...1_200, using: &generator)
            let vfsSeed = UInt64.random(in: 1...UInt64.max, using: &generator)
            let context = "seed \(generator.seed), run \(run): cut after \(cutAfter), keep \(keep), VFS seed \(vfsSeed)"
            let child = try ChildProcess(executable: writer, arguments: [
                "--power-cut-after", "\(cutAfter)", "--seed", "\(vfsSeed)", "--keep", keep, "--loyalty", Self.program, eventsFile, path,
            ])
            child.waitUntil { $0.finished || $0.powerCut || $0.failure != nil }
            let seen = child.finish()
            #expect(seen.errors.isEmpty && seen.failure == nil, "the writer failed (\(context)): \(seen.errors) \(seen.failure ?? "")")
            if seen.powerCut {
                cuts += 1
                if seen.lastOK > lastReported { cutsAfterNewCommits += 1 }
            }
            lastReported = max(lastReported, seen.lastOK)
            // The store is whole, and every event reported before the cut (in this run or an
            // earlier one) is there: committed, or its refusal recorded under its key.
            do {
                let report = try KioskStore(path: path).check()
                #expect(report.isHealthy, "after a power cut (\(context)): \(report)")
            }
            let queue = try DatabaseQueue(path: path, configuration: { var c = Configuration(); c.readonly = true; return c }())
            let (present, counters) = try queue.read { db in
                (Set(try String.fetchAll(db, sql: "SELECT idempotency_key FROM business_transactions UNION SELECT idempotency_key FROM loyalty_refusals")),
                 try Self.counters(db))
            }
            try queue.close()
            let missing = (0...max(0, lastReported)).filter { lastReported >= 0 && !present.contains(keys[$0] ?? "?") }
            #expect(missing.isEmpty, "events reported as committed are missing after a power cut (\(context)): lines \(missing.prefix(10))")
            let beside = Self.expectedBeside(upTo: lastReported)
            #expect(beside.receipts.subtracting(present).isEmpty,
                    "receipt claims reported are missing after a power cut (\(context)): \(beside.receipts.subtracting(present).sorted().prefix(5))")
            for (uid, counter) in beside.counters {
                #expect((counters[uid] ?? 0) >= counter, "the SDM counter of \(uid) went back below \(counter) after a power cut (\(context))")
            }
        }
        #expect(cuts >= Self.runs * 3 / 4, "most runs must end in a power cut, not at the end of the stream")
        #expect(cutsAfterNewCommits >= Self.runs / 3, "many cuts must land after the run committed events of its own")

        // The power stays on to the end: the same report as the uninterrupted run, byte for byte.
        let last = try ChildProcess(executable: writer, arguments: ["--loyalty", Self.program, eventsFile, path])
        last.waitUntil { $0.finished || $0.failure != nil }
        let seen = last.finish()
        #expect(seen.finished, "\(seen.failure ?? "")")
        #expect(seen.summary == expected, "the replay resumed after the cuts ended elsewhere than an uninterrupted one")
        let final = try DatabaseQueue(path: path).read { db in
            (try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM business_transactions WHERE idempotency_key LIKE 'receipt:%'") ?? 0, try Self.counters(db))
        }
        let all = Self.expectedBeside(upTo: keys.count - 1)
        #expect(final.0 == all.receipts.count, "each receipt claimed once: \(final.0) claims for \(all.receipts.count) receipts")
        #expect(final.1 == all.counters)
    }

    @Test func theLoyaltyPowerLossTestSeesAWriterThatDoesNotSync() throws {
        // The control: synchronous=OFF loses events it reported at a cut that keeps nothing unsynced.
        let directory = try TemporaryDirectory()
        let stream = LoyaltyCrashStream.events(count: Self.events, seed: 7)
        let eventsFile = directory.file("events.jsonl")
        try stream.write(toFile: eventsFile, atomically: true, encoding: .utf8)
        let path = directory.file("relaxed.sqlite")
        let child = try ChildProcess(executable: try ProductLocator.executable("kiosk-crashwriter"), arguments: [
            "--power-cut-after", "1500", "--seed", "1", "--keep", "none", "--relaxed", "--loyalty", Self.program, eventsFile, path,
        ])
        child.waitUntil { $0.finished || $0.powerCut || $0.failure != nil }
        let seen = child.finish()
        #expect(seen.powerCut)
        #expect(seen.lastOK >= 20, "the cut must land after the writer reported events")
        let keys = Self.keys(stream)
        let present = try DatabaseQueue(path: path).read { db in
            Set(try String.fetchAll(db, sql: "SELECT idempotency_key FROM business_transactions UNION SELECT idempotency_key FROM loyalty_refusals"))
        }
        #expect((0...seen.lastOK).contains { !present.contains(keys[$0] ?? "?") }, "a writer that does not sync loses reported events")
    }

    /// The same stream, the writer killed with SIGKILL at random points (ReplayKillTests does this
    /// to `kiosk engine replay`, without the receipts and counters).
    @Test func aSigkillUnderTheLoyaltyServiceKeepsEveryCommitThatReturned() throws {
        let directory = try TemporaryDirectory()
        let stream = LoyaltyCrashStream.events(count: Self.events, seed: 11)
        let eventsFile = directory.file("events.jsonl")
        try stream.write(toFile: eventsFile, atomically: true, encoding: .utf8)
        let keys = Self.keys(stream)
        let writer = try ProductLocator.executable("kiosk-crashwriter")
        let reference = try ChildProcess(executable: writer, arguments: ["--loyalty", Self.program, eventsFile, directory.file("reference.sqlite")])
        reference.waitUntil { $0.finished || $0.failure != nil }
        let expected = try #require(reference.finish().summary)

        let path = directory.file("killed.sqlite")
        var generator = SeededRandom.forTest("aSigkillUnderTheLoyaltyService")
        var lastReported = -1, killsMidStream = 0
        for run in 0..<10 {
            let child = try ChildProcess(executable: writer, arguments: ["--loyalty", Self.program, eventsFile, path])
            let target = min(keys.count - 1, lastReported + Int.random(in: 1...60, using: &generator))
            child.waitUntil { $0.lastOK >= target || $0.finished || $0.failure != nil }
            usleep(UInt32.random(in: 0...2_000, using: &generator))
            child.kill()
            let seen = child.finish()
            #expect(seen.errors.isEmpty && seen.failure == nil, "seed \(generator.seed), run \(run): \(seen.errors) \(seen.failure ?? "")")
            if !seen.finished { killsMidStream += 1 }
            lastReported = max(lastReported, seen.lastOK)
            #expect(try KioskStore(path: path).check().isHealthy, "seed \(generator.seed), run \(run)")
            let (present, counters) = try DatabaseQueue(path: path).read { db in
                (Set(try String.fetchAll(db, sql: "SELECT idempotency_key FROM business_transactions UNION SELECT idempotency_key FROM loyalty_refusals")),
                 try Self.counters(db))
            }
            let missing = (0...max(0, lastReported)).filter { lastReported >= 0 && !present.contains(keys[$0] ?? "?") }
            #expect(missing.isEmpty, "seed \(generator.seed), run \(run): reported events missing: \(missing.prefix(10))")
            let beside = Self.expectedBeside(upTo: lastReported)
            #expect(beside.receipts.isSubset(of: present), "seed \(generator.seed), run \(run): reported receipt claims missing")
            #expect(beside.counters.allSatisfy { (counters[$0.key] ?? 0) >= $0.value }, "seed \(generator.seed), run \(run): an SDM counter went back")
        }
        #expect(killsMidStream >= 5, "most kills must land before the stream finished")
        let last = try ChildProcess(executable: writer, arguments: ["--loyalty", Self.program, eventsFile, path])
        last.waitUntil { $0.finished || $0.failure != nil }
        #expect(last.finish().summary == expected, "the replay resumed after the kills ended elsewhere than an uninterrupted one")
    }
}
