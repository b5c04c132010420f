import Crypto
import KioskCore
import KioskHMAC

/// A member token: the member id, optionally bound to one card UID, its issue day and the id of
/// the key that signed it (HMAC-SHA256, truncated to 128 bits). Text form, see docs/cards.md:
///
///     KM2.<key id>.<member id>.<card UID in hex, or "-">.<issued YYYYMMDD>.<base64url MAC>
///
/// The MAC covers everything before the last dot. On a card it is the payload of an NDEF
/// external record `kiosk.club:member`, or the `t` query item of a URI record. At most 120
/// bytes, so that it fits an NTAG213 (144 bytes) in its NDEF record.
public struct MemberToken: Sendable, Equatable {
    public static let version = "KM2"
    /// The NDEF external type of the record that carries a token.
    public static let ndefType = "kiosk.club:member"
    /// The longest token: `KM2.` + a 4-character key id + a 64-character member id + a 7-byte
    /// UID + the day + the MAC, with their dots.
    public static let maxLength = 120

    public let member: MemberID
    /// The UID the token is bound to, or nil for a token valid on any card.
    public let boundUID: [UInt8]?
    /// The day it was issued (UTC).
    public let issued: TokenDay
    /// The id of the key that signed it, once verified (nil for a token not yet signed).
    public private(set) var keyID: String?

    public init(member: MemberID, boundUID: [UInt8]?, issued: TokenDay) {
        self.member = member
        self.boundUID = boundUID
        self.issued = issued
    }

    /// The signed text form, under `key`'s id.
    public func signed(with key: MemberTokenKey) -> String {
        let body = Self.body(keyID: key.id, member: member.rawValue, uid: boundUID, issued: issued)
        return body + "." + Base64URL.encode(key.mac(body))
    }

    /// Parses and verifies a token against the keys accepted now; `cardUID` is the UID of the
    /// card it was read from (a bound token must match it).
    public static func verify(_ text: String, keys: MemberTokenKeyring, cardUID: [UInt8]?) throws(MemberTokenError) -> MemberToken {
        // Read as UTF-8 bytes, not Characters: every valid part is ASCII, and splitting a String
        // by Character (grapheme breaking) was most of the time a verification took.
        let bytes = Array(text.utf8)
        guard bytes.count <= maxLength else { throw .malformed("longer than \(maxLength) bytes") }
        let parts = bytes.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
        guard parts.count == 6, parts[0].elementsEqual(version.utf8) else {
            throw .malformed("not KM2.<key id>.<member>.<uid>.<issued>.<mac>")
        }
        let keyID = String(decoding: parts[1], as: UTF8.self)
        guard MemberTokenKey.isValidID(keyID) else { throw .malformed("bad key id") }
        let member = String(decoding: parts[2], as: UTF8.self)
        guard isValidMemberID(member) else { throw .malformed("bad member id") }
        let uid: [UInt8]?
        if parts[3].elementsEqual([UInt8(ascii: "-")]) {
            uid = nil
        } else {
            guard parts[3].allSatisfy({ ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x41 && $0 <= 0x46) }),
                  let bytes = Hex.bytes(String(decoding: parts[3], as: UTF8.self)), (4...10).contains(bytes.count) else { throw .malformed("bad UID") }
            uid = bytes
        }
        guard let issued = TokenDay(String(decoding: parts[4], as: UTF8.self)) else { throw .malformed("bad issue day") }
        guard let mac = Base64URL.decode(parts[5]), mac.count == 16 else { throw .malformed("bad MAC encoding") }
        guard let key = keys.key(id: keyID) else { throw .unknownKey(keyID) }
        // The MAC covers the text before the last dot, which, every part checked above, is
        // exactly `body(keyID:member:uid:issued:)` (upper-case hex, a four-digit year, zero-padded
        // month and day): the bytes as received, without re-writing them.
        guard ConstantTime.equal(mac, key.mac(bytes[..<(bytes.count - parts[5].count - 1)])) else { throw .badSignature }
        if let uid {
            guard let cardUID, ConstantTime.equal(uid, cardUID) else { throw .wrongCard }
        }
        var token = MemberToken(member: MemberID(rawValue: member), boundUID: uid, issued: issued)
        token.keyID = keyID
        return token
    }

    /// Member ids in tokens: 1 to 64 of `A-Z a-z 0-9 _ -`.
    public static func isValidMemberID(_ id: String) -> Bool {
        !id.isEmpty && id.utf8.count <= 64 && id.utf8.allSatisfy { c in
            (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A) || c == 0x5F || c == 0x2D
        }
    }

    /// The NDEF message that carries this token on a card.
    public func ndefMessage(key: MemberTokenKey) -> NDEFMessage {
        NDEFMessage(records: [.external(Self.ndefType, Array(signed(with: key).utf8))])
    }

    private static func body(keyID: String, member: String, uid: [UInt8]?, issued: TokenDay) -> String {
        "\(version).\(keyID).\(member).\(uid.map { Hex.string($0) } ?? "-").\(issued)"
    }
}

/// A token signing key of the program, with its id (written in every token it signs).
public struct MemberTokenKey: Sendable {
    /// 1 to 4 of `A-Z a-z 0-9`, e.g. `k1`, `k2`.
    public let id: String
    /// The key, set up once for HMAC-SHA256.
    private let hmac: PreparedHMAC

    /// A key of exactly 32 bytes (the configuration's `cards.token_key`, 32 random bytes in hex
    /// or base64) and its id (`cards.token_key_id`).
    public init(id: String, _ bytes: [UInt8]) throws(MemberTokenError) {
        guard Self.isValidID(id) else { throw .malformed("bad key id") }
        guard bytes.count == 32 else { throw .weakKey }
        self.id = id
        hmac = PreparedHMAC(key: bytes)
    }

    public static func isValidID(_ id: String) -> Bool {
        (1...4).contains(id.utf8.count) && id.utf8.allSatisfy { c in
            (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A)
        }
    }

    /// HMAC-SHA256 of the body, truncated to 128 bits.
    func mac(_ body: String) -> [UInt8] { mac(Array(body.utf8)[...]) }

    func mac(_ body: ArraySlice<UInt8>) -> [UInt8] { Array(hmac.mac(body).prefix(16)) }
}

/// The keys accepted now: the current one (which signs new tokens) and, during a rotation, the
/// previous one. Dropping a key revokes every token it signed.
public struct MemberTokenKeyring: Sendable {
    public let current: MemberTokenKey
    public let previous: MemberTokenKey?

    public init(current: MemberTokenKey, previous: MemberTokenKey? = nil) throws(MemberTokenError) {
        if let previous, previous.id == current.id { throw .malformed("the previous token key has the current key's id") }
        self.current = current
        self.previous = previous
    }

    func key(id: String) -> MemberTokenKey? {
        if current.id == id { return current }
        if let previous, previous.id == id { return previous }
        return nil
    }
}

/// Why a member token was refused.
public enum MemberTokenError: Error, Equatable, Sendable, CustomStringConvertible {
    case malformed(String)
    case badSignature
    /// A token bound to another card's UID (a token copied onto another card).
    case wrongCard
    /// Signed with a key the kiosk does not accept (retired, or never the program's).
    case unknownKey(String)
    /// The key is not 32 bytes.
    case weakKey

    public var description: String {
        switch self {
        case .malformed(let why): "malformed member token: \(why)"
        case .badSignature: "member token signature does not verify"
        case .wrongCard: "member token is bound to another card"
        case .unknownKey(let id): "member token signed with key \(id), which this kiosk does not accept"
        case .weakKey: "token key is not 32 bytes"
        }
    }
}
