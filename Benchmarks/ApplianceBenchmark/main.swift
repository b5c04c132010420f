// Tap to pixels (not a test): a tap as the reader service hands it to the kiosk's judge, resolved
// with a real store, greeted by the session and drawn by the display thread into a file-backed
// framebuffer at 1920×1080, until the frame is written. The card's own round trips (connect,
// APDUs) are not in it: reader-bench measures those. The baseline, in the same run: drawing and
// writing the same welcome frame alone. Also the set-up time and the resident memory, idle and
// after the taps; then start to ready (below). Usage: appliance-bench [--taps N] [--starts N]
import Foundation
import KioskAppliance
import KioskCore
import KioskDisplay
import KioskEngine
import KioskInput
import KioskLoyalty
import KioskReaders
import KioskRender
import KioskScan
import KioskSession
import KioskStore
import Logging

func nanos() -> UInt64 { DispatchTime.now().uptimeNanoseconds }
func percentile(_ values: [Double], _ p: Double) -> Double {
    let sorted = values.sorted()
    return sorted[min(sorted.count - 1, Int((Double(sorted.count - 1) * p).rounded()))]
}
func ms(_ ns: Double) -> String { String(format: "%.2f ms", ns / 1_000_000) }
/// A line of /proc/self/status in MiB: VmRSS (all resident memory), RssAnon (the heap, stacks),
/// RssFile (libraries, fonts, ICU data) or RssShmem (here: the framebuffer file on /dev/shm).
func statusMiB(_ field: String) -> Double {
    let status = (try? String(contentsOfFile: "/proc/self/status", encoding: .utf8)) ?? ""
    let line = status.split(separator: "\n").first { $0.hasPrefix(field + ":") } ?? ""
    return (Double(line.split(separator: " ").dropFirst().first ?? "0") ?? 0) / 1024
}
func residentMiB() -> Double { statusMiB("VmRSS") }
func breakdown() -> String {
    String(format: "anonymous %.1f MiB, files %.1f MiB, framebuffer (shared memory) %.1f MiB",
           statusMiB("RssAnon"), statusMiB("RssFile"), statusMiB("RssShmem"))
}

/// The framebuffer output, saying when each frame is written.
final class Signalling: ScreenOutput {
    let inner: FramebufferOutput
    let written = DispatchSemaphore(value: 0)
    init(_ inner: FramebufferOutput) { self.inner = inner }
    var summary: String { inner.summary }
    func show(_ screen: Screen, time: Double) throws(DisplayError) {
        try inner.show(screen, time: time)
        written.signal()
    }
    func close() {}
}

var taps = 2_000
if let i = CommandLine.arguments.firstIndex(of: "--taps"), i + 1 < CommandLine.arguments.count, let n = Int(CommandLine.arguments[i + 1]) {
    taps = n
}
LoggingSystem.bootstrap { _ in SwiftLogNoOpLogHandler() }
let directory = "/dev/shm/appliance-bench-\(getpid())"
try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
defer { try? FileManager.default.removeItem(atPath: directory) }
let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
let programData = try Data(contentsOf: URL(fileURLWithPath: root + "/kiosk/programs/example.json"))
let program = try ProgramLoader.load(programData)

let setUpStart = nanos()
let store = try KioskStore(path: directory + "/kiosk.sqlite")
try store.ensureBranch("main")
let fonts = try FontFiles.load()
let renderer = Renderer(fonts: fonts)
let device = try FileFramebuffer(path: directory + "/fb", info: FramebufferInfo.make(.xrgb8888, width: 1920, height: 1080, pages: 2))
let framebuffer = FramebufferOutput(renderer: renderer, locale: .faIR, backend: try FramebufferBackend(device: device))
let output = Signalling(framebuffer)
let parts = ApplianceParts(store: store, program: program, programJSON: programData, branch: "main", locale: .faIR,
                           timeZone: TimeZone(identifier: "Asia/Tehran")!, receipts: nil, interpreter: ScanInterpreter(),
                           readers: ReaderService.Configuration(), scanners: ScannerService.Configuration())
let appliance = try Appliance(parts, output: output, logger: Logger(label: "bench"))
let setUp = Double(nanos() - setUpStart)

// Two members with cards, so that every tap greets someone new.
let members: [(MemberID, CardID, [UInt8])] = [("m-sara", "uid:04000000000001", [4, 0, 0, 0, 0, 0, 1]),
                                              ("m-reza", "uid:04000000000002", [4, 0, 0, 0, 0, 0, 2])]
