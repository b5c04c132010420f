import Foundation
import KioskStore
import KioskTestSupport
import Testing

/// Every commit reaches the disk before it is reported: the writer connection runs
/// synchronous=FULL after GRDB's WAL set-up (which sets NORMAL), and each commit syncs the WAL.
@Suite struct DurabilityTests {
    @Test func theWriterConnectionIsFullySynchronousAfterOpening() throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("durable.sqlite")
        // New, then reopened (WAL already set up), then reopened without migrating.
        #expect(try KioskStore(path: path).writerSynchronousLevel() == 2)
        #expect(try KioskStore(path: path).writerSynchronousLevel() == 2)
        #expect(try KioskStore(path: path, options: .init(migrate: false)).writerSynchronousLevel() == 2)
    }

    @Test func everyCommitSyncsTheWAL() throws {
        // Counted by the power-loss VFS in the crash writer (no cut): each of the 120 operations
        // is one commit and must be at least one sync of the WAL. synchronous=NORMAL syncs the WAL
        // only at checkpoints (a handful for this stream).
        let directory = try TemporaryDirectory()
        let path = directory.file("synced.sqlite")
        let operations = 120
        let child = try ChildProcess(executable: try ProductLocator.executable("kiosk-crashwriter"), arguments: [
            "--power-cut-after", "0", "--seed", "1", "--keep", "none", path, "\(operations)", "3",
        ])
        child.waitUntil { $0.finished || $0.failure != nil }
        let seen = child.finish()
        #expect(seen.finished, "\(seen.errors) \(seen.failure ?? "")")
        let syncs = try #require(seen.walSyncs)
        #expect(syncs >= operations, "\(syncs) WAL syncs for \(operations) commits")
    }
}
