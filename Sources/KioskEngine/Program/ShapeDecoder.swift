/// The decoder of `ShapeWalk`: reads a `JSONValue` tree and never stops at a problem. Keyed and
/// list containers record a missing key or a wrong type and return a stand-in; the single-value
/// container throws `typeMismatch` so that a type's own `init(from:)` may try another type first
/// (as `Percent` does), and `ShapeWalk.decode` records what it finally throws.
///
/// `quiet` is set below a value already reported (missing, or of the wrong type): what is under
/// it is made of stand-ins and not reported again.
struct ShapeDecoder: Decoder {
    let walk: ShapeWalk
    let value: JSONValue?
    let codingPath: [any CodingKey]
    let quiet: Bool
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        if case .object(let fields) = value {
            walk.sawObject(codingPath, keys: fields.keys)
            return KeyedDecodingContainer(ShapeKeyedContainer<Key>(walk: walk, fields: fields, codingPath: codingPath, quiet: quiet))
        }
        if !quiet, value != nil { walk.mismatch(codingPath, "an object", value) }
        return KeyedDecodingContainer(ShapeKeyedContainer<Key>(walk: walk, fields: [:], codingPath: codingPath, quiet: true))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        if case .array(let elements) = value {
            return ShapeUnkeyedContainer(walk: walk, elements: elements, codingPath: codingPath, quiet: quiet)
        }
        if !quiet, value != nil { walk.mismatch(codingPath, "a list", value) }
        return ShapeUnkeyedContainer(walk: walk, elements: [], codingPath: codingPath, quiet: true)
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer {
        ShapeSingleValueContainer(walk: walk, value: value, codingPath: codingPath, quiet: quiet)
    }
}

struct ShapeIndexKey: CodingKey {
    var stringValue: String { "\(index)" }
    var intValue: Int? { index }
    let index: Int
    init(_ index: Int) { self.index = index }
    init?(stringValue: String) { nil }
    init?(intValue: Int) { index = intValue }
}

struct ShapeKeyedContainer<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let walk: ShapeWalk
    let fields: [String: JSONValue]
    let codingPath: [any CodingKey]
    let quiet: Bool

    var allKeys: [Key] {
        fields.keys.sorted().compactMap { name in
            walk.read(codingPath, name)
            return Key(stringValue: name)
        }
    }

    func contains(_ key: Key) -> Bool {
        walk.read(codingPath, key.stringValue)
        return fields[key.stringValue] != nil
    }

    func decodeNil(forKey key: Key) throws -> Bool {
        walk.read(codingPath, key.stringValue)
        guard let field = fields[key.stringValue] else { return true }
        return field == .null
    }

    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
        walk.read(codingPath, key.stringValue)
        guard let field = fields[key.stringValue] else {
            if !quiet { walk.report(codingPath, "missing key \"\(key.stringValue)\"") }
            return try walk.decode(type, from: nil, at: codingPath + [key], quiet: true)
        }
        return try walk.decode(type, from: field, at: codingPath + [key], quiet: quiet)
    }

    func decodeIfPresent<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T? {
        walk.read(codingPath, key.stringValue)
        guard let field = fields[key.stringValue], field != .null else { return nil }
        do {
            return try walk.decode(type, from: field, at: codingPath + [key], quiet: quiet)
        } catch is ShapeWalkAbandoned {
            return nil
        }
    }

    func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws -> KeyedDecodingContainer<NestedKey> {
        try decoder(for: key).container(keyedBy: type)
    }

    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
        try decoder(for: key).unkeyedContainer()
    }

    func superDecoder() throws -> any Decoder {
        ShapeDecoder(walk: walk, value: .object(fields), codingPath: codingPath, quiet: quiet)
    }

    func superDecoder(forKey key: Key) throws -> any Decoder {
        decoder(for: key)
    }

    private func decoder(for key: Key) -> ShapeDecoder {
        walk.read(codingPath, key.stringValue)
        let field = fields[key.stringValue]
        if field == nil, !quiet { walk.report(codingPath, "missing key \"\(key.stringValue)\"") }
        return ShapeDecoder(walk: walk, value: field, codingPath: codingPath + [key], quiet: quiet || field == nil)
    }
}

struct ShapeUnkeyedContainer: UnkeyedDecodingContainer {
    let walk: ShapeWalk
    let elements: [JSONValue]
    let codingPath: [any CodingKey]
    let quiet: Bool
    var currentIndex = 0

    init(walk: ShapeWalk, elements: [JSONValue], codingPath: [any CodingKey], quiet: Bool) {
        self.walk = walk
        self.elements = elements
        self.codingPath = codingPath
        self.quiet = quiet
    }

    var count: Int? { elements.count }
    var isAtEnd: Bool { currentIndex >= elements.count }

    private mutating func next() -> (JSONValue?, [any CodingKey]) {
        let path = codingPath + [ShapeIndexKey(currentIndex)]
        guard !isAtEnd else { return (nil, path) }
        defer { currentIndex += 1 }
        return (elements[currentIndex], path)
    }

    mutating func decodeNil() throws -> Bool {
        guard !isAtEnd else { return true }
        if elements[currentIndex] == .null {
            currentIndex += 1
            return true
        }
        return false
    }

    mutating func decode<T: Decodable>(_ type: T.Type) throws -> T {
        let (element, path) = next()
        do {
            return try walk.decode(type, from: element, at: path, quiet: quiet)
        } catch {
            // This element has no stand-in: check the rest of the list before giving it up.
            while !isAtEnd {
                let (rest, restPath) = next()
                _ = try? walk.decode(type, from: rest, at: restPath, quiet: quiet)
            }
            throw error
        }
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws -> KeyedDecodingContainer<NestedKey> {
        let (element, path) = next()
        return try ShapeDecoder(walk: walk, value: element, codingPath: path, quiet: quiet).container(keyedBy: type)
    }

    mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer {
        let (element, path) = next()
        return try ShapeDecoder(walk: walk, value: element, codingPath: path, quiet: quiet).unkeyedContainer()
    }

    mutating func superDecoder() throws -> any Decoder {
        let (element, path) = next()
        return ShapeDecoder(walk: walk, value: element, codingPath: path, quiet: quiet)
    }
}

struct ShapeSingleValueContainer: SingleValueDecodingContainer {
    let walk: ShapeWalk
    let value: JSONValue?
    let codingPath: [any CodingKey]
    let quiet: Bool

    func decodeNil() -> Bool { value == nil || value == .null }

    func decode<T: Decodable>(_ type: T.Type) throws -> T {
        if quiet || value == nil {
            return try walk.decode(type, from: value, at: codingPath, quiet: true)
        }
        // Probe quietly: a type's own init(from:) may try another type next.
        let probe = ShapeWalk()
        if let primitive: T = probe.primitive(type, from: value, at: codingPath, quiet: false) {
            if let problem = probe.issues.first {
                throw DecodingError.typeMismatch(type, .init(codingPath: codingPath, debugDescription: problem.problem))
            }
            return primitive
        }
        return try walk.decode(type, from: value, at: codingPath, quiet: false)
    }
}
