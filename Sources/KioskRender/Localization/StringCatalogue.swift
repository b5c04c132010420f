/// Every string the screens show, in Persian and English, each overridable by the business
/// (configuration `[display.strings.fa-IR]` / `[display.strings.en]`). Placeholders are `{name}`.
public struct StringCatalogue: Sendable {
    private var table: [DisplayLocale: [StringKey: String]]

    /// The built-in strings.
    public static let standard = StringCatalogue(table: [.faIR: StringKey.persian, .en: StringKey.english])

    /// A catalogue with the business's overrides applied, checked: an unknown key, an empty
    /// string or a changed set of placeholders is an error naming the key.
    public init(overrides: [DisplayLocale: [String: String]]) throws(CatalogueError) {
        self = .standard
        for (locale, strings) in overrides {
            for (name, value) in strings {
                guard let key = StringKey(rawValue: name) else { throw .unknownKey(locale: locale, key: name) }
                guard !value.trimmingCharactersInWhitespace.isEmpty else { throw .emptyString(locale: locale, key: name) }
                let standard = Self.standard.table[locale]![key]!
                guard Self.placeholders(value) == Self.placeholders(standard) else {
                    throw .placeholdersChanged(locale: locale, key: name, expected: Self.placeholders(standard).sorted())
                }
                table[locale]![key] = value
            }
        }
    }

    private init(table: [DisplayLocale: [StringKey: String]]) { self.table = table }

    /// Keys without a string in a locale (none in the standard catalogue: a test checks).
    public func missing(in locale: DisplayLocale) -> [StringKey] {
        StringKey.allCases.filter { table[locale]?[$0] == nil }
    }

    public func text(_ key: StringKey, _ locale: DisplayLocale, _ values: [String: String] = [:]) -> String {
        var text = table[locale]?[key] ?? key.rawValue
        for (name, value) in values { text = text.replacingAll("{\(name)}", with: value) }
        return text
    }

    static func placeholders(_ text: String) -> Set<String> {
        var result: Set<String> = []
        var rest = Substring(text)
        while let open = rest.firstIndex(of: "{"), let close = rest[open...].firstIndex(of: "}") {
            result.insert(String(rest[rest.index(after: open)..<close]))
            rest = rest[rest.index(after: close)...]
        }
        return result
    }
}

public enum CatalogueError: Error, Equatable, Sendable, CustomStringConvertible {
    case unknownKey(locale: DisplayLocale, key: String)
    case emptyString(locale: DisplayLocale, key: String)
    case placeholdersChanged(locale: DisplayLocale, key: String, expected: [String])

    public var description: String {
        switch self {
        case let .unknownKey(locale, key): "display string \(locale.rawValue).\(key): no such string"
        case let .emptyString(locale, key): "display string \(locale.rawValue).\(key): empty"
        case let .placeholdersChanged(locale, key, expected):
            "display string \(locale.rawValue).\(key): must use exactly the placeholders \(expected.map { "{\($0)}" }.joined(separator: " "))"
        }
    }
}

extension String {
    var trimmingCharactersInWhitespace: Substring {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }) else { return "" }
        let last = scalars.lastIndex(where: { !$0.properties.isWhitespace })!
        return Substring(scalars[first...last])
    }

    func replacingAll(_ target: String, with replacement: String) -> String {
        guard !target.isEmpty else { return self }
        var result = ""
        var rest = Substring(self)
        while let range = rest.range(of: target) {
            result += rest[..<range.lowerBound]
            result += replacement
            rest = rest[range.upperBound...]
        }
        return result + rest
    }
}

extension Substring {
    func range(of target: String) -> Range<Substring.Index>? {
        var index = startIndex
        while index < endIndex {
            if self[index...].hasPrefix(target) { return index..<self.index(index, offsetBy: target.count) }
            index = self.index(after: index)
        }
        return nil
    }
}
