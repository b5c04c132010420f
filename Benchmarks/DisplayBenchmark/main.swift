// The display's frame times (not a test): the wheel animation rendered and presented into a
// file-backed framebuffer at 1920×1080 XRGB8888 and 800×480 RGB565, a welcome screen with
// Persian text from scratch and when only the numbers change, and the memory the display holds.
// Benchmarks/run pins it to one core. Figures are medians and 99th percentiles of per-frame times;
// resident memory from /proc/self/status. `--wheel-only` stops after the wheel's figures.
import Foundation
import KioskCore
import KioskDisplay
import KioskRender

func nanos() -> UInt64 { DispatchTime.now().uptimeNanoseconds }

/// This thread's CPU time: on a shared, loaded machine the wall time of a frame includes the
/// time other processes held the core; the CPU time is what the frame itself cost.
func cpuNanos() -> UInt64 {
    var ts = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts)
    return UInt64(ts.tv_sec) * 1_000_000_000 + UInt64(ts.tv_nsec)
}

func percentile(_ values: [Double], _ p: Double) -> Double {
    let sorted = values.sorted()
    return sorted[min(sorted.count - 1, Int((Double(sorted.count - 1) * p).rounded()))]
}

func ms(_ ns: Double) -> String { String(format: "%.2f ms", ns / 1_000_000) }

let fonts = try FontFiles.load()
// On tmpfs: like framebuffer memory, no writeback of dirty pages to a disk behind the mapping.
let directory = URL(fileURLWithPath: "/dev/shm/display-bench-\(getpid())")
try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
defer { try? FileManager.default.removeItem(at: directory) }

print("| measurement | p50 | p99 | frames |")
print("|---|---|---|---|")

// The baseline, measured in the same run: copying one 1920×1080 XRGB8888 frame (8 MB) with memcpy,
// what any frame must at least cost on this machine under its present load.
do {
    let source = [UInt32](repeating: 0xFF12_3456, count: 1920 * 1080)
    var target = [UInt32](repeating: 0, count: 1920 * 1080)
    var times: [Double] = []
    for _ in 0..<200 {
        let start = nanos()
        target.withUnsafeMutableBufferPointer { t in source.withUnsafeBufferPointer { t.baseAddress!.update(from: $0.baseAddress!, count: $0.count) } }
        times.append(Double(nanos() - start))
    }
    precondition(target[1000] == 0xFF12_3456)
    print("| baseline: memcpy of one 1920×1080 XRGB8888 frame | \(ms(percentile(times, 0.5))) | \(ms(percentile(times, 0.99))) | \(times.count) |")
}

/// The process's resident set and its peak, in KiB (`VmRSS`, `VmHWM` of /proc/self/status).
func residentKiB() -> (now: Int, peak: Int) {
    guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return (0, 0) }
    func field(_ name: String) -> Int {
        guard let line = status.split(separator: "\n").first(where: { $0.hasPrefix(name + ":") }) else { return 0 }
        return Int(line.split(separator: " ").dropFirst().first { Int($0) != nil } ?? "0") ?? 0
    }
    return (field("VmRSS"), field("VmHWM"))
}

func mib(_ kib: Int) -> String { String(format: "%.1f MiB", Double(kib) / 1024) }

let residentAtStart = residentKiB()

/// One wheel run: every frame of the spin and 60 after landing, three rounds (the first, filling
/// the caches, not counted), each frame rendered into one reused canvas (`render(_:into:)`, as a
/// display loop does) or, with `reuse` false, into a new canvas each frame (`render(_:)`).
func wheel(_ layout: FramebufferInfo.Layout, _ width: Int, _ height: Int, locale: DisplayLocale, reuse: Bool = true) throws {
    let residentBefore = residentKiB()
    let renderer = Renderer(fonts: fonts)
    let device = try FileFramebuffer(path: directory.appendingPathComponent("fb-\(width)").path,
                                     info: .make(layout, width: width, height: height, pages: 2))
    let backend = try FramebufferBackend(device: device)
    let screen = Screen.sample(.wheel, locale: locale)
    let frames = Int(WheelData.sample.animation.duration * Frame.framesPerSecond) + 60
    var times: [Double] = [], renders: [Double] = [], presents: [Double] = [], cpu: [Double] = []
    var canvas = Canvas(width: width, height: height)
    var spinning: [Double] = [], landed: [Double] = []
    for round in 0..<3 {
        for n in 0..<frames {
            let cpuStart = cpuNanos()
            let start = nanos()
            let frame = Frame(screen: screen, locale: locale, width: width, height: height, time: Double(n) / Frame.framesPerSecond)
            if reuse { renderer.render(frame, into: &canvas) } else { canvas = renderer.render(frame) }
            let rendered = nanos()
            try backend.present(canvas, dirty: canvas.dirty)
            let end = nanos()
            let cpuEnd = cpuNanos()
            if round > 0 {  // round 0 warms the caches (wheel face, static layer, glyphs)
                cpu.append(Double(cpuEnd - cpuStart))
                if frame.time < WheelData.sample.animation.duration { spinning.append(Double(cpuEnd - cpuStart)) } else {
                    landed.append(Double(cpuEnd - cpuStart))
                }
                times.append(Double(end - start))
                renders.append(Double(rendered - start))
                presents.append(Double(end - rendered))
            }
        }
    }
    let name = "\(width)×\(height) \(layout.rawValue), \(locale.rawValue)" + (reuse ? "" : ", a new canvas per frame (before)")
    print("| wheel frame (render + present) \(name), CPU time | \(ms(percentile(cpu, 0.5))) | \(ms(percentile(cpu, 0.99))) | \(cpu.count) |")
    print("| … CPU time while it spins / after it landed (confetti) | \(ms(percentile(spinning, 0.5))) / \(ms(percentile(landed, 0.5))) | \(ms(percentile(spinning, 0.99))) / \(ms(percentile(landed, 0.99))) | \(spinning.count) / \(landed.count) |")
    print("| wheel frame (render + present) \(name), wall time | \(ms(percentile(times, 0.5))) | \(ms(percentile(times, 0.99))) | \(times.count) |")
    print("| … of which render | \(ms(percentile(renders, 0.5))) | \(ms(percentile(renders, 0.99))) | |")
    print("| … of which present (panning, dirty rectangles) | \(ms(percentile(presents, 0.5))) | \(ms(percentile(presents, 0.99))) | |")
    let residentAfter = residentKiB()
    print("| … resident memory (VmRSS) before the renderer / with it and its caches after the run (+ growth) | \(mib(residentBefore.now)) | \(mib(residentAfter.now)) (+\(mib(residentAfter.now - residentBefore.now))) | |")
    withExtendedLifetime(renderer) {}
}

