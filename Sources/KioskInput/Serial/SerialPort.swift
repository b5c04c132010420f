import Glibc

/// A serial port in raw mode (`cfmakeraw`: no echo, no line editing, no CR/LF translation, 8N1),
/// read with a timeout.
public final class SerialPort {
    public let path: String
    private var fd: Int32

    public init(path: String, baudRate: Int) throws(SystemError) {
        self.path = path
        let fd = open(path, O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else { throw SystemError("open \(path)") }
        self.fd = fd
        var tio = termios()
        guard tcgetattr(fd, &tio) == 0 else { let e = SystemError("tcgetattr \(path)"); Glibc.close(fd); throw e }
        cfmakeraw(&tio)
        tio.c_cflag |= tcflag_t(CLOCAL | CREAD)
        let speed = Self.speed(baudRate)
        cfsetispeed(&tio, speed)
        cfsetospeed(&tio, speed)
        guard tcsetattr(fd, TCSANOW, &tio) == 0 else { let e = SystemError("tcsetattr \(path)"); Glibc.close(fd); throw e }
    }

    deinit { close() }

    public func close() {
        guard fd >= 0 else { return }
        _ = Glibc.close(fd)
        fd = -1
    }

    /// The termios flags in effect (read back: what the driver accepted).
    public func attributes() throws(SystemError) -> termios {
        var tio = termios()
        guard tcgetattr(fd, &tio) == 0 else { throw SystemError("tcgetattr \(path)") }
        return tio
    }

    /// Waits up to `timeout` for bytes; nil on timeout. Throws when the port is gone.
    public func read(timeout: Duration) throws(SystemError) -> [UInt8]? {
        var pfd = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        let ms = max(0, Int32(clamping: timeout.components.seconds * 1000 + timeout.components.attoseconds / 1_000_000_000_000_000))
        let ready = try retryingEINTR("poll \(path)") { Int(poll(&pfd, 1, ms)) }
        if ready == 0 { return nil }
        if pfd.revents & Int16(POLLIN) == 0, pfd.revents & Int16(POLLERR | POLLHUP | POLLNVAL) != 0 {
            throw SystemError("poll \(path)", errno: ENODEV)
        }
        var buffer = [UInt8](repeating: 0, count: 512)
        let n = buffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
        if n < 0 {
            if errno == EAGAIN || errno == EINTR { return [] }
            throw SystemError("read \(path)")
        }
        if n == 0 { throw SystemError("read \(path)", errno: ENODEV) }
        return Array(buffer.prefix(n))
    }

    static func speed(_ baud: Int) -> speed_t {
        switch baud {
        case 1200: speed_t(B1200)
        case 2400: speed_t(B2400)
        case 4800: speed_t(B4800)
        case 19200: speed_t(B19200)
        case 38400: speed_t(B38400)
        case 57600: speed_t(B57600)
        case 115200: speed_t(B115200)
        default: speed_t(B9600)
        }
    }
}
