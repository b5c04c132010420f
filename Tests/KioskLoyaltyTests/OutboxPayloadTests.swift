import Foundation
import GRDB
import KioskCore
import KioskEngine
import KioskLoyalty
import KioskStore
import Testing

/// Every operation's outbox event is read back with the operation's outcome as its payload, and
/// the outcome's bytes are stored once (with the transaction), not twice.
@Suite("Outbox payloads of loyalty operations")
struct OutboxPayloadTests {
    @Test func aPurchaseEventCarriesItsOutcomeStoredOnce() throws {
        let t = try TestStore()
        defer { t.cleanUp() }
        try t.enroll("m-1", birthday: "1990-11-24")
        let committed = try t.service.purchase(t.purchase("p-1", "m-1", lines: [("dairy", 2_000_000), ("bakery", 6_000_000)]))
        let event = try #require(try t.store.outboxEvent(for: IdempotencyKey("p-1")))
        #expect(event.type == "purchase.recorded")
        #expect(event.payloadIsTransactionResult)
        #expect(event.payload == committed.receipt.result)
        #expect(try JSONDecoder().decode(PurchaseOutcome.self, from: event.payload) == committed.outcome)
        let queue = try DatabaseQueue(path: t.path)
        defer { try? queue.close() }
        let bytes = try queue.read { db in
            try Row.fetchOne(db, sql: """
                SELECT length(o.payload), length(t.result) FROM outbox o JOIN business_transactions t ON t.id = o.transaction_id
                WHERE o.event_id = 'p-1'
                """)
        }
        #expect(bytes?[0] as Int? == 0)
        #expect(bytes?[1] as Int? == committed.receipt.result.count)
    }

    @Test func everyEventOfTheExampleReplayReadsBackAsItsTransactionsResult() throws {
        let t = try TestStore()
        defer { t.cleanUp() }
        var replayer = try Replayer(service: t.service, random: SeededRandom(seed: 7), start: Date(timeIntervalSince1970: 0))
        let text = try String(contentsOf: TestStore.repositoryRoot.appendingPathComponent("kiosk/programs/example-events.jsonl"), encoding: .utf8)
        for (i, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            try replayer.apply(line: String(line), number: i + 1)
        }
        let events = try t.store.outboxEvents(limit: 10_000)
        let queue = try DatabaseQueue(path: t.path)
        defer { try? queue.close() }
        let results = try queue.read { db in
            Dictionary(uniqueKeysWithValues: try Row.fetchAll(db, sql: "SELECT idempotency_key, result FROM business_transactions")
                .map { ($0[0] as String, $0[1] as Data) })
        }
        #expect(events.count == results.count)
        #expect(events.count > 10)
        for event in events {
            #expect(event.payloadIsTransactionResult, "\(event.eventID)")
            #expect(event.payload == results[event.eventID], "\(event.eventID)")
        }
        #expect(try t.store.check().isHealthy)
    }
}
