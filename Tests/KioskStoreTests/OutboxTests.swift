import Foundation
import GRDB
import KioskCore
@testable import KioskStore
import KioskTestSupport
import Testing

/// Outbox events whose payload is their transaction's result (`OutboxEvent.result(type:)`):
/// stored once, read back whole, checked by `check()`; inline events as before.
@Suite struct OutboxTests {
    static func carryingResult(_ key: String, member: MemberID = "m0", result: String = "{\"points\":120,\"offers\":[\"birthday\"]}")
        throws -> BusinessOperation {
        var operation = try StoreFixture.purchase(key, member: member)
        operation.result = Data(result.utf8)
        operation.event = .result(type: "purchase.recorded")
        return operation
    }

    @Test func anEventCarryingTheResultReadsBackWithTheResultAsItsPayloadAndStoresItOnce() throws {
        let fixture = try StoreFixture()
        let operation = try Self.carryingResult("p-1")
        let receipt = try fixture.store.commit(operation)
        let event = try #require(try fixture.store.outboxEvent(for: operation.idempotencyKey))
        #expect(event.payload == operation.result)
        #expect(event.payloadIsTransactionResult)
        #expect(event.type == "purchase.recorded")
        #expect(event.sequence == receipt.eventSequence)
        #expect(event.transactionID == receipt.transactionID)
        #expect(event.state == .pending)
        // The bytes are in the transaction row only.
        let queue = try DatabaseQueue(path: fixture.path)
        let stored = try queue.read { db in
            try Row.fetchOne(db, sql: "SELECT length(payload), payload_source FROM outbox WHERE event_id = 'p-1'")
        }
        #expect(stored?[0] as Int? == 0)
        #expect(stored?[1] as String? == "result")
        // In sequence order with the enrollments' inline events, and a retry adds no event.
        #expect(try fixture.store.commit(operation).replayed)
        let all = try fixture.store.outboxEvents()
        #expect(all.map(\.eventID) == ["enroll-m0", "enroll-m1", "enroll-m2", "p-1"])
        #expect(all.map(\.sequence) == all.map(\.sequence).sorted())
        #expect(all.last == event)
        #expect(try fixture.store.check().isHealthy)
    }

    @Test func anInlineEventStillReadsItsOwnBytes() throws {
        let fixture = try StoreFixture()
        let operation = try StoreFixture.purchase("p-1", request: "{\"purchase\":\"p-1\",\"amount\":4200000}")
        try fixture.store.commit(operation)
        let event = try #require(try fixture.store.outboxEvent(for: operation.idempotencyKey))
        #expect(event.payload == Data("{\"purchase\":\"p-1\",\"amount\":4200000}".utf8))
        #expect(event.payload != operation.result)
        #expect(!event.payloadIsTransactionResult)
        #expect(try fixture.store.outboxEvent(for: IdempotencyKey("p-unknown")) == nil)
    }

    @Test func readingAfterASequenceAndPendingOnlyPagesThroughTheOutbox() throws {
        let fixture = try StoreFixture(members: 1)
        for i in 1...5 { try fixture.store.commit(Self.carryingResult("p-\(i)", result: "{\"n\":\(i)}")) }
        let first = try fixture.store.outboxEvents(limit: 3)
        #expect(first.map(\.eventID) == ["enroll-m0", "p-1", "p-2"])
        let rest = try fixture.store.outboxEvents(after: first.last!.sequence, limit: 10)
        #expect(rest.map(\.eventID) == ["p-3", "p-4", "p-5"])
        #expect(rest.map { String(decoding: $0.payload, as: UTF8.self) } == ["{\"n\":3}", "{\"n\":4}", "{\"n\":5}"])
        let pool = try DatabasePool(path: fixture.path)
        try pool.write { try $0.execute(sql: "UPDATE outbox SET state = 'delivered', attempts = 1 WHERE event_id IN ('enroll-m0', 'p-1', 'p-4')") }
        #expect(try fixture.store.outboxEvents(pendingOnly: true).map(\.eventID) == ["p-2", "p-3", "p-5"])
        #expect(try fixture.store.outboxEvent(for: IdempotencyKey("p-4"))?.state == .delivered)
        #expect(try fixture.store.outboxEvent(for: IdempotencyKey("p-4"))?.payload == Data("{\"n\":4}".utf8))
    }

