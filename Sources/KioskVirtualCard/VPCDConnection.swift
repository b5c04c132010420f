import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// A virtual card inserted into vsmartcard's vpcd reader: a TCP client of vpcd (connecting
/// inserts the card, closing removes it). Messages are a two-byte big-endian length and a
/// payload; a one-byte payload is a control message (0 power off, 1 power on, 2 reset,
/// 4 "send your ATR", the only one answered), anything else a command APDU to answer.
public final class VPCDConnection: Sendable {
    public let card: any VirtualCard
    private let socket: Int32
    private let state = Mutex(State())
    private let finished = DispatchSemaphore(value: 0)

    private struct State {
        var open = true
        var commands: [[UInt8]] = []
    }

    /// Inserts `card` into the vpcd reader listening on `host:port`, retrying the connection
    /// for up to `timeout` seconds (vpcd listens once pcscd has loaded its driver).
    public init(card: any VirtualCard, port: UInt16, host: String = "127.0.0.1", timeout: Double = 5) throws(VPCDError) {
        self.card = card
        let deadline = Date().addingTimeInterval(timeout)
        var fd: Int32 = -1
        while true {
            fd = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            guard fd >= 0 else { throw .system("socket", errno) }
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = port.bigEndian
            guard inet_pton(AF_INET, host, &address.sin_addr) == 1 else {
                close(fd)
                throw .badHost(host)
            }
            let result = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                }
            }
            if result == 0 { break }
            let error = errno
            close(fd)
            guard Date() < deadline else { throw .system("connect to vpcd at \(host):\(port)", error) }
            usleep(50_000)
        }
        var one: Int32 = 1
        setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
        socket = fd
        let thread = Thread { [self] in self.serve() }
        thread.name = "vpcd-card"
        thread.start()
    }

    deinit { remove() }

    /// True until the card is removed (by `remove()`, by the card pulling itself, or by vpcd
    /// closing the connection).
    public var isInserted: Bool { state.withLock { $0.open } }

    /// The command APDUs the card received, in order.
    public var commands: [[UInt8]] { state.withLock { $0.commands } }

    /// Forgets the commands received so far (to count those of one identification).
    public func clearCommands() { state.withLock { $0.commands.removeAll() } }

    /// Removes the card from the reader.
    public func remove() {
        let wasOpen = state.withLock { s in
            defer { s.open = false }
            return s.open
        }
        if wasOpen { shutdown(socket, Int32(SHUT_RDWR)) }
    }

    /// Waits until the card has left the reader, up to `timeout` seconds; true if it has.
    @discardableResult
    public func waitUntilRemoved(timeout: Double) -> Bool {
        if finished.wait(timeout: .now() + timeout) == .success {
            finished.signal()
            return true
        }
        return false
    }

    private func serve() {
        defer {
            state.withLock { $0.open = false }
            close(socket)
            finished.signal()
        }
        while let message = readMessage() {
            if message.count == 1 {
                switch message[0] {
                case 0, 1, 2: card.reset()
                case 4: guard writeMessage(card.atr) else { return }
                default: break
                }
                continue
            }
            state.withLock { $0.commands.append(message) }
            switch card.respond(to: message) {
            case .bytes(let answer): guard writeMessage(answer) else { return }
            case .pull: return
            case .silent:
                // Hold the connection without answering until the card is removed.
                while readMessage() != nil {}
                return
            }
        }
    }

    private func readMessage() -> [UInt8]? {
        guard let header = readExactly(2) else { return nil }
        let length = Int(header[0]) << 8 | Int(header[1])
        return readExactly(length)
    }

    private func readExactly(_ count: Int) -> [UInt8]? {
        var buffer = [UInt8](repeating: 0, count: count)
        var done = 0
        while done < count {
            let n = buffer.withUnsafeMutableBytes { read(socket, $0.baseAddress! + done, count - done) }
            if n < 0, errno == EINTR { continue }
            guard n > 0 else { return nil }
            done += n
            // vpcd writes the length and the payload separately: acknowledge at once, or Nagle on
            // its side and delayed ACK on ours cost 40 ms per message. (Linux clears QUICKACK.)
            var one: Int32 = 1
            setsockopt(socket, Int32(IPPROTO_TCP), Int32(TCP_QUICKACK), &one, socklen_t(MemoryLayout<Int32>.size))
        }
        return buffer
    }

    private func writeMessage(_ payload: [UInt8]) -> Bool {
        let bytes = [UInt8(payload.count >> 8 & 0xFF), UInt8(payload.count & 0xFF)] + payload
        var done = 0
        while done < bytes.count {
            let n = bytes.withUnsafeBytes { send(socket, $0.baseAddress! + done, bytes.count - done, Int32(MSG_NOSIGNAL)) }
            if n < 0, errno == EINTR { continue }
            guard n > 0 else { return false }
            done += n
        }
        return true
    }
}

/// Why a virtual card could not be inserted.
public enum VPCDError: Error, Equatable, Sendable, CustomStringConvertible {
    case badHost(String)
    case system(String, Int32)

    public var description: String {
        switch self {
        case .badHost(let host): "not an IPv4 address: \(host)"
        case .system(let what, let code): "\(what): \(String(cString: strerror(code)))"
        }
    }
}
