import Foundation
import GRDB
import KioskTestSupport
import Testing

/// When the database cannot be reached, the kiosk says why in words a technician can act on:
/// permissions (whose directory or file, its mode, the user the kiosk runs as), or a journal left
/// by a write cut short, with how to recover.
@Suite struct DatabaseAccessTests {
    /// Runs `kiosk ARGS` as the unprivileged user nobody (uid 65534).
    private func runAsNobody(_ kiosk: KioskProcess, _ arguments: [String]) throws -> KioskProcess.Result {
        try kiosk.run(through: ["/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"], arguments)
    }

    @Test func aDirectoryOfAnotherUserIsPermissionDeniedNamingItsOwner() throws {
        let kiosk = try KioskProcess()
        defer { kiosk.cleanUp() }
        let directory = kiosk.home + "/private"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let db = directory + "/k.sqlite"
        #expect(try kiosk.run("db", "migrate", "--db", db).status == 0)
        try FileManager.default.setAttributes([.posixPermissions: 0o700], ofItemAtPath: directory)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: kiosk.home)

        // Before: "no database at …, run kiosk db migrate" (exit 66) for a file that is there.
        let check = try runAsNobody(kiosk, ["db", "check", "--db", db])
        #expect(check.status == 77, "\(check.stderr)")
        #expect(check.stderr.contains("permission denied: \(directory) (owner root, group root, mode 0700) cannot be entered by nobody (uid 65534)"),
                "\(check.stderr)")
        #expect(!check.stderr.contains("no database"))
        let backup = try runAsNobody(kiosk, ["db", "backup", "--db", db, kiosk.home + "/b.sqlite"])
        #expect(backup.status == 77, "\(backup.stderr)")
        #expect(backup.stderr.contains("permission denied: \(directory)"))

        // A directory nobody may not write: creating a database there names it and its owner.
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: directory)
        let create = try runAsNobody(kiosk, ["db", "migrate", "--db", directory + "/new.sqlite"])
        #expect(create.status == 77, "\(create.stderr)")
        #expect(create.stderr.contains("permission denied: \(directory) (owner root, group root, mode 0755) does not let it create files by nobody"),
                "\(create.stderr)")
        // The database file itself, 0600 and root's.
        let unreadable = try runAsNobody(kiosk, ["db", "check", "--db", db])
        #expect(unreadable.status == 77, "\(unreadable.stderr)")
        #expect(unreadable.stderr.contains("permission denied: \(db) (owner root, group root, mode 0600) cannot be read by nobody"),
                "\(unreadable.stderr)")
    }

    /// The files as a kill leaves them in the middle of a write in rollback-journal mode (the
    /// mode a database is in while it is being created): the database file with the write half
    /// done and a hot journal beside it. Copied while the writing connection holds the
    /// transaction open, they are what the disk holds after a SIGKILL at that moment.
    @Test func aJournalLeftByAKilledWriteIsExplainedWithHowToRecover() throws {
        let kiosk = try KioskProcess()
        defer { kiosk.cleanUp() }
        let source = kiosk.home + "/source.sqlite"
        let db = kiosk.home + "/k.sqlite"
        let queue = try DatabaseQueue(path: source)
        try queue.write { db in
            try db.execute(sql: "CREATE TABLE t (x BLOB)")
            try db.execute(sql: "INSERT INTO t VALUES (zeroblob(100000))")
        }
        try queue.inDatabase { conn in
            try conn.execute(sql: "PRAGMA cache_size = 2")
            try conn.execute(sql: "BEGIN IMMEDIATE")
            for _ in 0..<50 { try conn.execute(sql: "INSERT INTO t VALUES (zeroblob(10000))") }
            try conn.execute(sql: "UPDATE t SET x = zeroblob(100001)")
            try FileManager.default.copyItem(atPath: source, toPath: db)
            try FileManager.default.copyItem(atPath: source + "-journal", toPath: db + "-journal")
            try conn.execute(sql: "ROLLBACK")
        }
        try queue.close()
        #expect(((try FileManager.default.attributesOfItem(atPath: db + "-journal"))[.size] as? NSNumber)?.intValue ?? 0 > 0)

        // Before: "the database is read-only (attempt to write a readonly database)", exit 73.
        let check = try kiosk.run("db", "check", "--db", db)
        #expect(check.status == 65, "\(check.stderr)")
        #expect(check.stderr.contains("\(db)-journal was left beside the database by a write that was cut short"), "\(check.stderr)")
        #expect(check.stderr.contains("run `kiosk db migrate`"))
        #expect(!check.stderr.contains("read-only (attempt"))

        // The recovery it names works: migrate rolls the write back, check is healthy, the
        // committed row is there and the half-written rows are not.
        let migrate = try kiosk.run("db", "migrate", "--db", db)
        #expect(migrate.status == 0, "\(migrate.stderr)")
        #expect(!FileManager.default.fileExists(atPath: db + "-journal"))
        let after = try kiosk.run("db", "check", "--db", db)
        #expect(after.status == 0, "\(after.stdout)\(after.stderr)")
        let rows = try DatabaseQueue(path: db).read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM t") }
        #expect(rows == 1)
    }
}