for (member, card, _) in members {
    try appliance.loyalty.enroll(Enrollment(key: "enroll-\(member)", member: member, branch: "main", at: Date(), name: "سارا محمدی",
                                            card: card))
}
let presentations = Presentations(resolver: TapResolver(store: store), members: MemberViews(loyalty: appliance.loyalty),
                                  logger: Logger(label: "bench"))
let judge = ReaderFeed.judge(presentations: presentations, driver: appliance.driver)
func tap(_ index: Int) -> Tap {
    let (_, card, uid) = members[index % members.count]
    return Tap(reader: "Virtual PCD 00 00", atr: [0x3B, 0x8F], kind: .unknown, uid: uid,
               outcome: .identified(.bareUID(uid, card: card)), apdus: 1)
}
// Warm-up: two taps, so that both framebuffer pages have been drawn (double buffering: the back
// page is first written by the second frame) and the canvas the frames are drawn into exists.
// Resident memory measured here is the kiosk idle, as it is after its first customers.
for i in 0..<2 { _ = judge(tap(i)); output.written.wait() }
let idleRSS = residentMiB()
let idleAnon = statusMiB("RssAnon"), idleFiles = statusMiB("RssFile"), idleShmem = statusMiB("RssShmem")

// Resident memory along the way: a cache or the allocator settling shows as early growth that
// stops; a leak as growth that goes on between the later checkpoints.
var tapTimes: [Double] = []
var checkpoints: [(taps: Int, mib: Double)] = []
let marks = Set([10, 100, 1_000, taps / 2, taps])
for i in 0..<taps {
    let t = tap(i + 1)
    let start = nanos()
    _ = judge(t)
    output.written.wait()
    tapTimes.append(Double(nanos() - start))
    if marks.contains(i + 1) { checkpoints.append((i + 1, residentMiB())) }
}
let afterRSS = residentMiB()
let afterBreakdown = breakdown()

// The baseline: the same welcome frame drawn and written alone.
let mapper = ScreenMapper(locale: .faIR, wheel: program.wheel, timeZone: TimeZone(identifier: "Asia/Tehran")!)
let view = try MemberViews(loyalty: appliance.loyalty).view(of: "m-sara", at: Date())
let (welcome, _) = mapper.screen(.welcome(view, spinUntil: nil, receiptHint: true))
var frameTimes: [Double] = []
for _ in 0..<min(taps, 500) {
    let start = nanos()
    try framebuffer.show(welcome, time: 0)
    frameTimes.append(Double(nanos() - start))
}
appliance.stop()

print("| measurement | p50 | p99 | samples |")
print("|---|---|---|---|")
print("| tap to pixels: judge (store lookup, member view, session) to the welcome frame written, 1920×1080 | \(ms(percentile(tapTimes, 0.5))) | \(ms(percentile(tapTimes, 0.99))) | \(tapTimes.count) |")
print("| baseline: the welcome frame drawn and written alone | \(ms(percentile(frameTimes, 0.5))) | \(ms(percentile(frameTimes, 0.99))) | \(frameTimes.count) |")
print(String(format: "| ratio tap / frame alone (p50) | %.2f | | |", percentile(tapTimes, 0.5) / percentile(frameTimes, 0.5)))
print("| set-up: store opened, program, fonts, renderer, appliance | \(ms(setUp)) | | 1 |")
// The frame buffers: the panel's two pages (the framebuffer file, shared memory here) and the
// renderer's two frame-sized canvases (the cached background, the canvas frames are drawn into).
let canvasMiB = 2 * Double(1920 * 1080 * 4) / 1_048_576
print(String(format: "\nresident memory: %.1f MiB idle (after two taps), %.1f MiB after %d more taps (growth %.1f MiB)",
             idleRSS, afterRSS, taps, afterRSS - idleRSS))
print(String(format: "idle: anonymous %.1f MiB, files %.1f MiB (libraries, fonts), framebuffer pages %.1f MiB", idleAnon, idleFiles, idleShmem))
print("after the taps and the baseline: " + afterBreakdown)
print(String(format: "idle beyond the frame buffers (pages %.1f MiB, two 1920×1080 canvases %.1f MiB): %.1f MiB, of which files %.1f MiB",
             idleShmem, canvasMiB, idleRSS - idleShmem - canvasMiB, idleFiles))
