#if canImport(Glibc)
import Glibc
#endif
import KioskRender

/// What `kiosk diag terminal` does: a screen shown in the terminal on `fd`, animated for `seconds`
/// (the wheel spins), the size re-read every frame so that a resize redraws, then held.
public struct TerminalShow {
    public let renderer: Renderer
    public let screen: Screen
    public let locale: DisplayLocale
    public let colors: TerminalColors

    public init(renderer: Renderer, screen: Screen, locale: DisplayLocale, colors: TerminalColors) {
        self.renderer = renderer; self.screen = screen; self.locale = locale; self.colors = colors
    }

    /// One frame as cells for a terminal of this size.
    public func grid(columns: Int, rows: Int, time: Double) -> CellGrid {
        let (w, h) = CellGrid.pixelSize(columns: columns, rows: rows)
        let (picture, text) = renderer.renderForTerminal(Frame(screen: screen, locale: locale, width: w, height: h, time: time))
        return CellGrid(columns: columns, rows: rows, picture: picture, text: text)
    }

    public func run(fd: Int32, seconds: Double, fps: Double = 20) -> (frames: Int, bytes: Int) {
        guard var size = TerminalBackend.size(fd: fd) else { return (0, 0) }
        let backend = TerminalBackend(columns: size.columns, rows: size.rows, colors: colors, write: TerminalBackend.writer(fd: fd))
        backend.start(restoreOnSignal: fd)
        defer { backend.close() }
        var frames = 0, bytes = 0
        let count = max(1, Int(seconds * fps))
        for n in 0..<count {
            if let now = TerminalBackend.size(fd: fd), now != size {
                size = now
                backend.resize(columns: now.columns, rows: now.rows)
            }
            backend.present(grid(columns: size.columns, rows: size.rows, time: Double(n) / fps))
            frames += 1
            bytes += backend.lastFrameBytes
            if n + 1 < count { usleep(UInt32(1_000_000 / fps)) }
        }
        return (frames, bytes)
    }
}
