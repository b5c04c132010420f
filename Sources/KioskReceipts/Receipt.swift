import Crypto
import Foundation
import KioskCore
import KioskHMAC

/// A till receipt as its QR code carries it: who issued it (point of sale, branch), when, and
/// what was bought (integer Rial amounts per product group). Text form, see docs/receipts.md:
///
///     KR1.<base64url body>.<base64url HMAC-SHA256>
///
/// The body is UTF-8 text, fields separated by `|`:
///
///     <pos>|<receipt id>|<branch>|<issued, Unix seconds>|<total>|<group>:<amount>,<group>:<amount>…
///
/// The MAC (all 32 bytes of HMAC-SHA256 with the chain's receipt key) covers everything before
/// the last dot. Parsing is pure: no clock, no I/O; the claim rules take the time as a parameter.
public struct Receipt: Sendable, Hashable {
    public static let version = "KR1"
    /// The longest payload accepted, in bytes (a QR code of version 25 or so at level M).
    public static let maxPayloadBytes = 1_024
    /// The most lines a receipt may carry.
    public static let maxLines = 32

    /// The point of sale (till) that issued the receipt; receipt ids are unique per POS.
    public var pos: String
    public var receiptID: String
    public var branch: String
    /// The instant of issue, whole seconds since 1970-01-01T00:00:00Z.
    public var issuedAt: Int64
    /// The total in Rial; a genuine receipt's total is the sum of its lines.
    public var total: Int64
    public var lines: [ReceiptLine]

    public init(pos: String, receiptID: String, branch: String, issuedAt: Int64, total: Int64, lines: [ReceiptLine]) {
        self.pos = pos
        self.receiptID = receiptID
        self.branch = branch
        self.issuedAt = issuedAt
        self.total = total
        self.lines = lines
    }

    /// The instant of issue as a date.
    public var issuedDate: Date { Date(timeIntervalSince1970: TimeInterval(issuedAt)) }

    /// The key under which a claim of this receipt is committed: one claim per receipt, ever.
    /// Receipt ids are unique per till and till ids only per branch, so the branch is part of it
    /// (until 2026-12-02 it was not, and the same till and receipt id at two branches were one claim).
    public var claimKey: String { "receipt:\(branch):\(pos):\(receiptID)" }

    /// The key claims were committed under before the branch was part of it: a receipt claimed
    /// under it at its branch is not claimed again. (Identifiers hold no `:`, so the two forms
    /// never meet.)
    public var legacyClaimKey: String { "receipt:\(pos):\(receiptID)" }

    /// The body text (what the base64url middle part encodes).
    var body: String {
        let lineText = lines.map { "\($0.productGroup):\($0.amount)" }.joined(separator: ",")
        return "\(pos)|\(receiptID)|\(branch)|\(issuedAt)|\(total)|\(lineText)"
    }

    // MARK: - Parsing

    /// Parses a payload and verifies its MAC; nothing else (see `ReceiptClaimPolicy.check`).
    /// Every malformed part gives a typed error; the MAC is compared in constant time before the
    /// body's fields are read.
    public static func parse(_ text: String, key: ReceiptKey) throws(ReceiptError) -> Receipt {
        let bytes = Array(text.utf8)
        guard bytes.count <= maxPayloadBytes else { throw .tooLarge(bytes.count) }
        let parts = bytes.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
        guard parts.count == 3 else { throw .malformed("not KR1.<body>.<mac>") }
        guard Array(parts[0]) == Array(version.utf8) else {
            throw .unsupportedVersion(String(decoding: parts[0].prefix(8), as: UTF8.self))
        }
        guard let bodyBytes = Base64URL.decode(parts[1]), !bodyBytes.isEmpty else { throw .malformed("bad body encoding") }
        guard let mac = Base64URL.decode(parts[2]), mac.count == 32 else { throw .malformed("bad MAC encoding") }
        let signed = Array(bytes[..<(bytes.count - parts[2].count - 1)])
        guard ConstantTime.equal(mac, key.mac(signed)) else { throw .badSignature }
        return try parseBody(bodyBytes)
    }