    @Test func anEventCannotCarryAnEmptyResult() throws {
        let fixture = try StoreFixture()
        let before = try fixture.counts()
        let error = #expect(throws: StoreError.self) { try fixture.store.commit(Self.carryingResult("p-empty", result: "")) }
        #expect(error?.code == .invalidOperation)
        #expect(try fixture.counts() == before)
    }

    @Test func theSchemaRefusesAReferenceWithBytesOrWithoutATransactionAndAnyChangeToIt() throws {
        let fixture = try StoreFixture()
        let receipt = try fixture.store.commit(Self.carryingResult("p-1"))
        let pool = try DatabasePool(path: fixture.path)
        let tx = receipt.transactionID.rawValue
        for statement in [
            "INSERT INTO outbox (event_id, type, payload, payload_source, created_at, transaction_id) VALUES ('x1', 't', x'7b7d', 'result', '2026-01-01 00:00:00.000', '\(tx)')",
            "INSERT INTO outbox (event_id, type, payload, payload_source, created_at, transaction_id) VALUES ('x2', 't', x'', 'result', '2026-01-01 00:00:00.000', NULL)",
            "INSERT INTO outbox (event_id, type, payload, payload_source, created_at, transaction_id) VALUES ('x3', 't', x'', 'elsewhere', '2026-01-01 00:00:00.000', '\(tx)')",
            "UPDATE outbox SET payload_source = 'inline' WHERE event_id = 'p-1'",
            "UPDATE outbox SET payload = x'7b7d' WHERE event_id = 'p-1'",
            "UPDATE outbox SET payload_source = 'result' WHERE event_id = 'enroll-m0'",
        ] {
            #expect(throws: DatabaseError.self, "\(statement)") { try pool.write { try $0.execute(sql: statement) } }
        }
        #expect(try fixture.store.outboxEvent(for: IdempotencyKey("p-1"))?.payload == Data("{\"points\":120,\"offers\":[\"birthday\"]}".utf8))
    }

    @Test func checkFindsAnEventWhoseTransactionHasNoResultAndReadingItFailsTyped() throws {
        let fixture = try StoreFixture()
        try fixture.store.commit(Self.carryingResult("p-1"))
        #expect(try fixture.store.check().eventsWithoutTheirResult == 0)
        // Behind the store's back, with foreign keys off: an event naming a transaction that does
        // not exist, and one naming a transaction whose result is empty.
        var configuration = Configuration()
        configuration.foreignKeysEnabled = false
        let queue = try DatabaseQueue(path: fixture.path, configuration: configuration)
        try queue.write { db in
            try db.execute(sql: """
                INSERT INTO outbox (event_id, type, payload, payload_source, created_at, transaction_id)
                VALUES ('lost', 'purchase.recorded', x'', 'result', '2026-01-01 00:00:00.000', 'tx-missing');
                INSERT INTO business_transactions (id, idempotency_key, request, kind, branch_id, occurred_at, recorded_at, result)
                VALUES ('tx-empty', 'empty', x'7b7d', 'purchase', 'tehran-1', '2026-01-01 00:00:00.000', '2026-01-01 00:00:00.000', x'');
                INSERT INTO outbox (event_id, type, payload, payload_source, created_at, transaction_id)
                VALUES ('empty', 'purchase.recorded', x'', 'result', '2026-01-01 00:00:00.000', 'tx-empty');
                """)
        }
        try queue.close()
        let report = try fixture.store.check()
        #expect(report.eventsWithoutTheirResult == 2)
        #expect(!report.isHealthy)
        let error = #expect(throws: StoreError.self) { try fixture.store.outboxEvents() }
        #expect(error?.code == .corrupt)
        #expect(error?.message.contains("tx-missing") == true)
        // The events before the damaged one still read.
        #expect(try fixture.store.outboxEvents(limit: 4).map(\.eventID) == ["enroll-m0", "enroll-m1", "enroll-m2", "p-1"])
    }
}

