import Crypto
import KioskCore

/// A member token: the member id, optionally bound to one card UID, signed with the program's
/// key (HMAC-SHA256, truncated to 128 bits). Text form, see docs/cards.md:
///
///     KM1.<member id>.<card UID in hex, or "-">.<base64url MAC>
///
/// The MAC covers everything before the last dot. On a card it is the payload of an NDEF
/// external record `kiosk.club:member`, or the `t` query item of a URI record.
public struct MemberToken: Sendable, Equatable {
    public static let version = "KM1"
    /// The NDEF external type of the record that carries a token.
    public static let ndefType = "kiosk.club:member"

    public let member: MemberID
    /// The UID the token is bound to, or nil for a token valid on any card.
    public let boundUID: [UInt8]?

    public init(member: MemberID, boundUID: [UInt8]?) {
        self.member = member
        self.boundUID = boundUID
    }

    /// The signed text form.
    public func signed(with key: MemberTokenKey) -> String {
        let body = Self.body(member: member.rawValue, uid: boundUID)
        return body + "." + Base64URL.encode(key.mac(body))
    }

    /// Parses and verifies a token; `cardUID` is the UID of the card it was read from (a bound
    /// token must match it).
    public static func verify(_ text: String, key: MemberTokenKey, cardUID: [UInt8]?) throws(MemberTokenError) -> MemberToken {
        guard text.utf8.count <= 256 else { throw .malformed("longer than 256 bytes") }
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4, parts[0] == Substring(version) else { throw .malformed("not KM1.<member>.<uid>.<mac>") }
        let member = String(parts[1])
        guard isValidMemberID(member) else { throw .malformed("bad member id") }
        let uid: [UInt8]?
        if parts[2] == "-" {
            uid = nil
        } else {
            guard let bytes = Hex.bytes(parts[2]), (4...10).contains(bytes.count),
                  !parts[2].contains(" "), !parts[2].contains(":") else { throw .malformed("bad UID") }
            uid = bytes
        }
        guard let mac = Base64URL.decode(parts[3]), mac.count == 16 else { throw .malformed("bad MAC encoding") }
        let body = Self.body(member: member, uid: uid)
        guard ConstantTime.equal(mac, key.mac(body)) else { throw .badSignature }
        if let uid {
            guard let cardUID, ConstantTime.equal(uid, cardUID) else { throw .wrongCard }
        }
        return MemberToken(member: MemberID(rawValue: member), boundUID: uid)
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

    private static func body(member: String, uid: [UInt8]?) -> String {
        "\(version).\(member).\(uid.map { Hex.string($0) } ?? "-")"
    }
}

/// The program's token signing key.
public struct MemberTokenKey: Sendable {
    private let keyBytes: [UInt8]

    /// A key of at least 16 bytes (the configuration's `cards.token_key`, as UTF-8 bytes).
    public init(_ bytes: [UInt8]) throws(MemberTokenError) {
        guard bytes.count >= 16 else { throw .weakKey }
        keyBytes = bytes
    }

    func mac(_ body: String) -> [UInt8] {
        Array(Array(HMAC<SHA256>.authenticationCode(for: Array(body.utf8), using: SymmetricKey(data: keyBytes))).prefix(16))
    }
}

/// Why a member token was refused.
public enum MemberTokenError: Error, Equatable, Sendable, CustomStringConvertible {
    case malformed(String)
    case badSignature
    /// A token bound to another card's UID (a token copied onto another card).
    case wrongCard
    /// The key is shorter than 16 bytes.
    case weakKey

    public var description: String {
        switch self {
        case .malformed(let why): "malformed member token: \(why)"
        case .badSignature: "member token signature does not verify"
        case .wrongCard: "member token is bound to another card"
        case .weakKey: "token key shorter than 16 bytes"
        }
    }
}
