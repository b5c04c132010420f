#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// systemd's readiness and watchdog protocol (`sd_notify`), spoken directly: one datagram of
/// `KEY=VALUE` lines to the `AF_UNIX` socket named by `NOTIFY_SOCKET`, no libsystemd needed.
///
/// A path starting with `@` names a socket in the abstract namespace, as systemd documents.
/// Without `NOTIFY_SOCKET` (not started by systemd, or `Type=` not `notify`) there is no notifier.
public struct SystemdNotifier: Sendable {
    /// The socket path as systemd gave it (`@` for the abstract namespace).
    public let socketPath: String
    /// How often systemd expects `WATCHDOG=1`, when it asked for a watchdog for this process.
    public let watchdogTimeout: Duration?

    /// Reads `NOTIFY_SOCKET`, `WATCHDOG_USEC` and `WATCHDOG_PID` from `environment`. `nil` when
    /// `NOTIFY_SOCKET` is absent or empty. The watchdog is ignored when `WATCHDOG_PID` names
    /// another process (it was meant for a parent) or `WATCHDOG_USEC` is not a positive integer.
    public init?(environment: [String: String], processID: Int32 = getpid()) {
        guard let path = environment["NOTIFY_SOCKET"], !path.isEmpty else { return nil }
        socketPath = path
        watchdogTimeout = Self.watchdog(environment: environment, processID: processID)
    }

    static func watchdog(environment: [String: String], processID: Int32) -> Duration? {
        guard let text = environment["WATCHDOG_USEC"], let usec = UInt64(text), usec > 0,
              usec <= UInt64(Int64.max) / 1_000 else { return nil }
        if let pid = environment["WATCHDOG_PID"], Int32(pid) != processID { return nil }
        return .microseconds(Int64(usec))
    }

    /// The interval at which to send `WATCHDOG=1`: half the timeout, as sd_watchdog_enabled(3)
    /// recommends.
    public var watchdogInterval: Duration? { watchdogTimeout.map { $0 / 2 } }

    /// Sends `state` (e.g. `READY=1`, `WATCHDOG=1`, `STOPPING=1`, `STATUS=…`) as one datagram.
    public func send(_ state: String) throws(NotifyError) {
        let fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw NotifyError(operation: "socket", errno: errno) }
        defer { close(fd) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        var pathBytes = Array(socketPath.utf8)
        if pathBytes.first == UInt8(ascii: "@") { pathBytes[0] = 0 }
        let capacity = MemoryLayout.size(ofValue: address.sun_path)
        guard pathBytes.count < capacity else { throw NotifyError(operation: "socket path too long", errno: ENAMETOOLONG) }
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            raw.copyBytes(from: pathBytes)
        }
        let length = socklen_t(MemoryLayout<sa_family_t>.size + pathBytes.count + (pathBytes.first == 0 ? 0 : 1))
        let payload = Array(state.utf8)
        let sent = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { socketAddress in
                payload.withUnsafeBytes { bytes in
                    sendto(fd, bytes.baseAddress, bytes.count, Int32(MSG_NOSIGNAL), socketAddress, length)
                }
            }
        }
        guard sent == payload.count else { throw NotifyError(operation: "sendto", errno: errno) }
    }
}

/// A notification that could not be sent, with what was being done and the C library's errno.
public struct NotifyError: Error, CustomStringConvertible, Equatable {
    public let operation: String
    public let errno: Int32
    public var description: String { "systemd notification failed (\(operation)): \(String(cString: strerror(errno)))" }
}
