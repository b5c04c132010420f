import Foundation
import GRDB
import KioskTestSupport
import Testing

/// `store.file_mode`: the database, its WAL and shared memory, backups and their digests, and a
/// restored database are readable by the service's group with "0640", whatever the umask, and by
/// their owner alone by default; a database made with another mode is given the configured one.
@Suite struct StoreFileModeCommandTests {
    private func mode(_ path: String) -> Int {
        ((try? FileManager.default.attributesOfItem(atPath: path))?[.posixPermissions] as? NSNumber)?.intValue ?? -1
    }

    /// `kiosk ARGS` under `umask 077` (the strictest a service manager sets).
    @discardableResult
    private func kioskUnderStrictUmask(_ kiosk: KioskProcess, _ arguments: [String]) throws -> KioskProcess.Result {
        try kiosk.run(through: ["/bin/sh", "-c", "umask 077; exec \"$0\" \"$@\""], arguments)
    }

    /// `kiosk ARGS` as user nobody in the group `gid` (a technician's tool of the service group).
    private func asNobody(inGroup gid: UInt32, _ kiosk: KioskProcess, _ arguments: [String]) throws -> KioskProcess.Result {
        try kiosk.run(through: ["/usr/bin/setpriv", "--reuid=65534", "--regid=\(gid)", "--clear-groups"], arguments)
    }

    @Test func theServiceGroupMayReadTheDatabaseAndItsBackupsWhateverTheUmask() throws {
        var kiosk = try KioskProcess()
        defer { kiosk.cleanUp() }
        let database = kiosk.home + "/state/kiosk.sqlite"
        kiosk.environment["KIOSK_CONFIG"] = try kiosk.file("k.toml", """
            [store]
            path = "\(database)"
            backup_directory = "\(kiosk.home)/backups"
            file_mode = "0640"
            """)
        let migrated = try kioskUnderStrictUmask(kiosk, ["db", "migrate"])
        #expect(migrated.status == 0, "\(migrated.stderr)")
        #expect(mode(database) == 0o640)
        // The WAL and shared memory exist while the database is open (the last close removes them).
        let open = try DatabasePool(path: database)
        try open.write { db in try db.execute(sql: "PRAGMA user_version = user_version") }
        #expect(mode(database + "-wal") == 0o640, "SQLite gives the WAL the database's mode")
        #expect(mode(database + "-shm") == 0o640)
        try open.close()
        let backup = try kioskUnderStrictUmask(kiosk, ["db", "backup", "--json"])
        #expect(backup.status == 0, "\(backup.stderr)")
        let made = try #require(try FileManager.default.contentsOfDirectory(atPath: kiosk.home + "/backups").first { $0.hasSuffix(".sqlite") })
        #expect(mode(kiosk.home + "/backups") == 0o750)
        #expect(mode(kiosk.home + "/backups/" + made) == 0o640)
        #expect(mode(kiosk.home + "/backups/" + made + ".sha256") == 0o640)
        let restored = try kioskUnderStrictUmask(kiosk, ["db", "restore", kiosk.home + "/backups/" + made, "--yes"])
        #expect(restored.status == 0, "\(restored.stderr)")
        #expect(mode(database) == 0o640, "the restored database")
        // Another user of the file's group reads it (a technician's check); with "0600" they may not.
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: kiosk.home)
        try FileManager.default.setAttributes([.posixPermissions: 0o750], ofItemAtPath: kiosk.home + "/state")
        let group = try #require((try FileManager.default.attributesOfItem(atPath: database))[.groupOwnerAccountID] as? NSNumber).uint32Value
        let check = try asNobody(inGroup: group, kiosk, ["db", "check", "--db", database])
        #expect(check.status == 0, "a reader of the service group: \(check.stderr)")
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: database)
        let refused = try asNobody(inGroup: group, kiosk, ["db", "check", "--db", database])
        #expect(refused.status == 77, "owner only: \(refused.stderr)")
    }

    @Test func aDatabaseMadeWithALooserModeIsGivenTheConfiguredOneAtTheNextOpen() throws {
        var kiosk = try KioskProcess()
        defer { kiosk.cleanUp() }
        let database = kiosk.home + "/kiosk.sqlite"
        kiosk.environment["KIOSK_CONFIG"] = try kiosk.file("k.toml", "[store]\npath = \"\(database)\"\n")
        #expect(try kiosk.run("db", "migrate").status == 0)
        #expect(mode(database) == 0o600, "owner only by default")
        // Made readable by everyone (by hand, or by a tool of old): the next read-write open takes it back.
        // Kept open here, so that its WAL and shared memory stay while a read-write command runs.
        let open = try DatabasePool(path: database)
        defer { try? open.close() }
        try open.write { db in try db.execute(sql: "PRAGMA user_version = user_version") }
        for file in [database, database + "-wal", database + "-shm"] {
            try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: file)
        }
        let repaired = try kiosk.run("db", "check", "--repair-balances")  // a read-write open
        #expect(repaired.status == 0, "\(repaired.stderr)")
        #expect(mode(database) == 0o600)
        #expect(mode(database + "-wal") == 0o600)
        #expect(mode(database + "-shm") == 0o600)
    }
}
