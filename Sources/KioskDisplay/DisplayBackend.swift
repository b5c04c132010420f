import KioskRender

/// What the appliance needs of a display, whichever backend runs: its size as people see it,
/// and presenting a frame of which only `dirty` changed since the last one.
public protocol DisplayBackend: AnyObject {
    /// The size frames are drawn at (the panel's size after rotation).
    var size: (width: Int, height: Int) { get }
    /// Shows the frame; only `dirty` (in frame coordinates) differs from the frame shown before.
    func present(_ frame: Canvas, dirty: PixelRect) throws(DisplayError)
    /// Gives the screen back (console mode, cursor, alternate screen).
    func close()
}

public struct DisplayError: Error, Equatable, Sendable, CustomStringConvertible {
    public enum Code: Sendable, Equatable { case open, ioctl, map, unsupportedFormat, sizeMismatch, write }
    public let code: Code
    public let detail: String
    public let errno: Int32

    public init(_ code: Code, _ detail: String, errno: Int32 = 0) { self.code = code; self.detail = detail; self.errno = errno }

    public var description: String {
        errno == 0 ? "display: \(detail)" : "display: \(detail) (errno \(errno): \(String(cString: strerror(errno))))"
    }
}

#if canImport(Glibc)
import Glibc
#endif
