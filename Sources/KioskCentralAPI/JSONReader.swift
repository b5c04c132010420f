// Written by hand (not generated): JSON read byte by byte into `JSONValue`, for the event bodies
// of a batch upload on both sides.
//
// Decoding a `JSONObject` through Codable cannot ask which kind of value comes next: each kind is
// tried in turn and every mismatch throws a `DecodingError` (BENCHMARKS.md, sync section). This
// reader looks at the next byte instead. It reads what RFC 8259 allows and nothing else, and
// gives the tree `JSONDecoder` gives for the same text: integers that fit 64 bits stay integers,
// other numbers are doubles, a key given twice keeps its first value. It is stricter than
// JSONDecoder in one way: a trailing comma (`[1,]`, `{"a":1,}`), which JSONDecoder lets
// through, is refused, as RFC 8259 says.
import Foundation

/// Why a text is not the JSON expected, with the byte offset where reading stopped.
public struct JSONReadError: Error, Sendable, Hashable, CustomStringConvertible {
    public var offset: Int
    public var message: String

    public init(offset: Int, message: String) {
        self.offset = offset
        self.message = message
    }

    public var description: String { "\(message) (at byte \(offset))" }
}

/// A reader over UTF-8 bytes. The value methods read one value at the cursor and leave the
/// cursor after it; `finish()` checks that only whitespace follows.
public struct JSONReader: ~Copyable {
    /// Deeper nesting is refused (JSONDecoder's own limit), so hostile input cannot exhaust the stack.
    public static let maxDepth = 512

    let bytes: UnsafeRawBufferPointer
    public private(set) var index = 0
    private var depth = 0

    public init(_ bytes: UnsafeRawBufferPointer) { self.bytes = bytes }

    /// Reads `bytes` as one JSON object and nothing after it.
    public static func object(_ bytes: some ContiguousBytes) throws(JSONReadError) -> JSONObject {
        let result: Result<JSONObject, JSONReadError> = bytes.withUnsafeBytes { raw in
            var reader = JSONReader(raw)
            do throws(JSONReadError) {
                reader.skipWhitespace()
                let object = try reader.readObject()
                try reader.finish()
                return .success(object)
            } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }

    /// Reads `bytes` as one JSON value and nothing after it.
    public static func value(_ bytes: some ContiguousBytes) throws(JSONReadError) -> JSONValue {
        let result: Result<JSONValue, JSONReadError> = bytes.withUnsafeBytes { raw in
            var reader = JSONReader(raw)
            do throws(JSONReadError) {
                let value = try reader.readValue()
                try reader.finish()
                return .success(value)
            } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }

    /// Whether `bytes` are one JSON object and nothing after it (checked as `object` reads it,
    /// without keeping the values).
    public static func isObject(_ bytes: some ContiguousBytes) -> Bool {
        bytes.withUnsafeBytes { raw in
            var reader = JSONReader(raw)
            guard reader.peek() == 0x7B, (try? reader.skipValue()) != nil, (try? reader.finish()) != nil else { return false }
            return true
        }
    }

    // MARK: Cursor

    func fail(_ message: String) -> JSONReadError { JSONReadError(offset: index, message: message) }

    public var atEnd: Bool { index >= bytes.count }

    /// The next byte that is not whitespace, without taking it; nil at the end.
    public mutating func peek() -> UInt8? {
        skipWhitespace()
        return index < bytes.count ? bytes[index] : nil
    }

    public mutating func skipWhitespace() {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x09, 0x0A, 0x0D: index += 1
            default: return
            }
        }
    }

    /// Takes `byte` (after whitespace) or fails saying what was expected.
    public mutating func expect(_ byte: UInt8, _ what: @autoclosure () -> String) throws(JSONReadError) {
        guard peek() == byte else { throw fail("expected \(what())") }
        index += 1
    }

    /// Takes `byte` if it is next (after whitespace).
    public mutating func take(_ byte: UInt8) -> Bool {
        guard peek() == byte else { return false }
        index += 1
        return true
    }

    public mutating func finish() throws(JSONReadError) {
        skipWhitespace()
        guard index == bytes.count else { throw fail("unexpected text after the JSON value") }
    }

    // MARK: Values