try wheel(.xrgb8888, 1920, 1080, locale: .faIR, reuse: false)
try wheel(.xrgb8888, 1920, 1080, locale: .faIR)
try wheel(.rgb565, 800, 480, locale: .faIR)
let residentAfterWheel = residentKiB()
// `--wheel-only`: the wheel's figures alone (for trying a change to the turned face quickly).
if CommandLine.arguments.contains("--wheel-only") {
    try? FileManager.default.removeItem(at: directory)  // exit() skips the top-level defer
    exit(0)
}

// The terminal: bytes written per frame of the wheel animation in a 160×48 terminal (truecolor and 256).
for colors in [TerminalColors.truecolor, .palette256] {
    let renderer = Renderer(fonts: fonts)
    var sizes: [Double] = []
    var times: [Double] = []
    let backend = TerminalBackend(columns: 160, rows: 48, colors: colors) { _ in }
    let show = TerminalShow(renderer: renderer, screen: Screen.sample(.wheel, locale: .faIR), locale: .faIR, colors: colors)
    for n in 0..<Int(WheelData.sample.animation.duration * 20) + 20 {
        let start = nanos()
        backend.present(show.grid(columns: 160, rows: 48, time: Double(n) / 20))
        times.append(Double(nanos() - start))
        if n > 0 { sizes.append(Double(backend.lastFrameBytes)) }
    }
    print("| terminal 160×48 \(colors.rawValue), wheel at 20 fps: bytes per frame (p50 / p99 in the columns) | \(Int(percentile(sizes, 0.5))) B | \(Int(percentile(sizes, 0.99))) B | \(sizes.count) |")
    print("| terminal 160×48 \(colors.rawValue), wheel: time per frame | \(ms(percentile(times, 0.5))) | \(ms(percentile(times, 0.99))) | \(times.count) |")
}

// Welcome: from scratch (a new renderer: empty glyph cache) and with only the numbers changing.
do {
    var cold: [Double] = []
    for _ in 0..<15 {
        let start = nanos()
        let renderer = Renderer(fonts: try FontFiles.load())
        _ = renderer.render(Frame(screen: .welcome(.sample), locale: .faIR, width: 1920, height: 1080))
        cold.append(Double(nanos() - start))
    }
    print("| welcome 1920×1080 fa-IR from scratch (fonts loaded, glyph cache empty) | \(ms(percentile(cold, 0.5))) | \(ms(percentile(cold, 0.99))) | \(cold.count) |")
    let renderer = Renderer(fonts: fonts)
    var warm: [Double] = []
    for i in 0..<60 {
        var data = WelcomeData.sample
        data.points = 12_480 + Int64(i) * 7
        data.credit = Rial(1_250_000 + Int64(i) * 10_000)
        let start = nanos()
        _ = renderer.render(Frame(screen: .welcome(data), locale: .faIR, width: 1920, height: 1080))
        warm.append(Double(nanos() - start))
    }
    print("| welcome 1920×1080 fa-IR, only the numbers change (warm glyph cache) | \(ms(percentile(warm, 0.5))) | \(ms(percentile(warm, 0.99))) | \(warm.count) |")
    let footprint = renderer.fonts.regular.cacheFootprint.bytes + renderer.fonts.bold.cacheFootprint.bytes
    print("")
    print("memory held after the welcome runs: glyph cache \(footprint / 1024) KiB; a 1920×1080 frame \(1920 * 1080 * 4 / 1024) KiB")
    // The renderer as the process holds it: resident memory with the fonts loaded, then with one
    // renderer's caches for the 1920×1080 wheel (background, static layer, face, the reused
    // canvas, the framebuffer file's mapping), and the peak.
    let now = residentKiB()
    print("")
    print("| resident memory (VmRSS) | value |")
    print("|---|---|")
    print("| fonts loaded, nothing rendered | \(mib(residentAtStart.now)) |")
    print("| after the wheel runs (their renderers released; malloc may keep the pages) | \(mib(residentAfterWheel.now)) |")
    print("| one renderer holding the 1920×1080 welcome screen's caches | \(mib(now.now)) |")
    print("| peak (VmHWM) | \(mib(now.peak)) |")
}
