import Foundation
import GRDB
import KioskCore
@testable import KioskStore
import KioskTestSupport
import Testing

/// The ledger's indexes keep each operation's reads proportional to what it touches, not to the
/// size of the ledger.
@Suite struct LedgerIndexTests {
    @Test func guardingALotFindsItsPostingsThroughTheLotIndexNotAScanOfTheLedger() throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("kiosk.sqlite")
        _ = try KioskStore(path: path)
        let queue = try DatabaseQueue(path: path)
        let plan = try queue.read { db in
            try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN " + KioskStore.lotBalanceSQL, arguments: ["lot-1"]).map { $0["detail"] as String }
        }
        #expect(plan.contains { $0.contains("USING INDEX ledger_lot") }, "\(plan)")
        #expect(!plan.contains { $0.hasPrefix("SCAN ledger") }, "\(plan)")
    }
}
