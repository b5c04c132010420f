import Foundation
import KioskTestSupport
import Synchronization
import VirtualCardRig

/// A kiosk set up as a technician would: a directory holding a configuration, its secret files
/// (mode 600) and the store, and an environment that points the `kiosk` executable at it and at
/// the rig's vpcd port. The child talks to the rig's pcscd through the fixed socket.
struct KioskSandbox {
    /// 32 random bytes in hex, as `openssl rand -hex 32` makes them.
    static let tokenKey = "5B1F0E2D9C8A7B6E5D4C3B2A1908F7E6D5C4B3A29180F7E6D5C4B3A291807F6E"
    static let sdmMetaKey = "101112131415161718191A1B1C1D1E1F"
    static let sdmFileKey = "202122232425262728292A2B2C2D2E2F"

    let directory: TemporaryDirectory
    var environment: [String: String]

    var configurationPath: String { directory.file("kiosk.toml") }
    var storePath: String { directory.file("kiosk.sqlite") }

    /// `readers`: more lines for the [readers] table.
    init(rig: TestPCSCD, acceptBareUID: Bool = false, ignore: [String] = [], readers: String = "") throws {
        directory = try TemporaryDirectory()
        environment = [
            "HOME": directory.path, "PATH": "/usr/bin:/bin", "LANG": "C.UTF-8",
            "KIOSK_CONFIG": directory.file("kiosk.toml"), "KIOSK_VPCD_PORT": "\(rig.port)",
        ]
        for (name, value) in [("token-key", Self.tokenKey), ("sdm-meta-key", Self.sdmMetaKey), ("sdm-file-key", Self.sdmFileKey)] {
            try secret(name, value)
        }
        try write("kiosk.toml", """
            [kiosk]
            id = "kiosk-tools-test"
            branch = "b-test"
            [store]
            path = "\(storePath)"
            [readers]
            allow = ["Virtual PCD*"]
            accept_bare_uid = \(acceptBareUID)
            ignore = [\(ignore.map { "\"\($0)\"" }.joined(separator: ", "))]
            \(readers)
            [cards]
            token_key_file = "\(directory.file("token-key"))"
            sdm_meta_key_file = "\(directory.file("sdm-meta-key"))"
            sdm_file_key_file = "\(directory.file("sdm-file-key"))"

            """)
    }

    func write(_ name: String, _ contents: String) throws {
        try Data(contents.utf8).write(to: URL(fileURLWithPath: directory.file(name)))
    }

    /// Runs another executable of the package (`kiosk-central`) to its end in this sandbox.
    func runExecutable(_ path: String, _ arguments: [String], timeout: Double = 30) async throws -> KioskChild.Result {
        let child = try KioskChild(path, arguments, environment: environment)
        defer { child.kill() }
        guard let result = await child.finish(timeout: timeout) else {
            throw KioskChild.Timeout(arguments: arguments, stdout: child.stdout, stderr: child.stderr)
        }
        return result
    }

    func secretFile(_ name: String, _ value: String) throws { try secret(name, value) }

    private func secret(_ name: String, _ value: String) throws {
        try write(name, value + "\n")
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: directory.file(name))
    }

    /// Starts `kiosk ARGS`.
    func start(_ arguments: [String], stdin: String? = nil) throws -> KioskChild {
        try KioskChild(arguments, environment: environment, stdin: stdin)
    }

    /// Runs `kiosk ARGS` to its end (killed after `timeout` seconds).
    func run(_ arguments: String..., timeout: Double = 30) async throws -> KioskChild.Result {
        try await run(arguments, timeout: timeout)
    }

    func run(_ arguments: [String], stdin: String? = nil, timeout: Double = 30) async throws -> KioskChild.Result {
        let child = try start(arguments, stdin: stdin)
        defer { child.kill() }
        guard let result = await child.finish(timeout: timeout) else {
            throw KioskChild.Timeout(arguments: arguments, stdout: child.stdout, stderr: child.stderr)
        }
        return result
    }
}

