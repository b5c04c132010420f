/// One application identifier's definition: its data field's components and whether it has a
/// predefined length (no FNC1 separator needed after it).
public struct ApplicationIdentifier: Sendable, Hashable {
    public struct Component: Sendable, Hashable {
        public enum CharacterSet: Sendable, Hashable { case numeric, cset82, cset39, cset64 }
        /// The dictionary's linters the kiosk applies (`GS1Linter`).
        public enum Check: String, Sendable, Hashable, CaseIterable {
            case checkDigit = "csum", dateDay0 = "yymmd0", date = "yymmdd", time = "hhmm"
            case nonZero = "nonzero", zero, winding, pieceOfTotal = "pieceoftotal", noZeroPrefix = "nozeroprefix"
            case percentEncoded = "pcenc", yesNo = "yesno", hyphen, importerIndex = "importeridx", mediaType = "mediatype"
            case latitude, longitude
            case country = "iso3166", countryList = "iso3166list", countryOr999 = "iso3166999", countryAlpha2 = "iso3166alpha2"
            case currency = "iso4217"
        }
        public let characters: CharacterSet
        public let minLength: Int
        public let maxLength: Int
        public let optional: Bool
        public let checks: [Check]
    }

    public let ai: String
    public let predefinedLength: Bool
    public let components: [Component]
    public let title: String
    /// Mandatory associations (`req=`): for each group, one AI matching one of its patterns must
    /// be in the same element string. Patterns are AIs where `n` stands for any digit (`31nn`).
    public let requires: [[String]]
    /// Invalid pairs (`ex=`): no other AI matching one of these patterns may be in the same
    /// element string (an AI is not exclusive of itself: `3103` with `ex=310n`).
    public let excludes: [String]
    /// The AI as a number (`code(of:)`) and the rules as compiled patterns, for the checks.
    let code: UInt64
    let requirePatterns: [[AIPattern]]
    let excludePatterns: [AIPattern]

    init(ai: String, predefinedLength: Bool, components: [Component], title: String, requires: [[String]], excludes: [String]) {
        self.ai = ai
        self.predefinedLength = predefinedLength
        self.components = components
        self.title = title
        self.requires = requires
        self.excludes = excludes
        code = AIPattern(ai).value
        requirePatterns = requires.map { $0.map(AIPattern.init) }
        excludePatterns = excludes.map(AIPattern.init)
    }

    public var maxLength: Int { components.reduce(0) { $0 + $1.maxLength } }

    /// The definition of `ai` (2 to 4 digits), or nil when the kiosk does not know it.
    public static func lookup(_ ai: String) -> ApplicationIdentifier? { table[ai] }

    /// The definition of the AI at the start of `digits`: AIs are prefix-free, so at most one of
    /// the 2-, 3- and 4-digit prefixes is one.
    static func prefix(of bytes: ArraySlice<UInt8>) -> ApplicationIdentifier? {
        var value = 0
        var i = bytes.startIndex
        for n in 1...4 {
            guard i < bytes.endIndex, bytes[i] >= 0x30, bytes[i] <= 0x39 else { return nil }
            value = value * 10 + Int(bytes[i] - 0x30)
            i += 1
            if n >= 2, let def = byNumber[n * 10_000 + value] { return def }
        }
        return nil
    }

    /// The table keyed by digit count × 10,000 + value ("01" is 20,001; "3103" is 43,103).
    static let byNumber: [Int: ApplicationIdentifier] = Dictionary(uniqueKeysWithValues: table.map { ai, def in
        (ai.count * 10_000 + Int(ai)!, def)
    })

    static let table: [String: ApplicationIdentifier] = {
        var table: [String: ApplicationIdentifier] = [:]
        for line in ApplicationIdentifierTable.source.split(separator: "\n") {
            let parts = line.split(separator: "#", maxSplits: 1)
            let title = parts.count > 1 ? parts[1].trimmingSpaces : ""
            var words = parts[0].split(separator: " ").map(String.init)
            let ais = words.removeFirst()
            let predefined = words.first == "*"
            if predefined { words.removeFirst() }
            let requires = words.filter { $0.hasPrefix("req=") }.map { $0.dropFirst(4).split(separator: ",").map(String.init) }
            let excludes = words.filter { $0.hasPrefix("ex=") }.flatMap { $0.dropFirst(3).split(separator: ",").map(String.init) }
            let components = words.filter { !$0.hasPrefix("req=") && !$0.hasPrefix("ex=") }.map(Self.component)
            for ai in expand(ais) {
                table[ai] = ApplicationIdentifier(ai: ai, predefinedLength: predefined, components: components, title: title,
                                                  requires: requires, excludes: excludes)
            }
        }
        return table
    }()

    /// Whether `ai` matches `pattern` (same length; `n` matches any digit).
    static func matches(_ pattern: String, _ ai: String) -> Bool {
        AIPattern(pattern).matches(AIPattern(ai).value)
    }

    private static func expand(_ ais: String) -> [String] {
        let ends = ais.split(separator: "-").map(String.init)
        guard ends.count == 2, let lo = Int(ends[0]), let hi = Int(ends[1]) else { return [ais] }
        return (lo...hi).map { String($0) }
    }

    private static func component(_ word: String) -> Component {
        var w = Substring(word)
        let optional = w.hasPrefix("[")
        if optional { w = w.dropFirst().dropLast() }
        let pieces = w.split(separator: ",")
        let spec = pieces[0]
        let set: Component.CharacterSet = switch spec.first {
        case "N": .numeric
        case "Y": .cset39
        case "Z": .cset64
        default: .cset82
        }
        let lengths = spec.dropFirst()
        let minLength: Int, maxLength: Int
        if lengths.hasPrefix("..") {
            minLength = 1
            maxLength = Int(lengths.dropFirst(2))!
        } else {
            minLength = Int(lengths)!
            maxLength = minLength
        }
        let checks = pieces.dropFirst().map { Component.Check(rawValue: String($0))! }
        return Component(characters: set, minLength: minLength, maxLength: maxLength, optional: optional, checks: checks)
    }
}

extension Substring {
    var trimmingSpaces: String {
        String(drop(while: { $0 == " " }).reversed().drop(while: { $0 == " " }).reversed())
    }
}

/// An AI or a pattern of AIs (`31nn`: `n` is any digit) as one number: the (at most four) ASCII
/// digits in the low bytes and the length above them; a pattern masks out its `n` positions. One
/// AND and one compare per match.
struct AIPattern: Sendable, Hashable {
    let value: UInt64
    let mask: UInt64

    init(_ text: String) {
        var value = UInt64(text.utf8.count) << 32, mask: UInt64 = 0xFF << 32
        for (i, c) in text.utf8.prefix(4).enumerated() where c != UInt8(ascii: "n") {
            value |= UInt64(c) << (8 * UInt64(i))
            mask |= 0xFF << (8 * UInt64(i))
        }
        self.value = value
        self.mask = mask
    }

    func matches(_ code: UInt64) -> Bool { code & mask == value }
}
