import Foundation

/// A child process whose stdout lines are watched while it runs.
final class ChildProcess: @unchecked Sendable {
    struct Seen {
        var lastOK = -1
        var replayed = 0
        var finished = false
        var failure: String?
        var exitStatus: Int32?
        /// The power-loss VFS cut the power (the writer printed "power-cut" and exited).
        var powerCut = false
        /// What the power-loss VFS counted when the stream ended without a cut.
        var walSyncs: Int?
        var errors: [String] = []
        /// The loyalty writer's report at the end (`--loyalty`: "summary JSON").
        var summary: String?
    }

    private let process = Process()
    private let output = Pipe()
    private let errorOutput = Pipe()
    private let lock = NSLock()
    private var seen = Seen()
    private var buffer = Data()

    init(executable: String, arguments: [String]) throws {
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.standardOutput = output
        process.standardError = errorOutput
        output.fileHandleForReading.readabilityHandler = { [weak self] handle in self?.consume(handle.availableData) }
        try process.run()
    }

    private func consume(_ data: Data) {
        lock.withLock {
            buffer.append(data)
            while let newline = buffer.firstIndex(of: 0x0A) {
                let line = String(decoding: buffer[buffer.startIndex..<newline], as: UTF8.self)
                buffer.removeSubrange(buffer.startIndex...newline)
                if line.hasPrefix("ok "), let i = Int(line.dropFirst(3)) {
                    seen.lastOK = i
                } else if line.hasPrefix("replayed ") {
                    seen.replayed += 1
                } else if line == "done" {
                    seen.finished = true
                } else if line == "power-cut" {
                    seen.powerCut = true
                } else if line.hasPrefix("syncs wal="), let wal = Int(line.dropFirst("syncs wal=".count).prefix { $0.isNumber }) {
                    seen.walSyncs = wal
                } else if line.hasPrefix("summary ") {
                    seen.summary = String(line.dropFirst("summary ".count))
                } else if line.hasPrefix("failed ") {
                    seen.failure = String(line.dropFirst("failed ".count))
                }
            }
        }
    }

    func waitUntil(timeout: TimeInterval = 120, _ condition: (Seen) -> Bool) {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline && process.isRunning {
            if lock.withLock({ condition(seen) }) { return }
            usleep(200)
        }
    }

    func kill() {
        if process.isRunning { Foundation.kill(process.processIdentifier, SIGKILL) }
    }

    /// Waits for the process to end and returns everything it reported.
    func finish() -> Seen {
        process.waitUntilExit()
        output.fileHandleForReading.readabilityHandler = nil
        consume(output.fileHandleForReading.readDataToEndOfFile())
        let stderr = String(decoding: errorOutput.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        return lock.withLock {
            var result = seen
            if process.terminationReason == .exit { result.exitStatus = process.terminationStatus }
            if process.terminationReason == .exit && process.terminationStatus != 0 && seen.failure == nil {
                result.errors.append("exit \(process.terminationStatus): \(stderr)")
            }
            return result
        }
    }
}
