import Foundation
import KioskPCSC
import KioskVirtualCard
import Synchronization

/// The pcscd the integration tests run against, with a vpcd virtual reader.
///
/// Contract with the suite's script: when `KIOSK_TEST_VPCD_PORT`, `KIOSK_TEST_PCSCD_CONFDIR`
/// and `KIOSK_TEST_PCSCD_PIDFILE` are set, the script's pcscd is used. Otherwise (a developer
/// running `swift test`) the rig starts its own `pcscd -f -c DIR` with a vpcd entry on port
/// 35963 (0x8C7B) and stops exactly that process when the test process exits; it refuses to
/// start when another pcscd, not started by it, is running (only one pcscd can run: its client
/// socket is fixed at /run/pcscd/pcscd.comm). Tests that restart pcscd kill the pid in the pid
/// file, start a new `pcscd -f -c CONFDIR` and write the new pid there, so that the script's
/// cleanup stops the right process.
public final class TestPCSCD: Sendable {
    /// vpcd's TCP port for the first virtual reader (the second is `port + 1`).
    public let port: UInt16
    public let configurationDirectory: String
    public let pidFile: String
    /// True when this process started pcscd (and must stop it).
    public let startedHere: Bool

    public static let defaultPort: UInt16 = 0x8C7B
    public static let pcscd = "/usr/sbin/pcscd"

    private static let instance = Mutex<Result<TestPCSCD, RigError>?>(nil)

    /// The one pcscd of this test process, started on first use.
    public static func shared() throws(RigError) -> TestPCSCD {
        let result = instance.withLock { cached -> Result<TestPCSCD, RigError> in
            if let cached { return cached }
            let made: Result<TestPCSCD, RigError>
            do throws(RigError) { made = .success(try TestPCSCD()) } catch { made = .failure(error) }
            cached = made
            return made
        }
        return try result.get()
    }

    private init() throws(RigError) {
        let env = ProcessInfo.processInfo.environment
        if let portText = env["KIOSK_TEST_VPCD_PORT"], let dir = env["KIOSK_TEST_PCSCD_CONFDIR"], let pidFile = env["KIOSK_TEST_PCSCD_PIDFILE"] {
            guard let port = UInt16(portText) else { throw .environment("KIOSK_TEST_VPCD_PORT=\(portText) is not a port") }
            self.port = port
            configurationDirectory = dir
            self.pidFile = pidFile
            startedHere = false
            try waitForReaders()
            return
        }
        if let running = Self.runningPCSCDPids().first {
            throw .anotherPCSCD(running)
        }
        port = Self.defaultPort
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("kiosk-pcscd-\(getpid())").path
        configurationDirectory = dir
        pidFile = dir + "/pcscd.pid"
        startedHere = true
        do {
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
            try Self.readerConfiguration(port: port).write(toFile: dir + "/vpcd", atomically: true, encoding: .utf8)
        } catch {
            throw .environment("cannot write \(dir): \(error)")
        }
        Self.ownDirectory.withLock { $0 = dir }
        try startDaemon()
        atexit {
            // Stop exactly the pcscd this process started (its pid is in the pid file).
            if let pid = TestPCSCD.startedPid.withLock({ $0 }) {
                TestPCSCD.terminate(pid, hard: false, reap: true)
            }
            if let dir = TestPCSCD.ownDirectory.withLock({ $0 }) {
                try? FileManager.default.removeItem(atPath: dir)
            }
        }
        try waitForReaders()
    }

    /// The configuration directory this process made (removed at exit).
    static let ownDirectory = Mutex<String?>(nil)

    /// The pid of the pcscd this process started last, for the exit handler.
    static let startedPid = Mutex<pid_t?>(nil)

    /// The reader configuration file for vpcd on `port`.
    public static func readerConfiguration(port: UInt16) -> String {
        let hex = "0x" + String(port, radix: 16, uppercase: true)
        return """
            FRIENDLYNAME "Virtual PCD"
            DEVICENAME   /dev/null:\(hex)
            LIBPATH      /usr/lib/pcsc/drivers/serial/libifdvpcd.so
            CHANNELID    \(hex)

            """
    }

    /// The pid in the pid file.
    public var pid: pid_t? {
        guard let text = try? String(contentsOfFile: pidFile, encoding: .utf8) else { return nil }
        return pid_t(text.trimmingCharacters(in: .whitespacesAndNewlines))
    }

    /// The names of the two vpcd readers (first: `port`, second: `port + 1`).
    public func readerNames() throws(RigError) -> [String] {
        do {
            let names = try PCSCContext().readers().filter { $0.hasPrefix("Virtual PCD") }.sorted()
            guard names.count >= 2 else { throw RigError.environment("vpcd readers missing: \(names)") }
            return names
        } catch let error as RigError {
            throw error
        } catch {
            throw .environment("listing readers: \(error)")
        }
    }

    /// Kills pcscd (SIGKILL when `hard`, else SIGTERM) and waits until it is gone.
    public func stopDaemon(hard: Bool = false) throws(RigError) {
        guard let pid else { throw .environment("no pid in \(pidFile)") }
        let ours = Self.startedPid.withLock { $0 } == pid
        Self.terminate(pid, hard: hard, reap: ours)
        if ours { Self.startedPid.withLock { $0 = nil } }
        // pcscd removes its socket on a clean exit; after SIGKILL the next one replaces it.
        usleep(50_000)
    }

