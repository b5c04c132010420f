import Foundation
import KioskTestSupport
import GRDB
import KioskCore
import KioskStore
import StoreCrashStream
import Testing

/// A child process that writes CrashStream's operations, killed with SIGKILL at random points.
/// After every kill the database must hold each operation wholly or not at all, and every
/// operation the child reported as committed.
@Suite struct CrashTests {
    static let operations = 1_000
    static let members = 17
    static let kills = 24

    @Test func sigkillAtRandomPointsNeverLosesNorDoublesMoney() throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("crash.sqlite")
        let writer = try ProductLocator.executable("kiosk-crashwriter")
        var generator = SeededRandom.forTest("sigkillAtRandomPoints")
        var lastCommitted = 0
        var killsMidStream = 0

        for run in 0..<Self.kills {
            let child = try ChildProcess(executable: writer, arguments: [path, "\(Self.operations)", "\(Self.members)"])
            // Half the runs die at a random moment early on (during start-up, WAL recovery, the
            // replay of what is already committed, or the first new operations), half once they
            // have committed a random number of new operations.
            if run % 2 == 0 {
                usleep(UInt32.random(in: 0...60_000, using: &generator))
            } else {
                let target = min(Self.operations - 1, lastCommitted + Int.random(in: 0...80, using: &generator))
                child.waitUntil { $0.lastOK >= target || $0.finished }
                usleep(UInt32.random(in: 0...3_000, using: &generator))
            }
            child.kill()
            let seen = child.finish()
            #expect(seen.errors.isEmpty, "the writer failed (seed \(generator.seed), run \(run)): \(seen.errors)")
            if !seen.finished { killsMidStream += 1 }
            let committed = try verify(path: path, reportedUpTo: seen.lastOK, previous: lastCommitted,
                                       context: "seed \(generator.seed), run \(run)")
            lastCommitted = committed
        }
        #expect(killsMidStream >= Self.kills / 2, "most kills must land before the stream finished")

        // A last run to the end: what was committed before is replayed, never applied twice.
        let child = try ChildProcess(executable: writer, arguments: [path, "\(Self.operations)", "\(Self.members)"])
        child.waitUntil { $0.finished || !$0.errors.isEmpty }
        let seen = child.finish()
        #expect(seen.finished)
        #expect(seen.replayed == lastCommitted, "every operation committed before must be replayed, not reapplied")
        #expect(try verify(path: path, reportedUpTo: Self.operations - 1, previous: lastCommitted) == Self.operations)
    }

    @Test func theOperatingSystemRefusingWritesFailsCleanlyAndLosesNothing() throws {
        // RLIMIT_FSIZE makes the kernel refuse writes past a size, as a full disk does, in a real
        // child process: the store must report a typed error, keep every committed operation
        // whole, and carry on once there is room.
        let directory = try TemporaryDirectory()
        let path = directory.file("full.sqlite")
        let writer = try ProductLocator.executable("kiosk-crashwriter")
        let limited = try ChildProcess(executable: writer, arguments: [path, "\(Self.operations)", "\(Self.members)", "\(2 * 1024 * 1024)"])
        limited.waitUntil { $0.finished || $0.failure != nil }
        let seen = limited.finish()
        #expect(!seen.finished, "the size limit must stop the stream")
        #expect(seen.lastOK >= 5, "the limit must strike in the middle of the stream, not during set-up")
        let failure = try #require(seen.failure)
        #expect(failure.hasPrefix("disk-full:") || failure.hasPrefix("io-error:"), "\(failure)")
        #expect(failure.contains("nothing was written"))
        #expect(seen.exitStatus == 73)
        let committed = try verify(path: path, reportedUpTo: seen.lastOK, previous: 0)
        #expect(committed == seen.lastOK + 1, "exactly the operations reported before the failure are committed")

        let unlimited = try ChildProcess(executable: writer, arguments: [path, "\(Self.operations)", "\(Self.members)"])
        unlimited.waitUntil { $0.finished || !$0.errors.isEmpty }
        let after = unlimited.finish()
        #expect(after.finished)
        #expect(after.replayed == committed)
        #expect(try verify(path: path, reportedUpTo: Self.operations - 1, previous: committed) == Self.operations)
    }

    /// Checks the database after a kill and returns how many operations are committed.
    private func verify(path: String, reportedUpTo lastOK: Int, previous: Int, context: String = "") throws -> Int {
        let outcome = try CrashVerifier(members: Self.members).check(path: path, reportedUpTo: lastOK, previous: previous)
        #expect(outcome.problems.isEmpty, "after a kill (\(context)): \(outcome.problems)")
        return outcome.committed
    }
}
