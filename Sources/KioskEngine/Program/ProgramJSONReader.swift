import Foundation

/// Reads a program file's bytes into a `JSONValue` tree in one linear pass, within bounds.
///
/// A program arrives from the central and must never stall or crash a kiosk, so this reader
/// refuses (with a `ProgramError` naming where) what `JSONDecoder` would accept and then make
/// slow or dangerous: a file larger than `Limits.maxBytes`, nesting deeper than `maxDepth`, a
/// string longer than `maxStringBytes`, a list longer than `maxListCount`, an object with more
/// than `maxObjectKeys` keys, the same key twice in one object, and any number whose magnitude is
/// above `maxMagnitude`. Each byte is looked at a bounded number of times; nothing is retried.
struct ProgramJSONReader {
    struct Limits: Sendable {
        var maxBytes = 4 * 1024 * 1024
        var maxDepth = 32
        var maxStringBytes = 1024
        var maxListCount = 10_000
        var maxObjectKeys = 256
        /// 10^15: far above any amount in Rial a program names, far below where products overflow.
        var maxMagnitude: Int64 = 1_000_000_000_000_000

        static let program = Limits()
    }

    /// Why the bytes were refused before their shape was looked at.
    struct Refusal: Error {
        /// The JSON path of the value refused ("" for the top level or a syntax error).
        var path: String
        var problem: String
    }

    private let bytes: [UInt8]
    private let limits: Limits
    private var index = 0
    /// The path to the value being read, kept as components; a string only when refusing.
    private var path: [PathComponent] = []

    private enum PathComponent {
        case key(String)
        case index(Int)
    }

    static func read(_ data: Data, limits: Limits = .program) throws(Refusal) -> JSONValue {
        guard data.count <= limits.maxBytes else {
            throw Refusal(path: "", problem: "the file is \(data.count) bytes; a program is at most \(limits.maxBytes) bytes")
        }
        var reader = ProgramJSONReader(bytes: Array(data), limits: limits)
        return try reader.document()
    }

    private init(bytes: [UInt8], limits: Limits) {
        self.bytes = bytes
        self.limits = limits
    }

    private mutating func document() throws(Refusal) -> JSONValue {
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { index = 3 }
        skipWhitespace()
        let value = try self.value(depth: 1)
        skipWhitespace()
        guard index == bytes.count else { throw syntax("unexpected text after the end of the JSON value") }
        return value
    }

    // MARK: - Values

    private mutating func value(depth: Int) throws(Refusal) -> JSONValue {
        guard let byte = peek() else { throw syntax("unexpected end of file") }
        switch byte {
        case UInt8(ascii: "{"):
            try deeper(depth)
            return try object(depth: depth)
        case UInt8(ascii: "["):
            try deeper(depth)
            return try array(depth: depth)
        case UInt8(ascii: "\""):
            return .string(try string())
        case UInt8(ascii: "t"):
            try literal("true")
            return .bool(true)
        case UInt8(ascii: "f"):
            try literal("false")
            return .bool(false)
        case UInt8(ascii: "n"):
            try literal("null")
            return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            return try number()
        default:
            throw syntax("unexpected character \(describe(byte))")
        }
    }

    private func deeper(_ depth: Int) throws(Refusal) {
        guard depth <= limits.maxDepth else {
            throw refusal("nests lists and objects more than \(limits.maxDepth) levels deep")
        }
    }

    private mutating func object(depth: Int) throws(Refusal) -> JSONValue {
        index += 1
        var fields: [String: JSONValue] = [:]
        skipWhitespace()
        if peek() == UInt8(ascii: "}") {
            index += 1
            return .object(fields)
        }
        while true {
            skipWhitespace()
            guard peek() == UInt8(ascii: "\"") else { throw syntax("expected a key in quotes") }
            let key = try string()
            skipWhitespace()
            guard peek() == UInt8(ascii: ":") else { throw syntax("expected \":\" after the key") }
            index += 1
            skipWhitespace()
            guard fields[key] == nil else { throw refusal("has the key \"\(key)\" twice") }
            guard fields.count < limits.maxObjectKeys else {
                throw refusal("has more than \(limits.maxObjectKeys) keys")
            }
            path.append(.key(key))
            fields[key] = try value(depth: depth + 1)
            path.removeLast()
            skipWhitespace()
            switch peek() {
            case UInt8(ascii: ","): index += 1
            case UInt8(ascii: "}"):
                index += 1
                return .object(fields)
            default: throw syntax("expected \",\" or \"}\" in an object")
            }
        }
    }

