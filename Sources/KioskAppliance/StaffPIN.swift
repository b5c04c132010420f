import _CryptoExtras
import Crypto
import Foundation
import KioskSession

/// Staff PINs, stored only as `pbkdf2-sha256$<rounds>$<salt>$<hash>` (salt and hash in base64):
/// PBKDF2-HMAC-SHA256 with a random 16-byte salt. A PIN of a few digits is no secret against a
/// stolen database (the rounds only slow the search); what protects a staff card is the lockout
/// after a few wrong PINs at the kiosk. The PIN itself is never stored, logged or printed.
public enum StaffPIN {
    /// OWASP's least for PBKDF2-HMAC-SHA256, which swift-crypto enforces.
    public static let rounds = 210_000

    public struct Malformed: Error, CustomStringConvertible {
        public var description: String { "a PIN is 4 to 8 digits" }
    }

    public static func hash(_ pin: PIN, rounds: Int = rounds) throws -> String {
        guard (4...8).contains(pin.digits.count), pin.digits.allSatisfy({ $0 < 10 }) else { throw Malformed() }
        var salt = [UInt8](repeating: 0, count: 16)
        var generator = SystemRandomNumberGenerator()
        for i in salt.indices { salt[i] = UInt8.random(in: 0...255, using: &generator) }
        let key = try derive(pin, salt: salt, rounds: rounds)
        return "pbkdf2-sha256$\(rounds)$\(Data(salt).base64EncodedString())$\(Data(key).base64EncodedString())"
    }

    /// Whether `pin` is the PIN `stored` was made from; false for a hash this kiosk cannot read.
    public static func verify(_ pin: PIN, against stored: String) -> Bool {
        let parts = stored.split(separator: "$", omittingEmptySubsequences: false)
        guard parts.count == 4, parts[0] == "pbkdf2-sha256", let rounds = Int(parts[1]), (210_000...10_000_000).contains(rounds),
              let salt = Data(base64Encoded: String(parts[2])), let expected = Data(base64Encoded: String(parts[3])), expected.count == 32,
              let key = try? derive(pin, salt: [UInt8](salt), rounds: rounds)
        else { return false }
        // Every byte compared, whatever the first difference.
        return zip(key, expected).reduce(UInt8(0)) { $0 | ($1.0 ^ $1.1) } == 0
    }

    static func derive(_ pin: PIN, salt: [UInt8], rounds: Int) throws -> [UInt8] {
        let password = pin.digits.map { UInt8(ascii: "0") + $0 }
        let key = try KDF.Insecure.PBKDF2.deriveKey(from: password, salt: salt, using: .sha256, outputByteCount: 32, rounds: rounds)
        return key.withUnsafeBytes { [UInt8]($0) }
    }
}
