#if canImport(Glibc)
import Glibc
#endif
import CFramebuffer

/// The text console under the framebuffer: switched to graphics mode (KDSETMODE) with its cursor
/// hidden while the kiosk draws, and given back in text mode with the cursor shown on exit, on
/// SIGTERM/SIGINT/SIGHUP, and on a crash signal (SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT). After a
/// SIGKILL nothing can run: the next start finds the console in graphics mode, says so, and the
/// same restore runs when that start ends.
///
/// The console is a tty (`/dev/tty0`) or, for tests, a file that records the mode in its first
/// byte ("T" or "G") and the cursor in its second ("S" shown, "H" hidden), written with the same
/// async-signal-safe calls.
public final class ConsoleGuard {
    public enum Kind: Sendable { case tty, file }
    public let path: String
    public let kind: Kind
    /// The console was in graphics mode before this start: a previous run ended without restoring it.
    public let foundInGraphicsMode: Bool
    let fd: Int32

    public init(path: String, kind: Kind) throws(DisplayError) {
        self.path = path
        self.kind = kind
        let fd = open(path, O_RDWR | O_CLOEXEC | (kind == .file ? O_CREAT : 0), 0o644)
        guard fd >= 0 else { throw DisplayError(.open, "cannot open console \(path)", errno: errno) }
        self.fd = fd
        switch kind {
        case .tty:
            var mode: Int32 = 0
            guard kiosk_kd_get_mode(fd, &mode) == 0 else {
                close(fd)
                throw DisplayError(.ioctl, "KDGETMODE on \(path) (is it a virtual console?)", errno: errno)
            }
            foundInGraphicsMode = mode == kiosk_kd_graphics()
        case .file:
            var byte: UInt8 = 0
            foundInGraphicsMode = pread(fd, &byte, 1, 0) == 1 && byte == UInt8(ascii: "G")
        }
    }

    deinit { close(fd) }

    /// Graphics mode, cursor hidden, and the restore armed for signals.
    public func take() throws(DisplayError) {
        ConsoleRestore.arm(fd: fd, isFile: kind == .file)
        guard ConsoleRestore.setMode(fd: fd, isFile: kind == .file, graphics: true) else {
            throw DisplayError(.ioctl, "KDSETMODE KD_GRAPHICS on \(path)", errno: errno)
        }
        ConsoleRestore.setCursor(fd: fd, isFile: kind == .file, shown: false)
    }

    /// Text mode and the cursor back.
    public func restore() {
        ConsoleRestore.restoreNow()
        ConsoleRestore.disarm()
    }
}

/// The restore as plain syscalls on a remembered descriptor, callable from a signal handler.
enum ConsoleRestore {
    nonisolated(unsafe) static var armedFD: Int32 = -1
    nonisolated(unsafe) static var armedIsFile = false
    nonisolated(unsafe) static var installed = false

    static let restoreSignals: [Int32] = [SIGTERM, SIGINT, SIGHUP, SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT]

    static func arm(fd: Int32, isFile: Bool) {
        armedFD = fd
        armedIsFile = isFile
        guard !installed else { return }
        installed = true
        for signal in restoreSignals {
            var action = sigaction()
            action.__sigaction_handler.sa_handler = { signal in
                ConsoleRestore.restoreNow()
                // Then die of the same signal, as if we had not caught it.
                Glibc.signal(signal, SIG_DFL)
                raise(signal)
            }
            sigemptyset(&action.sa_mask)
            action.sa_flags = 0
            sigaction(signal, &action, nil)
        }
    }

    static func disarm() { armedFD = -1 }

    static func restoreNow() {
        let fd = armedFD
        guard fd >= 0 else { return }
        _ = setMode(fd: fd, isFile: armedIsFile, graphics: false)
        setCursor(fd: fd, isFile: armedIsFile, shown: true)
    }

    static func setMode(fd: Int32, isFile: Bool, graphics: Bool) -> Bool {
        if isFile {
            var byte = graphics ? UInt8(ascii: "G") : UInt8(ascii: "T")
            return pwrite(fd, &byte, 1, 0) == 1
        }
        return kiosk_kd_set_mode(fd, graphics ? kiosk_kd_graphics() : kiosk_kd_text()) == 0
    }

    static func setCursor(fd: Int32, isFile: Bool, shown: Bool) {
        if isFile {
            var byte = shown ? UInt8(ascii: "S") : UInt8(ascii: "H")
            _ = pwrite(fd, &byte, 1, 1)
        } else {
            // DECTCEM: ESC [ ? 25 l hides the cursor, h shows it.
            // A tuple on the stack: no allocation, so this is safe inside a signal handler.
            var sequence: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) = (0x1B, 0x5B, 0x3F, 0x32, 0x35, shown ? 0x68 : 0x6C)
            _ = withUnsafeBytes(of: &sequence) { write(fd, $0.baseAddress, 6) }
        }
    }
}