    private mutating func array(depth: Int) throws(Refusal) -> JSONValue {
        index += 1
        var elements: [JSONValue] = []
        skipWhitespace()
        if peek() == UInt8(ascii: "]") {
            index += 1
            return .array(elements)
        }
        while true {
            skipWhitespace()
            guard elements.count < limits.maxListCount else {
                throw refusal("lists more than \(limits.maxListCount) elements")
            }
            path.append(.index(elements.count))
            elements.append(try value(depth: depth + 1))
            path.removeLast()
            skipWhitespace()
            switch peek() {
            case UInt8(ascii: ","): index += 1
            case UInt8(ascii: "]"):
                index += 1
                return .array(elements)
            default: throw syntax("expected \",\" or \"]\" in a list")
            }
        }
    }

    private mutating func literal(_ word: StaticString) throws(Refusal) {
        let expected = UnsafeBufferPointer(start: word.utf8Start, count: word.utf8CodeUnitCount)
        guard index + expected.count <= bytes.count, bytes[index..<(index + expected.count)].elementsEqual(expected) else {
            throw syntax("unexpected character \(describe(bytes[index]))")
        }
        index += expected.count
    }

    // MARK: - Numbers

    private mutating func number() throws(Refusal) -> JSONValue {
        let start = index
        let negative = peek() == UInt8(ascii: "-")
        if negative { index += 1 }
        guard let first = peek(), isDigit(first) else { throw syntax("expected a digit") }
        var magnitude: Int64 = 0
        var tooLarge = false
        if first == UInt8(ascii: "0") {
            index += 1
            if let next = peek(), isDigit(next) { throw syntax("a number cannot start with 0") }
        } else {
            while let digit = peek(), isDigit(digit) {
                if !tooLarge {
                    let (times, o1) = magnitude.multipliedReportingOverflow(by: 10)
                    let (sum, o2) = times.addingReportingOverflow(Int64(digit - UInt8(ascii: "0")))
                    if o1 || o2 || sum > limits.maxMagnitude { tooLarge = true } else { magnitude = sum }
                }
                index += 1
            }
        }
        var integral = true
        if peek() == UInt8(ascii: ".") {
            index += 1
            guard let digit = peek(), isDigit(digit) else { throw syntax("expected a digit after \".\"") }
            // `5.0` is the integer 5, exactly: JSON encoders that hold numbers as doubles (the
            // central's transport among them) write integers that way.
            while let digit = peek(), isDigit(digit) {
                if digit != UInt8(ascii: "0") { integral = false }
                index += 1
            }
        }
        if peek() == UInt8(ascii: "e") || peek() == UInt8(ascii: "E") {
            integral = false
            index += 1
            if peek() == UInt8(ascii: "+") || peek() == UInt8(ascii: "-") { index += 1 }
            guard let digit = peek(), isDigit(digit) else { throw syntax("expected a digit in the exponent") }
            while let digit = peek(), isDigit(digit) { index += 1 }
        }
        let outOfRange = "is out of range: a number in a program is at most \(limits.maxMagnitude) in size"
        if integral {
            guard !tooLarge else { throw refusal(outOfRange) }
            return .integer(negative ? -magnitude : magnitude)
        }
        // At most a few hundred bytes reach here (a longer run of digits is already too large).
        let text = String(decoding: bytes[start..<index], as: UTF8.self)
        guard !tooLarge, let double = Double(text), double.isFinite, abs(double) <= Double(limits.maxMagnitude) else {
            throw refusal(outOfRange)
        }
        return .number(double)
    }

