import Foundation
import KioskCore
import KioskStore
import KioskSync
import Testing

/// The forwarder prunes delivered events after the retention, on its own clock.
struct ForwarderRetentionTests {
    struct AcceptAll: EventUploader {
        func upload(_ events: [OutboxDeliveryEvent]) async -> DeliveryOutcome {
            .answered(events.map { .init(eventID: $0.eventID, status: .accepted) })
        }
    }

    @Test func deliveredEventsArePrunedOnceTheRetentionHasPassedAndNoOftenerThanTheInterval() async throws {
        let kiosk = try KioskUnderTest()
        try kiosk.purchases(5)
        let clock = ManualClock(Date(timeIntervalSince1970: 1_790_000_000))
        let settings = ForwarderSettings(retention: 7 * 86_400, pruneInterval: 3_600)
        let forwarder = Forwarder(store: kiosk.store, uploader: AcceptAll(), settings: settings, clock: clock, sleep: { _ in })
        #expect(try await forwarder.flush().remaining == 0)
        try kiosk.purchases(2)  // pending: never pruned

        // Delivered today: kept.
        #expect(try await forwarder.pruneIfDue()?.pruned == 0)
        // Not due again within the interval.
        clock.advance(by: 1_800)
        #expect(try await forwarder.pruneIfDue() == nil)
        clock.advance(by: 8 * 86_400)
        let report = try #require(try await forwarder.pruneIfDue())
        #expect(report.pruned == 7)
        #expect(try kiosk.allIDs().count == 2)
        #expect(try kiosk.pendingIDs().count == 2)
        #expect(try kiosk.store.check().isHealthy)

        let keepAll = Forwarder(store: kiosk.store, uploader: AcceptAll(), settings: ForwarderSettings(retention: nil), clock: clock)
        #expect(try await keepAll.pruneIfDue() == nil)
    }
}
