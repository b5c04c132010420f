/// A GS1 element string: application identifiers and their values, read from the data of a GS1
/// symbol (GS1-128, GS1 DataMatrix, GS1 QR, GS1 DataBar) or from its human-readable form
/// `(01)09520123456788(10)ABC`.
///
/// In the symbol's data, FNC1 is transmitted as GS (0x1D): a leading one (the symbol's FNC1 in
/// first position, when the scanner sends it) and a trailing one are ignored, and one separates
/// an element of variable length from the next. An element of predefined length needs no
/// separator (a superfluous one after it is tolerated).
public struct GS1ElementString: Sendable, Hashable {
    public struct Element: Sendable, Hashable {
        public let ai: String
        public let value: String
        public let title: String
    }

    public let elements: [Element]

    /// The first value of `ai`, if present.
    public subscript(ai: String) -> String? { elements.first { $0.ai == ai }?.value }

    /// The GTIN (AI 01), if present.
    public var gtin: String? { self["01"] }

    /// `(01)09520123456788(10)ABC`.
    public var humanReadable: String { elements.map { "(\($0.ai))\($0.value)" }.joined() }

    static let gs: UInt8 = 0x1D
    /// Longer data is refused before it is read (`gs1.length`).
    public static let maxBytes = 4_096

    /// Parses the data of a GS1 symbol (FNC1 as GS). With `associations` (the default), the
    /// dictionary's cross-AI rules are checked too (`GS1Associations`): without it, only each
    /// element on its own — for data that is one of several symbols on an item, whose rules
    /// hold only over all of them.
    public init<C: Collection>(data: C, associations: Bool = true) throws(ScanError) where C.Element == UInt8 {
        let bytes = Array(data)
        guard bytes.count <= Self.maxBytes else { throw ScanError(.gs1Length, "more than \(Self.maxBytes) bytes") }
        var i = 0
        while i < bytes.count, bytes[i] == Self.gs { i += 1 }
        var elements: [Element] = []
        var defs: [ApplicationIdentifier] = []
        while i < bytes.count {
            guard let def = ApplicationIdentifier.prefix(of: bytes[i...]) else {
                throw ScanError(.gs1UnknownAI, "no known application identifier at byte \(i)")
            }
            i += def.ai.utf8.count
            let end: Int
            if def.predefinedLength {
                end = i + def.maxLength
                guard end <= bytes.count else { throw ScanError(.gs1Truncated, "(\(def.ai)) needs \(def.maxLength) characters") }
                if let gs = bytes[i..<end].firstIndex(of: Self.gs) {
                    throw ScanError(.gs1Length, "(\(def.ai)) is \(gs - i) characters, needs \(def.maxLength)")
                }
            } else {
                end = bytes[i...].firstIndex(of: Self.gs) ?? bytes.count
            }
            elements.append(try Self.element(def, bytes[i..<end]))
            defs.append(def)
            i = end
            while i < bytes.count, bytes[i] == Self.gs {
                i += 1
                // Two separators in a row (or one at the end followed by data) is no element string.
                if i < bytes.count, bytes[i] == Self.gs { throw ScanError(.gs1Syntax, "empty element at byte \(i)") }
            }
        }
        guard !elements.isEmpty else { throw ScanError(.empty, "no element") }
        try self.init(checked: elements, defs, associations: associations)
    }

    /// Parses the human-readable form: `(AI)value` repeated. A value cannot contain `(`.
    public init(humanReadable text: String, associations: Bool = true) throws(ScanError) {
        let bytes = Array(text.utf8)
        guard bytes.count <= Self.maxBytes else { throw ScanError(.gs1Length, "more than \(Self.maxBytes) bytes") }
        guard bytes.first == UInt8(ascii: "(") else { throw ScanError(.gs1Syntax, "does not start with (") }
        var elements: [Element] = []
        var defs: [ApplicationIdentifier] = []
        var i = 0
        while i < bytes.count {
            guard bytes[i] == UInt8(ascii: "("), let close = bytes[i...].firstIndex(of: UInt8(ascii: ")")) else {
                throw ScanError(.gs1Syntax, "expected (AI) at byte \(i)")
            }
            let ai = String(decoding: bytes[(i + 1)..<close], as: UTF8.self)
            guard let def = ApplicationIdentifier.lookup(ai) else { throw ScanError(.gs1UnknownAI, "unknown application identifier") }
            let end = bytes[(close + 1)...].firstIndex(of: UInt8(ascii: "(")) ?? bytes.count
            elements.append(try Self.element(def, bytes[(close + 1)..<end]))
            defs.append(def)
            i = end
        }
        try self.init(checked: elements, defs, associations: associations)
    }

    private init(checked elements: [Element], _ defs: [ApplicationIdentifier], associations: Bool) throws(ScanError) {
        // A repeated AI must repeat its value: pairs compared by the AIs' numbers (a handful of
        // elements; a dictionary above 16).
        if elements.count <= 16 {
            for j in elements.indices {
                for k in elements.indices where k < j && defs[k].code == defs[j].code && elements[k].value != elements[j].value {
                    throw ScanError(.gs1Duplicate, "(\(elements[j].ai)) twice with different values")
                }
            }
        } else {
            var seen: [String: String] = [:]
            for e in elements {
                if let other = seen[e.ai], other != e.value { throw ScanError(.gs1Duplicate, "(\(e.ai)) twice with different values") }
                seen[e.ai] = e.value
            }
        }
        if associations { try GS1Associations.check(defs) }
        self.elements = elements
    }

    private static func element(_ def: ApplicationIdentifier, _ value: ArraySlice<UInt8>) throws(ScanError) -> Element {
        guard !value.isEmpty else { throw ScanError(.gs1Length, "(\(def.ai)) has no data") }
        guard value.count <= def.maxLength else {
            throw ScanError(.gs1Length, "(\(def.ai)) is \(value.count) characters, at most \(def.maxLength)")
        }
        var rest = value
        for component in def.components {
            if rest.isEmpty {
                if component.optional { break }
                throw ScanError(.gs1Length, "(\(def.ai)) is too short")
            }
            let take = component.minLength == component.maxLength ? component.maxLength : min(rest.count, component.maxLength)
            guard rest.count >= take else { throw ScanError(.gs1Length, "(\(def.ai)) is too short") }
            let part = rest.prefix(take)
            try check(part, component, ai: def.ai)
            rest = rest.dropFirst(take)
        }
        guard rest.isEmpty else { throw ScanError(.gs1Length, "(\(def.ai)) is too long") }
        return Element(ai: def.ai, value: String(decoding: value, as: UTF8.self), title: def.title)
    }

    private static func check(_ part: ArraySlice<UInt8>, _ c: ApplicationIdentifier.Component, ai: String) throws(ScanError) {
        guard part.allSatisfy({ GS1Characters.contains($0, c.characters) }) else {
            throw ScanError(.gs1Charset, "(\(ai)) has a character outside its set")
        }
        for check in c.checks {
            if let error = GS1Linter.check(check, part, ai: ai) { throw error }
        }
    }
}
