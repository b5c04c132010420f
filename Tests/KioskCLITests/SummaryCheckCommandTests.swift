import Foundation
import GRDB
import Testing

/// `kiosk db check` verifies the per-member summary (0011-member-summary) against the ledger and
/// the records it sums; `--repair-balances` rebuilds it.
@Suite struct SummaryCheckCommandTests {
    @Test func dbCheckFindsADamagedMemberSummaryAndTheRepairRebuildsIt() throws {
        let kiosk = try KioskProcess()
        defer { kiosk.cleanUp() }
        let db = kiosk.home + "/replay.sqlite"
        let replay = try kiosk.run("engine", "replay", "--program", EngineCommandTests.program, "--events", EngineCommandTests.events,
                                   "--seed", "7", "--db", db, "--summary")
        try #require(replay.status == 0, "\(replay.stderr)")
        let healthy = try kiosk.run("db", "check", "--db", db)
        #expect(healthy.status == 0)
        #expect(healthy.stdout.contains("member summary rows differing from the ledger and records: 0"), "\(healthy.stdout)")

        try DatabaseQueue(path: db).write { db in
            try db.execute(sql: """
                UPDATE loyalty_lot_balances SET remaining = remaining + 7
                WHERE (member_id, lot_id) = (SELECT member_id, lot_id FROM loyalty_lot_balances ORDER BY member_id, lot_id LIMIT 1)
                """)
            try db.execute(sql: "UPDATE loyalty_members SET visits = visits + 1 WHERE member_id = (SELECT MIN(member_id) FROM loyalty_members)")
        }
        let damaged = try kiosk.run("db", "check", "--db", db)
        #expect(damaged.status == 65)
        #expect(damaged.stdout.contains("member summary rows differing from the ledger and records: 2"), "\(damaged.stdout)")
        #expect(damaged.stdout.contains("PROBLEMS FOUND"))

        let repaired = try kiosk.run("db", "check", "--db", db, "--repair-balances")
        #expect(repaired.status == 0, "\(repaired.stdout)\(repaired.stderr)")
        #expect(try kiosk.run("db", "check", "--db", db).status == 0)
    }
}