/// A database written before `0004-outbox-payload-by-reference`: every event inline.
@Suite struct OutboxMigrationTests {
    /// A store file migrated up to `0003-sdm-counters`, with what the kiosk wrote then: a branch,
    /// a member, two operations whose events carry their result inline, and their ledger rows.
    static func databaseAtTheThirdMigration(_ path: String) throws {
        let queue = try DatabaseQueue(path: path)
        try Schema.migrator.migrate(queue, upTo: "0003-sdm-counters")
        try queue.write { db in
            try db.execute(sql: """
                INSERT INTO branches (id, name, created_at) VALUES ('tehran-1', 'Tehran 1', '2026-11-01 08:00:00.000');
                INSERT INTO members (id, enrolled_at, enrolled_branch) VALUES ('m-old', '2026-11-01 08:00:00.000', 'tehran-1');
                INSERT INTO business_transactions (id, idempotency_key, request, kind, member_id, branch_id, occurred_at, recorded_at, result)
                VALUES ('tx-0001', 'enroll-old', x'7b226d656d626572223a226d2d6f6c64227d', 'enroll', 'm-old', 'tehran-1',
                        '2026-11-01 08:00:00.000', '2026-11-01 08:00:00.000', x'7b7d'),
                       ('tx-0002', 'p-old', CAST('{"amount":1200000}' AS BLOB), 'purchase', 'm-old', 'tehran-1',
                        '2026-11-02 08:00:00.000', '2026-11-02 08:00:00.000', CAST('{"points":120}' AS BLOB));
                INSERT INTO ledger (idempotency_key, transaction_id, member_id, account, amount, lot_id, occurred_at)
                VALUES ('p-old#0', 'tx-0002', 'm-old', 'points', 120, 'p-old/points', '2026-11-02 08:00:00.000'),
                       ('p-old#1', 'tx-0002', 'm-old', 'credit', 5000, NULL, '2026-11-02 08:00:00.000');
                INSERT INTO outbox (event_id, type, payload, created_at, transaction_id)
                VALUES ('enroll-old', 'member.joined', CAST('{"member":"m-old"}' AS BLOB), '2026-11-01 08:00:00.000', 'tx-0001'),
                       ('p-old', 'purchase.recorded', CAST('{"points":120}' AS BLOB), '2026-11-02 08:00:00.000', 'tx-0002');
                UPDATE outbox SET state = 'delivered', attempts = 1, delivered_at = '2026-11-02 08:01:00.000' WHERE event_id = 'enroll-old';
                """)
        }
        try queue.close()
    }

    @Test func aDatabaseAtTheThirdMigrationStillReadsAndMigratesKeepingEveryRow() throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("old.sqlite")
        try Self.databaseAtTheThirdMigration(path)
        let expected: [(id: String, payload: String, state: StoredOutboxEvent.DeliveryState)] = [
            ("enroll-old", "{\"member\":\"m-old\"}", .delivered), ("p-old", "{\"points\":120}", .pending),
        ]
        func expectTheOldEvents(_ events: [StoredOutboxEvent]) {
            #expect(events.map(\.eventID) == expected.map(\.id))
            #expect(events.map { String(decoding: $0.payload, as: UTF8.self) } == expected.map(\.payload))
            #expect(events.map(\.state) == expected.map(\.state))
            #expect(events.allSatisfy { !$0.payloadIsTransactionResult })
        }

        // Opened read-only without migrating (as `kiosk db check` does): it reads and checks.
        let readOnly = try KioskStore(path: path, mode: .readOnly)
        expectTheOldEvents(try readOnly.outboxEvents())
        let before = try readOnly.check()
        // Pending: this migration and whatever later ones this build knows.
        #expect(before.pendingMigrations == Array(KioskStore.knownMigrations.drop { $0 != OutboxPayloadSchema.migration }))
        #expect(before.pendingMigrations.first == OutboxPayloadSchema.migration)
        #expect(before.transactionsWithoutOneEvent == 0)
        #expect(before.eventsWithoutTheirResult == 0)

