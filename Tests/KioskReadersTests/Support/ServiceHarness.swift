import Foundation
import KioskCards
import KioskPCSC
import KioskReaders
import KioskVirtualCard
import Synchronization
import VirtualCardRig

/// A running `ReaderService` whose events the test reads as they come.
final class ServiceHarness: Sendable {
    let service: ReaderService
    private let log = EventLog()
    private let consumer: Mutex<Task<Void, Never>?> = Mutex(nil)

    /// Starts a service once both virtual readers are empty (a card removed by the previous
    /// test must not be the first thing this service sees).
    convenience init(_ configuration: ReaderService.Configuration, rig: TestPCSCD) throws {
        rig.liftCards()  // a card a failed test left in
        try rig.waitUntilEmpty(reader: 0)
        try rig.waitUntilEmpty(reader: 1)
        self.init(configuration)
    }

    init(_ configuration: ReaderService.Configuration) {
        service = ReaderService(configuration: configuration)
        let stream = service.events()
        let task = Task { [log] in
            for await event in stream { log.append(event) }
        }
        consumer.withLock { $0 = task }
    }

    deinit { service.stop() }

    func stop() {
        service.stop()
        consumer.withLock { $0?.cancel() }
    }

    var all: [ReaderServiceEvent] { log.all }

    var taps: [Tap] {
        all.compactMap { if case .tap(let tap) = $0 { tap } else { nil } }
    }

    /// Waits until `predicate` holds for the events so far (up to `timeout` seconds).
    @discardableResult
    func wait(timeout: Double = 10, _ what: String = "", until predicate: ([ReaderServiceEvent]) -> Bool) async -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if predicate(all) { return true }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return predicate(all)
    }

    /// Waits for the `n`-th tap (1-based) and returns it.
    func tap(_ n: Int = 1, timeout: Double = 10) async -> Tap? {
        await wait(timeout: timeout) { events in events.filter { if case .tap = $0 { true } else { false } }.count >= n }
        let taps = self.taps
        return taps.count >= n ? taps[n - 1] : nil
    }

    /// Waits until the service has seen the vpcd readers.
    func waitForReaders(_ count: Int = 2) async -> Bool {
        await wait { events in events.filter { if case .readerAdded = $0 { true } else { false } }.count >= count }
    }
}

/// The events received so far.
final class EventLog: Sendable {
    private let events = Mutex<[ReaderServiceEvent]>([])
    func append(_ event: ReaderServiceEvent) { events.withLock { $0.append(event) } }
    var all: [ReaderServiceEvent] { events.withLock { $0 } }
}

/// Shared fixtures.
enum Fixture {
    static let tokenKey = try! MemberTokenKey(id: "k1", Hex.bytes(KioskSandbox.tokenKey)!)
    static let issued = TokenDay(year: 2026, month: 12, day: 1)!
    static let sdmKeys = try! SDMKeys(metaRead: Array(0x10..<0x20), fileRead: Array(0x20..<0x30))
    static let uid = Hex.bytes("04A1B2C3D4E5F6")!

    /// The test batch: the fixture's keys, the default MAC layout.
    static let sdmBatch = SDMBatch(keys: sdmKeys)

    /// A reader service configuration; its SDM counters are a fresh SQLite store unless given.
    static func configuration(acceptBareUID: Bool = false, counters: (any SDMCounterStore)? = nil,
                              batches: [SDMBatch] = [sdmBatch],
                              ignore: [String] = [], feedback: [(pattern: String, model: ReaderFeedback.Model)] = []) -> ReaderService.Configuration {
        ReaderService.Configuration(
            readers: ReaderNameFilter(allow: ["Virtual PCD*"], ignore: ignore),
            policy: IdentificationPolicy(acceptBareUID: acceptBareUID, tokenKeys: try! MemberTokenKeyring(current: tokenKey), sdmBatches: batches,
                                         counters: counters ?? (try! StoreCounters.fresh())),
            feedbackOverrides: feedback)
    }

    static func tokenCard(_ model: NTAGModel = .ntag215, member: String = "member-42", uid: [UInt8] = uid, bound: Bool = true) -> NTAGCard {
        let token = MemberToken(member: .init(rawValue: member), boundUID: bound ? uid : nil, issued: issued)
        return NTAGCard(model: model, uid: uid, message: token.ndefMessage(key: tokenKey))
    }

    static func sunCard(uid: [UInt8] = Hex.bytes("04DE5F1EACC040")!, counter: UInt32 = 10,
                        layout: SDMMACInput = .default, randomID: Bool = false) -> Type4Card {
        Type4Card(uid: uid, sun: .init(keys: sdmKeys, baseURL: "https://club.example/t", counter: counter,
                                       layout: layout, randomID: randomID))
    }
}
