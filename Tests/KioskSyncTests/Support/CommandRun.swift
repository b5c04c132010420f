import Foundation

/// A command run to its end, with its standard output and standard error apart. Both go to
/// files (no pipe whose end-of-file a handler might miss); the wait polls with `Task.sleep`, so
/// a test waiting for a child never holds a thread of the pool.
struct CommandRun: Sendable {
    var status: Int32
    var stdout: String
    var stderr: String

    struct Timeout: Error, CustomStringConvertible { var description: String }

    static func run(_ executable: String, _ arguments: [String], environment: [String: String] = [:],
                    timeout: TimeInterval = 300) async throws -> CommandRun {
        let base = NSTemporaryDirectory() + "kiosk-command-" + UUID().uuidString
        let outPath = base + ".out", errPath = base + ".err"
        defer {
            try? FileManager.default.removeItem(atPath: outPath)
            try? FileManager.default.removeItem(atPath: errPath)
        }
        FileManager.default.createFile(atPath: outPath, contents: nil)
        FileManager.default.createFile(atPath: errPath, contents: nil)
        let out = try FileHandle(forWritingTo: URL(fileURLWithPath: outPath))
        let err = try FileHandle(forWritingTo: URL(fileURLWithPath: errPath))
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        env["KIOSK_CENTRAL_TOKEN"] = nil
        for (key, value) in environment { env[key] = value }
        process.environment = env
        process.standardOutput = out
        process.standardError = err
        try process.run()
        try out.close()
        try err.close()
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning {
            guard Date() < deadline else {
                process.terminate()
                throw Timeout(description: "\(arguments.joined(separator: " ")) did not end in \(timeout) s; printed: "
                              + Self.read(outPath) + Self.read(errPath))
            }
            try await Task.sleep(nanoseconds: 20_000_000)
        }
        return CommandRun(status: process.terminationStatus, stdout: Self.read(outPath), stderr: Self.read(errPath))
    }

    private static func read(_ path: String) -> String {
        String(decoding: FileManager.default.contents(atPath: path) ?? Data(), as: UTF8.self)
    }
}
