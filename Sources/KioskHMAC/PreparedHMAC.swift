import Crypto
import Foundation

/// HMAC-SHA256 under one key, with the key set up once (when the key is made from the
/// configuration), not per message: swift-crypto's `HMAC` value holds the inner and outer hash
/// states after the padded key, and a copy of it per message re-uses them, so a MAC costs the
/// message's blocks and the outer block only — no `SymmetricKey`, no key schedule per call.
///
/// `@unchecked Sendable`: the prepared value is never mutated (a `let`); each MAC works on its own
/// copy, whose digest contexts are copy-on-write (copied before the first update, because the
/// prepared value still references them), as an array shared between threads is.
public struct PreparedHMAC: @unchecked Sendable {
    private let prepared: HMAC<SHA256>

    public init(key: [UInt8]) {
        prepared = HMAC<SHA256>(key: SymmetricKey(data: key))
    }

    /// The full 32-byte HMAC-SHA256 of `message`.
    public func mac(_ message: some DataProtocol) -> [UInt8] {
        var h = prepared
        h.update(data: message)
        return h.finalize().withUnsafeBytes { Array($0) }
    }
}
