#if canImport(Glibc)
import Glibc
#endif
import Foundation
import KioskSession
import Synchronization

/// The terminal's keyboard as the staff keypad, when the kiosk draws on a terminal: digits,
/// Enter, Backspace and Escape (cancel), delivered to the session only while it asks for the
/// keypad (a PIN, an amount, a phone number); other keys and keys at other times are dropped.
/// The terminal is put in non-canonical mode without echo, so no digit of a PIN ever shows; Ctrl-C
/// still stops the kiosk. The keys are never logged.
public final class TerminalKeys: Sendable {
    private let fd: Int32
    private let saved: termios
    private let enabled = Atomic<Bool>(false)
    private let stopped = Atomic<Bool>(false)

    public init?(fd: Int32 = STDIN_FILENO, driver: SessionDriver) {
        guard isatty(fd) == 1 else { return nil }
        var original = termios()
        guard tcgetattr(fd, &original) == 0 else { return nil }
        var raw = original
        raw.c_lflag &= ~tcflag_t(ICANON | ECHO)
        withUnsafeMutableBytes(of: &raw.c_cc) { cc in
            cc[Int(VMIN)] = 1
            cc[Int(VTIME)] = 0
        }
        guard tcsetattr(fd, TCSANOW, &raw) == 0 else { return nil }
        self.fd = fd
        saved = original
        let thread = Thread { [self] in self.read(into: driver) }
        thread.name = "kiosk-terminal-keys"
        thread.start()
    }

    /// The session takes the keypad, or gives it back.
    public func setEnabled(_ on: Bool) { enabled.store(on, ordering: .relaxed) }

    /// Gives the terminal its settings back.
    public func stop() {
        stopped.store(true, ordering: .relaxed)
        var original = saved
        tcsetattr(fd, TCSANOW, &original)
    }

    public static func key(_ byte: UInt8) -> KeypadKey? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): .digit(byte - UInt8(ascii: "0"))
        case 0x0D, 0x0A: .enter
        case 0x7F, 0x08: .backspace
        case 0x1B: .cancel
        default: nil
        }
    }

    private func read(into driver: SessionDriver) {
        var buffer = [UInt8](repeating: 0, count: 64)
        while !stopped.load(ordering: .relaxed) {
            // Woken every 0.2 s to see `stop`; a terminal that hung up ends the reading (a read
            // would then return at once, forever).
            var poll = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            let ready = Glibc.poll(&poll, 1, 200)
            if ready < 0 { if errno == EINTR { continue } else { return } }
            if ready == 0 { continue }
            if poll.revents & Int16(POLLHUP | POLLERR | POLLNVAL) != 0 { return }
            let n = buffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if n < 0 { if errno == EINTR || errno == EAGAIN { continue } else { return } }
            if n == 0 { return }
            var index = 0
            while index < n {
                let byte = buffer[index]
                // An escape sequence (an arrow, a function key) is one key the keypad has not.
                if byte == 0x1B && index + 1 < n && (buffer[index + 1] == UInt8(ascii: "[") || buffer[index + 1] == UInt8(ascii: "O")) {
                    index += 2
                    while index < n && !(0x40...0x7E).contains(buffer[index]) { index += 1 }
                    index += 1
                    continue
                }
                if enabled.load(ordering: .relaxed), let key = Self.key(byte) { driver.submit(.key(key, at: Date())) }
                index += 1
            }
        }
    }
}
