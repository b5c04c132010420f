import Foundation
import GRDB
import Testing

/// `kiosk import members` killed with SIGKILL part-way: whole batches only are committed, the
/// database is healthy, and running the import again completes it without writing a row twice.
@Suite struct ImportKillTests {
    @Test func anImportKilledPartWayHasCommittedWholeBatchesAndResumes() throws {
        let kiosk = try KioskProcess()
        defer { kiosk.cleanUp() }
        let db = kiosk.home + "/k.sqlite"
        let rows = 20_000, batch = 200
        var text = "member_id,name,phone,points,coins\n"
        for i in 0..<rows { text += "K\(i),Member \(i),0912\(String(format: "%07d", i)),\(i % 500 + 1),\(i % 7)\n" }
        let file = try kiosk.file("big.csv", text)
        #expect(try kiosk.run("db", "migrate", "--db", db).status == 0)

        let (process, _, _) = try kiosk.start(["import", "members", file, "--db", db, "--batch-size", "\(batch)"])
        let reader = try DatabaseQueue(path: db, configuration: { var c = Configuration(); c.readonly = true; return c }())
        func members() throws -> Int { try reader.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM members") ?? 0 } }
        // Kill it once some batches are committed and before the last one.
        let deadline = Date().addingTimeInterval(300)
        var seen = 0
        while Date() < deadline, process.isRunning {
            seen = try members()
            if seen >= 3 * batch { break }
            usleep(20_000)
        }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        try reader.close()
        let committed = try DatabaseQueue(path: db).read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM members") ?? 0 }
        #expect(process.terminationReason == .uncaughtSignal, "the import ended before it could be killed")
        #expect(committed >= 3 * batch && committed < rows, "\(committed) rows committed when killed")
        #expect(committed % batch == 0, "a batch was committed in part: \(committed) rows")
        let check = try kiosk.run("db", "check", "--db", db)
        #expect(check.status == 0, "\(check.stdout)\(check.stderr)")

        let again = try kiosk.run("import", "members", file, "--db", db, "--batch-size", "\(batch)")
        #expect(again.status == 0, "\(again.stderr)")
        #expect(again.stdout.contains("imported \(rows - committed) member(s), \(committed) already imported before"), "\(again.stdout)")
        let after = try kiosk.run("db", "check", "--db", db)
        #expect(after.status == 0)
        #expect(after.stdout.contains("members: \(rows), cards: 0, transactions: \(rows),"), "\(after.stdout)")
    }
}