    public mutating func readValue() throws(JSONReadError) -> JSONValue {
        guard let next = peek() else { throw fail("unexpected end of the JSON text") }
        switch next {
        case 0x22: return .string(try readString())
        case 0x7B: return .object(try readObject())
        case 0x5B: return .array(try readArray())
        case 0x74: try literal("true"); return .bool(true)
        case 0x66: try literal("false"); return .bool(false)
        case 0x6E: try literal("null"); return .null
        case 0x2D, 0x30...0x39: return try readNumber()
        default: throw fail("unexpected character")
        }
    }

    /// Reads an object whose members are each read by `member` (given the key; it must read
    /// exactly one value). A key given again is skipped, its value checked: JSONDecoder keeps
    /// the first. `readObject()` is this with every value kept.
    public mutating func readObject(_ member: (inout JSONReader, String) throws(JSONReadError) -> Void) throws(JSONReadError) {
        try expect(0x7B, "an object")
        depth += 1
        guard depth <= Self.maxDepth else { throw fail("nested more than \(Self.maxDepth) deep") }
        if !take(0x7D) {
            var keys: [String] = []
            repeat {
                guard peek() == 0x22 else { throw fail("expected a key") }
                let key = try readString()
                try expect(0x3A, "':' after a key")
                if keys.contains(key) {
                    _ = try skipValue()
                } else {
                    keys.append(key)
                    try member(&self, key)
                }
            } while take(0x2C)
            try expect(0x7D, "',' or '}' in an object")
        }
        depth -= 1
    }

    public mutating func readObject() throws(JSONReadError) -> JSONObject {
        var members: [String: JSONValue] = [:]
        try readObject { (reader: inout JSONReader, key: String) throws(JSONReadError) in
            members[key] = try reader.readValue()
        }
        return JSONObject(members)
    }

    /// Reads an array whose elements are each read by `element` (it must read exactly one value).
    public mutating func readArray(_ element: (inout JSONReader) throws(JSONReadError) -> Void) throws(JSONReadError) {
        try expect(0x5B, "an array")
        depth += 1
        guard depth <= Self.maxDepth else { throw fail("nested more than \(Self.maxDepth) deep") }
        if !take(0x5D) {
            repeat { try element(&self) } while take(0x2C)
            try expect(0x5D, "',' or ']' in an array")
        }
        depth -= 1
    }

    public mutating func readArray() throws(JSONReadError) -> [JSONValue] {
        var values: [JSONValue] = []
        try readArray { (reader: inout JSONReader) throws(JSONReadError) in values.append(try reader.readValue()) }
        return values
    }

    /// Skips one value, checking it as `readValue` would, and returns the range of its bytes.
    public mutating func skipValue() throws(JSONReadError) -> Range<Int> {
        skipWhitespace()
        let start = index
        switch peek() ?? 0 {
        case 0x7B: try readObject { (reader: inout JSONReader, _: String) throws(JSONReadError) in _ = try reader.skipValue() }
        case 0x5B: try readArray { (reader: inout JSONReader) throws(JSONReadError) in _ = try reader.skipValue() }
        case 0x22: try skipString()
        default: _ = try readValue()
        }
        return start..<index
    }

    private mutating func literal(_ word: StaticString) throws(JSONReadError) {
        let count = word.utf8CodeUnitCount
        guard bytes.count - index >= count else { throw fail("unexpected end of the JSON text") }
        let matches = word.withUTF8Buffer { expected in
            (0..<count).allSatisfy { bytes[index + $0] == expected[$0] }
        }
        guard matches else { throw fail("unexpected character") }
        index += count
    }

    /// Reads a number as JSONDecoder reads `JSONValue`: an integer when it is one that fits 64
    /// bits (`5`, also `5.0` and `5e2`), a double otherwise; one that overflows a double is refused.
    public mutating func readNumber() throws(JSONReadError) -> JSONValue {
        skipWhitespace()
        let start = index
        func digit(_ i: Int) -> Bool { i < bytes.count && bytes[i] &- 0x30 < 10 }
        if index < bytes.count, bytes[index] == 0x2D { index += 1 }
        guard digit(index) else { throw fail("a number needs a digit") }
        if bytes[index] == 0x30 {
            index += 1
            if digit(index) { throw fail("a number cannot start with 0") }
        } else {
            while digit(index) { index += 1 }
        }
        var integral = true
        if index < bytes.count, bytes[index] == 0x2E {
            integral = false
            index += 1
            guard digit(index) else { throw fail("a fraction needs a digit") }
            while digit(index) { index += 1 }
        }
        if index < bytes.count, bytes[index] | 0x20 == 0x65 {
            integral = false
            index += 1
            if index < bytes.count, bytes[index] == 0x2B || bytes[index] == 0x2D { index += 1 }
            guard digit(index) else { throw fail("an exponent needs a digit") }
            while digit(index) { index += 1 }
        }
        if integral, let value = Self.int64(bytes, start..<index) { return .integer(value) }
        let text = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
        guard let value = Double(text), value.isFinite else {
            index = start
            throw fail("the number \(text) does not fit")
        }
        if let exact = Int64(exactly: value) { return .integer(exact) }
        return .number(value)
    }