    private func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }

    // MARK: - Strings

    private mutating func string() throws(Refusal) -> String {
        index += 1
        var out: [UInt8] = []
        while true {
            guard let byte = peek() else { throw syntax("unterminated string") }
            guard out.count <= limits.maxStringBytes else {
                throw refusal("has a string longer than \(limits.maxStringBytes) bytes")
            }
            switch byte {
            case UInt8(ascii: "\""):
                index += 1
                guard out.count <= limits.maxStringBytes else {
                    throw refusal("has a string longer than \(limits.maxStringBytes) bytes")
                }
                guard let text = String(validating: out, as: UTF8.self) else { throw syntax("a string is not valid UTF-8") }
                return text
            case UInt8(ascii: "\\"):
                index += 1
                try escape(into: &out)
            case 0..<0x20:
                throw syntax("a control character inside a string (write it as an escape)")
            default:
                out.append(byte)
                index += 1
            }
        }
    }

    private mutating func escape(into out: inout [UInt8]) throws(Refusal) {
        guard let byte = peek() else { throw syntax("unterminated string") }
        index += 1
        switch byte {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): out.append(byte)
        case UInt8(ascii: "b"): out.append(0x08)
        case UInt8(ascii: "f"): out.append(0x0C)
        case UInt8(ascii: "n"): out.append(0x0A)
        case UInt8(ascii: "r"): out.append(0x0D)
        case UInt8(ascii: "t"): out.append(0x09)
        case UInt8(ascii: "u"):
            var scalar = try hex4()
            if (0xD800...0xDBFF).contains(scalar) {
                guard peek() == UInt8(ascii: "\\"), index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: "u") else {
                    throw syntax("a lone surrogate in a \\u escape")
                }
                index += 2
                let low = try hex4()
                guard (0xDC00...0xDFFF).contains(low) else { throw syntax("a lone surrogate in a \\u escape") }
                scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
            } else if (0xDC00...0xDFFF).contains(scalar) {
                throw syntax("a lone surrogate in a \\u escape")
            }
            guard let unicode = Unicode.Scalar(scalar) else { throw syntax("an invalid \\u escape") }
            out.append(contentsOf: Array(String(Character(unicode)).utf8))
        default:
            throw syntax("an invalid escape \\\(describe(byte))")
        }
    }

    private mutating func hex4() throws(Refusal) -> UInt32 {
        guard index + 4 <= bytes.count else { throw syntax("unterminated \\u escape") }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let byte = bytes[index]
            let digit: UInt32
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt32(byte - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = UInt32(byte - UInt8(ascii: "a") + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = UInt32(byte - UInt8(ascii: "A") + 10)
            default: throw syntax("a \\u escape needs four hex digits")
            }
            value = value << 4 | digit
            index += 1
        }
        return value
    }

    // MARK: - Helpers

    private func peek() -> UInt8? { index < bytes.count ? bytes[index] : nil }

    private mutating func skipWhitespace() {
        while let byte = peek(), byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 { index += 1 }
    }

    private func describe(_ byte: UInt8) -> String {
        (0x21..<0x7F).contains(byte) ? "'\(Character(Unicode.Scalar(byte)))'" : "byte 0x\(String(byte, radix: 16, uppercase: true))"
    }

    /// A syntax error, with the line and column where reading stopped.
    private func syntax(_ problem: String) -> Refusal {
        var line = 1, column = 1
        for byte in bytes[0..<min(index, bytes.count)] {
            if byte == UInt8(ascii: "\n") {
                line += 1
                column = 1
            } else if byte & 0xC0 != 0x80 {
                column += 1
            }
        }
        return Refusal(path: "", problem: "not JSON: \(problem) (line \(line), column \(column))")
    }

    /// A refusal of well-formed JSON beyond a bound, at the path being read.
    private func refusal(_ problem: String) -> Refusal {
        var out = ""
        for component in path {
            switch component {
            case .index(let i): out += "[\(i)]"
            case .key(let key): out += out.isEmpty ? key : ".\(key)"
            }
        }
        return Refusal(path: out, problem: problem)
    }
}
