import Foundation
import KioskRender

/// What `kiosk render` does, without the argument parsing: a screen (sample data or a JSON
/// file of its documented shape) rendered at a size, rotation and frame, as PNG bytes.
public struct RenderRequest: Sendable {
    public var screen: Screen.Name
    public var locale: DisplayLocale
    public var width: Int
    public var height: Int
    public var rotation: Rotation
    public var frame: Int
    public var dataFile: String?

    public init(screen: Screen.Name, locale: DisplayLocale, width: Int, height: Int, rotation: Rotation = .none,
                frame: Int = 0, dataFile: String? = nil) {
        self.screen = screen; self.locale = locale; self.width = width; self.height = height
        self.rotation = rotation; self.frame = frame; self.dataFile = dataFile
    }

    public enum Failure: Error, CustomStringConvertible {
        case dataUnreadable(String, String)
        case dataInvalid(String, String)

        public var description: String {
            switch self {
            case let .dataUnreadable(path, reason): "data file \(path): \(reason)"
            case let .dataInvalid(path, reason): "data file \(path): \(reason)"
            }
        }
    }

    /// Parses `WxH`.
    public static func parseSize(_ text: String) -> (Int, Int)? {
        let parts = text.lowercased().split(separator: "x")
        guard parts.count == 2, let w = Int(parts[0]), let h = Int(parts[1]), (16...8192).contains(w), (16...8192).contains(h)
        else { return nil }
        return (w, h)
    }

    public func screenValue() throws -> Screen {
        guard let dataFile else { return Screen.sample(screen, locale: locale) }
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: dataFile)) } catch {
            throw Failure.dataUnreadable(dataFile, (error as NSError).localizedDescription)
        }
        do { return try Screen.decode(screen, json: data) } catch {
            throw Failure.dataInvalid(dataFile, "\(error)")
        }
    }

    /// The picture as the panel receives it: laid out at the size people see (`width`×`height`),
    /// then turned by the rotation.
    public func render(with renderer: Renderer) throws -> Canvas {
        let frame = Frame(screen: try screenValue(), locale: locale, width: width, height: height,
                          time: Double(self.frame) / Frame.framesPerSecond)
        return renderer.render(frame).rotated(rotation)
    }
}
