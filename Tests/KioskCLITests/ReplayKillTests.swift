import Foundation
import StoreCrashStream
import Testing

/// `kiosk engine replay --db` killed with SIGKILL while it commits, then run again with the same
/// arguments, ends exactly where one uninterrupted run ends: the same summary, byte for byte.
/// The stream has refusals that later events in the file would turn into successes (credit spent
/// before an earlier-dated purchase later in the file earns it, spins without coins), so a rerun
/// that decided a refused event again would end elsewhere.
@Suite struct ReplayKillTests {
    /// The hostile stream the crash tests share (`LoyaltyCrashStream`).
    static func stream(count: Int, seed: UInt64) -> String { LoyaltyCrashStream.events(count: count, seed: seed) }

    /// Waits for a process without blocking a thread of the cooperative pool.
    static func exit(of process: Process, stdout: Pipe) async -> (Int32, Process.TerminationReason, Data) {
        let collected = OutputCollector()
        stdout.fileHandleForReading.readabilityHandler = { handle in collected.append(handle.availableData) }
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            process.terminationHandler = { _ in continuation.resume() }
            if !process.isRunning { process.terminationHandler = nil; continuation.resume() }
        }
        stdout.fileHandleForReading.readabilityHandler = nil
        collected.append(stdout.fileHandleForReading.availableData)
        return (process.terminationStatus, process.terminationReason, collected.data)
    }

    final class OutputCollector: @unchecked Sendable {
        private let lock = NSLock()
        private var bytes = Data()
        func append(_ data: Data) { lock.withLock { bytes.append(data) } }
        var data: Data { lock.withLock { bytes } }
    }

    @Test func aReplayKilledWithSIGKILLAndRunAgainEndsWhereAnUninterruptedRunEnds() async throws {
        let kiosk = try KioskProcess()
        defer { kiosk.cleanUp() }
        let events = try kiosk.file("hostile.jsonl", Self.stream(count: 1_500, seed: 2026))
        func arguments(_ db: String) -> [String] {
            ["engine", "replay", "--program", EngineCommandTests.program, "--events", events, "--seed", "42", "--db", db, "--summary"]
        }
        let reference = kiosk.home + "/reference.sqlite"
        let began = ContinuousClock.now
        let (p0, o0, _) = try kiosk.start(arguments(reference))
        let (status0, _, expected) = await Self.exit(of: p0, stdout: o0)
        // The kills land within the time an uninterrupted run takes here (between a tenth of it
        // and nine tenths): a fixed range let a fast machine finish before either kill.
        let runMilliseconds = UInt64(max(100, (ContinuousClock.now - began).components.seconds * 1000
            + (ContinuousClock.now - began).components.attoseconds / 1_000_000_000_000_000))
        try #require(status0 == 0)
        let summary = try #require(try JSONSerialization.jsonObject(with: expected) as? [String: Any])
        #expect((summary["refusals"] as? Int ?? 0) > 50, "the stream is hostile: \(summary["refusals"] ?? "?") refusals")

        var seed: UInt64 = UInt64(ProcessInfo.processInfo.environment["KIOSK_TEST_SEED"] ?? "") ?? UInt64.random(in: 1...1_000_000)
        print("ReplayKillTests seed \(seed) (KIOSK_TEST_SEED=\(seed) replays it); an uninterrupted run took \(runMilliseconds) ms")
        // Halved each time the first trial's runs all ended before their kill (the reference run
        // was slowed by other tests running beside it).
        var scale: UInt64 = 1
        func delay() -> UInt64 {
            seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return (runMilliseconds / 10 + (seed >> 33) % (runMilliseconds * 8 / 10)) / scale
        }
        var trial = 0, attempts = 0
        while trial < 3 {
            attempts += 1
            let db = kiosk.home + "/killed-\(trial)-\(attempts).sqlite"
            var kills = 0
            for _ in 0..<2 {
                let (process, out, _) = try kiosk.start(arguments(db))
                // The kill is timed by a dispatch timer, not a sleeping task: under load the
                // cooperative pool resumed a sleeping test long after the replay had ended.
                let pid = process.processIdentifier
                DispatchQueue.global().asyncAfter(deadline: .now() + .milliseconds(Int(delay()))) {
                    if process.isRunning { kill(pid, SIGKILL) }
                }
                let (_, reason, _) = await Self.exit(of: process, stdout: out)
                if reason == .uncaughtSignal { kills += 1 }
            }
            if trial == 0, kills == 0, attempts < 5 {
                scale *= 2
                continue
            }
            let (process, out, _) = try kiosk.start(arguments(db))
            let (status, _, output) = await Self.exit(of: process, stdout: out)
            #expect(status == 0, "trial \(trial)")
            #expect(output == expected, "trial \(trial) after \(kills) kills: the resumed replay ended elsewhere")
            #expect(try kiosk.run("db", "check", "--db", db).status == 0, "trial \(trial)")
            if trial == 0 { #expect(kills > 0, "no run was killed part-way in \(attempts) attempts: the kill came after the end") }
            trial += 1
        }
    }
}
