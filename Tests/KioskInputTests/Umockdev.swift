import Foundation
import KioskTestSupport

/// Runs `scanner-probe` under `umockdev-run` with device descriptions, evemu event files and tty
/// scripts, and returns the JSON lines it printed.
struct Umockdev {
    let directory: TemporaryDirectory
    var arguments: [String] = []
    /// Extra environment for the probe (and umockdev-run), e.g. a preloaded spy.
    var environment: [String: String] = [:]

    init() throws { directory = try TemporaryDirectory() }

    static var available: Bool { FileManager.default.isExecutableFile(atPath: "/usr/bin/umockdev-run") }

    mutating func device(_ description: String) throws {
        let path = directory.file("dev\(arguments.count).umockdev")
        try description.write(toFile: path, atomically: true, encoding: .utf8)
        arguments += ["-d", path]
    }

    mutating func events(_ node: String, _ evemu: String) throws {
        let path = directory.file("ev\(arguments.count).events")
        try evemu.write(toFile: path, atomically: true, encoding: .utf8)
        arguments += ["-e", "\(node)=\(path)"]
    }

    mutating func script(_ node: String, _ script: String) throws {
        let path = directory.file("tty\(arguments.count).script")
        try script.write(toFile: path, atomically: true, encoding: .utf8)
        arguments += ["-s", "\(node)=\(path)"]
    }

    func probe(_ args: [String], timeout: TimeInterval = 20) throws -> [[String: Any]] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/umockdev-run")
        process.arguments = arguments + ["--", try ProductLocator.executable("scanner-probe")] + args
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        if !environment.isEmpty { process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 } }
        try process.run()
        let deadline = Date().addingTimeInterval(timeout)
        let data = out.fileHandleForReading.readDataToEndOfFile()
        while process.isRunning, Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        if process.isRunning { process.terminate() }
        return String(decoding: data, as: UTF8.self).split(separator: "\n").compactMap {
            try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
        }
    }

    /// Preloads kiosk/dev/grabspy (built with gcc into the test directory) so that every EVIOCGRAB
    /// the probe asks for is logged; returns the log's path.
    mutating func spyOnGrabs() throws -> String {
        let source = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("kiosk/dev/grabspy/grabspy.c").path
        let library = directory.file("grabspy.so")
        let gcc = Process()
        gcc.executableURL = URL(fileURLWithPath: "/usr/bin/gcc")
        gcc.arguments = ["-shared", "-fPIC", "-o", library, source, "-ldl"]
        try gcc.run()
        gcc.waitUntilExit()
        guard gcc.terminationStatus == 0 else { throw SpyError() }
        let log = directory.file("grabs.log")
        FileManager.default.createFile(atPath: log, contents: nil)
        environment["LD_PRELOAD"] = library
        environment["GRABSPY_LOG"] = log
        return log
    }

    struct SpyError: Error {}

    /// A USB keyboard-class input device at event N with a vendor:product id and a name.
    static func inputDevice(event: Int, vendor: String, product: String, name: String, usbPort: Int = 1) -> String {
        UmockdevDevices.inputDevice(event: event, vendor: vendor, product: product, name: name, usbPort: usbPort)
    }
}