    static func parseBody(_ body: [UInt8]) throws(ReceiptError) -> Receipt {
        let fields = body.split(separator: UInt8(ascii: "|"), omittingEmptySubsequences: false)
        guard fields.count == 6 else { throw .malformed("the body has \(fields.count) fields, not 6") }
        let pos = try identifier(fields[0], "pos")
        let receiptID = try identifier(fields[1], "receipt id")
        let branch = try identifier(fields[2], "branch")
        let issuedAt = try number(fields[3], "issue instant")
        let total = try number(fields[4], "total")
        let lineFields = fields[5].split(separator: UInt8(ascii: ","), omittingEmptySubsequences: false)
        guard lineFields.count <= maxLines else { throw .malformed("more than \(maxLines) lines") }
        var lines: [ReceiptLine] = []
        for (index, field) in lineFields.enumerated() {
            let pair = field.split(separator: UInt8(ascii: ":"), omittingEmptySubsequences: false)
            guard pair.count == 2 else { throw .malformed("line \(index + 1) is not <group>:<amount>") }
            let group = try identifier(pair[0], "product group of line \(index + 1)")
            let amount = try number(pair[1], "amount of line \(index + 1)")
            guard amount > 0 else { throw .malformed("amount of line \(index + 1) is zero") }
            lines.append(ReceiptLine(productGroup: group, amount: amount))
        }
        return Receipt(pos: pos, receiptID: receiptID, branch: branch, issuedAt: issuedAt, total: total, lines: lines)
    }

    /// Identifiers: 1 to 64 of `A-Z a-z 0-9 _ -`.
    public static func isValidIdentifier(_ s: String) -> Bool { isValidIdentifier(Array(s.utf8)[...]) }

    static func isValidIdentifier(_ s: ArraySlice<UInt8>) -> Bool {
        !s.isEmpty && s.count <= 64 && s.allSatisfy { c in
            (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A) || c == 0x5F || c == 0x2D
        }
    }

    private static func identifier(_ s: ArraySlice<UInt8>, _ what: String) throws(ReceiptError) -> String {
        guard isValidIdentifier(s) else { throw .malformed("bad \(what)") }
        return String(decoding: s, as: UTF8.self)
    }

    /// A non-negative decimal integer without sign or leading zeros that fits in Int64.
    private static func number(_ s: ArraySlice<UInt8>, _ what: String) throws(ReceiptError) -> Int64 {
        guard !s.isEmpty, s.count <= 19, s.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }),
              s.count == 1 || s.first != 0x30 else { throw .malformed("bad \(what)") }
        var value: Int64 = 0
        for digit in s {
            let (times, o1) = value.multipliedReportingOverflow(by: 10)
            let (plus, o2) = times.addingReportingOverflow(Int64(digit - 0x30))
            guard !o1, !o2 else { throw .malformed("\(what) too large") }
            value = plus
        }
        return value
    }

    /// The sum of the lines, or nil on overflow.
    public var linesTotal: Int64? {
        var sum: Int64 = 0
        for line in lines {
            let (s, overflow) = sum.addingReportingOverflow(line.amount)
            if overflow { return nil }
            sum = s
        }
        return sum
    }
}

/// A line of a receipt: an amount in Rial of one product group.
public struct ReceiptLine: Sendable, Hashable {
    public var productGroup: String
    public var amount: Int64

    public init(productGroup: String, amount: Int64) {
        self.productGroup = productGroup
        self.amount = amount
    }
}

/// The rules a parsed, genuine receipt must meet to be claimed, whatever the program: its lines
/// add up to its total, it is no older than the claim window and not from the future beyond a
/// small clock skew. That a receipt is claimed only once is the store's part (the claim key).
public struct ReceiptClaimPolicy: Sendable, Hashable {
    /// How long after issue a receipt can be claimed, in seconds.
    public var window: Int64
    /// How far in the future (the till's clock ahead of the kiosk's) a receipt may be, in seconds.
    public var skew: Int64

    public init(window: Int64 = 7 * 86_400, skew: Int64 = 300) {
        self.window = window
        self.skew = skew
    }

    /// Parses, verifies and checks a payload at `now` (whole seconds since 1970).
    public func verify(_ text: String, key: ReceiptKey, now: Int64) throws(ReceiptError) -> Receipt {
        let receipt = try Receipt.parse(text, key: key)
        try check(receipt, now: now)
        return receipt
    }

