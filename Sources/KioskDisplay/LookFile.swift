import Foundation
import KioskRender

/// A business's look for previews (`kiosk render --look FILE`): colours, names, a logo, fonts
/// and its own strings, as JSON. Every field is optional; what is left out stays standard.
///
/// ```json
/// {"storeName": "Golestan", "storeNameFa": "گلستان", "primary": "#2EC4B6", "accent": "#FFB703",
///  "backgroundTop": "#123A5E", "backgroundBottom": "#07172A", "wheel": ["#E63946", "#F4A261"],
///  "logo": "kiosk/assets/logo.png",
///  "fonts": {"arabicRegular": "/usr/share/fonts/truetype/noto/NotoNaskhArabic-Regular.ttf", …},
///  "strings": {"fa-IR": {"idle.title": "کارتتان را بزنید"}, "en": {"idle.title": "Tap here"}}}
/// ```
public struct LookFile: Sendable {
    public var branding: Branding
    public var strings: StringCatalogue
    public var fonts: FontPaths
    public var images: [String: RGBAImage]

    struct Shape: Decodable {
        var storeName, storeNameFa: String?
        var backgroundTop, backgroundBottom, surface, primary, accent, text, mutedText, success, danger: Color?
        var wheel: [Color]?
        var logo: String?
        var fonts: FontPaths?
        var strings: [String: [String: String]]?
    }

    public struct Failure: Error, CustomStringConvertible {
        public let message: String
        public var description: String { message }
    }

    public static let standard = LookFile(branding: .standard, strings: .standard, fonts: RenderFonts.standardPaths, images: [:])

    public static func load(_ path: String) throws -> LookFile {
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
            throw Failure(message: "look file \(path): cannot read it")
        }
        let shape: Shape
        do { shape = try JSONDecoder().decode(Shape.self, from: data) } catch {
            throw Failure(message: "look file \(path): \(error)")
        }
        var b = Branding.standard
        if let v = shape.storeName { b.storeName = v }
        if let v = shape.storeNameFa { b.storeNameFa = v }
        if let v = shape.backgroundTop { b.backgroundTop = v }
        if let v = shape.backgroundBottom { b.backgroundBottom = v }
        if let v = shape.surface { b.surface = v }
        if let v = shape.primary { b.primary = v }
        if let v = shape.accent { b.accent = v }
        if let v = shape.text { b.text = v }
        if let v = shape.mutedText { b.mutedText = v }
        if let v = shape.success { b.success = v }
        if let v = shape.danger { b.danger = v }
        if let v = shape.wheel {
            guard !v.isEmpty else { throw Failure(message: "look file \(path): wheel needs at least one colour") }
            b.wheel = v
        }
        var overrides: [DisplayLocale: [String: String]] = [:]
        for (name, strings) in shape.strings ?? [:] {
            guard let locale = DisplayLocale(rawValue: name) else { throw Failure(message: "look file \(path): strings for unknown locale \(name)") }
            overrides[locale] = strings
        }
        let catalogue: StringCatalogue
        do { catalogue = try StringCatalogue(overrides: overrides) } catch {
            throw Failure(message: "look file \(path): \(error)")
        }
        var images: [String: RGBAImage] = [:]
        if let logo = shape.logo {
            do { images["logo"] = try PNGCodec.decode([UInt8](try Data(contentsOf: URL(fileURLWithPath: logo)))) } catch {
                throw Failure(message: "look file \(path): logo \(logo): \(error)")
            }
        }
        return LookFile(branding: b, strings: catalogue, fonts: shape.fonts ?? RenderFonts.standardPaths, images: images)
    }
}
