import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A child process of the test: started, read from, killed with SIGKILL, waited for.
final class ChildProcess: @unchecked Sendable {
    let process = Process()
    private let output = Pipe()
    private let lock = NSLock()
    private var text = ""

    init(_ executable: String, _ arguments: [String], environment: [String: String] = [:]) throws {
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        for (key, value) in environment { env[key] = value }
        process.environment = env
        process.standardOutput = output
        process.standardError = output
        output.fileHandleForReading.readabilityHandler = { [weak self] handle in
            let data = handle.availableData
            guard let self, !data.isEmpty else { return }
            self.lock.withLock { self.text += String(decoding: data, as: UTF8.self) }
        }
        try process.run()
    }

    var printed: String { lock.withLock { text } }

    /// Waits until the output contains a line matching `prefix` and returns the rest of it.
    func waitForLine(startingWith prefix: String, timeout: TimeInterval = 30) async throws -> String {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if let line = printed.split(separator: "\n").first(where: { $0.hasPrefix(prefix) }) {
                return String(line.dropFirst(prefix.count))
            }
            guard process.isRunning else { break }
            try await Task.sleep(nanoseconds: 20_000_000)
        }
        throw Timeout(description: "no line starting with \"\(prefix)\"; output: \(printed)")
    }

    struct Timeout: Error, CustomStringConvertible { var description: String }

    func kill9() {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
    }

    /// Waits for the exit and returns its status.
    func wait() async -> Int32 {
        while process.isRunning { try? await Task.sleep(nanoseconds: 20_000_000) }
        return process.terminationStatus
    }
}