    /// Checks a genuine receipt at `now`.
    public func check(_ receipt: Receipt, now: Int64) throws(ReceiptError) {
        guard !receipt.lines.isEmpty, let sum = receipt.linesTotal, sum == receipt.total else {
            throw .totalMismatch(total: receipt.total, lines: receipt.linesTotal)
        }
        let (latest, o1) = now.addingReportingOverflow(skew)
        guard o1 || receipt.issuedAt <= latest else { throw .fromTheFuture }
        let (earliest, o2) = now.subtractingReportingOverflow(window)
        guard o2 || receipt.issuedAt >= earliest else { throw .expired }
    }
}

/// The chain's old shared receipt key (KR1, HMAC), read only during the transition to KR2.
public struct ReceiptKey: Sendable {
    /// The key, set up once for HMAC-SHA256.
    private let hmac: PreparedHMAC

    /// A key of exactly 32 bytes (the configuration's `receipts.key`, 32 random bytes in hex or
    /// base64): receipts are public, a shorter or typed key is brute-forced offline.
    public init(_ bytes: [UInt8]) throws(ReceiptError) {
        guard bytes.count == 32 else { throw .weakKey }
        hmac = PreparedHMAC(key: bytes)
    }

    func mac(_ signed: [UInt8]) -> [UInt8] { hmac.mac(signed) }
}

/// Signs KR1 receipts as a till did before KR2: for tests of the transition.
public struct ReceiptSigner: Sendable {
    public let key: ReceiptKey

    public init(key: ReceiptKey) { self.key = key }

    /// The payload of the receipt's QR code. The receipt is signed as given (even a total that
    /// does not match its lines, so that the claim rules can be tested).
    public func payload(_ receipt: Receipt) -> String {
        let head = Receipt.version + "." + Base64URL.encode(Array(receipt.body.utf8))
        return head + "." + Base64URL.encode(key.mac(Array(head.utf8)))
    }
}

/// Why a receipt was refused.
public enum ReceiptError: Error, Equatable, Sendable, CustomStringConvertible {
    case tooLarge(Int)
    case unsupportedVersion(String)
    case malformed(String)
    case badSignature
    /// The lines do not add up to the total (nil: their sum overflows), or there are none.
    case totalMismatch(total: Int64, lines: Int64?)
    case expired
    case fromTheFuture
    /// The key is not 32 bytes (or not a valid Ed25519 key).
    case weakKey
    /// A KR2 receipt signed with a key this kiosk does not hold (retired, or never the chain's).
    case unknownKey(String)
    /// A KR1 (shared HMAC key) receipt after the transition period ended (nil: no HMAC key).
    case retiredFormat(until: Int64?)

    /// A stable machine-readable reason.
    public var code: String {
        switch self {
        case .tooLarge: "receipt.tooLarge"
        case .unsupportedVersion: "receipt.unsupportedVersion"
        case .malformed: "receipt.malformed"
        case .badSignature: "receipt.badSignature"
        case .totalMismatch: "receipt.totalMismatch"
        case .expired: "receipt.expired"
        case .fromTheFuture: "receipt.future"
        case .weakKey: "receipt.weakKey"
        case .unknownKey: "receipt.unknownKey"
        case .retiredFormat: "receipt.retiredFormat"
        }
    }

    public var description: String {
        switch self {
        case .tooLarge(let n): "receipt payload of \(n) bytes is longer than \(Receipt.maxPayloadBytes)"
        case .unsupportedVersion(let v): "receipt payload version \(v) is not KR2 (or KR1)"
        case .malformed(let why): "malformed receipt: \(why)"
        case .badSignature: "receipt signature does not verify"
        case .totalMismatch(let total, let lines): "receipt total \(total) does not match its lines (\(lines.map(String.init) ?? "overflow"))"
        case .expired: "receipt is older than the claim window"
        case .fromTheFuture: "receipt is issued in the future"
        case .weakKey: "receipt key is not 32 bytes"
        case .unknownKey(let id): "receipt signed with key \(id), which this kiosk does not hold"
        case .retiredFormat(let until?): "KR1 (HMAC) receipts are no longer accepted since \(Date(timeIntervalSince1970: TimeInterval(until)))"
        case .retiredFormat(nil): "KR1 (HMAC) receipts are not accepted (no receipts.key_file)"
        }
    }
}

/// Base64url without padding (RFC 4648 §5); decoding accepts only the canonical form.
/// Comparison of MACs whose time does not depend on where they first differ.
enum ConstantTime {
    static func equal(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        var difference: UInt8 = 0
        for index in a.indices { difference |= a[index] ^ b[index] }
        return difference == 0
    }
}
