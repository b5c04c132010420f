import Crypto
import Foundation
import KioskCore

/// Receipts signed with Ed25519 (`KR2`): tills sign with a private key, kiosks hold only public
/// keys, so a stolen kiosk cannot forge receipts. See docs/receipts.md:
///
///     KR2.<key id>.<base64url body>.<base64url Ed25519 signature>
///
/// The signature (64 bytes) covers the ASCII text before the last dot. The body is KR1's.
extension Receipt {
    public static let signedVersion = "KR2"

    /// Key ids: 1 to 16 of `A-Z a-z 0-9 _ -` (a till, a batch of tills, a year).
    public static func isValidKeyID(_ id: String) -> Bool {
        let bytes = Array(id.utf8)
        return bytes.count <= 16 && isValidIdentifier(bytes[...])
    }
}

/// A till's private signing key and its id.
public struct ReceiptSigningKey: Sendable {
    public let id: String
    /// The 32-byte seed (swift-crypto's key types are not `Sendable`: a key is made per use).
    private let seed: [UInt8]
    private var key: Curve25519.Signing.PrivateKey { try! Curve25519.Signing.PrivateKey(rawRepresentation: seed) }

    /// From the 32-byte Ed25519 seed (the private key file's content, in hex or base64).
    public init(id: String, seed: [UInt8]) throws(ReceiptError) {
        guard Receipt.isValidKeyID(id) else { throw .malformed("bad key id") }
        guard seed.count == 32, (try? Curve25519.Signing.PrivateKey(rawRepresentation: seed)) != nil else { throw .weakKey }
        self.id = id
        self.seed = seed
    }

    /// The public key kiosks verify with.
    public var publicKey: ReceiptPublicKey { ReceiptPublicKey(id: id, validRaw: Array(key.publicKey.rawRepresentation)) }

    /// The payload of the receipt's QR code. Signed as given (even a total that does not match
    /// its lines, so that the claim rules can be tested).
    public func payload(_ receipt: Receipt) throws(ReceiptError) -> String {
        let head = Receipt.signedVersion + "." + id + "." + Base64URL.encode(Array(receipt.body.utf8))
        let signature: Data
        do { signature = try key.signature(for: Data(head.utf8)) } catch { throw .malformed("cannot sign: \(error)") }
        return head + "." + Base64URL.encode(Array(signature))
    }
}

/// A public key kiosks verify receipts with, and its id.
public struct ReceiptPublicKey: Sendable {
    public let id: String
    /// The raw 32 bytes.
    public let raw: [UInt8]
    fileprivate var key: Curve25519.Signing.PublicKey { try! Curve25519.Signing.PublicKey(rawRepresentation: raw) }

    fileprivate init(id: String, validRaw: [UInt8]) {
        self.id = id
        raw = validRaw
    }

    /// From the 32-byte Ed25519 public key (a public key file's content, in hex or base64).
    public init(id: String, raw: [UInt8]) throws(ReceiptError) {
        guard Receipt.isValidKeyID(id) else { throw .malformed("bad key id") }
        guard raw.count == 32, (try? Curve25519.Signing.PublicKey(rawRepresentation: raw)) != nil else { throw .weakKey }
        self.id = id
        self.raw = raw
    }
}

/// What a kiosk accepts: `KR2` receipts under any of its public keys (several, for rotation)
/// and, until the end of a transition period the configuration names, `KR1` receipts under the
/// old shared HMAC key. After it (or without an HMAC key) `KR1` is refused.
public struct ReceiptVerifier: Sendable {
    public struct HMACTransition: Sendable {
        public let key: ReceiptKey
        /// KR1 receipts are accepted while `now` is before this instant (seconds since 1970).
        public let acceptedUntil: Int64
        public init(key: ReceiptKey, acceptedUntil: Int64) {
            self.key = key
            self.acceptedUntil = acceptedUntil
        }
    }

    public let publicKeys: [ReceiptPublicKey]
    public let transition: HMACTransition?

    public init(publicKeys: [ReceiptPublicKey], transition: HMACTransition? = nil) throws(ReceiptError) {
        var seen = Set<String>()
        for key in publicKeys where !seen.insert(key.id).inserted { throw .malformed("two public keys with the id \(key.id)") }
        self.publicKeys = publicKeys
        self.transition = transition
    }

    /// Parses a payload and verifies its signature at `now` (seconds since 1970, for the end of
    /// the HMAC transition); nothing else (see `ReceiptClaimPolicy.check`).
    public func parse(_ text: String, now: Int64) throws(ReceiptError) -> Receipt {
        let bytes = Array(text.utf8)
        guard bytes.count <= Receipt.maxPayloadBytes else { throw .tooLarge(bytes.count) }
        let parts = bytes.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
        if let first = parts.first, Array(first) == Array(Receipt.version.utf8) {
            guard let transition else { throw .retiredFormat(until: nil) }
            guard now < transition.acceptedUntil else { throw .retiredFormat(until: transition.acceptedUntil) }
            return try Receipt.parse(text, key: transition.key)
        }
        guard parts.count == 4 else { throw .malformed("not KR2.<key id>.<body>.<signature>") }
        guard Array(parts[0]) == Array(Receipt.signedVersion.utf8) else {
            throw .unsupportedVersion(String(decoding: parts[0].prefix(8), as: UTF8.self))
        }
        let keyID = String(decoding: parts[1], as: UTF8.self)
        guard Receipt.isValidKeyID(keyID) else { throw .malformed("bad key id") }
        guard let bodyBytes = Base64URL.decode(parts[2]), !bodyBytes.isEmpty else { throw .malformed("bad body encoding") }
        guard let signature = Base64URL.decode(parts[3]), signature.count == 64 else { throw .malformed("bad signature encoding") }
        guard let key = publicKeys.first(where: { $0.id == keyID }) else { throw .unknownKey(keyID) }
        let signed = Data(bytes[..<(bytes.count - parts[3].count - 1)])
        guard key.key.isValidSignature(Data(signature), for: signed) else { throw .badSignature }
        return try Receipt.parseBody(bodyBytes)
    }
}

extension ReceiptClaimPolicy {
    /// Parses, verifies and checks a payload at `now` (whole seconds since 1970).
    public func verify(_ text: String, verifier: ReceiptVerifier, now: Int64) throws(ReceiptError) -> Receipt {
        let receipt = try verifier.parse(text, now: now)
        try check(receipt, now: now)
        return receipt
    }
}
