// The reader benchmark: the time the kiosk's own code adds between pcscd's card-present event
// and an identified member, per card type, and the APDUs each identification needs.
//
// Two measurements per card type:
//   in-process  the identifier driven by the virtual card directly (no pcscd, no sockets):
//               the CPU time of our parsing, verification and decisions, plus the virtual
//               card's own answers (tiny).
//   watchdog    what the reader watchdog adds to a tap: handing the presentation to the
//               reader's worker thread, the deadline timer, handing the tap back (in-process
//               reads, so only the handoff is measured: present → tap emitted, minus the read).
//   via pcscd   connect + identify + disconnect through the real pcscd and vpcd, minus the time
//               spent inside SCardTransmit (the card's round trips): what our code adds around them.
//   service     through ReaderService as `kiosk run` uses it: pcscd's card-present event to the
//               emitted tap (round trips included), and the service's return after pcscd restarts.
//
// Also: NDEF parsing of chunked records (NDEFJoin.swift), first; `--ndef-only` stops after it.
//
// Run: swift run -c release reader-bench [iterations]   (starts its own pcscd, or uses the one
// named by KIOSK_TEST_VPCD_PORT / KIOSK_TEST_PCSCD_CONFDIR / KIOSK_TEST_PCSCD_PIDFILE).
import Foundation
import Synchronization
import KioskCards
import KioskCore
import KioskPCSC
import KioskReaders
import KioskVirtualCard
import Synchronization
import VirtualCardRig

let iterations = CommandLine.arguments.count > 1 ? Int(CommandLine.arguments[1]) ?? 500 : 500   // `--ndef-only`: the NDEF lines alone
let tokenKey = try MemberTokenKey(id: "k1", Array("benchmark-program-key-0123456789".utf8))
let issued = TokenDay(year: 2026, month: 12, day: 1)!
let sdmKeys = try SDMKeys(metaRead: Array(0..<16), fileRead: Array(16..<32))
let uid: [UInt8] = [0x04, 0xA1, 0xB2, 0xC3, 0xD4, 0xE5, 0xF6]

/// A virtual card answering in-process, as an APDU channel.
final class DirectChannel: APDUChannel {
    let card: any VirtualCard
    init(_ card: any VirtualCard) { self.card = card }
    func transmit(_ command: CommandAPDU) throws(PCSCError) -> ResponseAPDU? {
        guard case .bytes(let answer) = card.respond(to: command.bytes) else { throw .removedCard }
        return try? ResponseAPDU(answer)
    }
}

/// A PC/SC channel that sums the time spent inside SCardTransmit.
final class TimedChannel: APDUChannel {
    let card: PCSCCard
    var transmitNanos: UInt64 = 0
    init(_ card: PCSCCard) { self.card = card }
    func transmit(_ command: CommandAPDU) throws(PCSCError) -> ResponseAPDU? {
        let start = DispatchTime.now().uptimeNanoseconds
        defer { transmitNanos += DispatchTime.now().uptimeNanoseconds - start }
        return try? ResponseAPDU(try card.transmit(command.bytes))
    }
}

struct CardCase {
    let name: String
    let make: () -> any VirtualCard
}

let cases: [CardCase] = [
    CardCase(name: "ntag213 bound token") {
        NTAGCard(model: .ntag213, uid: uid, message: MemberToken(member: "member-42", boundUID: uid, issued: issued).ndefMessage(key: tokenKey))
    },
    CardCase(name: "ntag216 bound token") {
        NTAGCard(model: .ntag216, uid: uid, message: MemberToken(member: "member-42", boundUID: uid, issued: issued).ndefMessage(key: tokenKey))
    },
    CardCase(name: "ntag424 SUN") {
        Type4Card(uid: uid, sun: .init(keys: sdmKeys, baseURL: "https://club.example/t", counter: 0))
    },
    CardCase(name: "type4 member URL") {
        let token = MemberToken(member: "member-42", boundUID: nil, issued: issued).signed(with: tokenKey)
        return Type4Card(uid: uid, message: NDEFMessage(records: [.uri("https://club.example/m?t=" + token)]))
    },
    CardCase(name: "mifare classic UID") { UIDOnlyCard(uid: Array(uid.prefix(4))) },
]

func policy() -> IdentificationPolicy {
    IdentificationPolicy(acceptBareUID: true, tokenKeys: try! MemberTokenKeyring(current: tokenKey), sdmBatches: [SDMBatch(keys: sdmKeys)], counters: BenchmarkCounters())
}

