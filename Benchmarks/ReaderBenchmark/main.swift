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
//
// Run: swift run -c release reader-bench [iterations]   (starts its own pcscd, or uses the one
// named by KIOSK_TEST_VPCD_PORT / KIOSK_TEST_PCSCD_CONFDIR / KIOSK_TEST_PCSCD_PIDFILE).
import Foundation
import KioskCards
import KioskCore
import KioskPCSC
import KioskReaders
import KioskVirtualCard
import Synchronization
import VirtualCardRig

let iterations = CommandLine.arguments.count > 1 ? Int(CommandLine.arguments[1]) ?? 500 : 500
let tokenKey = try MemberTokenKey(Array("benchmark-program-key-0123456789".utf8))
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
        NTAGCard(model: .ntag213, uid: uid, message: MemberToken(member: "member-42", boundUID: uid).ndefMessage(key: tokenKey))
    },
    CardCase(name: "ntag216 bound token") {
        NTAGCard(model: .ntag216, uid: uid, message: MemberToken(member: "member-42", boundUID: uid).ndefMessage(key: tokenKey))
    },
    CardCase(name: "ntag424 SUN") {
        Type4Card(uid: uid, sun: .init(keys: sdmKeys, baseURL: "https://club.example/t", counter: 0))
    },
    CardCase(name: "type4 member URL") {
        let token = MemberToken(member: "member-42", boundUID: nil).signed(with: tokenKey)
        return Type4Card(uid: uid, message: NDEFMessage(records: [.uri("https://club.example/m?t=" + token)]))
    },
    CardCase(name: "mifare classic UID") { UIDOnlyCard(uid: Array(uid.prefix(4))) },
]

func policy() -> IdentificationPolicy {
    IdentificationPolicy(acceptBareUID: true, tokenKey: tokenKey, sdmKeys: sdmKeys, counters: InMemorySDMCounters())
}

func percentile(_ sorted: [UInt64], _ p: Double) -> Double {
    Double(sorted[min(sorted.count - 1, Int(Double(sorted.count) * p))]) / 1000
}

func line(_ name: String, _ samples: [UInt64], apdus: Int) -> String {
    let sorted = samples.sorted()
    return name.padding(toLength: 22, withPad: " ", startingAt: 0)
        + String(format: "  p50 %8.1f µs  p99 %8.1f µs  APDUs %d", percentile(sorted, 0.5), percentile(sorted, 0.99), apdus)
}

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
