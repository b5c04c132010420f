import Foundation
import KioskTestSupport
import GRDB
import KioskCore
import KioskStore
import Testing

@Suite struct HealthTests {
    @Test func aFreshStoreIsHealthy() throws {
        let fixture = try StoreFixture()
        try fixture.store.commit(StoreFixture.purchase("p-1"))
        let report = try fixture.store.check()
        #expect(report.isHealthy)
        #expect(report.integrity == ["ok"])
        #expect(report.appliedMigrations == KioskStore.knownMigrations)
        #expect(report.members == 3)
        #expect(report.transactions == 4)
        #expect(report.outboxPending == 4)
    }

    @Test func checkFindsACachedBalanceThatDiffersFromTheLedgerAndRebuildRepairsIt() throws {
        let fixture = try StoreFixture()
        try fixture.store.commit(StoreFixture.purchase("p-1", points: 120))
        // Tamper with the cache behind the store's back.
        let pool = try DatabasePool(path: fixture.path)
        try pool.write { try $0.execute(sql: "UPDATE balances SET amount = 999 WHERE member_id = 'm0' AND account = 'points'") }
        let report = try fixture.store.check()
        #expect(!report.isHealthy)
        #expect(report.balanceMismatches == [.init(memberID: "m0", account: "points", cached: 999, ledger: 120)])
        #expect(try fixture.store.rebuildBalances() == 1)
        #expect(try fixture.store.check().isHealthy)
        #expect(try fixture.store.balances(of: "m0").points == 120)
    }

    @Test func checkFindsABalanceWithNoLedgerBehindIt() throws {
        let fixture = try StoreFixture()
        let pool = try DatabasePool(path: fixture.path)
        try pool.write { try $0.execute(sql: "INSERT INTO balances VALUES ('m1', 'coins', 50)") }
        #expect(try fixture.store.check().balanceMismatches == [.init(memberID: "m1", account: "coins", cached: 50, ledger: 0)])
    }

    @Test func aDatabaseFromANewerKioskIsRefused() throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("newer.sqlite")
        _ = try KioskStore(path: path)
        let pool = try DatabasePool(path: path)
        try pool.write { try $0.execute(sql: "INSERT INTO grdb_migrations VALUES ('9999-from-the-future')") }
        try pool.close()
        let error = #expect(throws: StoreError.self) { try KioskStore(path: path) }
        #expect(error?.code == .newerSchema)
    }

    @Test func garbageIsNotOpenedAsADatabase() throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("garbage.sqlite")
        try Data(repeating: 0x5A, count: 8192).write(to: URL(fileURLWithPath: path))
        let error = #expect(throws: StoreError.self) { try KioskStore(path: path) }
        #expect(error?.code == .corrupt)
    }
}

@Suite struct FailingMediaTests {
    @Test func aReadOnlyStoreRefusesWritesClearlyAndWritesNothing() throws {
        let fixture = try StoreFixture()
        let before = try fixture.counts()
        let readOnly = try KioskStore(path: fixture.path, mode: .readOnly)
        let error = #expect(throws: StoreError.self) { try readOnly.commit(StoreFixture.purchase("p-ro")) }
        #expect(error?.code == .readOnly)
        #expect(error?.message.contains("nothing was written") == true)
        #expect(try fixture.counts() == before)
    }

    @Test func aFullDiskFailsTheWholeOperationAndTheStoreRecovers() throws {
        // The store's size cap fails writes with SQLITE_FULL exactly as a full disk does.
        let fixture = try StoreFixture(members: 1)
        let startBytes = try fixture.store.check().fileBytes
        let capped = try KioskStore(path: fixture.path, options: .init(maxSizeBytes: startBytes + 200 * 1024))
        var committed = 0
        var failure: StoreError?
        let big = String(repeating: "x", count: 3_000)
        while failure == nil && committed < 10_000 {
            do {
                try capped.commit(StoreFixture.purchase("fill-\(committed)", request: "{\"pad\":\"\(big)\",\"n\":\(committed)}"))
                committed += 1
            } catch let error as StoreError {
                failure = error
            }
        }
        #expect(failure?.code == .diskFull)
        #expect(committed > 0)
        // Everything before the failure is whole, the failed operation left no trace.
        let report = try fixture.store.check()
        #expect(report.isHealthy)
        #expect(report.transactions == 1 + committed)
        #expect(try fixture.store.receipt(for: IdempotencyKey("fill-\(committed)")) == nil)
        #expect(try fixture.store.balances(of: "m0").points == Int64(committed) * 120)
        // With room again, the same operation commits.
        #expect(try !fixture.store.commit(StoreFixture.purchase("fill-\(committed)", request: "{\"pad\":\"\(big)\",\"n\":\(committed)}")).replayed)
    }
}

