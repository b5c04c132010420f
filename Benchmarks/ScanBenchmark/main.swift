// Scanner benchmarks (not a test): the time from the terminating key event to a parsed scan, and
// the parsers' throughput on a million mixed codes. Usage: scan-bench [--codes N] [--scans N]
import CInput
import Crypto
import Foundation
import Glibc
import KioskCards
import KioskCore
import KioskInput
import KioskReceipts
import KioskScan

func option(_ name: String, _ fallback: Int) -> Int {
    guard let i = CommandLine.arguments.firstIndex(of: name), i + 1 < CommandLine.arguments.count else { return fallback }
    return Int(CommandLine.arguments[i + 1]) ?? fallback
}

let codes = option("--codes", 1_000_000)
let scans = option("--scans", 100_000)
let pipeScans = option("--pipe-scans", 2_000)

let memberKey = try! MemberTokenKey(id: "k1", Array(0..<32))
let till = try! ReceiptSigningKey(id: "till1", seed: Array(32..<64))
let interpreter = ScanInterpreter(memberKeys: try! MemberTokenKeyring(current: memberKey),
                                  receipts: try! ReceiptVerifier(publicKeys: [till.publicKey]))
let token = MemberToken(member: MemberID(rawValue: "M-100234"), boundUID: nil, issued: TokenDay(year: 2026, month: 12, day: 1)!).signed(with: memberKey)
let receipt = try! till.payload(Receipt(pos: "pos-7", receiptID: "R000123", branch: "br-1", issuedAt: 1_795_000_000,
                                                            total: 8_000_000, lines: [.init(productGroup: "dairy", amount: 8_000_000)]))

/// The mix a kiosk sees: products most, then members, vouchers, GS1, receipts, and some garbage.
let mix: [[UInt8]] = [
    "]E05901234123457", "]E496385074", "4006381333931", "]E0036000291452",
    "]Q1https://kiosk.club/m?t=" + token, "]Q1" + token,
    "TQ2MV8HNKG", "]C10109521234543213" + "3103000123" + "10ABC123\u{1D}21SER-9",
    "]Q1" + receipt, "]Q1https://kiosk.club/join?src=flyer&ref=ALI-22", "hello world", "۵۹۰۱۲۳۴۱۲۳۴۵۷",
].map { Array($0.utf8) }

func percentile(_ sorted: [Duration], _ p: Double) -> Duration { sorted[min(sorted.count - 1, Int(Double(sorted.count) * p))] }
func micros(_ d: Duration) -> String { String(format: "%.2f µs", Double(d.components.attoseconds) / 1e12 + Double(d.components.seconds) * 1e6) }

// 1. Parser throughput on `codes` mixed codes, one core, against a baseline in the same run: one
//    pass summing the same bytes (what merely touching the input costs). The machine is shared,
//    so each round is timed by the wall clock and by this thread's CPU time (the time the core
//    actually spent on it, which other processes' load does not inflate).
let clock = ContinuousClock()
var sink = 0
func threadCPU() -> Double {
    var t = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t)
    return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
}
func seconds(_ d: Duration) -> Double { Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18 }
/// Signed codes (member tokens and links, receipts) cost an HMAC-SHA256 (member tokens) or an
/// Ed25519 verification (receipts) each; the unsigned mix is the parsers' own work.
let unsigned = mix.filter { m in
    switch interpreter.interpret(m) { case .member, .receipt: false; default: true }
}
let withoutReceipts = mix.filter { m in
    if case .receipt = interpreter.interpret(m) { false } else { true }
}
for (label, kinds) in [("mixed codes", mix), ("codes without the receipt (member tokens kept)", withoutReceipts),
                       ("unsigned codes (no member token or receipt)", unsigned)] {
let inputs = (0..<codes).map { kinds[$0 % kinds.count] }
var rounds: [(wall: Double, cpu: Double, baseline: Double)] = []
for _ in 0..<3 {
    let b0 = clock.now
    for input in inputs { for byte in input { sink &+= Int(byte) } }
    let baseline = clock.now - b0
    let c0 = threadCPU()
    let p0 = clock.now
    for input in inputs {
        if case .refused = interpreter.interpret(input) { sink &+= 1 }
    }
    let parse = clock.now - p0
    let cpu = threadCPU() - c0
    rounds.append((Double(codes) / seconds(parse), Double(codes) / cpu, Double(codes) / seconds(baseline)))
}
let medianRound = rounds.sorted { $0.cpu < $1.cpu }[1]
print("parser throughput, \(codes) \(label) (\(kinds.count) kinds), 3 rounds, median by CPU time: \(Int(medianRound.cpu)) codes/s of CPU time, " +
      "\(Int(medianRound.wall)) codes/s wall; baseline byte pass \(Int(medianRound.baseline)) codes/s wall; " +
      "ratio (wall) \(String(format: "%.4f", medianRound.wall / medianRound.baseline)); " +
      "rounds (CPU) \(rounds.map { Int($0.cpu) })")
}