    /// A validated integer's digits as Int64, or nil when they do not fit.
    private static func int64(_ bytes: UnsafeRawBufferPointer, _ range: Range<Int>) -> Int64? {
        var i = range.lowerBound
        let negative = bytes[i] == 0x2D
        if negative { i += 1 }
        var value: Int64 = 0
        while i < range.upperBound {
            let d = Int64(bytes[i] &- 0x30)
            let (m, o1) = value.multipliedReportingOverflow(by: 10)
            let (s, o2) = negative ? m.subtractingReportingOverflow(d) : m.addingReportingOverflow(d)
            if o1 || o2 { return nil }
            value = s
            i += 1
        }
        return value
    }

    /// Reads a string: escapes decoded, the bytes checked to be UTF-8, no raw control characters,
    /// no lone surrogate.
    public mutating func readString() throws(JSONReadError) -> String {
        try expect(0x22, "a string")
        let start = index
        // The common case: no escape, so the bytes are the string.
        while index < bytes.count {
            let byte = bytes[index]
            if byte == 0x22 {
                let raw = UnsafeRawBufferPointer(rebasing: bytes[start..<index])
                guard let string = String(validating: raw.bindMemory(to: UInt8.self), as: UTF8.self) else {
                    throw JSONReadError(offset: start, message: "a string is not valid UTF-8")
                }
                index += 1
                return string
            }
            if byte == 0x5C { break }
            guard byte >= 0x20 else { throw fail("a control character must be escaped in a string") }
            index += 1
        }
        var decoded: [UInt8] = Array(UnsafeRawBufferPointer(rebasing: bytes[start..<index]))
        while true {
            guard index < bytes.count else { throw fail("a string is not closed") }
            let byte = bytes[index]
            switch byte {
            case 0x22:
                index += 1
                guard let string = String(validating: decoded, as: UTF8.self) else {
                    throw JSONReadError(offset: start, message: "a string is not valid UTF-8")
                }
                return string
            case 0x5C:
                index += 1
                guard index < bytes.count else { throw fail("a string is not closed") }
                let escape = bytes[index]
                index += 1
                switch escape {
                case 0x22, 0x5C, 0x2F: decoded.append(escape)
                case 0x62: decoded.append(0x08)
                case 0x66: decoded.append(0x0C)
                case 0x6E: decoded.append(0x0A)
                case 0x72: decoded.append(0x0D)
                case 0x74: decoded.append(0x09)
                case 0x75:
                    var scalar = try hex4()
                    if (0xD800..<0xDC00).contains(scalar) {
                        guard bytes.count - index >= 6, bytes[index] == 0x5C, bytes[index + 1] == 0x75 else {
                            throw fail("a high surrogate without its low surrogate")
                        }
                        index += 2
                        let low = try hex4()
                        guard (0xDC00..<0xE000).contains(low) else { throw fail("a high surrogate without its low surrogate") }
                        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                    } else if (0xDC00..<0xE000).contains(scalar) {
                        throw fail("a low surrogate without its high surrogate")
                    }
                    decoded.append(contentsOf: String(Character(Unicode.Scalar(scalar)!)).utf8)
                default:
                    throw fail("an unknown escape in a string")
                }
            default:
                guard byte >= 0x20 else { throw fail("a control character must be escaped in a string") }
                decoded.append(byte)
                index += 1
            }
        }
    }

    private mutating func skipString() throws(JSONReadError) {
        _ = try readString()
    }

    private mutating func hex4() throws(JSONReadError) -> UInt32 {
        guard bytes.count - index >= 4 else { throw fail("\\u needs four hexadecimal digits") }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let byte = bytes[index]
            let digit: UInt8
            switch byte {
            case 0x30...0x39: digit = byte - 0x30
            case 0x41...0x46: digit = byte - 0x41 + 10
            case 0x61...0x66: digit = byte - 0x61 + 10
            default: throw fail("\\u needs four hexadecimal digits")
            }
            value = value << 4 | UInt32(digit)
            index += 1
        }
        return value
    }
}