@Suite struct BackupTests {
    @Test func aBackupRestoresTheStoreAsItWas() throws {
        let fixture = try StoreFixture()
        try fixture.store.commit(StoreFixture.purchase("p-1", points: 120))
        let backup = fixture.directory.file("backup.sqlite")
        try fixture.store.backup(to: backup)
        try fixture.store.commit(StoreFixture.purchase("p-2", points: 30))
        #expect(try fixture.store.balances(of: "m0").points == 150)
        try fixture.store.restore(from: backup)
        #expect(try fixture.store.balances(of: "m0").points == 120)
        #expect(try fixture.store.receipt(for: IdempotencyKey("p-2")) == nil)
        #expect(try fixture.store.check().isHealthy)
    }

    @Test func backupNeverOverwritesAFile() throws {
        let fixture = try StoreFixture()
        let target = fixture.directory.file("exists.sqlite")
        try Data("keep me".utf8).write(to: URL(fileURLWithPath: target))
        #expect(throws: StoreError.self) { try fixture.store.backup(to: target) }
        #expect(try String(contentsOfFile: target, encoding: .utf8) == "keep me")
    }

    @Test func aDamagedBackupIsRefusedAndTheLiveStoreIsUntouched() throws {
        let fixture = try StoreFixture()
        try fixture.store.commit(StoreFixture.purchase("p-1"))
        let backup = fixture.directory.file("backup.sqlite")
        try fixture.store.backup(to: backup)
        try damageMiddlePage(of: backup)
        let before = try fixture.counts()
        let error = #expect(throws: StoreError.self) { try fixture.store.restore(from: backup) }
        #expect(error?.code == .corrupt)
        #expect(try fixture.counts() == before)
        #expect(try fixture.store.check().isHealthy)
    }

    @Test func aForeignSQLiteFileIsRefused() throws {
        let fixture = try StoreFixture()
        let other = fixture.directory.file("other.sqlite")
        let queue = try DatabaseQueue(path: other)
        try queue.write { try $0.execute(sql: "CREATE TABLE notes (body TEXT)") }
        try queue.close()
        let error = #expect(throws: StoreError.self) { try fixture.store.restore(from: other, requireDigest: false) }
        #expect(error?.code == .corrupt)
        #expect(error?.message.contains("not a kiosk database") == true)
    }
}

@Suite struct QuickCheckTests {
    @Test func aSoundStoreIsHealthyAndItsOutboxDepthIsCounted() throws {
        let fixture = try StoreFixture()
        try fixture.store.commit(StoreFixture.purchase("p-1"))
        let report = try fixture.store.quickCheck()
        #expect(report.isHealthy)
        #expect(report.outboxPending == 4)
    }

    @Test func aDamagedFileFailsTheQuickCheck() throws {
        let fixture = try StoreFixture()
        for i in 0..<50 { try fixture.store.commit(StoreFixture.purchase("p-\(i)")) }
        let copy = fixture.directory.file("copy.sqlite")
        try fixture.store.backup(to: copy)
        try damageMiddlePage(of: copy)
        do {
            let damaged = try KioskStore(path: copy, mode: .readOnly)
            #expect(try !damaged.quickCheck().isHealthy)
        } catch let error as StoreError {
            #expect(error.code == .corrupt)
        }
    }
}

/// Overwrites a page in the middle of a database file with garbage.
func damageMiddlePage(of path: String) throws {
    let handle = try FileHandle(forUpdating: URL(fileURLWithPath: path))
    let size = try handle.seekToEnd()
    try handle.seek(toOffset: size / 2)
    try handle.write(contentsOf: Data(repeating: 0xA5, count: 4096))
    try handle.close()
}
