import Foundation
import KioskCore

/// One line of a replay's events file (JSON Lines). Every event has a `type`; most name a
/// `member`; `at` is an ISO 8601 instant with its offset (absent: the replay's current time,
/// which `time` events move). `key` is the idempotency key (absent: `line-N`). See
/// `docs/replay.md`.
public struct ReplayEvent: Sendable, Codable {
    public var type: String
    public var key: String?
    public var at: Date?
    public var member: MemberID?
    public var branch: BranchID?
    public var `operator`: OperatorID?

    // enroll
    public var name: String?
    public var phone: String?
    public var birthday: String?
    public var anniversary: String?
    public var groups: [String]?
    public var referralCode: String?
    public var ownReferralCode: String?
    public var source: String?
    public var card: CardID?
    public var cardGroup: String?

    // purchase
    public var lines: [Line]?
    public var voucher: String?
    public var payWithCredit: Rial?
    public var payWithGiftCredit: Rial?
    public var redeemPoints: Int64?

    // return, gift-cancel
    public var purchase: String?
    public var request: String?

    // gift-credit, gift-request, behaviour, voucher-issue, raffle-draw
    public var occasion: String?
    public var item: String?
    public var behaviour: String?
    public var template: String?
    public var raffle: String?
    public var winners: Int?

    // convert-points: how many points, into "credit" or "coins"
    public var points: Int64?
    public var to: Account?

    // time, expiring
    public var advanceDays: Int?
    public var advanceHours: Int?
    public var within: Int?

    public struct Line: Sendable, Codable {
        /// Purchase lines: the product group and the gross amount in Rial.
        public var group: String?
        public var amount: Rial
        public var sku: String?
        /// Return lines: the purchase line's position, from 0.
        public var line: Int?
    }
}

/// What happened to one event.
public struct ReplayResult: Sendable, Encodable {
    public var line: Int
    public var type: String
    public var key: String
    public var at: Date
    public var ok: Bool
    /// True when the key had been committed before (nothing was written now).
    public var replayed: Bool?
    public var outcome: AnyEncodable?
    public var refusal: RefusalReport?

    public struct RefusalReport: Sendable, Encodable {
        public var code: String
        public var message: String
    }
}

/// A member's state at the end of a replay.
public struct MemberSummary: Sendable, Encodable {
    public var member: MemberID
    public var points: Int64
    public var credit: Int64
    public var giftCredit: Int64
    public var coins: Int64
    public var tier: String?
    public var visits: Int64
    public var ledgerMatches: Bool
}

/// The whole replay's report.
public struct ReplayReport: Sendable, Encodable {
    public var program: String
    public var seed: UInt64?
    public var events: [ReplayResult]?
    public var counts: [String: Int]
    public var refusals: Int
    public var members: [MemberSummary]
    public var raffles: [String: [String: Int64]]
}

/// Type erasure for the outcomes of the different operations.
public struct AnyEncodable: Encodable, @unchecked Sendable {
    private let encodeTo: (any Encoder) throws -> Void
    public init<T: Encodable>(_ value: T) { encodeTo = value.encode }
    public func encode(to encoder: any Encoder) throws { try encodeTo(encoder) }
}
