// Written by hand (not generated): JSON written byte by byte, for the batch upload on both sides.
//
// The server compares and stores an event's body in canonical form, which until 2026-12-02 was
// JSONEncoder's output with `.sortedKeys` and `.withoutEscapingSlashes`; one encoder per event cost
// a large part of a batch's CPU on the server. `JSONWriter.canonical` writes exactly those bytes
// (a test compares the two on random trees), so a body stored before still has the same
// fingerprint when a kiosk sends it again.
import Foundation

public struct JSONWriter {
    public private(set) var bytes: [UInt8] = []

    public init(capacity: Int = 0) { bytes.reserveCapacity(capacity) }

    public mutating func raw(_ text: StaticString) {
        text.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    public mutating func raw(_ buffer: some Sequence<UInt8>) { bytes.append(contentsOf: buffer) }

    public mutating func byte(_ byte: UInt8) { bytes.append(byte) }

    public mutating func integer(_ value: Int64) {
        if value == 0 { bytes.append(0x30); return }
        var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                     UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) =
            (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var magnitude = value.magnitude
        var count = 0
        withUnsafeMutableBytes(of: &digits) { buffer in
            while magnitude > 0 {
                buffer[19 - count] = UInt8(magnitude % 10) + 0x30
                magnitude /= 10
                count += 1
            }
        }
        if value < 0 { bytes.append(0x2D) }
        withUnsafeBytes(of: &digits) { bytes.append(contentsOf: $0[(20 - count)...]) }
    }

    /// A string as JSONEncoder writes it without escaping slashes: `"` and `\` escaped, the
    /// control characters as `\b \f \n \r \t` or `\u00xx`, everything else as its UTF-8.
    public mutating func string(_ value: String) {
        bytes.append(0x22)
        var value = value
        value.withUTF8 { utf8 in
            var start = 0
            for (index, byte) in utf8.enumerated() where byte < 0x20 || byte == 0x22 || byte == 0x5C {
                bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[start..<index]))
                start = index + 1
                switch byte {
                case 0x22: bytes.append(contentsOf: [0x5C, 0x22])
                case 0x5C: bytes.append(contentsOf: [0x5C, 0x5C])
                case 0x08: bytes.append(contentsOf: [0x5C, 0x62])
                case 0x0C: bytes.append(contentsOf: [0x5C, 0x66])
                case 0x0A: bytes.append(contentsOf: [0x5C, 0x6E])
                case 0x0D: bytes.append(contentsOf: [0x5C, 0x72])
                case 0x09: bytes.append(contentsOf: [0x5C, 0x74])
                default:
                    let hex: [UInt8] = Array("0123456789abcdef".utf8)
                    bytes.append(contentsOf: [0x5C, 0x75, 0x30, 0x30, hex[Int(byte >> 4)], hex[Int(byte & 0xF)]])
                }
            }
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[start...]))
        }
        bytes.append(0x22)
    }

    /// A double as JSONEncoder writes it (its shortest form, e.g. `1.5`, `1e+20`): rare in event
    /// bodies (money is integer Rial), so it is left to the encoder itself.
    public mutating func number(_ value: Double) {
        let encoded = (try? JSONEncoder().encode(value)) ?? Data("null".utf8)
        bytes.append(contentsOf: encoded)
    }

    /// `value` in canonical form: keys sorted as JSONEncoder's `.sortedKeys` sorts them, no
    /// whitespace, slashes unescaped.
    public mutating func canonical(_ value: JSONValue) {
        switch value {
        case .null: raw("null")
        case .bool(let flag): flag ? raw("true") : raw("false")
        case .integer(let integer): self.integer(integer)
        case .number(let number): self.number(number)
        case .string(let string): self.string(string)
        case .array(let values):
            bytes.append(0x5B)
            for (index, element) in values.enumerated() {
                if index > 0 { bytes.append(0x2C) }
                canonical(element)
            }
            bytes.append(0x5D)
        case .object(let object): canonical(object)
        }
    }

    public mutating func canonical(_ object: JSONObject) {
        bytes.append(0x7B)
        for (index, member) in object.members.sorted(by: { Self.keyOrder($0.key, $1.key) }).enumerated() {
            if index > 0 { bytes.append(0x2C) }
            string(member.key)
            bytes.append(0x3A)
            canonical(member.value)
        }
        bytes.append(0x7D)
    }

    /// The order of `.sortedKeys`: by the keys' UTF-8 bytes (Unicode scalar order, without
    /// `String`'s normalization: `e` + U+0301 sorts before `é`, unlike with `<`).
    static func keyOrder(_ a: String, _ b: String) -> Bool { a.utf8.lexicographicallyPrecedes(b.utf8) }
}

extension JSONObject {
    /// The object in canonical form (`JSONWriter.canonical`).
    public var canonicalBytes: [UInt8] {
        var writer = JSONWriter(capacity: 256)
        writer.canonical(self)
        return writer.bytes
    }
}
