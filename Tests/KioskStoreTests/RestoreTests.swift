import Foundation
import GRDB
import KioskCore
import KioskStore
import KioskTestSupport
import Testing

/// Restore when it is needed: over a damaged file, never from an altered backup, and a refusal
/// that changes nothing.
@Suite struct RestoreTests {
    private func bytes(_ path: String) throws -> Data { try Data(contentsOf: URL(fileURLWithPath: path)) }

    /// A store with a purchase, its backup (with digest), and one purchase after the backup.
    private func storeWithBackup() throws -> (StoreFixture, String) {
        let fixture = try StoreFixture()
        try fixture.store.commit(StoreFixture.purchase("p-1", points: 120))
        let backup = fixture.directory.file("backup.sqlite")
        try fixture.store.backup(to: backup)
        try fixture.store.commit(StoreFixture.purchase("p-2", points: 30))
        return (fixture, backup)
    }

    @Test func aDamagedLiveDatabaseIsReplacedAndKeptAsideNamed() throws {
        let (fixture, backup) = try storeWithBackup()
        let live = fixture.directory.file("live.sqlite")
        try fixture.store.writerCheckpoint()
        try bytes(fixture.path).write(to: URL(fileURLWithPath: live))
        // The first page after the header page (the schema's first table) overwritten.
        let handle = try FileHandle(forUpdating: URL(fileURLWithPath: live))
        try handle.seek(toOffset: 4096)
        try handle.write(contentsOf: Data(repeating: 0xA5, count: 8192))
        try handle.close()
        let damaged = try bytes(live)
        let report = try KioskStore.restore(from: backup, over: live, at: Date(timeIntervalSince1970: 1_800_000_000))
        #expect(report.previousWasDamaged)
        #expect(report.previous == live + ".before-restore-20270115-080000")
        #expect(try bytes(try #require(report.previous)) == damaged, "the damaged file is kept as it was")
        let restored = try KioskStore(path: live)
        #expect(try restored.check().isHealthy)
        #expect(try restored.balances(of: "m0").points == 120)
        #expect(try restored.receipt(for: IdempotencyKey("p-2")) == nil)
    }

    @Test func anUnreadableLiveFileIsReplacedToo() throws {
        let (fixture, backup) = try storeWithBackup()
        let live = fixture.directory.file("garbage.sqlite")
        try Data(String(repeating: "not a database ", count: 400).utf8).write(to: URL(fileURLWithPath: live))
        let report = try KioskStore.restore(from: backup, over: live)
        #expect(report.previousWasDamaged)
        #expect(try KioskStore(path: live).check().isHealthy)
    }

    @Test func aRefusedRestoreLeavesTheLiveFileByteForByte() throws {
        let (fixture, backup) = try storeWithBackup()
        let live = fixture.directory.file("live.sqlite")
        try bytes(fixture.path).write(to: URL(fileURLWithPath: live))
        let before = try bytes(live)
        let broken = fixture.directory.file("broken.sqlite")
        try bytes(backup).write(to: URL(fileURLWithPath: broken))
        try damageMiddlePage(of: broken)
        for (source, requireDigest) in [(broken, false), (fixture.directory.file("missing.sqlite"), true)] {
            #expect(throws: StoreError.self) { try KioskStore.restore(from: source, over: live, requireDigest: requireDigest) }
            #expect(try bytes(live) == before)
            #expect(!FileManager.default.fileExists(atPath: live + "-wal") && !FileManager.default.fileExists(atPath: live + "-shm"))
        }
        // The online restore of an open store refuses without touching it either.
        let livePath = fixture.path
        try fixture.store.writerCheckpoint()
        let openBefore = try bytes(livePath)
        #expect(throws: StoreError.self) { try fixture.store.restore(from: broken, requireDigest: false) }
        #expect(try bytes(livePath) == openBefore)
        #expect(try fixture.store.balances(of: "m0").points == 150)
    }

    @Test func aBackupAlteredByOneByteIsRefusedByItsDigest() throws {
        let (fixture, backup) = try storeWithBackup()
        // An outbox event type, changed in place: the file is still a sound database.
        var data = try bytes(backup)
        let type = Data("purchase.recorded".utf8)
        let at = try #require(data.range(of: type))
        data[at.lowerBound] = UInt8(ascii: "P")
        try data.write(to: URL(fileURLWithPath: backup))
        let error = #expect(throws: StoreError.self) { try fixture.store.restore(from: backup) }
        #expect(error?.code == .corrupt)
        #expect(error?.message.contains("was altered since it was written") == true)
        #expect(try fixture.store.balances(of: "m0").points == 150)
    }

