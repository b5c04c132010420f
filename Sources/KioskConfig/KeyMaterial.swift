import Foundation

/// Symmetric keys in the configuration (the member-token key, the receipt key): exactly 32 random
/// bytes, written as 64 hex digits or as base64 (standard or URL alphabet, padding optional).
/// Tokens and receipts are public, so a passphrase could be guessed offline from any one of
/// them; a length check cannot tell a passphrase from random bytes, an encoding of exactly 32
/// bytes at least makes a typed phrase fail.
public enum KeyMaterial {
    /// How an operator makes a good key, for the messages that refuse a bad one.
    public static let howToMake = "make one with `openssl rand -hex 32`"

    /// The 32 key bytes of `text`, or nil when it is not 64 hex digits or base64 of 32 bytes.
    public static func bytes32(_ text: String) -> [UInt8]? {
        let text = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if text.utf8.count == 64, text.utf8.allSatisfy({ $0 < 0x80 && Character(Unicode.Scalar($0)).isHexDigit }) {
            var bytes: [UInt8] = []
            var index = text.startIndex
            while index < text.endIndex {
                let next = text.index(index, offsetBy: 2)
                guard let byte = UInt8(text[index..<next], radix: 16) else { return nil }
                bytes.append(byte)
                index = next
            }
            return bytes
        }
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while base64.utf8.count % 4 != 0 { base64 += "=" }
        guard let data = Data(base64Encoded: base64), data.count == 32 else { return nil }
        return Array(data)
    }
}

extension KeyMaterial {
    /// A member-token key id: 1 to 4 of `A-Z a-z 0-9` (written in every token the key signs).
    public static func isValidKeyID(_ id: String) -> Bool {
        (1...4).contains(id.utf8.count) && id.utf8.allSatisfy { c in
            (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A)
        }
    }
}

extension KeyMaterial {
    /// `YYYY-MM-DD` as the seconds since 1970 of its UTC midnight, or nil.
    public static func utcMidnight(_ text: String) -> Int64? {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
              let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]) else { return nil }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let components = DateComponents(year: year, month: month, day: day)
        guard components.isValidDate(in: calendar), let date = calendar.date(from: components) else { return nil }
        return Int64(date.timeIntervalSince1970)
    }
}

extension Secret {
    /// The secret as a 32-byte key (see `KeyMaterial`), or nil when it is not one.
    public func keyBytes() -> [UInt8]? { KeyMaterial.bytes32(reveal()) }
}
