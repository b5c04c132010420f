import CInput
import Glibc

/// An open evdev device node: key events read with a timeout, optionally grabbed (`EVIOCGRAB`)
/// so that no other reader — the console, a display server — sees its keystrokes. Closing
/// releases the grab (the kernel drops it with the file).
public final class EvdevDevice {
    public let path: String
    private var fd: Int32
    public private(set) var grabbed = false

    /// Opens `path` read-only, non-blocking.
    public init(path: String) throws(SystemError) {
        self.path = path
        let fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else { throw SystemError("open \(path)") }
        self.fd = fd
    }

    deinit { close() }

    /// Takes the device exclusively. The corresponding ioctl is `EVIOCGRAB`.
    public func grab() throws(SystemError) {
        try retryingEINTR("EVIOCGRAB \(path)") { Int(kiosk_eviocgrab(fd, 1)) }
        grabbed = true
    }

    public func release() {
        guard grabbed, fd >= 0 else { return }
        _ = kiosk_eviocgrab(fd, 0)
        grabbed = false
    }

    public func close() {
        guard fd >= 0 else { return }
        release()
        _ = Glibc.close(fd)
        fd = -1
    }

    public enum ReadResult {
        case events([KeyEvent])
        case timeout
    }

    /// Waits up to `timeout` (nil: 0.25 s) for events and returns the key events read (EV_KEY
    /// only; timestamps as the kernel gave them). Throws when the device is gone.
    public func read(timeout: Duration?) throws(SystemError) -> ReadResult {
        var pfd = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        let ms = timeout.map { max(0, Int32(clamping: $0.components.seconds * 1000 + $0.components.attoseconds / 1_000_000_000_000_000)) } ?? 250
        let ready = try retryingEINTR("poll \(path)") { Int(poll(&pfd, 1, ms)) }
        if ready == 0 { return .timeout }
        if pfd.revents & Int16(POLLERR | POLLHUP | POLLNVAL) != 0, pfd.revents & Int16(POLLIN) == 0 {
            throw SystemError("poll \(path)", errno: ENODEV)
        }
        let size = MemoryLayout<input_event>.stride
        var buffer = [input_event](repeating: input_event(), count: 64)
        let n = buffer.withUnsafeMutableBytes { raw in Glibc.read(fd, raw.baseAddress, raw.count) }
        if n < 0 {
            if errno == EAGAIN || errno == EINTR { return .events([]) }
            throw SystemError("read \(path)")
        }
        if n == 0 { throw SystemError("read \(path)", errno: ENODEV) }
        var keys: [KeyEvent] = []
        for e in buffer.prefix(n / size) where e.type == UInt16(EV_KEY) {
            let time = Duration.seconds(Int64(e.time.tv_sec)) + .microseconds(Int64(e.time.tv_usec))
            keys.append(KeyEvent(code: e.code, value: e.value, time: time))
        }
        return .events(keys)
    }
}