// The floor a receipt sets: swift-crypto's Ed25519 verification of the same signature alone
// (BoringSSL's ED25519_verify), in the same run.
do {
    let text = Array(receipt.utf8)
    let lastDot = text.lastIndex(of: UInt8(ascii: "."))!
    let signed = Data(text[..<lastDot])
    let signature = Data(Base64URL.decode(text[(lastDot + 1)...])!)
    let key = try! Curve25519.Signing.PublicKey(rawRepresentation: till.publicKey.raw)
    let n = max(1, codes / 50)
    let c0 = threadCPU()
    for _ in 0..<n where !key.isValidSignature(signature, for: signed) { sink &+= 1 }
    let each = (threadCPU() - c0) / Double(n)
    let c1 = threadCPU()
    for _ in 0..<n { if case .refused = interpreter.interpret(Array(("]Q1" + receipt).utf8)) { sink &+= 1 } }
    let whole = (threadCPU() - c1) / Double(n)
    print("receipt floor (\(n) each, CPU time): Ed25519 verification alone \(String(format: "%.2f", each * 1e6)) µs; " +
          "the whole receipt scan \(String(format: "%.2f", whole * 1e6)) µs; " +
          "so one receipt in \(mix.count) codes caps the mix at \(Int(Double(mix.count) / each)) codes/s")
}

// Per kind: the cost of each kind of code alone (where the time goes).
var perKind: [String] = []
for code in mix {
    let n = max(1, codes / 50)
    let c0 = threadCPU()
    for _ in 0..<n { if case .refused = interpreter.interpret(code) { sink &+= 1 } }
    let each = (threadCPU() - c0) / Double(n)
    perKind.append("\(ScanReportKind.of(interpreter.interpret(code))) \(String(format: "%.3f", each * 1e6)) µs")
}
print("per kind (\(max(1, codes / 50)) each, CPU time): " + perKind.joined(separator: ", "))

enum ScanReportKind {
    static func of(_ m: ScanMeaning) -> String {
        switch m {
        case .member(_, let link): link ? "member-link" : "member-token"
        case .enrollment: "enrollment"
        case .gift: "gift"
        case .receipt: "receipt"
        case .voucher: "voucher"
        case .product(let p): p.kind.rawValue
        case .gs1: "gs1"
        case .text: "text"
        case .refused(let e): "refused(\(e.code.rawValue))"
        }
    }
}

