#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// A datagram socket a test listens on, standing in for systemd's notification socket.
public final class NotifySocket {
    public let path: String
    private let fd: Int32

    /// Binds a socket at a new path under the temporary directory, or in the abstract namespace.
    public init(abstract: Bool = false) throws {
        let name = "kiosk-notify-\(UUID().uuidString.prefix(8))"
        path = abstract ? "@" + name : NSTemporaryDirectory() + name
        fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw POSIXError(.init(rawValue: errno)!) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        var bytes = Array(path.utf8)
        if abstract { bytes[0] = 0 }
        withUnsafeMutableBytes(of: &address.sun_path) { $0.copyBytes(from: bytes) }
        let length = socklen_t(MemoryLayout<sa_family_t>.size + bytes.count + (abstract ? 0 : 1))
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) }
        }
        guard bound == 0 else { throw POSIXError(.init(rawValue: errno)!) }
    }

    /// The next datagram, or nil when none arrives within `timeout` seconds.
    public func receive(timeout: Double) -> String? {
        var poller = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        guard poll(&poller, 1, Int32(timeout * 1000)) == 1 else { return nil }
        var buffer = [UInt8](repeating: 0, count: 4096)
        let count = recv(fd, &buffer, buffer.count, 0)
        guard count >= 0 else { return nil }
        return String(decoding: buffer[..<count], as: UTF8.self)
    }

    /// The next datagram, or nil when none arrives within `timeout` seconds, without blocking a
    /// thread of the cooperative pool (the code under test may need it to send).
    public func next(timeout: Double) async -> String? {
        let deadline = Date().addingTimeInterval(timeout)
        repeat {
            if let message = receive(timeout: 0) { return message }
            try? await Task.sleep(for: .milliseconds(5))
        } while Date() < deadline
        return nil
    }

    /// Every datagram until `until` matches one (included), or nil when `timeout` passes first.
    public func receive(until match: (String) -> Bool, timeout: Double) -> [String]? {
        let deadline = Date().addingTimeInterval(timeout)
        var seen: [String] = []
        while Date() < deadline {
            guard let message = receive(timeout: max(0.01, deadline.timeIntervalSinceNow)) else { break }
            seen.append(message)
            if match(message) { return seen }
        }
        return nil
    }

    deinit {
        close(fd)
        if !path.hasPrefix("@") { unlink(path) }
    }
}