        // Migrated: every old row reads as before, the store is healthy, a retry of an old
        // operation returns its first result, and new events carry their result by reference.
        let store = try KioskStore(path: path)
        #expect(try store.appliedMigrations() == KioskStore.knownMigrations)
        #expect(KioskStore.knownMigrations.contains("0004-outbox-payload-by-reference"))
        expectTheOldEvents(try store.outboxEvents())
        #expect(try store.check().isHealthy)
        #expect(try store.ledgerBalances(of: "m-old") == Balances(points: 120, credit: Rial(5_000)))
        let old = try #require(try store.receipt(for: IdempotencyKey("p-old"), request: Data("{\"amount\":1200000}".utf8)))
        #expect(old.result == Data("{\"points\":120}".utf8))
        #expect(old.eventSequence == 2)

        try store.commit(Self.newPurchase())
        let all = try store.outboxEvents()
        expectTheOldEvents(Array(all.prefix(2)))
        #expect(all.last?.eventID == "p-new")
        #expect(all.last?.payload == Data("{\"points\":80}".utf8))
        #expect(all.last?.payloadIsTransactionResult == true)
        #expect(try store.check().isHealthy)

        // The old events are as immutable as before; only their delivery state may change.
        let pool = try DatabasePool(path: path)
        #expect(throws: DatabaseError.self) { try pool.write { try $0.execute(sql: "UPDATE outbox SET payload = x'' WHERE event_id = 'p-old'") } }
        #expect(throws: DatabaseError.self) { try pool.write { try $0.execute(sql: "UPDATE outbox SET payload_source = 'result' WHERE event_id = 'p-old'") } }
        try pool.write { try $0.execute(sql: "UPDATE outbox SET state = 'delivered', attempts = 1 WHERE event_id = 'p-old'") }
        #expect(try store.outboxEvent(for: IdempotencyKey("p-old"))?.payload == Data("{\"points\":120}".utf8))
    }

    @Test func aBackupOfAnOldDatabaseRestoresAndMigratesWithEveryPayload() throws {
        let directory = try TemporaryDirectory()
        let oldPath = directory.file("old.sqlite")
        try Self.databaseAtTheThirdMigration(oldPath)
        let fixture = try StoreFixture()
        try fixture.store.commit(OutboxTests.carryingResult("p-live"))
        try fixture.store.restore(from: oldPath, requireDigest: false)
        #expect(try fixture.store.appliedMigrations() == KioskStore.knownMigrations)
        #expect(try fixture.store.outboxEvents().map { String(decoding: $0.payload, as: UTF8.self) }
                == ["{\"member\":\"m-old\"}", "{\"points\":120}"])
        #expect(try fixture.store.outboxEvent(for: IdempotencyKey("p-live")) == nil)
        try fixture.store.commit(Self.newPurchase())
        let backup = directory.file("backup.sqlite")
        try fixture.store.backup(to: backup)
        let copy = try KioskStore(path: backup, mode: .readOnly)
        #expect(try copy.outboxEvents() == fixture.store.outboxEvents())
        #expect(try copy.outboxEvent(for: IdempotencyKey("p-new"))?.payload == Data("{\"points\":80}".utf8))
    }

    static func newPurchase() throws -> BusinessOperation {
        BusinessOperation(
            idempotencyKey: try IdempotencyKey("p-new"), kind: "purchase", memberID: "m-old", branchID: "tehran-1",
            occurredAt: Date(timeIntervalSince1970: 1_790_000_000), request: Data("{\"amount\":800000}".utf8),
            result: Data("{\"points\":80}".utf8),
            postings: [LedgerPosting(memberID: "m-old", account: .points, amount: 80, lotID: LotID(rawValue: "p-new/points"))],
            event: .result(type: "purchase.recorded"))
    }
}
