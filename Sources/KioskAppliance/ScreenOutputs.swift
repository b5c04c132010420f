#if canImport(Glibc)
import Glibc
#endif
import KioskDisplay
import KioskRender

/// Where the appliance's frames go: a terminal, a framebuffer, or nowhere (a kiosk with no
/// display still serves taps and logs them).
public protocol ScreenOutput: AnyObject {
    /// A short description for the log and diagnostics.
    var summary: String { get }
    func show(_ screen: Screen, time: Double) throws(DisplayError)
    /// Gives the display back (the terminal's own screen, the console).
    func close()
}

/// A terminal (the alternate screen, cells that changed only); the size is read again for every
/// frame, so a resized window is drawn whole at its new size.
public final class TerminalOutput: ScreenOutput {
    let renderer: Renderer
    let locale: DisplayLocale
    let fd: Int32
    let backend: TerminalBackend

    public init?(renderer: Renderer, locale: DisplayLocale, fd: Int32, colors: TerminalColors) {
        guard let size = TerminalBackend.size(fd: fd) else { return nil }
        self.renderer = renderer
        self.locale = locale
        self.fd = fd
        backend = TerminalBackend(columns: size.columns, rows: size.rows, colors: colors, write: TerminalBackend.writer(fd: fd))
        backend.start(restoreOnSignal: fd)
    }

    public var summary: String { "terminal \(backend.columns)x\(backend.rows) (\(backend.colors.rawValue))" }

    public func show(_ screen: Screen, time: Double) throws(DisplayError) {
        if let size = TerminalBackend.size(fd: fd), size.columns != backend.columns || size.rows != backend.rows {
            backend.resize(columns: size.columns, rows: size.rows)
        }
        let show = TerminalShow(renderer: renderer, screen: screen, locale: locale, colors: backend.colors)
        backend.present(show.grid(columns: backend.columns, rows: backend.rows, time: time))
    }

    public func close() { backend.close() }
}

/// A framebuffer (a device, or a file for tests and previews).
public final class FramebufferOutput: ScreenOutput {
    let renderer: Renderer
    let locale: DisplayLocale
    public let backend: FramebufferBackend

    public init(renderer: Renderer, locale: DisplayLocale, backend: FramebufferBackend) {
        self.renderer = renderer
        self.locale = locale
        self.backend = backend
    }

    public var summary: String { "framebuffer \(backend.size.width)x\(backend.size.height)" }

    public func show(_ screen: Screen, time: Double) throws(DisplayError) {
        let (width, height) = backend.size
        let frame = renderer.render(Frame(screen: screen, locale: locale, width: width, height: height, time: time))
        try backend.present(frame, dirty: frame.bounds)
    }

    public func close() {}
}