    @Test func aBackupWithAnAlteredLedgerAmountFailsTheFullCheckBeforeReplacingAnything() throws {
        let (fixture, backup) = try storeWithBackup()
        // Altered through SQL (the append-only trigger dropped and put back), then given a
        // matching digest: only the full ledger check can see it.
        let queue = try DatabaseQueue(path: backup)
        try queue.write { db in
            let trigger = try String.fetchOne(db, sql: "SELECT sql FROM sqlite_master WHERE name = 'ledger_no_update'")!
            try db.execute(sql: "DROP TRIGGER ledger_no_update")
            try db.execute(sql: "UPDATE ledger SET amount = amount + 1000 WHERE account = 'points'")
            try db.execute(sql: trigger)
        }
        try queue.close()
        try Self.rewriteDigest(of: backup)
        let error = #expect(throws: StoreError.self) { try fixture.store.restore(from: backup) }
        #expect(error?.message.contains("fails the full check") == true)
        #expect(error?.message.contains("balances differ from their ledger") == true)
        #expect(try fixture.store.balances(of: "m0").points == 150)
    }

    @Test func restoringLeavesTheBackupAsItWasWithNothingBesideIt() throws {
        let (fixture, backup) = try storeWithBackup()
        let before = try bytes(backup)
        try fixture.store.restore(from: backup)
        #expect(try bytes(backup) == before)
        let beside = try FileManager.default.contentsOfDirectory(atPath: fixture.directory.path).filter { $0.hasPrefix("backup.sqlite") }
        #expect(Set(beside) == ["backup.sqlite", "backup.sqlite.sha256"])
        #expect(try fixture.store.balances(of: "m0").points == 120)
    }

    @Test func aBackupWithoutADigestNeedsToBeAcceptedExplicitly() throws {
        let (fixture, backup) = try storeWithBackup()
        try FileManager.default.removeItem(atPath: backup + ".sha256")
        let error = #expect(throws: StoreError.self) { try fixture.store.restore(from: backup) }
        #expect(error?.message.contains("has no digest file") == true)
        try fixture.store.restore(from: backup, requireDigest: false)
        #expect(try fixture.store.balances(of: "m0").points == 120)
    }

    @Test func aBackupIntoAMissingDirectoryIsRefusedAndAnExistingFileIsNamed() throws {
        let fixture = try StoreFixture()
        let error = #expect(throws: StoreError.self) { try fixture.store.backup(to: fixture.directory.file("nowhere/b.sqlite")) }
        #expect(error?.code == .cannotOpen)
        #expect(!FileManager.default.fileExists(atPath: fixture.directory.file("nowhere")))
        try fixture.store.backup(to: fixture.directory.file("b.sqlite"))
        let again = #expect(throws: StoreError.self) { try fixture.store.backup(to: fixture.directory.file("b.sqlite")) }
        #expect(again?.code == .alreadyExists)
    }

    @Test func aRestoreOverADatabaseOpenInAnotherProcessIsRefused() throws {
        let (fixture, backup) = try storeWithBackup()
        let live = fixture.directory.file("busy.sqlite")
        // The crash writer holds the database open while it commits a long stream.
        let child = try ChildProcess(executable: try ProductLocator.executable("kiosk-crashwriter"), arguments: [live, "100000", "3"])
        child.waitUntil(timeout: 30) { $0.lastOK >= 5 }
        let error = #expect(throws: StoreError.self) { try KioskStore.restore(from: backup, over: live) }
        child.kill()
        _ = child.finish()
        #expect(error?.code == .inUse)
        #expect(!FileManager.default.fileExists(atPath: live + ".restoring"))
        // Once it is gone, the same restore goes through.
        #expect(try KioskStore.restore(from: backup, over: live).previous != nil)
    }

    static func rewriteDigest(of path: String) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/sha256sum")
        process.arguments = [path]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let line = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        try line.write(to: URL(fileURLWithPath: path + ".sha256"))
    }
}