/// Counters in memory, so that the figures are our code's time without the store's commit. The
/// kiosk itself has no such store (a memory forgets at every restart and accepts a copy again).
final class BenchmarkCounters: SDMCounterStore {
    private let counters = Mutex<[String: UInt32]>([:])

    func advanceSDMCounter(uid: String, to counter: UInt32, identification: String) throws -> UInt32? {
        counters.withLock { stored in
            if let last = stored[uid], counter <= last { return last }
            stored[uid] = counter
            return nil
        }
    }
}

func percentile(_ sorted: [UInt64], _ p: Double) -> Double {
    Double(sorted[min(sorted.count - 1, Int(Double(sorted.count) * p))]) / 1000
}

func line(_ name: String, _ samples: [UInt64], apdus: Int?) -> String {
    let sorted = samples.sorted()
    return name.padding(toLength: 22, withPad: " ", startingAt: 0)
        + String(format: "  p50 %8.1f µs  p99 %8.1f µs", percentile(sorted, 0.5), percentile(sorted, 0.99))
        + (apdus.map { "  APDUs \($0)" } ?? "")
}

NDEFJoinBenchmark.run()
if CommandLine.arguments.contains("--ndef-only") { exit(0) }

print("reader benchmark, \(iterations) identifications per card type")
print("\nin-process (our code + the virtual card's answers, no pcscd):")
for c in cases {
    let card = c.make()
    let identifier = CardIdentifier(policy: policy())
    var samples: [UInt64] = []
    var apdus = 0
    for _ in 0..<iterations {
        card.reset()
        let start = DispatchTime.now().uptimeNanoseconds
        let tap = identifier.identify(reader: "bench", atr: card.atr, channel: DirectChannel(card))
        samples.append(DispatchTime.now().uptimeNanoseconds - start)
        guard case .identified = tap.outcome else { fatalError("\(c.name) not identified: \(tap.outcome)") }
        apdus = tap.apdus
    }
    print(line(c.name, samples, apdus: apdus))
}

print("\nwatchdog handoff (present → tap emitted, minus the read itself; the reader's worker reused):")
for c in cases {
    let card = c.make()
    let identifier = CardIdentifier(policy: policy())
    let timing = Mutex<(inside: UInt64, emitted: UInt64, apdus: Int)>((0, 0, 0))
    let done = DispatchSemaphore(value: 0)
    let name = c.name
    let watchdog = ReadWatchdog(timeout: .seconds(2), busyRetries: 1, read: { presentation, _, _ in
        card.reset()
        let start = DispatchTime.now().uptimeNanoseconds
        let tap = identifier.identify(reader: presentation.reader, atr: presentation.atr, channel: DirectChannel(card))
        let inside = DispatchTime.now().uptimeNanoseconds - start
        timing.withLock { $0.inside = inside; $0.apdus = tap.apdus }
        return .tap(tap)
    }, emit: { event in
        guard case .tap(let tap) = event else { return }
        guard case .identified = tap.outcome else { fatalError("\(name) not identified: \(tap.outcome)") }
        timing.withLock { $0.emitted = DispatchTime.now().uptimeNanoseconds }
        done.signal()
    })
    var samples: [UInt64] = []
    for _ in 0..<iterations {
        let start = DispatchTime.now().uptimeNanoseconds
        watchdog.present(Presentation(reader: "bench", atr: card.atr))
        done.wait()
        let (inside, emitted, _) = timing.withLock { $0 }
        samples.append(emitted - start - inside)
    }
    watchdog.close()
    print(line(c.name, samples, apdus: timing.withLock { $0.apdus }))
}

print("\nvia pcscd + vpcd: identification minus the time inside SCardTransmit (the card's round trips):")
let rig = try TestPCSCD.shared()
let reader = try rig.readerNames()[0]
let context = try PCSCContext()
for c in cases {
    try rig.waitUntilEmpty()
    let card = c.make()
    let connection = try rig.insert(card)
    var state = ReaderState(reader: reader)
    while !state.eventState.contains(.present) {
        state = try context.statusChange([ReaderState(reader: reader)], timeoutMilliseconds: 100)[0]
    }
    let identifier = CardIdentifier(policy: policy())
    var ours: [UInt64] = []
    var roundTrips: [UInt64] = []
    var connects: [UInt64] = []
    var apdus = 0
    for _ in 0..<iterations {
        let connectStart = DispatchTime.now().uptimeNanoseconds
        let pcsc = try context.connect(reader)
        let start = DispatchTime.now().uptimeNanoseconds
        let channel = TimedChannel(pcsc)
        let tap = identifier.identify(reader: reader, atr: state.atr, channel: channel)
        let end = DispatchTime.now().uptimeNanoseconds
        try pcsc.disconnect()
        connects.append(DispatchTime.now().uptimeNanoseconds - end + start - connectStart)
        guard case .identified = tap.outcome else { fatalError("\(c.name) not identified: \(tap.outcome)") }
        ours.append(end - start - channel.transmitNanos)
        roundTrips.append(channel.transmitNanos)
        apdus = tap.apdus
    }
    connection.remove()
    print(line(c.name, ours, apdus: apdus) + "   (APDU round trips p50 \(String(format: "%.0f", percentile(roundTrips.sorted(), 0.5))) µs, connect+disconnect p50 \(String(format: "%.0f", percentile(connects.sorted(), 0.5))) µs)")
}

