import Foundation
import GRDB
import KioskCore
@testable import KioskStore
import KioskTestSupport
import Testing

/// The lot cache (`ledger_lots`, migration `0005-ledger-lots`) against the ledger it is kept from.
@Suite struct LotCacheTests {
    static let created = Date(timeIntervalSince1970: 1_790_000_100)

    /// A member's open lots and the amounts outside any lot, from grouping the ledger (how they
    /// were read before the cache), as comparable lines.
    static func ledgerDerived(_ member: MemberID, path: String) throws -> (lots: [String], unlotted: [Account: Int64]) {
        let queue = try DatabaseQueue(path: path, configuration: { var c = Configuration(); c.readonly = true; return c }())
        defer { try? queue.close() }
        return try queue.read { db in
            let lots = try Row.fetchAll(db, sql: """
                SELECT lot_id, account, SUM(amount), MIN(occurred_at), MAX(expires_at), MAX(restrictions)
                FROM ledger WHERE member_id = ? AND lot_id IS NOT NULL
                GROUP BY lot_id, account HAVING SUM(amount) <> 0 ORDER BY lot_id, account
                """, arguments: [member.rawValue]).map { row in
                line(row[0], row[1], row[2], row[3], row[4], row[5])
            }
            var unlotted: [Account: Int64] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT account, SUM(amount) FROM ledger WHERE member_id = ? AND lot_id IS NULL GROUP BY account",
                                        arguments: [member.rawValue]) where (row[1] as Int64) != 0 {
                unlotted[Account(rawValue: row[0])!] = row[1]
            }
            return (lots, unlotted)
        }
    }

    static func line(_ lot: String, _ account: String, _ remaining: Int64, _ createdAt: Date, _ expiresAt: Date?, _ restrictions: String?) -> String {
        "\(lot) \(account) \(remaining) \(createdAt.timeIntervalSince1970) \(expiresAt.map { "\($0.timeIntervalSince1970)" } ?? "-") \(restrictions ?? "-")"
    }

    static func read(_ member: MemberID, store: KioskStore) throws -> (lots: [String], unlotted: [Account: Int64]) {
        let record = try #require(try store.loyaltyMember(member, tierWindowStart: .distantPast))
        return (record.lots.map { line($0.lotID.rawValue, $0.account.rawValue, $0.remaining, $0.createdAt, $0.expiresAt, $0.restrictions) },
                record.unlotted)
    }

    /// Operations whose postings exercise every way a lot's rows combine: several postings per
    /// lot, an expiry and restrictions on a later posting than the first (and NULL on others), a
    /// lot spent to zero, one spent to zero and credited again, and postings outside any lot
    /// that leave a negative balance.
    static func operations(member: MemberID) throws -> [BusinessOperation] {
        func op(_ key: String, at offset: TimeInterval, _ postings: [LedgerPosting]) throws -> BusinessOperation {
            BusinessOperation(idempotencyKey: try IdempotencyKey(key), kind: "test", memberID: member, branchID: StoreFixture.branch,
                              occurredAt: created.addingTimeInterval(offset), request: Data(key.utf8), result: Data("{}".utf8),
                              postings: postings, event: .result(type: "test"))
        }
        let a = LotID(rawValue: "a/points"), b = LotID(rawValue: "b/credit"), c = LotID(rawValue: "c/coins")
        let june = Date(timeIntervalSince1970: 1_800_000_000), july = Date(timeIntervalSince1970: 1_802_000_000)
        return [
            try op("k1", at: 0, [
                LedgerPosting(memberID: member, account: .points, amount: 500, lotID: a, expiresAt: june, restrictions: #"{"groups":["dairy"]}"#),
                LedgerPosting(memberID: member, account: .credit, amount: 90_000, lotID: b),
                LedgerPosting(memberID: member, account: .coins, amount: 7, lotID: c),
            ]),
            try op("k2", at: 60, [
                LedgerPosting(memberID: member, account: .points, amount: -200, lotID: a),
                LedgerPosting(memberID: member, account: .credit, amount: 10_000, lotID: b, expiresAt: july, restrictions: #"{"branches":["x"]}"#),
                LedgerPosting(memberID: member, account: .coins, amount: -7, lotID: c),
                LedgerPosting(memberID: member, account: .points, amount: -40),
            ]),
            try op("k3", at: 120, [
                LedgerPosting(memberID: member, account: .coins, amount: 3, lotID: c),
                LedgerPosting(memberID: member, account: .points, amount: 25, lotID: a, expiresAt: july),
                LedgerPosting(memberID: member, account: .giftCredit, amount: -1_000),
            ]),
            try op("k4", at: 180, [LedgerPosting(memberID: member, account: .credit, amount: -100_000, lotID: b)]),
        ]
    }

    @Test func aMembersLotsReadFromTheCacheEqualTheLedgerGroupedByLot() throws {
        let fixture = try StoreFixture()
        var seen: [[String]] = []
        for operation in try Self.operations(member: "m0") {
            try fixture.store.commit(operation)
            let read = try Self.read("m0", store: fixture.store)
            let expected = try Self.ledgerDerived("m0", path: fixture.path)
            #expect(read.lots == expected.lots, "after \(operation.idempotencyKey)")
            #expect(read.unlotted == expected.unlotted, "after \(operation.idempotencyKey)")
            seen.append(read.lots)
        }
        // The stream did what it is for: lots came and went, and something lies outside them.
        #expect(seen.first?.count == 3)
        #expect(seen.last?.count == 2)
        #expect(try Self.read("m0", store: fixture.store).unlotted == [.points: -40, .giftCredit: -1_000])
        #expect(try Self.read("m1", store: fixture.store).lots.isEmpty)
        #expect(try fixture.store.check().lotMismatches == 0)
    }

    @Test func guardingALotSeesWhatTheOperationItselfDrew() throws {
        let fixture = try StoreFixture()
        let lot = LotID(rawValue: "a/points")
        let award = BusinessOperation(
            idempotencyKey: try IdempotencyKey("award"), kind: "test", memberID: "m0", branchID: StoreFixture.branch, occurredAt: Self.created,
            request: Data("a".utf8), result: Data("{}".utf8),
            postings: [LedgerPosting(memberID: "m0", account: .points, amount: 100, lotID: lot)], event: .result(type: "test"))
        try fixture.store.commit(award)
        func spend(_ key: String, _ amount: Int64) throws -> BusinessOperation {
            BusinessOperation(
                idempotencyKey: try IdempotencyKey(key), kind: "test", memberID: "m0", branchID: StoreFixture.branch, occurredAt: Self.created,
                request: Data(key.utf8), result: Data("{}".utf8),
                postings: [LedgerPosting(memberID: "m0", account: .points, amount: -amount, lotID: lot)], event: .result(type: "test"))
        }
        try fixture.store.commit(spend("spend-60", 60)) { db in try KioskStore.guardLots([("m0", lot)], in: db) }
        let before = try fixture.counts()
        let error = #expect(throws: StoreError.self) {
            try fixture.store.commit(spend("spend-50", 50)) { db in try KioskStore.guardLots([("m0", lot)], in: db) }
        }
        #expect(error?.code == .staleState)
        #expect(try fixture.counts() == before)
        try fixture.store.commit(spend("spend-40", 40)) { db in try KioskStore.guardLots([("m0", lot)], in: db) }
        #expect(try Self.read("m0", store: fixture.store).lots.isEmpty)
    }

    @Test func checkFindsACachedLotThatDiffersFromTheLedgerAndRebuildingRepairsIt() throws {
        let fixture = try StoreFixture()
        for operation in try Self.operations(member: "m0") { try fixture.store.commit(operation) }
        let expected = try Self.read("m0", store: fixture.store)
        let pool = try DatabasePool(path: fixture.path)
        try pool.write { db in
            try db.execute(sql: "UPDATE ledger_lots SET remaining = remaining + 1 WHERE lot_id = 'a/points'")
            try db.execute(sql: "UPDATE ledger_lots SET expires_at = NULL WHERE lot_id = 'b/credit'")
            try db.execute(sql: "INSERT INTO ledger_lots VALUES ('m1', 'ghost', 'points', 5, '2026-01-01 00:00:00.000', NULL, NULL)")
        }
        try pool.close()
        let report = try fixture.store.check()
        #expect(report.lotMismatches == 3)
        #expect(!report.isHealthy)
        #expect(try fixture.store.rebuildLots() == 3)
        #expect(try fixture.store.check().isHealthy)
        let after = try Self.read("m0", store: fixture.store)
        #expect(after.lots == expected.lots)
        #expect(after.unlotted == expected.unlotted)
        #expect(try Self.read("m1", store: fixture.store).lots.isEmpty)
    }

    @Test func aDatabaseWrittenBeforeTheCacheGetsItFilledFromItsLedger() throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("old.sqlite")
        // Written by the kiosk of migration 0004, whose commit did not know the cache.
        let queue = try DatabaseQueue(path: path)
        try Schema.migrator.migrate(queue, upTo: OutboxPayloadSchema.migration)
        try queue.write { db in
            try db.execute(sql: """
                INSERT INTO branches (id, name, created_at) VALUES ('tehran-1', 'Tehran 1', '2026-11-01 08:00:00.000');
                INSERT INTO members (id, enrolled_at) VALUES ('m0', '2026-11-01 08:00:00.000'), ('m1', '2026-11-01 08:00:00.000');
                """)
            for (index, operation) in try Self.operations(member: "m0").enumerated() {
                let tx = "tx-\(index)"
                try db.execute(sql: """
                    INSERT INTO business_transactions (id, idempotency_key, request, kind, member_id, branch_id, occurred_at, recorded_at, result)
                    VALUES (?, ?, ?, 'test', 'm0', 'tehran-1', ?, ?, x'7b7d')
                    """, arguments: [tx, operation.idempotencyKey.rawValue, operation.request, operation.occurredAt, operation.occurredAt])
                for (n, posting) in operation.postings.enumerated() {
                    try db.execute(sql: """
                        INSERT INTO ledger (idempotency_key, transaction_id, member_id, account, amount, lot_id, expires_at, restrictions, occurred_at)
                        VALUES (?, ?, 'm0', ?, ?, ?, ?, ?, ?)
                        """, arguments: [operation.idempotencyKey.part(n), tx, posting.account.rawValue, posting.amount,
                                         posting.lotID?.rawValue, posting.expiresAt, posting.restrictions, operation.occurredAt])
                }
                try db.execute(sql: """
                    INSERT INTO outbox (event_id, type, payload, payload_source, created_at, transaction_id)
                    VALUES (?, 'test', x'', 'result', '2026-11-01 08:00:00.000', ?)
                    """, arguments: [operation.idempotencyKey.rawValue, tx])
            }
        }
        try queue.close()
        let expected = try Self.ledgerDerived("m0", path: path)
        #expect(expected.lots.count == 2)

        let store = try KioskStore(path: path)
        #expect(try store.appliedMigrations() == KioskStore.knownMigrations)
        let read = try Self.read("m0", store: store)
        #expect(read.lots == expected.lots)
        #expect(read.unlotted == expected.unlotted)
        #expect(try store.check().isHealthy)
        #expect(try store.outboxEvents().count == 4)
    }
}
