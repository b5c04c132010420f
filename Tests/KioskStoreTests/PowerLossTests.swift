import Foundation
import KioskStore
import KioskTestSupport
import StoreCrashStream
import Testing

/// The crash writer on the power-loss VFS (CPowerLossVFS): at a random write, truncation or sync
/// the power is cut, and of what was not yet synced none, a random part or all reaches the disk.
/// A SIGKILL cannot show a lost commit (the page cache survives a killed process); this can.
@Suite struct PowerLossTests {
    static let operations = 1_000
    static let members = 11
    static let runs = 20

    @Test func aPowerCutAtAnyPointKeepsEveryCommitThatReturned() throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("power.sqlite")
        let writer = try ProductLocator.executable("kiosk-crashwriter")
        let verifier = CrashVerifier(members: Self.members)
        var generator = SeededRandom.forTest("aPowerCutAtAnyPoint")
        var lastCommitted = 0
        var cuts = 0
        var cutsAfterNewCommits = 0

        for run in 0..<Self.runs {
            let keep = ["none", "random", "random", "all"][run % 4]
            // A third of the cuts land early (creating the file, migrating, WAL recovery after the
            // previous cut, replaying what is committed), the rest within the next hundred or so
            // operations (an operation is about 34 writes and syncs: its WAL frames, its sync,
            // and now and then a checkpoint).
            let cutAfter = run % 3 == 0 ? Int.random(in: 1...120, using: &generator) : Int.random(in: 1...3_000, using: &generator)
            let vfsSeed = UInt64.random(in: 1...UInt64.max, using: &generator)
            let context = "seed \(generator.seed), run \(run): cut after \(cutAfter), keep \(keep), VFS seed \(vfsSeed)"
            let child = try ChildProcess(executable: writer, arguments: [
                "--power-cut-after", "\(cutAfter)", "--seed", "\(vfsSeed)", "--keep", keep,
                path, "\(Self.operations)", "\(Self.members)",
            ])
            child.waitUntil { $0.finished || $0.powerCut || $0.failure != nil }
            let seen = child.finish()
            #expect(seen.errors.isEmpty && seen.failure == nil, "the writer failed (\(context)): \(seen.errors) \(seen.failure ?? "")")
            let outcome = try verifier.check(path: path, reportedUpTo: seen.lastOK, previous: lastCommitted)
            #expect(outcome.problems.isEmpty, "after a power cut (\(context)): \(outcome.problems)")
            if seen.powerCut {
                cuts += 1
                if seen.lastOK >= lastCommitted { cutsAfterNewCommits += 1 }
            }
            lastCommitted = outcome.committed
        }
        #expect(cuts >= Self.runs * 3 / 4, "most runs must end in a power cut, not at the end of the stream")
        #expect(cutsAfterNewCommits >= Self.runs / 3, "many cuts must land after the run committed operations of its own")

        // The power stays on to the end: what was committed before is replayed, never applied twice.
        let child = try ChildProcess(executable: writer, arguments: [
            "--power-cut-after", "0", "--seed", "1", "--keep", "none", path, "\(Self.operations)", "\(Self.members)",
        ])
        child.waitUntil { $0.finished || $0.failure != nil }
        let seen = child.finish()
        #expect(seen.finished)
        #expect(seen.replayed == lastCommitted)
        let outcome = try verifier.check(path: path, reportedUpTo: Self.operations - 1, previous: lastCommitted)
        #expect(outcome.problems.isEmpty, "\(outcome.problems)")
        #expect(outcome.committed == Self.operations)
    }

    @Test func thePowerLossTestSeesAWriterThatDoesNotSync() throws {
        // The control: the same writer with synchronous=OFF loses commits it reported at a cut
        // that keeps nothing unsynced. If this passed silently, the test above would prove nothing.
        let directory = try TemporaryDirectory()
        let path = directory.file("relaxed.sqlite")
        let writer = try ProductLocator.executable("kiosk-crashwriter")
        let child = try ChildProcess(executable: writer, arguments: [
            "--power-cut-after", "1500", "--seed", "1", "--keep", "none", "--relaxed",
            path, "\(Self.operations)", "\(Self.members)",
        ])
        child.waitUntil { $0.finished || $0.powerCut || $0.failure != nil }
        let seen = child.finish()
        #expect(seen.powerCut)
        #expect(seen.lastOK >= 20, "the cut must land after the writer reported commits")
        let outcome = try CrashVerifier(members: Self.members).check(path: path, reportedUpTo: seen.lastOK, previous: 0)
        #expect(outcome.problems.contains { $0.hasPrefix("an operation reported as committed is missing") }, "\(outcome.problems)")
    }
}
