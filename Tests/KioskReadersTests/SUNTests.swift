import Foundation
import KioskCards
import KioskCore
import KioskReaders
import KioskStore
import KioskVirtualCard
import Testing
import VirtualCardRig

/// The store as the service's counter store (the kiosk executable declares the conformance
/// itself; a wrapper here keeps one conformance per binary).
struct StoreCounters: SDMCounterStore {
    let store: KioskStore
    func advanceSDMCounter(uid: String, to counter: UInt32) throws -> UInt32? {
        try store.advanceSDMCounter(uid: uid, to: counter)
    }
}

/// NTAG 424 DNA cards: genuine SUN messages are accepted once per counter; copies are refused.
extension ReaderIntegrationTests {
@Suite struct SUNTests {
    let rig: TestPCSCD
    let store: KioskStore
    let directory: String

    init() throws {
        rig = try TestPCSCD.shared()
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("kiosk-sun-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        store = try KioskStore(path: directory + "/kiosk.sqlite")
    }

    @Test func genuineSUNMessagesAreAcceptedAndTheCounterIsPersisted() async throws {
        let harness = try ServiceHarness(Fixture.configuration(counters: StoreCounters(store: store)), rig: rig)
        defer { harness.stop() }
        #expect(await harness.waitForReaders())
        let card = Fixture.sunCard(counter: 10)
        for presentation in 1...2 {
            let connection = try rig.insert(card)
            let tap = try #require(await harness.tap(presentation))
            let expectedCounter = UInt32(10 + presentation)
            #expect(tap.outcome == .identified(.sun(uid: card.uid, counter: expectedCounter, card: CardID(rawValue: "ntag424:" + Hex.string(card.uid)))))
            #expect(tap.apdus == 3)
            #expect(try store.sdmCounter(uid: Hex.string(card.uid)) == expectedCounter)
            connection.remove()
            connection.waitUntilRemoved(timeout: 5)
            #expect(await harness.wait { $0.filter { $0 == .cardRemoved(tap.reader) }.count >= presentation })
        }
    }

    @Test func aCopiedSUNURLIsRefusedAsAReplay() async throws {
        let harness = try ServiceHarness(Fixture.configuration(counters: StoreCounters(store: store)), rig: rig)
        defer { harness.stop() }
        #expect(await harness.waitForReaders())
        let genuine = Fixture.sunCard(uid: Hex.bytes("04112233445566")!, counter: 100)
        let first = try rig.insert(genuine)
        let tap = try #require(await harness.tap(1))
        guard case .identified(.sun(_, 101, _)) = tap.outcome else {
            Issue.record("genuine card not accepted: \(tap.outcome)")
            return
        }
        first.remove()
        first.waitUntilRemoved(timeout: 5)
        // The URL the genuine card showed, copied onto a plain Type 4 tag (and onto an NTAG).
        let copied = try #require(genuine.message)
        for clone in [Type4Card(uid: Hex.bytes("04999999999999")!, message: copied) as any VirtualCard,
                      NTAGCard(model: .ntag215, uid: Hex.bytes("04888888888888")!, message: copied)] {
            let count = harness.taps.count
            let connection = try rig.insert(clone)
            let replay = try #require(await harness.tap(count + 1))
            #expect(replay.outcome == .refused(.badSUN(.replayed(counter: 101, last: 101))))
            connection.remove()
            connection.waitUntilRemoved(timeout: 5)
            #expect(await harness.wait { $0.filter { $0 == .cardRemoved(replay.reader) }.count >= count + 1 })
        }
        #expect(try store.sdmCounter(uid: "04112233445566") == 101)
    }

    @Test func aSUNCardWithOtherKeysIsRefused() async throws {
        let harness = try ServiceHarness(Fixture.configuration(counters: StoreCounters(store: store)), rig: rig)
        defer { harness.stop() }
        #expect(await harness.waitForReaders())
        let card = Type4Card(uid: Hex.bytes("04DE5F1EACC040")!, sun: .init(keys: .factory, baseURL: "https://club.example/t", counter: 1))
        let connection = try rig.insert(card)
        defer { connection.remove() }
        let tap = try #require(await harness.tap())
        guard case .refused(.badSUN) = tap.outcome else {
            Issue.record("expected a SUN refusal, got \(tap.outcome)")
            return
        }
        #expect(try store.sdmCounter(uid: "04DE5F1EACC040") == nil)
    }

    @Test func theStoreAcceptsOnlyIncreasingCounters() throws {
        #expect(try store.advanceSDMCounter(uid: "04AA", to: 5) == nil)
        #expect(try store.advanceSDMCounter(uid: "04AA", to: 5) == 5)
        #expect(try store.advanceSDMCounter(uid: "04AA", to: 4) == 5)
        #expect(try store.advanceSDMCounter(uid: "04AA", to: 6) == nil)
        #expect(try store.advanceSDMCounter(uid: "04BB", to: 0) == nil)
        #expect(try store.sdmCounter(uid: "04AA") == 6)
    }
}
}