// Through the reader service, as `kiosk run` uses it: from the moment pcscd's status change
// reports the card to the tap the service emits (`Tap.elapsed`), which includes connect,
// the card's round trips, feedback and disconnect. Each presentation is a new vpcd connection
// (a card left on the reader is one tap).
let presentations = max(10, iterations / 25)
print("\nthrough ReaderService (\(presentations) presentations of the ntag213 card): card-present event → tap emitted")
do {
    try rig.waitUntilEmpty()  // the last card of the section above must not be the first tap here
    let service = ReaderService(configuration: .init(readers: ReaderNameFilter(allow: ["Virtual PCD*"], ignore: ["* 00 01"]),
                                                     policy: policy(), feedback: false))
    let log = EventLog()
    let stream = service.events()
    let consumer = Task { for await event in stream { log.append(event) } }
    var seen = 0
    /// Waits for the next event (after those already looked at) that matches.
    func next(_ matching: (ReaderServiceEvent) -> Bool) async -> ReaderServiceEvent? {
        while true {
            let events = log.all
            while seen < events.count {
                seen += 1
                if matching(events[seen - 1]) { return events[seen - 1] }
            }
            try? await Task.sleep(for: .milliseconds(1))
        }
    }
    _ = await next { if case .readerAdded = $0 { true } else { false } }
    var elapsed: [UInt64] = []
    for _ in 0..<presentations {
        try rig.waitUntilEmpty()
        let connection = try rig.insert(cases[0].make())
        guard case .tap(let tap)? = await next({ if case .tap = $0 { true } else { false } }) else { fatalError("no tap") }
        guard case .identified = tap.outcome else { fatalError("not identified: \(tap.outcome)") }
        guard let duration = tap.elapsed else { fatalError("a tap without its time") }
        let (seconds, attoseconds) = duration.components
        elapsed.append(UInt64(seconds) * 1_000_000_000 + UInt64(attoseconds / 1_000_000_000))
        connection.remove()
    }
    print(line("service tap", elapsed, apdus: nil) + "   (includes connect, the card's round trips and disconnect)")

    // pcscd restarted (SIGTERM and SIGKILL in turn): from starting the new pcscd to the service
    // listing its readers again, beside the time the new pcscd itself needs before a fresh client
    // sees the readers. The issue's goal: back within 2 s of pcscd's return.
    let restarts = 6
    var serviceBack: [UInt64] = []
    var pcscdReady: [UInt64] = []
    for round in 0..<restarts {
        try rig.stopDaemon(hard: round % 2 == 1)
        _ = await next { if case .disconnected = $0 { true } else { false } }
        let start = DispatchTime.now().uptimeNanoseconds
        try rig.startDaemon()
        let probe = Task.detached { () -> UInt64 in
            while true {
                if let names = try? PCSCContext().readers(), names.contains(where: { $0.hasPrefix("Virtual PCD") }) {
                    return DispatchTime.now().uptimeNanoseconds
                }
                usleep(5_000)
            }
        }
        _ = await next { if case .readerAdded = $0 { true } else { false } }
        serviceBack.append(DispatchTime.now().uptimeNanoseconds - start)
        pcscdReady.append(await probe.value - start)
    }
    print(line("pcscd ready", pcscdReady, apdus: nil) + "   (a fresh client lists the readers; \(restarts) restarts)")
    print(line("service back", serviceBack, apdus: nil) + "   (goal: within 2 s of pcscd's return)")
    service.stop()
    consumer.cancel()
}

/// The service's events as they come.
final class EventLog: Sendable {
    private let events = Mutex<[ReaderServiceEvent]>([])
    func append(_ event: ReaderServiceEvent) { events.withLock { $0.append(event) } }
    var all: [ReaderServiceEvent] { events.withLock { $0 } }
}
