#if canImport(Glibc)
import Glibc
#endif
import Foundation
import KioskTestSupport

/// A terminal a test can read: a tmux server of its own (its own socket) running one command in
/// a window of a fixed size; `screen()` is what the window shows now (`capture-pane`).
final class TmuxTerminal {
    let socket = "kiosk-test-\(UUID().uuidString.prefix(8))"
    let environment: [String: String]

    init(columns: Int, rows: Int, command: String, environment: [String: String]) throws {
        self.environment = environment.merging(["TERM": "xterm-256color"]) { $1 }
        // Not through Foundation's Process: the server this starts keeps the descriptors it
        // inherited open, and Process takes the client for running while any is open.
        let status = try Self.spawn(["/usr/bin/tmux", "-L", socket, "-f", "/dev/null", "new-session", "-d", "-x", "\(columns)",
                                     "-y", "\(rows)", command], environment: self.environment)
        guard status == 0 else { throw TmuxFailed(status: status) }
    }

    private var closed = false

    deinit { close() }

    /// Ends the window's process and the server: SIGTERM to the process (the kiosk stops
    /// gracefully and gives the terminal back), then the server; SIGKILL if it is still there
    /// after 5 s. Every test closes its terminal: a kiosk left running would read the cards of
    /// the tests after it.
    func close() {
        guard !closed else { return }
        closed = true
        let pid = (try? panePID()) ?? nil
        if let pid, pid > 0 {
            kill(pid, SIGTERM)
            var waited = 0
            while kill(pid, 0) == 0 && waited < 50 {
                usleep(100_000)
                waited += 1
            }
            if kill(pid, 0) == 0 { kill(pid, SIGKILL) }
        }
        _ = try? tmux(["kill-server"])
    }

    /// The process the window runs (the command's, when it `exec`s).
    func panePID() throws -> pid_t? { pid_t(try tmux(["display-message", "-p", "-t", "0", "#{pane_pid}"]).trimmingCharacters(in: .whitespacesAndNewlines)) }

    /// Types keys into the window (`send-keys`: "1", "Enter", "Escape").
    func type(_ keys: String...) throws { _ = try tmux(["send-keys", "-t", "0"] + keys) }

    /// The window's text, one line a row.
    func screen() throws -> String { try tmux(["capture-pane", "-p", "-t", "0"]) }

    /// Waits until the screen satisfies `predicate` (up to `timeout` s); the last screen read.
    func waitForScreen(timeout: Double = 20, _ predicate: (String) -> Bool) async throws -> (matched: Bool, screen: String) {
        let deadline = Date().addingTimeInterval(timeout)
        var last = ""
        while Date() < deadline {
            last = try screen()
            if predicate(last) { return (true, last) }
            try await Task.sleep(for: .milliseconds(100))
        }
        return (false, last)
    }

    @discardableResult
    private func tmux(_ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/tmux")
        process.arguments = ["-L", socket] + arguments
        process.environment = environment
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle(forWritingAtPath: "/dev/null")
        process.standardInput = FileHandle(forReadingAtPath: "/dev/null")
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }
}

struct TmuxFailed: Error { let status: Int32 }

extension TmuxTerminal {
    /// Runs a program (stdin, stdout and stderr on /dev/null) and waits for it alone.
    static func spawn(_ arguments: [String], environment: [String: String]) throws -> Int32 {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        for fd: Int32 in [0, 1, 2] { posix_spawn_file_actions_addopen(&actions, fd, "/dev/null", fd == 0 ? O_RDONLY : O_WRONLY, 0) }
        let argv = arguments.map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { (argv + envp).forEach { free($0) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, arguments[0], &actions, nil, argv, envp)
        guard spawned == 0 else { throw TmuxFailed(status: spawned) }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        return (status >> 8) & 0xFF
    }
}
