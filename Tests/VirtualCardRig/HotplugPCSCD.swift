import Foundation
import KioskPCSC
import KioskVirtualCard

/// A pcscd with a virtual USB reader that can be unplugged and plugged back, for the tests of
/// reader hot-plug.
///
/// pcscd learns of USB readers from udev; here it runs under umockdev (kiosk/dev/hotplug), whose
/// testbed fakes the reader's USB device, and a test-only driver bundle turns that device into a
/// vpcd reader on `port` (and `port + 1` for its second slot). Unplugging removes the device the
/// way the kernel does (a udev "remove" event), so pcscd drops the reader and its card; plugging
/// adds it back. The configured vpcd readers of the suite stay as they were.
public final class HotplugPCSCD: @unchecked Sendable {
    /// Reader names start with this (pcscd appends the interface, serial and slot).
    public static let readerPrefix = "Kiosk Hotplug Test Reader"
    /// vpcd's port for the hot-plugged reader's first slot.
    public let port: UInt16
    public let pid: pid_t
    private let helper: Process
    private let commands: FileHandle
    private var answers: LineReader

    init(configurationDirectory: String, port: UInt16, pidFile: String, logFile: String) throws(RigError) {
        self.port = port
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../kiosk/dev/hotplug/pcscd-hotplug").standardized.path
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        process.arguments = [script, "--config", configurationDirectory, "--port", String(port),
                             "--pidfile", pidFile, "--log", logFile]
        let input = Pipe(), output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = FileHandle(forWritingAtPath: "/dev/null")
        do { try process.run() } catch { throw .environment("cannot start \(script): \(error)") }
        helper = process
        commands = input.fileHandleForWriting
        answers = LineReader(output.fileHandleForReading)
        guard let ready = answers.next(), ready.hasPrefix("ready "), let pid = pid_t(ready.dropFirst(6)) else {
            process.terminate()
            throw .environment("\(script) did not start pcscd (needs root, gcc, python3-gi, gir1.2-umockdev-1.0; see \(logFile))")
        }
        self.pid = pid
    }

    /// Unplugs the reader; returns once pcscd no longer lists it.
    public func unplug() throws(RigError) { try send("unplug") }

    /// Plugs the reader back; returns once pcscd lists it again.
    public func plug() throws(RigError) { try send("plug") }

    /// The reader names pcscd lists for the hot-plugged reader (empty while unplugged).
    public func readerNames() -> [String] {
        ((try? PCSCContext().readers()) ?? []).filter { $0.hasPrefix(Self.readerPrefix) }.sorted()
    }

    /// Inserts `card` into the hot-plugged reader's first slot.
    public func insert(_ card: any VirtualCard) throws -> VPCDConnection {
        try VPCDConnection(card: card, port: port)
    }

    /// Stops pcscd and the helper (which removes the test driver bundle).
    func stop() {
        try? send("quit", expectAnswer: false)
        try? commands.close()
        let deadline = Date().addingTimeInterval(10)
        while helper.isRunning, Date() < deadline { usleep(20_000) }
        if helper.isRunning {
            kill(pid, SIGKILL)
            helper.terminate()
        }
        helper.waitUntilExit()
    }

    private func send(_ command: String, expectAnswer: Bool = true) throws(RigError) {
        do { try commands.write(contentsOf: Data((command + "\n").utf8)) } catch {
            throw .environment("hot-plug helper gone: \(error)")
        }
        guard expectAnswer else { return }
        guard let answer = answers.next() else { throw .environment("hot-plug helper gone after \(command)") }
        guard answer == "ok" else { throw .environment("hot-plug helper: \(answer)") }
    }
}

extension TestPCSCD {
    /// Runs `body` with a hot-plug pcscd in place of the suite's, then puts the suite's back (the
    /// pid file follows, so that the suite's script stops whichever runs).
    public func withHotplugDaemon<T>(_ body: (HotplugPCSCD) async throws -> T) async throws -> T {
        try stopDaemon()
        let log = NSTemporaryDirectory() + "kiosk-pcscd-hotplug-\(getpid()).log"
        let hotplug: HotplugPCSCD
        do {
            hotplug = try HotplugPCSCD(configurationDirectory: configurationDirectory, port: port + 2,
                                       pidFile: pidFile, logFile: log)
        } catch {
            try startDaemon()
            try waitForReaders()
            throw error
        }
        defer {
            hotplug.stop()
            try? startDaemon()
            try? waitForReaders()
        }
        try waitForReaders()
        return try await body(hotplug)
    }
}

/// Lines from a pipe, read as they come.
struct LineReader {
    let handle: FileHandle
    var buffer: [UInt8] = []

    init(_ handle: FileHandle) { self.handle = handle }

    mutating func next() -> String? {
        while true {
            if let newline = buffer.firstIndex(of: UInt8(ascii: "\n")) {
                let line = String(decoding: buffer[..<newline], as: UTF8.self)
                buffer.removeSubrange(...newline)
                return line
            }
            let chunk = handle.availableData
            if chunk.isEmpty { return nil }
            buffer += chunk
        }
    }
}
