import Glibc

/// The development scan source: a Unix datagram socket (`scanners.dev_socket`, off unless
/// configured). Each datagram is one scan, as a scanner with AIM identifiers on would send it
/// (`]Q3…`), at most 4,096 bytes. `kiosk sim scan` is its client. The socket is created mode 0600.
public final class DevScanSocket {
    public let path: String
    private var fd: Int32

    public init(listeningAt path: String) throws(SystemError) {
        self.path = path
        fd = try Self.makeSocket()
        unlink(path)
        var addr = try Self.address(path)
        let r = withUnsafePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) } }
        guard r == 0 else { let e = SystemError("bind \(path)"); Glibc.close(fd); throw e }
        // Owner only (not through the umask: it is the whole process's, and other threads create files).
        guard chmod(path, 0o600) == 0 else { let e = SystemError("chmod \(path)"); Glibc.close(fd); unlink(path); throw e }
    }

    deinit {
        if fd >= 0 { Glibc.close(fd); unlink(path) }
    }

    /// One datagram, or nil after `timeout`.
    public func receive(timeout: Duration) throws(SystemError) -> [UInt8]? {
        var pfd = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        let ms = Int32(clamping: timeout.components.seconds * 1000 + timeout.components.attoseconds / 1_000_000_000_000_000)
        let ready = try retryingEINTR("poll \(path)") { Int(poll(&pfd, 1, ms)) }
        if ready == 0 { return nil }
        var buffer = [UInt8](repeating: 0, count: 4_097)
        let n = try retryingEINTR("recv \(path)") { buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) } }
        guard n <= 4_096 else { return nil }
        return Array(buffer.prefix(n))
    }

    /// Sends one scan to a kiosk listening at `path`.
    public static func send(_ bytes: [UInt8], to path: String) throws(SystemError) {
        guard bytes.count <= 4_096 else { throw SystemError("send \(path)", errno: EMSGSIZE) }
        let fd = try makeSocket()
        defer { Glibc.close(fd) }
        var addr = try address(path)
        let n = withUnsafePointer(to: &addr) { p in
            p.withMemoryRebound(to: sockaddr.self, capacity: 1) { a in
                bytes.withUnsafeBytes { sendto(fd, $0.baseAddress, $0.count, 0, a, socklen_t(MemoryLayout<sockaddr_un>.size)) }
            }
        }
        guard n == bytes.count else { throw SystemError("send \(path)") }
    }

    private static func makeSocket() throws(SystemError) -> Int32 {
        let fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw SystemError("socket") }
        return fd
    }

    private static func address(_ path: String) throws(SystemError) -> sockaddr_un {
        var addr = sockaddr_un()
        addr.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        guard bytes.count < MemoryLayout.size(ofValue: addr.sun_path) else { throw SystemError("socket path \(path)", errno: ENAMETOOLONG) }
        withUnsafeMutableBytes(of: &addr.sun_path) { raw in
            for (i, b) in bytes.enumerated() { raw[i] = b }
        }
        return addr
    }
}
