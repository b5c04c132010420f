import Foundation
import KioskRender

/// Reads the four fonts from disk; a missing or unreadable font is an error at start naming
/// the file (and the Debian package that carries the standard ones).
public enum FontFiles {
    public struct Missing: Error, CustomStringConvertible, Equatable {
        public let path: String
        public let reason: String
        public var description: String {
            "font \(path): \(reason) (the standard fonts come from the Debian packages fonts-noto-core and fonts-dejavu-core; "
                + "other paths are set in [display.fonts])"
        }
    }

    public static func load(_ paths: FontPaths = RenderFonts.standardPaths) throws -> RenderFonts {
        for path in paths.all where !FileManager.default.isReadableFile(atPath: path) {
            throw Missing(path: path, reason: FileManager.default.fileExists(atPath: path) ? "not readable" : "no such file")
        }
        do {
            return try RenderFonts(bytes: { path in [UInt8](try Data(contentsOf: URL(fileURLWithPath: path))) }, paths: paths)
        } catch let error as Missing {
            throw error
        } catch {
            throw Missing(path: "\(error)", reason: "not a usable font")
        }
    }
}
