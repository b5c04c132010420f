import Foundation
import KioskCore
import KioskStore
import KioskSync
import KioskTestSupport
import Testing

@Suite(.serialized) struct OnceOnlyTests {
    /// Two kiosks offline redeem the same single-use voucher and claim the same receipt; on
    /// reconnection the first to upload keeps both, the other gets corrections it applies as
    /// ledger entries its member sees, once.
    @Test(arguments: Backend.available)
    func twoOfflineKiosksSettleOnReconnection(_ backend: Backend) async throws {
        let directory = try TemporaryDirectory()
        let central = try await CentralHarness(backend, directory: directory.path)
        try await central.start()
        let kioskA = try KioskUnderTest(members: ["ma"])
        let kioskB = try KioskUnderTest(members: ["mb"])
        try kioskA.purchase("receipt:pos1:r77", member: "ma", points: 120)
        try kioskB.purchase("receipt:pos1:r77", member: "mb", points: 120)
        try kioskA.purchase("a-voucher", member: "ma", points: 5, voucher: ("V-1", 50_000))
        try kioskB.purchase("b-voucher", member: "mb", points: 5, voucher: ("V-1", 50_000))
        #expect(try kioskB.balance("mb", .points) == 125)

        let clientA = try central.client(CentralHarness.kioskA)
        let clientB = try central.client(CentralHarness.kioskB)
        try await Forwarder(store: kioskA.store, uploader: clientA, sleep: { _ in }).flush()
        try await Forwarder(store: kioskB.store, uploader: clientB, sleep: { _ in }).flush()
        #expect(try kioskA.pendingIDs().isEmpty && kioskB.pendingIDs().isEmpty)

        let syncA = CorrectionSync(store: kioskA.store, client: clientA, branch: KioskUnderTest.branch,
                                   cursorPath: kioskA.directory.file("corrections.cursor"))
        let syncB = CorrectionSync(store: kioskB.store, client: clientB, branch: KioskUnderTest.branch,
                                   cursorPath: kioskB.directory.file("corrections.cursor"))
        #expect(try await syncA.sync().applied == 0)
        let report = try await syncB.sync()
        #expect(report.applied == 2)
        #expect(try kioskA.balance("ma", .points) == 125)
        #expect(try kioskB.balance("mb", .points) == 5)
        #expect(try kioskB.balance("mb", .credit) == -50_000)
        // Fetching again, or from the start (the cursor lost), changes nothing.
        #expect(try await syncB.sync().applied == 0)
        try FileManager.default.removeItem(atPath: kioskB.directory.file("corrections.cursor"))
        let again = try await syncB.sync()
        #expect(again.applied == 0)
        #expect(again.alreadyApplied == 2)
        #expect(try kioskB.balance("mb", .points) == 5)
        // The corrections are ordinary events of kiosk B's outbox: the central hears of them.
        #expect(try kioskB.store.outboxEvents(limit: 100, pendingOnly: true).map(\.type) == ["correction.applied", "correction.applied"])

        try await clientA.shutdown()
        try await clientB.shutdown()
        await central.stop()
    }

    @Test(arguments: Backend.available)
    func onlineClaimsAndSunCountersAreChainWide(_ backend: Backend) async throws {
        let directory = try TemporaryDirectory()
        let central = try await CentralHarness(backend, directory: directory.path)
        try await central.start()
        let clientA = try central.client(CentralHarness.kioskA)
        let clientB = try central.client(CentralHarness.kioskB)
        let at = Date(timeIntervalSince1970: 1_790_000_000)
        #expect(await clientA.claim(.receipt, key: "receipt:pos1:r1", eventID: "receipt:pos1:r1", memberID: "ma", at: at) == .granted)
        // A retry by the holder is granted again; anyone else is refused and told who holds it.
        #expect(await clientA.claim(.receipt, key: "receipt:pos1:r1", eventID: "receipt:pos1:r1", memberID: "ma", at: at) == .granted)
        #expect(await clientB.claim(.receipt, key: "receipt:pos1:r1", eventID: "receipt:pos1:r1", memberID: "mb", at: at)
            == .refused(holderKioskID: CentralHarness.kioskA.id, since: at))
        #expect(await clientB.claim(.voucher, key: "receipt:pos1:r1", eventID: "v", memberID: "mb", at: at) == .granted)

        #expect(await clientA.checkSun(cardUID: "04A1B2C3D4E5F6", counter: 5) == .accepted(highWater: 5))
        #expect(await clientB.checkSun(cardUID: "04A1B2C3D4E5F6", counter: 5) == .replayed(highWater: 5))
        #expect(await clientB.checkSun(cardUID: "04A1B2C3D4E5F6", counter: 6) == .accepted(highWater: 6))
        #expect(await clientA.checkSun(cardUID: "04A1B2C3D4E5F6", counter: 4) == .replayed(highWater: 6))
        #expect(await clientA.checkSun(cardUID: "04A1B2C3D4E5F7", counter: 0) == .accepted(highWater: 0))
        try await clientA.shutdown()
        try await clientB.shutdown()
        await central.stop()
    }

    @Test func aCentralThatDoesNotAnswerInTimeMeansOffline() async throws {
        // A listener that accepts connections and never answers.
        let listener = try SilentListener()
        let client = try CentralClient(endpoint: CentralEndpoint(url: URL(string: "http://127.0.0.1:\(listener.port)")!, token: "t"))
        let started = ContinuousClock.now
        let answer = await client.claim(.voucher, key: "V-9", eventID: "e", memberID: "m", at: Date(), timeout: 0.3)
        guard case .offline = answer else {
            Issue.record("expected offline, got \(answer)")
            return
        }
        #expect(ContinuousClock.now - started < .seconds(2))
        guard case .offline = await client.checkSun(cardUID: "04A1B2C3D4E5F6", counter: 1, timeout: 0.3) else {
            Issue.record("expected offline")
            return
        }
        try await client.shutdown()
    }
}
