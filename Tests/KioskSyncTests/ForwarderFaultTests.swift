import Foundation
import KioskCentralServer
import KioskCore
import KioskStore
import KioskSync
import KioskTestSupport
import Testing

/// The forwarder against the real reference server over HTTP on loopback, with faults injected
/// in front of it. After each fault the server holds every event exactly once and in order, and
/// the kiosk's outbox holds exactly what was not acknowledged.
@Suite(.serialized) struct ForwarderFaultTests {
    struct Rig {
        let kiosk: KioskUnderTest
        let central: CentralHarness
        let client: CentralClient
        let forwarder: Forwarder
        let directory: TemporaryDirectory

        init(_ backend: Backend, timeout: TimeInterval = 5, settings: ForwarderSettings = ForwarderSettings(),
             token: (id: String, token: String) = CentralHarness.kioskA, start: Bool = true) async throws {
            directory = try TemporaryDirectory()
            kiosk = try KioskUnderTest()
            central = try await CentralHarness(backend, directory: directory.path)
            if start { try await central.start() }
            client = try central.client(token, timeout: timeout)
            forwarder = Forwarder(store: kiosk.store, uploader: client, settings: settings, sleep: { _ in })
        }

        /// Every event the kiosk wrote, each exactly once on the server, in the kiosk's order;
        /// nothing pending.
        func expectEverythingDeliveredOnce(sourceLocation: SourceLocation = #_sourceLocation) async throws {
            #expect(try await central.storedIDs() == kiosk.allIDs(), sourceLocation: sourceLocation)
            #expect(try kiosk.pendingIDs().isEmpty, sourceLocation: sourceLocation)
        }

        func finish() async throws {
            try await client.shutdown()
            await central.stop()
        }
    }

    @Test(arguments: Backend.available)
    func centralDownThenBack(_ backend: Backend) async throws {
        let rig = try await Rig(backend)
        await rig.central.stop()
        try rig.kiosk.purchases(5)
        let attempt = try await rig.forwarder.attempt()
        #expect(attempt.delivered == 0)
        #expect(attempt.retryIn != nil)
        #expect(await rig.forwarder.state.connection == .backingOff)
        #expect(try rig.kiosk.pendingIDs() == rig.kiosk.allIDs())
        #expect(try rig.kiosk.store.outboxEvents(limit: 100).allSatisfy { $0.attempts == 1 })

        try await rig.central.start()
        let report = try await rig.forwarder.flush()
        #expect(report.delivered == 7)
        #expect(await rig.forwarder.state.connection == .connected)
        try await rig.expectEverythingDeliveredOnce()
        try await rig.finish()
    }

    @Test(arguments: Backend.available)
    func slowPastTheTimeoutThenResentAsDuplicates(_ backend: Backend) async throws {
        let rig = try await Rig(backend, timeout: 0.5)
        try rig.kiosk.purchases(4)
        rig.central.faults.push(.delay(1.5))
        let first = try await rig.forwarder.attempt()
        #expect(first.failure != nil)
        #expect(first.delivered == 0)
        // The server finishes storing after the kiosk gave up.
        try await Task.sleep(nanoseconds: 2_000_000_000)
        #expect(try await rig.central.storedIDs() == rig.kiosk.allIDs())
        #expect(try rig.kiosk.pendingIDs() == rig.kiosk.allIDs())
        let second = try await rig.forwarder.attempt()
        #expect(second.delivered == 6)
        try await rig.expectEverythingDeliveredOnce()
        try await rig.finish()
    }

    @Test(arguments: Backend.available)
    func serverErrorsAndGarbageAreRetried(_ backend: Backend) async throws {
        let rig = try await Rig(backend)
        try rig.kiosk.purchases(3)
        rig.central.faults.push(.status(500), .status(502), .garbage)
        for _ in 0..<3 {
            let attempt = try await rig.forwarder.attempt()
            #expect(attempt.failure != nil)
            #expect(attempt.delivered == 0)
        }
        #expect(await rig.forwarder.state.consecutiveFailures == 3)
        #expect(try await rig.central.storedIDs().isEmpty)
        #expect(try await rig.forwarder.attempt().delivered == 5)
        #expect(await rig.forwarder.state.consecutiveFailures == 0)
        try await rig.expectEverythingDeliveredOnce()
        try await rig.finish()
    }

    @Test(arguments: Backend.available)
    func tooManyRequestsHonoursRetryAfter(_ backend: Backend) async throws {
        let rig = try await Rig(backend, settings: ForwarderSettings(backoff: Backoff(base: 0.1, cap: 1)))
        try rig.kiosk.purchases(2)
        rig.central.faults.push(.tooManyRequests(retryAfter: 7))
        let attempt = try await rig.forwarder.attempt()
        #expect(attempt.retryIn == 7)
        #expect(await rig.forwarder.state.nextAttemptAt != nil)
        try await rig.forwarder.flush()
        try await rig.expectEverythingDeliveredOnce()
        try await rig.finish()
    }

    @Test(arguments: Backend.available)
    func aTruncatedAnswerAfterStoringIsResentAndAnsweredAsDuplicates(_ backend: Backend) async throws {
        let rig = try await Rig(backend)
        try rig.kiosk.purchases(3)
        rig.central.faults.push(.truncatedAfterStoring)
        let first = try await rig.forwarder.attempt()
        #expect(first.failure != nil)
        #expect(try await rig.central.storedIDs() == rig.kiosk.allIDs())
        #expect(try rig.kiosk.pendingIDs().count == 5)
        #expect(try await rig.forwarder.attempt().delivered == 5)
        try await rig.expectEverythingDeliveredOnce()
        try await rig.finish()
    }

