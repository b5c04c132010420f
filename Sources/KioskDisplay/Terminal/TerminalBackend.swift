#if canImport(Glibc)
import Glibc
#endif
import KioskRender

/// A text terminal as a display: the alternate screen with the cursor hidden while it runs
/// (both given back on close), only the cells that changed since the last frame redrawn, colour
/// escapes sent only when the colour changes, and a full redraw after a resize.
public final class TerminalBackend {
    public let colors: TerminalColors
    public private(set) var columns: Int
    public private(set) var rows: Int
    private var previous: CellGrid?
    private let write: ([UInt8]) -> Void
    /// Bytes sent for the last frame (for the benchmark and the tests).
    public private(set) var lastFrameBytes = 0
    private var open = false

    public init(columns: Int, rows: Int, colors: TerminalColors, write: @escaping ([UInt8]) -> Void) {
        self.columns = columns
        self.rows = rows
        self.colors = colors
        self.write = write
    }

    /// Writing to a file descriptor (the terminal itself), all bytes, retrying on EINTR.
    public static func writer(fd: Int32) -> ([UInt8]) -> Void {
        { bytes in
            var offset = 0
            while offset < bytes.count {
                let n = bytes[offset...].withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
                if n < 0 { if errno == EINTR { continue } else { return } }
                offset += n
            }
        }
    }

    /// The terminal's size from TIOCGWINSZ, nil when `fd` is not a terminal.
    public static func size(fd: Int32) -> (columns: Int, rows: Int)? {
        var size = winsize()
        guard ioctl(fd, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0, size.ws_row > 0 else { return nil }
        return (Int(size.ws_col), Int(size.ws_row))
    }

    /// Enters the alternate screen; `restoreOnSignal` also leaves it on SIGTERM, SIGINT or SIGHUP
    /// (for the terminal on `fd`).
    public func start(restoreOnSignal fd: Int32? = nil) {
        guard !open else { return }
        open = true
        if let fd { TerminalRestore.arm(fd: fd) }
        write(Array("\u{1B}[?1049h\u{1B}[?25l\u{1B}[2J".utf8))
    }

    /// Alternate screen left, cursor shown, colours reset.
    public func close() {
        guard open else { return }
        open = false
        write(Array("\u{1B}[0m\u{1B}[?25h\u{1B}[?1049l".utf8))
    }

    /// A new size: the next frame is drawn whole.
    public func resize(columns: Int, rows: Int) {
        self.columns = columns
        self.rows = rows
        previous = nil
        write(Array("\u{1B}[0m\u{1B}[2J".utf8))
    }

    public func present(_ grid: CellGrid) {
        precondition(grid.columns == columns && grid.rows == rows, "a grid of the terminal's size")
        var out = ""
        var fg: String? = nil, bg: String? = nil
        var cursor: (Int, Int)? = nil
        let old = previous.flatMap { $0.columns == columns && $0.rows == rows ? $0 : nil }
        for row in 0..<rows {
            for column in 0..<columns {
                let cell = grid.cell(column: column, row: row)
                if let old, old.cell(column: column, row: row) == cell { continue }
                if cursor == nil || cursor! != (row, column) { out += "\u{1B}[\(row + 1);\(column + 1)H" }
                var sgr: [String] = []
                // Colours the terminal already has are not sent again (in its palette: two colours
                // that map to one 256-colour index are the same colour there).
                let f = colors.sgr(cell.foreground, background: false), b = colors.sgr(cell.background, background: true)
                if fg != f { sgr.append(f); fg = f }
                if bg != b { sgr.append(b); bg = b }
                if !sgr.isEmpty { out += "\u{1B}[" + sgr.joined(separator: ";") + "m" }
                out.append(cell.character)
                cursor = (row, column + 1)
            }
        }
        let bytes = Array(out.utf8)
        lastFrameBytes = bytes.count
        if !bytes.isEmpty { write(bytes) }
        previous = grid
    }
}

/// Leaving the alternate screen from a signal handler: one write of a fixed sequence.
enum TerminalRestore {
    nonisolated(unsafe) static var armedFD: Int32 = -1

    static func arm(fd: Int32) {
        armedFD = fd
        for signal in [SIGTERM, SIGINT, SIGHUP] {
            var action = sigaction()
            action.__sigaction_handler.sa_handler = { signal in
                let fd = TerminalRestore.armedFD
                if fd >= 0 {
                    // ESC[0m ESC[?25h ESC[?1049l, from a tuple on the stack (no allocation in a handler).
                    var bytes: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                                UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) =
                        (0x1B, 0x5B, 0x30, 0x6D, 0x1B, 0x5B, 0x3F, 0x32, 0x35, 0x68, 0x1B, 0x5B, 0x3F, 0x31, 0x30, 0x34, 0x39, 0x6C, 0, 0)
                    _ = withUnsafeBytes(of: &bytes) { Glibc.write(fd, $0.baseAddress, 18) }
                }
                Glibc.signal(signal, SIG_DFL)
                raise(signal)
            }
            sigemptyset(&action.sa_mask)
            sigaction(signal, &action, nil)
        }
    }
}
