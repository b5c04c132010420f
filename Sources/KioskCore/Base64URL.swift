/// Base64url without padding (RFC 4648 §5), the text form of the MACs and signatures in member
/// tokens and receipts. Canonical only: a spelling whose unused trailing bits are not zero is
/// refused, so that one token has one spelling. Table-driven, one pass, no intermediate arrays
/// (scans are parsed at a million a second: docs/scanners.md).
public enum Base64URL {
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)
    /// The 6-bit value of each byte, 0xFF for a byte outside the alphabet.
    private static let values: [UInt8] = {
        var table = [UInt8](repeating: 0xFF, count: 256)
        for (value, c) in alphabet.enumerated() { table[Int(c)] = UInt8(value) }
        return table
    }()

    /// The encoding of `bytes`, without padding.
    public static func encode(_ bytes: [UInt8]) -> String {
        let length = (bytes.count * 4 + 2) / 3
        return alphabet.withUnsafeBufferPointer { a in
            bytes.withUnsafeBufferPointer { b in
                String(unsafeUninitializedCapacity: length) { out in
                    var o = 0, i = 0
                    while i + 3 <= b.count {
                        let n = UInt32(b[i]) << 16 | UInt32(b[i + 1]) << 8 | UInt32(b[i + 2])
                        out[o] = a[Int(n >> 18)]
                        out[o + 1] = a[Int(n >> 12 & 0x3F)]
                        out[o + 2] = a[Int(n >> 6 & 0x3F)]
                        out[o + 3] = a[Int(n & 0x3F)]
                        o += 4
                        i += 3
                    }
                    switch b.count - i {
                    case 1:
                        let n = UInt32(b[i]) << 16
                        out[o] = a[Int(n >> 18)]
                        out[o + 1] = a[Int(n >> 12 & 0x3F)]
                        o += 2
                    case 2:
                        let n = UInt32(b[i]) << 16 | UInt32(b[i + 1]) << 8
                        out[o] = a[Int(n >> 18)]
                        out[o + 1] = a[Int(n >> 12 & 0x3F)]
                        out[o + 2] = a[Int(n >> 6 & 0x3F)]
                        o += 3
                    default: break
                    }
                    return o
                }
            }
        }
    }

    /// The bytes `text` encodes; nil for a byte outside the alphabet, a length that is 1 modulo 4,
    /// padding, or a non-canonical last character. The empty text is the empty byte string.
    public static func decode(_ text: some StringProtocol) -> [UInt8]? {
        if let bytes = text.utf8.withContiguousStorageIfAvailable({ decode(buffer: $0) }) { return bytes }
        return Array(text.utf8).withUnsafeBufferPointer { decode(buffer: $0) }
    }

    /// The same for UTF-8 bytes.
    public static func decode(_ text: ArraySlice<UInt8>) -> [UInt8]? {
        text.withUnsafeBufferPointer { decode(buffer: $0) }
    }

    private static func decode(buffer t: UnsafeBufferPointer<UInt8>) -> [UInt8]? {
        let tail = t.count % 4
        guard tail != 1 else { return nil }
        let length = t.count / 4 * 3 + (tail == 0 ? 0 : tail - 1)
        return values.withUnsafeBufferPointer { v -> [UInt8]? in
            var bad = false
            let out = [UInt8](unsafeUninitializedCapacity: length) { out, count in
                var o = 0, i = 0
                while i + 4 <= t.count {
                    let a = v[Int(t[i])], b = v[Int(t[i + 1])], c = v[Int(t[i + 2])], d = v[Int(t[i + 3])]
                    if (a | b | c | d) & 0xC0 != 0 { bad = true; break }
                    let n = UInt32(a) << 18 | UInt32(b) << 12 | UInt32(c) << 6 | UInt32(d)
                    out[o] = UInt8(n >> 16)
                    out[o + 1] = UInt8(n >> 8 & 0xFF)
                    out[o + 2] = UInt8(n & 0xFF)
                    o += 3
                    i += 4
                }
                if !bad, tail >= 2 {
                    let a = v[Int(t[i])], b = v[Int(t[i + 1])], c = tail == 3 ? v[Int(t[i + 2])] : 0
                    // Canonical: the bits past the last whole byte are zero.
                    if (a | b | c) & 0xC0 != 0 || (tail == 2 ? b & 0x0F : c & 0x03) != 0 {
                        bad = true
                    } else {
                        let n = UInt32(a) << 18 | UInt32(b) << 12 | UInt32(c) << 6
                        out[o] = UInt8(n >> 16)
                        o += 1
                        if tail == 3 {
                            out[o] = UInt8(n >> 8 & 0xFF)
                            o += 1
                        }
                    }
                }
                count = bad ? 0 : o
            }
            return bad ? nil : out
        }
    }
}