    @Test(arguments: Backend.available)
    func aConflictNamingHeldEventsAcknowledgesThem(_ backend: Backend) async throws {
        let rig = try await Rig(backend)
        try rig.kiosk.purchases(3)
        rig.central.faults.push(.conflictAfterStoring)
        let attempt = try await rig.forwarder.attempt()
        #expect(attempt.delivered == 5)
        try await rig.expectEverythingDeliveredOnce()
        try await rig.finish()
    }

    @Test(arguments: Backend.available)
    func aRejectedEventIsParkedWithoutHoldingUpTheRest(_ backend: Backend) async throws {
        let rig = try await Rig(backend)
        let ids = try rig.kiosk.purchases(4)
        // The server already holds p-2 from this kiosk with another body (a kiosk restored from an
        // old image, say): p-2 is refused for good, the others go through.
        let verdicts = try await rig.central.storage.store(
            [IncomingEvent(id: ids[1], sequence: 99, type: "purchase.recorded", occurredAt: Date(), programVersion: nil,
                           memberID: nil, claims: [], body: Data(#"{"other":true}"#.utf8))],
            from: CentralHarness.kioskA.id, at: Date())
        #expect(verdicts.map(\.status) == [.accepted])
        let report = try await rig.forwarder.flush()
        #expect(report.parked == 1)
        #expect(report.delivered == 5)
        let parked = try rig.kiosk.store.parkedOutboxEvents()
        #expect(parked.map(\.eventID) == [ids[1]])
        #expect(parked.first?.reason.hasPrefix("id-reused") == true)
        #expect(try rig.kiosk.pendingIDs().isEmpty)
        #expect(try await rig.central.storedIDs() == [ids[1]] + rig.kiosk.allIDs().filter { $0 != ids[1] })
        // Retrying it sends it again, and it is refused again: still parked, still the same reason.
        #expect(try rig.kiosk.store.retryParkedOutboxEvent(parked[0].sequence))
        #expect(try rig.kiosk.pendingIDs() == [ids[1]])
        #expect(try await rig.forwarder.flush().parked == 1)
        #expect(try rig.kiosk.store.parkedOutboxEvents().map(\.eventID) == [ids[1]])
        try await rig.finish()
    }

    @Test(arguments: Backend.available)
    func aMalformedEventIsFoundBySplittingAndParked(_ backend: Backend) async throws {
        let rig = try await Rig(backend)
        try rig.kiosk.purchases(3)
        let bad = BusinessOperation(
            idempotencyKey: try IdempotencyKey("bad-type"), kind: "test", memberID: nil, branchID: KioskUnderTest.branch,
            occurredAt: Date(), request: Data("{}".utf8), result: Data("{}".utf8), postings: [],
            event: OutboxEvent(type: String(repeating: "t", count: 150), payload: Data("{}".utf8)))
        try rig.kiosk.store.commit(bad)
        try rig.kiosk.purchases(3)
        let report = try await rig.forwarder.flush(maxFailures: 3)
        #expect(report.parked == 1)
        #expect(try rig.kiosk.store.parkedOutboxEvents().map(\.eventID) == ["bad-type"])
        #expect(try rig.kiosk.store.parkedOutboxEvents().first?.reason.hasPrefix("malformed") == true)
        #expect(try await rig.central.storedIDs() == rig.kiosk.allIDs().filter { $0 != "bad-type" })
        #expect(try rig.kiosk.pendingIDs().isEmpty)
        try await rig.finish()
    }

    @Test(arguments: Backend.available)
    func batchesAreBoundedByCountAndBytesAndLargeOnesGzipped(_ backend: Backend) async throws {
        let rig = try await Rig(backend, settings: ForwarderSettings(batchEvents: 3, batchBytes: 5_000))
        try rig.kiosk.purchases(7)  // 9 events with the two enrollments: 3 batches by count
        try await rig.forwarder.flush()
        #expect(rig.central.faults.uploadCount == 3)
        for index in 0..<4 { try rig.kiosk.purchase("big-\(index)", padding: 2_000) }  // about 2.1 KB each: 2 a batch by bytes
        try await rig.forwarder.flush()
        #expect(rig.central.faults.uploadCount == 5)
        #expect(rig.central.faults.gzippedCount == 2)
        try await rig.expectEverythingDeliveredOnce()
        let stored = try await rig.central.storage.events(kioskID: CentralHarness.kioskA.id)
        #expect(stored.map(\.sequence) == stored.map(\.sequence).sorted())
        try await rig.finish()
    }

    @Test(arguments: Backend.available)
    func anUnknownTokenDeliversNothing(_ backend: Backend) async throws {
        let rig = try await Rig(backend, token: (id: "nobody", token: "not-a-token"))
        try rig.kiosk.purchases(1)
        let attempt = try await rig.forwarder.attempt()
        #expect(attempt.delivered == 0)
        #expect(await rig.forwarder.state.connection == .unauthorized)
        #expect(await rig.forwarder.state.lastError?.contains("not-a-token") == false)
        #expect(try rig.kiosk.pendingIDs().count == 3)
        #expect(try await rig.central.storage.events(kioskID: nil).isEmpty)
        try await rig.finish()
    }
}