print("resident memory after " + checkpoints.map { String(format: "%d taps: %.1f MiB", $0.taps, $0.mib) }.joined(separator: ", "))
if let half = checkpoints.first(where: { $0.taps == taps / 2 }) {
    print(String(format: "growth over the second half (%d to %d taps): %.1f MiB", half.taps, taps, afterRSS - half.mib))
}

// Start to ready: `kiosk run` (release, beside this benchmark) spawned with a NOTIFY_SOCKET this
// process listens on, from the spawn to its READY=1 (store opened and checked, program loaded,
// fonts and renderer, services running), on a migrated store with the example program. The
// baseline, in the same run: spawning `kiosk version` until it exits (the process and the
// runtime starting, nothing of ours).
func startToReady(runs: Int) throws -> (ready: [Double], baseline: [Double])? {
    let kiosk = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("kiosk").path
    guard FileManager.default.isExecutableFile(atPath: kiosk) else { return nil }
    let directory = NSTemporaryDirectory() + "appliance-bench-start-\(getpid())"
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
    try """
        [kiosk]
        program = "\(repository)/kiosk/programs/example.json"
        [store]
        path = "\(directory)/kiosk.sqlite"
        [readers]
        allow = ["no reader in this benchmark"]
        [display]
        framebuffer = "/nonexistent/fb"
        """.write(toFile: directory + "/kiosk.toml", atomically: true, encoding: .utf8)
    let environment = ["KIOSK_CONFIG": directory + "/kiosk.toml", "PATH": "/usr/bin:/bin", "HOME": directory]
    func spawn(_ arguments: [String], extra: [String: String] = [:]) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: kiosk)
        process.arguments = arguments
        process.environment = environment.merging(extra) { $1 }
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        return process
    }
    let migrate = try spawn(["db", "migrate"])
    migrate.waitUntilExit()
    // The notify socket: a datagram socket bound to a path, with a receive timeout.
    let socketPath = directory + "/notify"
    let fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue), 0)
    var address = sockaddr_un()
    address.sun_family = sa_family_t(AF_UNIX)
    withUnsafeMutableBytes(of: &address.sun_path) { raw in
        for (i, byte) in socketPath.utf8.prefix(raw.count - 1).enumerated() { raw[i] = byte }
    }
    _ = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) } }
    var timeout = timeval(tv_sec: 30, tv_usec: 0)
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    defer { close(fd) }
    var ready: [Double] = [], baseline: [Double] = []
    for _ in 0..<runs {
        // Timed to the end of its output (the pipe closes as it exits): Foundation's
        // waitUntilExit polls, and added some 30 ms to this baseline.
        let start = nanos()
        let version = Process()
        version.executableURL = URL(fileURLWithPath: kiosk)
        version.arguments = ["version"]
        version.environment = environment
        let pipe = Pipe()
        version.standardOutput = pipe
        version.standardError = FileHandle.nullDevice
        try version.run()
        _ = pipe.fileHandleForReading.readDataToEndOfFile()
        baseline.append(Double(nanos() - start))
        version.waitUntilExit()

        let begun = nanos()
        let run = try spawn(["run"], extra: ["NOTIFY_SOCKET": socketPath])
        var buffer = [UInt8](repeating: 0, count: 4096)
        var seen = false
        while !seen {
            let n = recv(fd, &buffer, buffer.count, 0)
            guard n > 0 else { break }
            seen = String(decoding: buffer[..<n], as: UTF8.self).split(separator: "\n").contains("READY=1")
        }
        if seen { ready.append(Double(nanos() - begun)) }
        run.terminate()
        run.waitUntilExit()
    }
    return (ready, baseline)
}

var starts = 10
if let i = CommandLine.arguments.firstIndex(of: "--starts"), i + 1 < CommandLine.arguments.count, let n = Int(CommandLine.arguments[i + 1]) {
    starts = n
}
if starts > 0, let (ready, baseline) = try startToReady(runs: starts), !ready.isEmpty {
    print("\n| start | p50 | p99 | samples |")
    print("|---|---|---|---|")
    print("| `kiosk run` spawned to READY=1 (migrated store, example program, no reader, no framebuffer nor terminal: no display) | \(ms(percentile(ready, 0.5))) | \(ms(percentile(ready, 0.99))) | \(ready.count) of \(starts) |")
    print("| baseline: `kiosk version` spawned to the end of its output | \(ms(percentile(baseline, 0.5))) | \(ms(percentile(baseline, 0.99))) | \(baseline.count) |")
} else if starts > 0 {
    print("\nstart to ready: not measured (no release `kiosk` beside this benchmark, or no READY=1)")
}
