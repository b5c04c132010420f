import Foundation
import KioskCards
import KioskCore
import KioskReaders
import KioskStore
import KioskVirtualCard
import Testing
import VirtualCardRig

/// NTAG 424 DNA cards: genuine SUN messages are accepted once per counter, only from the card
/// whose UID they carry; copies are refused without consuming the card's counter.
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

    private func harness(batches: [SDMBatch] = [Fixture.sdmBatch]) throws -> ServiceHarness {
        try ServiceHarness(Fixture.configuration(counters: StoreCounters(store: store), batches: batches), rig: rig)
    }

    /// Presents `card`, returns the tap, lifts the card and waits until the service saw it go.
    private func present(_ card: any VirtualCard, to harness: ServiceHarness) async throws -> Tap {
        let count = harness.taps.count
        let connection = try rig.insert(card)
        let tap = try #require(await harness.tap(count + 1))
        connection.remove()
        connection.waitUntilRemoved(timeout: 5)
        #expect(await harness.wait { $0.filter { $0 == .cardRemoved(tap.reader) }.count >= count + 1 })
        return tap
    }

    /// What a phone's NFC app (or any reader) gets from the card: its next SUN URL, read off the
    /// card without the kiosk, so the card's counter advances past what the kiosk has seen.
    private static func readOffTheCard(_ card: Type4Card) throws -> NDEFMessage {
        _ = card.respond(to: CommandAPDU.selectApplication(Type4.ndefApplication).bytes)
        _ = card.respond(to: CommandAPDU.selectFile(Type4.defaultNDEFFile).bytes)
        card.reset()
        return try #require(card.message)
    }

    @Test func genuineSUNMessagesAreAcceptedAndTheCounterIsRecordedWithItsIdentification() async throws {
        let harness = try harness()
        defer { harness.stop() }
        #expect(await harness.waitForReaders())
        let card = Fixture.sunCard(counter: 10)
        for presentation in 1...2 {
            let tap = try await present(card, to: harness)
            let expectedCounter = UInt32(10 + presentation)
            #expect(tap.outcome == .identified(.sun(uid: card.uid, counter: expectedCounter, card: CardID(rawValue: "ntag424:" + Hex.string(card.uid)))))
            #expect(tap.apdus == 4, "SELECT, SELECT, READ BINARY, GET UID")
            let use = try #require(try store.sdmCounterUse(uid: Hex.string(card.uid)))
            #expect(use.counter == expectedCounter)
            #expect(use.identification == tap.identification)
        }
    }

    /// NXP AN12196's example: SDMMACInputOffset = SDMMACOffset (empty MAC input), all-zero keys,
    /// UID 04DE5F1EACC040 at counter 61. The virtual card computes its URL from those keys and
    /// gives the published one, which the kiosk accepts with the default layout.
    @Test func theApplicationNoteExampleCardIsAccepted() async throws {
        let card = Type4Card(uid: Hex.bytes("04DE5F1EACC040")!, sun: .init(
            keys: .factory, baseURL: "https://choose.url.com/ntag424", counter: 60, padding: Hex.bytes("DA5CF60941")!))
        let harness = try harness(batches: [SDMBatch(keys: .factory)])
        defer { harness.stop() }
        #expect(await harness.waitForReaders())
        let tap = try await present(card, to: harness)
        #expect(tap.ndef == [.uri("https://choose.url.com/ntag424?picc_data=EF963FF7828658A599F3041510671E88&cmac=94EED9EE65337086")])
        #expect(tap.outcome == .identified(.sun(uid: card.uid, counter: 61, card: CardID(rawValue: "ntag424:04DE5F1EACC040"))))
    }

    @Test(arguments: SDMMACInput.allCases)
    func eachMACLayoutIsAcceptedWhenConfiguredAndRefusedOtherwise(layout: SDMMACInput) async throws {
        let other: SDMMACInput = layout == .empty ? .piccData : .empty
        let card = Fixture.sunCard(uid: Hex.bytes("04C0FFEE000001")!, counter: 5, layout: layout)
        do {
            let harness = try harness(batches: [SDMBatch(keys: Fixture.sdmKeys, macInput: other)])
            defer { harness.stop() }
            #expect(await harness.waitForReaders())
            let tap = try await present(card, to: harness)
            #expect(tap.outcome == .refused(.badSUN(.badMAC)))
        }
        #expect(try store.sdmCounter(uid: "04C0FFEE000001") == nil)
        let harness = try harness(batches: [SDMBatch(keys: Fixture.sdmKeys, macInput: layout)])
        defer { harness.stop() }
        #expect(await harness.waitForReaders())
        let tap = try await present(card, to: harness)
        #expect(tap.outcome == .identified(.sun(uid: card.uid, counter: 7, card: CardID(rawValue: "ntag424:04C0FFEE000001"))))
    }

    @Test func aSecondBatchWithItsOwnKeysAndLayoutIsTriedAfterTheFirst() async throws {
        let otherKeys = try SDMKeys(metaRead: Array(0x40..<0x50), fileRead: Array(0x50..<0x60))
        let card = Type4Card(uid: Hex.bytes("04BA7C4000000B")!, sun: .init(keys: otherKeys, baseURL: "https://club.example/t",
                                                                          counter: 1, layout: .piccData))
        let harness = try harness(batches: [Fixture.sdmBatch, SDMBatch(name: "2025", keys: otherKeys, macInput: .piccData)])
        defer { harness.stop() }
        #expect(await harness.waitForReaders())
        let tap = try await present(card, to: harness)
        #expect(tap.outcome == .identified(.sun(uid: card.uid, counter: 2, card: CardID(rawValue: "ntag424:04BA7C4000000B"))))
    }

    /// The attack: a member's card is read by a phone (its counter advances past the kiosk's),
    /// and the URL is written onto a cheap NTAG213, or played by another ISO 14443-4 device. The
    /// copy is refused, the kiosk's counter stays where it was, and the member's card still works.
    @Test func aSUNURLCopiedOntoAnNTAG213OrPlayedByAnotherDeviceIsRefused() async throws {
        let harness = try harness()
        defer { harness.stop() }
        #expect(await harness.waitForReaders())
        let genuine = Fixture.sunCard(uid: Hex.bytes("04112233445566")!, counter: 100)
        let first = try await present(genuine, to: harness)
        guard case .identified(.sun(_, 101, _)) = first.outcome else {
            Issue.record("genuine card not accepted: \(first.outcome)")
            return
        }
        let stolen = try Self.readOffTheCard(genuine)   // counter 102: never seen by the kiosk
        #expect(genuine.counter == 102)

        let onNTAG213 = try await present(NTAGCard(model: .ntag213, uid: Hex.bytes("04888888888888")!, message: stolen), to: harness)
        #expect(onNTAG213.outcome == .refused(.badSUN(.notFromNTAG424(.ultralightOrNTAG))))
        #expect(onNTAG213.uid == Hex.bytes("04888888888888")!, "the copy's own UID is shown")

        let played = try await present(Type4Card(uid: Hex.bytes("08A1B2C3")!, message: stolen), to: harness)
        #expect(played.outcome == .refused(.badSUN(.uidMismatch(card: Hex.bytes("08A1B2C3")!, piccData: genuine.uid))))
        #expect(played.uid == Hex.bytes("08A1B2C3")!)

        let otherTag = try await present(Type4Card(uid: Hex.bytes("04999999999999")!, message: stolen), to: harness)
        #expect(otherTag.outcome == .refused(.badSUN(.uidMismatch(card: Hex.bytes("04999999999999")!, piccData: genuine.uid))))

        let use = try #require(try store.sdmCounterUse(uid: "04112233445566"))
        #expect(use.counter == 101, "no copy consumed the card's counter")
        #expect(use.identification == first.identification)

        let again = try await present(genuine, to: harness)
        #expect(again.outcome == .identified(.sun(uid: genuine.uid, counter: 103, card: CardID(rawValue: "ntag424:04112233445566"))))
    }

    @Test func aSUNURLPlayedAgainOnACardWithTheSameUIDIsAReplay() async throws {
        let harness = try harness()
        defer { harness.stop() }
        #expect(await harness.waitForReaders())
        let genuine = Fixture.sunCard(uid: Hex.bytes("04112233445577")!, counter: 100)
        _ = try await present(genuine, to: harness)
        let copied = try #require(genuine.message)
        let replay = try await present(Type4Card(uid: genuine.uid, message: copied), to: harness)
        #expect(replay.outcome == .refused(.badSUN(.replayed(counter: 101, last: 101))))
    }

    @Test func aRandomIDBatchSkipsTheUIDCheckOnlyWhenConfigured() async throws {
        let card = Fixture.sunCard(uid: Hex.bytes("04AAAA00000001")!, counter: 3, randomID: true)
        do {
            let harness = try harness()
            defer { harness.stop() }
            #expect(await harness.waitForReaders())
            let tap = try await present(card, to: harness)
            guard case .refused(.badSUN(.uidMismatch(let seen, let picc))) = tap.outcome else {
                Issue.record("a random ID without the setting must be a mismatch, got \(tap.outcome)")
                return
            }
            #expect(seen.first == 0x08 && seen.count == 4)
            #expect(picc == card.uid)
        }
        let harness = try harness(batches: [SDMBatch(keys: Fixture.sdmKeys, randomID: true)])
        defer { harness.stop() }
        #expect(await harness.waitForReaders())
        let tap = try await present(card, to: harness)
        #expect(tap.outcome == .identified(.sun(uid: card.uid, counter: 5, card: CardID(rawValue: "ntag424:04AAAA00000001"))))
        #expect(tap.apdus == 3, "no GET UID: a random ID tells nothing")
    }

    @Test func withoutACounterStoreSUNMessagesAreRefused() async throws {
        var configuration = Fixture.configuration()
        configuration.policy.counters = nil
        let harness = try ServiceHarness(configuration, rig: rig)
        defer { harness.stop() }
        #expect(await harness.waitForReaders())
        let tap = try await present(Fixture.sunCard(counter: 1), to: harness)
        #expect(tap.outcome == .refused(.notConfigured("SDM counter store")))
    }

    @Test func aSUNCardWithOtherKeysIsRefused() async throws {
        let harness = try harness()
        defer { harness.stop() }
        #expect(await harness.waitForReaders())
        let card = Type4Card(uid: Hex.bytes("04DE5F1EACC040")!, sun: .init(keys: .factory, baseURL: "https://club.example/t", counter: 1))
        let tap = try await present(card, to: harness)
        guard case .refused(.badSUN) = tap.outcome else {
            Issue.record("expected a SUN refusal, got \(tap.outcome)")
            return
        }
        #expect(try store.sdmCounter(uid: "04DE5F1EACC040") == nil)
    }

    @Test func theStoreAcceptsOnlyIncreasingCountersAndKeepsWhoUsedThem() throws {
        #expect(try store.advanceSDMCounter(uid: "04AA", to: 5, identification: "a") == nil)
        #expect(try store.advanceSDMCounter(uid: "04AA", to: 5, identification: "b") == 5)
        #expect(try store.advanceSDMCounter(uid: "04AA", to: 4, identification: "c") == 5)
        #expect(try store.sdmCounterUse(uid: "04AA")?.identification == "a", "a refused counter records nothing")
        #expect(try store.advanceSDMCounter(uid: "04AA", to: 6, identification: "d") == nil)
        #expect(try store.advanceSDMCounter(uid: "04BB", to: 0, identification: "e") == nil)
        #expect(try store.sdmCounter(uid: "04AA") == 6)
        #expect(try store.sdmCounterUse(uid: "04AA")?.identification == "d")
    }
}
}