/// The built `kiosk` executable running as a child process; its output is collected as it
/// comes, so that a test can wait for a line while the process runs.
final class KioskChild {
    struct Result {
        /// The exit status, or nil when a signal ended the process.
        var status: Int32?
        /// The signal that ended the process, if one did.
        var signal: Int32?
        var stdout: String
        var stderr: String

        var stdoutLines: [String] { stdout.split(separator: "\n").map(String.init) }
        var stderrLines: [String] { stderr.split(separator: "\n").map(String.init) }
    }

    struct Timeout: Error, CustomStringConvertible {
        let arguments: [String]
        let stdout: String
        let stderr: String
        var description: String { "kiosk \(arguments.joined(separator: " ")) did not end; stdout: \(stdout) stderr: \(stderr)" }
    }

    let process = Process()
    private let out = OutputBuffer()
    private let err = OutputBuffer()

    convenience init(_ arguments: [String], environment: [String: String], stdin: String? = nil) throws {
        try self.init(try ProductLocator.executable("kiosk"), arguments, environment: environment, stdin: stdin)
    }

    init(_ executable: String, _ arguments: [String], environment: [String: String], stdin: String? = nil) throws {
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.environment = environment
        let outPipe = Pipe(), errPipe = Pipe()
        process.standardOutput = outPipe
        process.standardError = errPipe
        let inPipe = Pipe()
        process.standardInput = stdin == nil ? FileHandle(forReadingAtPath: "/dev/null") : inPipe
        try process.run()
        if let stdin {
            inPipe.fileHandleForWriting.write(Data(stdin.utf8))
            try inPipe.fileHandleForWriting.close()
        }
        out.drain(outPipe.fileHandleForReading)
        err.drain(errPipe.fileHandleForReading)
    }

    deinit { kill() }

    var pid: pid_t { process.processIdentifier }
    var stdout: String { out.text }
    var stderr: String { err.text }
    var stdoutLines: [String] { stdout.split(separator: "\n").map(String.init) }
    var stderrLines: [String] { stderr.split(separator: "\n").map(String.init) }

    /// Sends `signal` to the child.
    func send(_ signal: Int32) {
        if process.isRunning { Foundation.kill(pid, signal) }
    }

    /// Kills the child if it still runs (clean-up after a failed test).
    func kill() {
        if process.isRunning {
            Foundation.kill(pid, SIGKILL)
            process.waitUntilExit()
        }
    }

    /// Waits until `predicate` holds for the output so far (stdout, stderr), up to `timeout` s.
    @discardableResult
    func waitUntil(timeout: Double = 15, _ predicate: (_ stdout: String, _ stderr: String) -> Bool) async -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if predicate(stdout, stderr) { return true }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return predicate(stdout, stderr)
    }

    /// Waits for the child to end (up to `timeout` s) and returns its status and all its output.
    func finish(timeout: Double = 15) async -> Result? {
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning, Date() < deadline { try? await Task.sleep(for: .milliseconds(20)) }
        guard !process.isRunning else { return nil }
        process.waitUntilExit()
        out.waitForEnd(timeout: 5)
        err.waitForEnd(timeout: 5)
        let signalled = process.terminationReason == .uncaughtSignal
        return Result(status: signalled ? nil : process.terminationStatus, signal: signalled ? process.terminationStatus : nil,
                      stdout: stdout, stderr: stderr)
    }
}

/// One output stream of a child, read on a thread of its own until end of file.
final class OutputBuffer: Sendable {
    private let state = Mutex<(data: Data, ended: Bool)>((Data(), false))

    func drain(_ handle: FileHandle) {
        let thread = Thread { [self] in
            while true {
                let chunk = handle.availableData
                if chunk.isEmpty { break }
                state.withLock { $0.data.append(chunk) }
            }
            state.withLock { $0.ended = true }
        }
        thread.start()
    }

    var text: String { String(decoding: state.withLock { $0.data }, as: UTF8.self) }

    func waitForEnd(timeout: Double) {
        let deadline = Date().addingTimeInterval(timeout)
        while !state.withLock({ $0.ended }), Date() < deadline { usleep(10_000) }
    }
}