    /// Starts a new `pcscd -f -c CONFDIR` and records its pid in the pid file.
    public func startDaemon() throws(RigError) {
        if let running = Self.runningPCSCDPids().first {
            throw .anotherPCSCD(running)
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.pcscd)
        process.arguments = ["-f", "-c", configurationDirectory]
        let log = FileHandle(forWritingAtPath: "/dev/null")
        process.standardOutput = log
        process.standardError = log
        do { try process.run() } catch { throw .environment("cannot start pcscd: \(error)") }
        let pid = process.processIdentifier
        Self.startedPid.withLock { $0 = pid }
        do {
            try "\(pid)\n".write(toFile: pidFile, atomically: true, encoding: .utf8)
        } catch {
            throw .environment("cannot write \(pidFile): \(error)")
        }
    }

    /// Restarts pcscd: stop the recorded one, start a new one, wait for its readers.
    public func restart(hard: Bool = false) throws(RigError) {
        try stopDaemon(hard: hard)
        try startDaemon()
        try waitForReaders()
    }

    /// Waits until pcscd answers and lists the vpcd readers.
    public func waitForReaders(timeout: Double = 10) throws(RigError) {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if let names = try? PCSCContext().readers(), names.contains(where: { $0.hasPrefix("Virtual PCD") }) { return }
            usleep(50_000)
        }
        throw .environment("pcscd did not list the vpcd readers within \(timeout) s")
    }

    /// Inserts `card` into the first (or second) virtual reader, once pcscd has seen the
    /// reader empty (a card removed just before must not be taken for this one).
    ///
    /// A reader holds one card: a card the rig inserted there before and that is still in (a test
    /// that failed before lifting it) is lifted first, so that one failure does not cascade.
    public func insert(_ card: any VirtualCard, reader index: UInt16 = 0) throws -> VPCDConnection {
        Self.inserted.withLock { $0.removeValue(forKey: index) }?.remove()
        try waitUntilEmpty(reader: index)
        let connection = try VPCDConnection(card: card, port: port + index)
        Self.inserted.withLock { $0[index] = connection }
        return connection
    }

    /// Lifts every card the rig inserted that is still in (the start of a test).
    public func liftCards() {
        for connection in Self.inserted.withLock({ cards in defer { cards = [:] }; return Array(cards.values) }) {
            connection.remove()
        }
    }

    /// The last card the rig inserted into each virtual reader.
    private static let inserted = Mutex<[UInt16: VPCDConnection]>([:])

    /// Waits until pcscd reports the virtual reader `index` empty.
    public func waitUntilEmpty(reader index: UInt16 = 0, timeout: Double = 10) throws {
        try waitFor(.empty, reader: index, timeout: timeout, otherwise: "still holds a card")
    }

    /// Waits until pcscd reports a card in the virtual reader `index`.
    public func waitUntilPresent(reader index: UInt16 = 0, timeout: Double = 10) throws {
        try waitFor(.present, reader: index, timeout: timeout, otherwise: "has no card")
    }

    private func waitFor(_ flag: ReaderState.Flags, reader index: UInt16, timeout: Double, otherwise: String) throws {
        let name = try readerNames()[Int(index)]
        let context = try PCSCContext()
        let deadline = Date().addingTimeInterval(timeout)
        var state = ReaderState(reader: name)
        while Date() < deadline {
            let states = (try? context.statusChange([state], timeoutMilliseconds: 200)) ?? [state]
            if states[0].eventState.contains(flag) { return }
            state.currentState = states[0].eventState.withoutChanged
        }
        throw RigError.environment("reader \(name) \(otherwise) after \(timeout) s")
    }

    /// Stops `pid`: SIGTERM (or SIGKILL when `hard`), then SIGKILL if it is still there after
    /// 3 s (pcscd can hang in shutdown while a vpcd socket is open). Reaps it when it is our child.
    static func terminate(_ pid: pid_t, hard: Bool, reap: Bool) {
        kill(pid, hard ? SIGKILL : SIGTERM)
        var status: Int32 = 0
        for attempt in 0..<300 {
            if reap {
                if waitpid(pid, &status, WNOHANG) == pid { return }
            } else if !isAlive(pid) {
                return
            }
            if attempt == 150 { kill(pid, SIGKILL) }
            usleep(20_000)
        }
    }

    static func isAlive(_ pid: pid_t) -> Bool {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8) else { return false }
        // The state follows the parenthesised command name; Z is a zombie (dead, not reaped).
        guard let close = stat.lastIndex(of: ")") else { return false }
        let rest = stat[stat.index(after: close)...].trimmingCharacters(in: .whitespaces)
        return !rest.hasPrefix("Z")
    }

    /// Pids of live processes named pcscd.
    static func runningPCSCDPids() -> [pid_t] {
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: "/proc") else { return [] }
        return entries.compactMap { entry -> pid_t? in
            guard let pid = pid_t(entry),
                  let comm = try? String(contentsOfFile: "/proc/\(entry)/comm", encoding: .utf8),
                  comm.trimmingCharacters(in: .whitespacesAndNewlines) == "pcscd", isAlive(pid) else { return nil }
            return pid
        }
    }
}

/// Why the rig cannot run.
public enum RigError: Error, Sendable, CustomStringConvertible {
    case anotherPCSCD(pid_t)
    case environment(String)

    public var description: String {
        switch self {
        case .anotherPCSCD(let pid):
            "another pcscd (pid \(pid)) is running and was not started by the tests: stop it, or export "
                + "KIOSK_TEST_VPCD_PORT, KIOSK_TEST_PCSCD_CONFDIR and KIOSK_TEST_PCSCD_PIDFILE to use it"
        case .environment(let why): why
        }
    }
}
