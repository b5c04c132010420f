import Foundation
import KioskConfig
import KioskRender
import KioskText

/// One thing wrong with the look `kiosk.toml` describes, named by its key (`display.strings.fa-IR.idle.title`).
public struct LookIssue: Sendable, Equatable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        /// A string key the screens do not have.
        case unknownString
        /// A string that is empty (or only spaces).
        case emptyString
        /// A string whose placeholders (`{name}`) are not the standard string's.
        case placeholdersChanged
        /// A file (logo, icon, font) that cannot be read.
        case unreadableFile
        /// A logo or icon that is not a PNG this display can decode.
        case notAPNG
        /// A font file FreeType cannot open.
        case notAFont
    }

    public let kind: Kind
    public let key: String
    public let message: String

    public var description: String { "\(key): \(message)" }
}

/// Why the configured look cannot be shown: every issue found, not just the first.
public struct LookError: Error, Sendable, Equatable, CustomStringConvertible {
    public let issues: [LookIssue]
    public var description: String { issues.map(\.description).joined(separator: "\n") }
}

extension LookFile {
    /// The look of `[display]` in `kiosk.toml` over the standard one, checked for what the
    /// configuration loader cannot know: string keys and their placeholders, that the logo and
    /// icons decode as PNG and that the fonts load. `readFile` reads a file's bytes.
    public static func configured(_ look: KioskConfiguration.Look,
                                  readFile: (String) throws -> [UInt8] = { [UInt8](try Data(contentsOf: URL(fileURLWithPath: $0))) })
        throws(LookError) -> LookFile
    {
        var issues: [LookIssue] = []
        var b = Branding.standard
        if let v = look.storeName { b.storeName = v }
        if let v = look.storeNameFa { b.storeNameFa = v }
        // Colours were checked for form by the loader; one that still does not parse is left standard.
        func color(_ name: String) -> Color? { look.colors[name].flatMap(Color.init(hex:)) }
        if let v = color("background_top") { b.backgroundTop = v }
        if let v = color("background_bottom") { b.backgroundBottom = v }
        if let v = color("surface") { b.surface = v }
        if let v = color("primary") { b.primary = v }
        if let v = color("accent") { b.accent = v }
        if let v = color("text") { b.text = v }
        if let v = color("muted_text") { b.mutedText = v }
        if let v = color("success") { b.success = v }
        if let v = color("danger") { b.danger = v }
        if let wheel = look.wheelColors?.compactMap(Color.init(hex:)), !wheel.isEmpty { b.wheel = wheel }

        var overrides: [DisplayLocale: [String: String]] = [:]
        for (name, strings) in look.strings.sorted(by: { $0.key < $1.key }) {
            guard let locale = DisplayLocale(rawValue: name) else { continue }  // the loader refused it
            for (key, text) in strings.sorted(by: { $0.key < $1.key }) {
                let where_ = "display.strings.\(name).\(key)"
                do {
                    _ = try StringCatalogue(overrides: [locale: [key: text]])
                    overrides[locale, default: [:]][key] = text
                } catch {
                    switch error {
                    case .unknownKey:
                        issues.append(LookIssue(kind: .unknownString, key: where_, message: "no such string on the screens"
                            + closest(key, among: StringKey.allCases.map(\.rawValue))))
                    case .emptyString: issues.append(LookIssue(kind: .emptyString, key: where_, message: "must not be empty"))
                    case let .placeholdersChanged(_, _, expected):
                        issues.append(LookIssue(kind: .placeholdersChanged, key: where_,
                            message: "must use exactly the placeholders " + (expected.isEmpty ? "(none)" : expected.map { "{\($0)}" }.joined(separator: " "))))
                    }
                }
            }
        }
        var catalogue = StringCatalogue.standard
        do { catalogue = try StringCatalogue(overrides: overrides) } catch {
            issues.append(LookIssue(kind: .unknownString, key: "display.strings", message: "\(error)"))
        }

        var images: [String: RGBAImage] = [:]
        func png(_ path: String, key: String) -> RGBAImage? {
            let bytes: [UInt8]
            do { bytes = try readFile(path) } catch {
                issues.append(LookIssue(kind: .unreadableFile, key: key, message: "cannot read \(path)"))
                return nil
            }
            do { return try PNGCodec.decode(bytes) } catch {
                issues.append(LookIssue(kind: .notAPNG, key: key, message: "\(path) is not a PNG image (\(error))"))
                return nil
            }
        }
        if let logo = look.logo, let image = png(logo, key: "display.logo") { images["logo"] = image }
        for (name, path) in look.icons.sorted(by: { $0.key < $1.key }) {
            if let image = png(path, key: "display.icons.\(name)") { images[name] = image }
        }

        var fonts = RenderFonts.standardPaths
        for (name, path) in look.fonts.sorted(by: { $0.key < $1.key }) {
            let key = "display.fonts.\(name)"
            do {
                _ = try FontFace(name: path, data: try readFile(path))
            } catch let error as TextError {
                issues.append(LookIssue(kind: .notAFont, key: key, message: "\(path) is not a font FreeType can open (\(error.detail))"))
                continue
            } catch {
                issues.append(LookIssue(kind: .unreadableFile, key: key, message: "cannot read \(path)"))
                continue
            }
            switch name {
            case "arabic_regular": fonts.arabicRegular = path
            case "arabic_bold": fonts.arabicBold = path
            case "latin_regular": fonts.latinRegular = path
            case "latin_bold": fonts.latinBold = path
            default: break  // the loader refused it
            }
        }
        guard issues.isEmpty else { throw LookError(issues: issues) }
        return LookFile(branding: b, strings: catalogue, fonts: fonts, images: images)
    }

    /// ", did you mean …?" for a near miss.
    static func closest(_ key: String, among known: [String]) -> String {
        func distance(_ a: [Character], _ b: [Character]) -> Int {
            var row = Array(0...b.count)
            for (i, x) in a.enumerated() {
                var previous = row[0]
                row[0] = i + 1
                for (j, y) in b.enumerated() {
                    let current = row[j + 1]
                    row[j + 1] = min(row[j + 1] + 1, row[j] + 1, previous + (x == y ? 0 : 1))
                    previous = current
                }
            }
            return row[b.count]
        }
        let best = known.map { ($0, distance(Array(key), Array($0))) }.min { $0.1 < $1.1 }
        guard let best, best.1 <= 3 else { return "" }
        return " (did you mean \(best.0)?)"
    }
}