// 2. Terminating key event → parsed scan, in process: the scan's keys go into the wedge
//    assembler untimed; the time is from the Enter key-down to the meaning.
func keyEvents(_ text: [UInt8], start: Duration) -> [KeyEvent] {
    var table: [UInt8: (UInt16, Bool)] = [:]
    for code in UInt16(1)..<58 {
        for shift in [true, false] {
            if let c = KeyMap.us.character(for: code, shift: shift, capsLock: false), let a = c.asciiValue { table[a] = (code, shift) }
        }
    }
    var t = start
    var events: [KeyEvent] = []
    for b in text {
        if b == 0x1D { // GS as Ctrl+]
            events += [.down(KeyCode.leftCtrl, at: t), .down(27, at: t), .up(27, at: t), .up(KeyCode.leftCtrl, at: t)]
        } else if let (code, shift) = table[b] {
            if shift { events.append(.down(KeyCode.leftShift, at: t)) }
            events += [.down(code, at: t), .up(code, at: t)]
            if shift { events.append(.up(KeyCode.leftShift, at: t)) }
        }
        t += .milliseconds(2)
    }
    return events
}
let asciiMix = mix.filter { $0.allSatisfy { $0 < 0x80 } }
let prepared = asciiMix.map { keyEvents($0, start: .seconds(1)) }
var assembler = WedgeAssembler(WedgeConfiguration())
var latencies: [Duration] = []
latencies.reserveCapacity(scans)
for i in 0..<scans {
    let events = prepared[i % prepared.count]
    let base = Duration.seconds(i) // each scan a second after the last: no timeout crosses scans
    for e in events { _ = assembler.key(KeyEvent(code: e.code, value: e.value, time: e.time + base)) }
    let enter = KeyEvent.down(KeyCode.enter, at: events.last!.time + base + .milliseconds(2))
    let t0 = clock.now
    let out = assembler.key(enter)
    if case .scan(let bytes, _, _)? = out.last, case .refused = interpreter.interpret(bytes) { sink &+= 1 }
    latencies.append(clock.now - t0)
    _ = assembler.key(.up(KeyCode.enter, at: enter.time))
}
latencies.sort()
print("terminating key → parsed scan, in process, \(scans) scans (\(asciiMix.count) kinds): p50 \(micros(percentile(latencies, 0.5))), " +
      "p99 \(micros(percentile(latencies, 0.99))), max \(micros(latencies.last!))")

// 3. The same through the kernel and the reader thread: input_event structs written to a pipe
//    (a FIFO the wedge reader opens as it opens /dev/input/eventN; a FIFO cannot be grabbed, so the
//    rule is a shared keyboard with the scan thresholds opened wide), timed from the write of the
//    Enter key-down to the consumer holding the meaning.
let dir = NSTemporaryDirectory() + "scan-bench-\(getpid())"
try! FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
let fifo = dir + "/event0"
mkfifo(fifo, 0o600)
let pipeConfig = WedgeConfiguration(interKeyTimeout: .seconds(10), role: .shared, scanMaxGap: .seconds(10), scanMinLength: 1)
let done = DispatchSemaphore(value: 0)
let received = DispatchSemaphore(value: 0)
final class Box: @unchecked Sendable { var stop = false; var at: ContinuousClock.Instant?; var ok = 0 }
let box = Box()
let readerThread = Thread {
    _ = WedgeReader(node: fifo, configuration: pipeConfig).run(shouldStop: { box.stop }) { event in
        if case .scan(let scan) = event {
            if case .refused = interpreter.interpret(scan.bytes) {} else { box.ok += 1 }
            box.at = ContinuousClock().now
            received.signal()
        }
    }
    done.signal()
}
readerThread.start()
let writer = open(fifo, O_WRONLY)
func write(_ events: [KeyEvent]) {
    var raw = events.flatMap { e -> [input_event] in
        var ev = input_event()
        ev.time.tv_sec = Int(e.time.components.seconds)
        ev.time.tv_usec = Int(e.time.components.attoseconds / 1_000_000_000_000)
        ev.type = UInt16(EV_KEY)
        ev.code = e.code
        ev.value = e.value
        var syn = input_event()
        syn.time = ev.time
        return [ev, syn]
    }
    _ = raw.withUnsafeMutableBytes { Glibc.write(writer, $0.baseAddress, $0.count) }
}
var pipeLatencies: [Duration] = []
for i in 0..<pipeScans {
    let base = Duration.seconds(i)
    let events = prepared[i % prepared.count].map { KeyEvent(code: $0.code, value: $0.value, time: $0.time + base) }
    write(events)
    usleep(200)
    let t0 = clock.now
    let end = events.last!.time + .milliseconds(2)
    write([.down(KeyCode.enter, at: end), .up(KeyCode.enter, at: end)])
    received.wait()
    pipeLatencies.append(box.at! - t0)
}
box.stop = true
close(writer)
done.wait()
try? FileManager.default.removeItem(atPath: dir)
pipeLatencies.sort()
print("terminating key → parsed scan, through a pipe and the reader thread, \(pipeScans) scans: p50 \(micros(percentile(pipeLatencies, 0.5))), " +
      "p99 \(micros(percentile(pipeLatencies, 0.99))), max \(micros(pipeLatencies.last!)) (\(box.ok) of \(pipeScans) parsed to a meaning)")
if sink == 42 { print("") }
