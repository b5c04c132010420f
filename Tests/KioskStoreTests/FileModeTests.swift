import Foundation
import KioskStore
import KioskTestSupport
import Testing

/// The database, its WAL and shared-memory files, and backups hold personal data: only their
/// owner may read them.
@Suite struct FileModeTests {
    private func mode(_ path: String) throws -> Int {
        ((try FileManager.default.attributesOfItem(atPath: path))[.posixPermissions] as? NSNumber)?.intValue ?? -1
    }

    @Test func theDatabaseItsWALAndBackupsAreCreatedOwnerOnly() throws {
        let fixture = try StoreFixture()
        try fixture.store.commit(StoreFixture.purchase("p-1"))
        #expect(try mode(fixture.path) == 0o600)
        #expect(try mode(fixture.path + "-wal") == 0o600)
        #expect(try mode(fixture.path + "-shm") == 0o600)
        let backup = fixture.directory.file("b.sqlite")
        try fixture.store.backup(to: backup)
        #expect(try mode(backup) == 0o600)
        #expect(try mode(backup + ".sha256") == 0o600)
        let live = fixture.directory.file("restored.sqlite")
        _ = try KioskStore.restore(from: backup, over: live)
        #expect(try mode(live) == 0o600)
    }
}
