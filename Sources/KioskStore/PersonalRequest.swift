import Crypto
import Foundation
import GRDB
import KioskCore

/// Personal data kept out of the append-only `business_transactions.request`.
///
/// An enrollment's or an import's request as its caller encodes it names the member (name, phone,
/// birthday, anniversary). The store never keeps those values there: before the request is stored
/// or compared with a stored one, its personal top-level fields are cut out and replaced by one
/// field, `personal_hmac_sha256`, an HMAC-SHA256 of the bytes cut out under a random key of the
/// member's own (`member_personal.digest_key`). A retry with the same personal data gives the same
/// digest (a replay); different data gives a different one (an idempotency conflict). Erasing the
/// member's personal data deletes the key with it, so the digest left in the append-only row can no
/// longer be tested against guesses (a phone number alone would be easy to guess from a plain hash).
///
/// The cut is made on the request's bytes: every other byte stays as the caller wrote it, so the
/// same request always gives the same stored bytes, before and after the migration that rewrote
/// the old rows (`0012-personal-data-out-of-requests`). A request that is not a JSON object is kept
/// as it is (there is no field to cut).
public enum PersonalRequest {
    /// The field that replaces the personal fields.
    public static let digestField = "personal_hmac_sha256"

    /// The top-level request fields that hold personal data, by operation kind.
    public static let fieldsByKind: [String: Set<String>] = [
        "enroll": ["name", "phone", "birthday", "anniversary", "gender", "interests"],
        "member.import": ["name", "phone", "birthday", "anniversary", "gender", "interests"],
    ]

    /// The kinds whose requests may carry personal data.
    static var kinds: [String] { fieldsByKind.keys.sorted() }

    /// `request` with the personal fields of `kind` replaced by their keyed digest; unchanged when
    /// the kind has none, the request carries none of them, or it is not a JSON object.
    static func stripped(_ request: Data, kind: String, key: Data) -> Data {
        guard let fields = fieldsByKind[kind], let members = JSONObjectMembers(request) else { return request }
        var kept: [Range<Int>] = []
        var cut = Data()
        for member in members.members {
            if let name = member.name, fields.contains(name) {
                if !cut.isEmpty { cut.append(UInt8(ascii: ",")) }
                cut.append(request[member.range])
            } else {
                kept.append(member.range)
            }
        }
        guard !cut.isEmpty else { return request }
        let mac = HMAC<SHA256>.authenticationCode(for: cut, using: SymmetricKey(data: key))
        var out = Data("{\"\(digestField)\":\"".utf8)
        out.append(contentsOf: Data(mac).map { String(format: "%02x", $0) }.joined().utf8)
        out.append(UInt8(ascii: "\""))
        for range in kept {
            out.append(UInt8(ascii: ","))
            out.append(request[range])
        }
        out.append(UInt8(ascii: "}"))
        return out
    }

    /// `request` without its digest field (to compare a retry with a request whose member's
    /// personal data, and so its digest key, was erased).
    static func withoutDigest(_ request: Data) -> Data {
        guard let members = JSONObjectMembers(request) else { return request }
        let kept = members.members.filter { $0.name != digestField }
        var out = Data("{".utf8)
        for (index, member) in kept.enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            out.append(request[member.range])
        }
        out.append(UInt8(ascii: "}"))
        return out
    }

    /// A fresh digest key for a member.
    static func newKey() -> Data {
        Data(SymmetricKey(size: .bits256).withUnsafeBytes { Array($0) })
    }

    /// The member's digest key, or nil when they have none (no personal data row, or it was erased).
    static func key(of member: String, in db: Database) throws -> Data? {
        try Data.fetchOne(
            db.cachedStatement(sql: "SELECT digest_key FROM member_personal WHERE member_id = ?"), arguments: [member])
    }

    /// Whether `request` still carries any personal field of `kind` (what `db check` counts).
    static func carriesPersonalData(_ request: Data, kind: String) -> Bool {
        guard let fields = fieldsByKind[kind], let members = JSONObjectMembers(request) else { return false }
        return members.members.contains { member in member.name.map(fields.contains) ?? false }
    }
}

/// The top-level members of a JSON object, as byte ranges of the text (`"key":value`), found by a
/// small scanner that only needs to skip values; nil when the bytes are not one JSON object.
struct JSONObjectMembers {
    struct Member {
        /// The key when it has no escapes (every key the kiosk's encoders write); nil otherwise.
        var name: String?
        var range: Range<Int>
    }

    var members: [Member] = []

    init?(_ data: Data) {
        let bytes = [UInt8](data)
        var i = 0
        func skipSpace() { while i < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[i]) { i += 1 } }
        /// Skips a string starting at `i` (on its opening quote); false if it does not end.
        func skipString() -> Bool {
            i += 1
            while i < bytes.count {
                switch bytes[i] {
                case UInt8(ascii: "\\"): i += 2
                case UInt8(ascii: "\""): i += 1; return true
                default: i += 1
                }
            }
            return false
        }
        /// Skips one value starting at `i`.
        func skipValue() -> Bool {
            guard i < bytes.count else { return false }
            switch bytes[i] {
            case UInt8(ascii: "\""):
                return skipString()
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                var depth = 0
                while i < bytes.count {
                    switch bytes[i] {
                    case UInt8(ascii: "\""): if !skipString() { return false }; continue
                    case UInt8(ascii: "{"), UInt8(ascii: "["): depth += 1
                    case UInt8(ascii: "}"), UInt8(ascii: "]"):
                        depth -= 1
                        if depth == 0 { i += 1; return true }
                    default: break
                    }
                    i += 1
                }
                return false
            default:
                let start = i
                while i < bytes.count, ![UInt8(ascii: ","), UInt8(ascii: "}"), UInt8(ascii: "]"), 0x20, 0x09, 0x0A, 0x0D].contains(bytes[i]) {
                    i += 1
                }
                return i > start
            }
        }
        skipSpace()
        guard i < bytes.count, bytes[i] == UInt8(ascii: "{") else { return nil }
        i += 1
        skipSpace()
        if i < bytes.count, bytes[i] == UInt8(ascii: "}") {
            i += 1
        } else {
            while true {
                skipSpace()
                guard i < bytes.count, bytes[i] == UInt8(ascii: "\"") else { return nil }
                let start = i
                guard skipString() else { return nil }
                let keyBytes = bytes[(start + 1)..<(i - 1)]
                let name = keyBytes.contains(UInt8(ascii: "\\")) ? nil : String(decoding: keyBytes, as: UTF8.self)
                skipSpace()
                guard i < bytes.count, bytes[i] == UInt8(ascii: ":") else { return nil }
                i += 1
                skipSpace()
                guard skipValue() else { return nil }
                members.append(Member(name: name, range: (data.startIndex + start)..<(data.startIndex + i)))
                skipSpace()
                guard i < bytes.count else { return nil }
                if bytes[i] == UInt8(ascii: ",") { i += 1; continue }
                guard bytes[i] == UInt8(ascii: "}") else { return nil }
                i += 1
                break
            }
        }
        skipSpace()
        guard i == bytes.count else { return nil }
    }
}
