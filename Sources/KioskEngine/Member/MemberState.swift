import Foundation
import KioskCore

/// Everything the engine needs to know about a member to decide, as read from the store.
public struct MemberState: Sendable, Hashable, Codable {
    public var memberID: MemberID
    public var enrolledAt: Date
    /// The operator who enrolled the member (for staff commission).
    public var enrolledBy: OperatorID?
    public var birthday: LocalDate?
    public var anniversary: LocalDate?
    public var customerGroups: [String]
    /// The groups of the member's cards (e.g. `gold-card`).
    public var cardGroups: [String]
    public var tier: String?
    /// Visits so far (taps and purchases, minus fully returned purchases).
    public var visits: Int64
    /// The tier basis (net spend in Rial, or points) within the rolling window, before now.
    public var tierWindowTotal: Int64
    /// Whether the member has bought before (first-purchase referral rewards and commission).
    public var hasPurchased: Bool
    /// The year (program calendar, Gregorian) of the last birthday points bonus.
    public var lastBirthdayBonusYear: Int?
    public var referredBy: MemberID?
    /// Every lot with something left in it (or below zero), all accounts.
    public var lots: [Lot]
    /// Amounts owed from reversed awards that were already spent (clamp policy), per account.
    public var debts: [Account: Int64]
    /// The sum of postings outside any lot, per account: negative after a return reversed an
    /// award already spent under the `allowNegative` policy. It is owed before any lot is spent.
    public var unlotted: [Account: Int64] = [:]

    public init(memberID: MemberID, enrolledAt: Date, enrolledBy: OperatorID? = nil, birthday: LocalDate? = nil,
                anniversary: LocalDate? = nil, customerGroups: [String] = [], cardGroups: [String] = [],
                tier: String? = nil, visits: Int64 = 0, tierWindowTotal: Int64 = 0, hasPurchased: Bool = false,
                lastBirthdayBonusYear: Int? = nil, referredBy: MemberID? = nil, lots: [Lot] = [],
                debts: [Account: Int64] = [:]) {
        self.memberID = memberID
        self.enrolledAt = enrolledAt
        self.enrolledBy = enrolledBy
        self.birthday = birthday
        self.anniversary = anniversary
        self.customerGroups = customerGroups
        self.cardGroups = cardGroups
        self.tier = tier
        self.visits = visits
        self.tierWindowTotal = tierWindowTotal
        self.hasPurchased = hasPurchased
        self.lastBirthdayBonusYear = lastBirthdayBonusYear
        self.referredBy = referredBy
        self.lots = lots
        self.debts = debts
    }

    /// The member's balances: the sum of their lots, expired or not (expiry is written by the
    /// sweep, as ledger entries).
    public var balances: Balances {
        var b = Balances()
        for lot in lots { b[lot.account] += lot.remaining }
        for (account, amount) in unlotted { b[account] += amount }
        return b
    }
}

/// A lot: one award of points, credit, gift credit or coins, with its own expiry, and what is
/// left of it.
public struct Lot: Sendable, Hashable, Codable {
    public var id: LotID
    public var account: Account
    /// What is left: the lot's award minus what was spent, expired or reversed from it.
    public var remaining: Int64
    /// When the lot was created.
    public var createdAt: Date
    /// When it expires; nil: never.
    public var expiresAt: Date?
    /// Where it may be spent (gift credit).
    public var restrictions: LotRestrictions?

    public init(id: LotID, account: Account, remaining: Int64, createdAt: Date, expiresAt: Date? = nil,
                restrictions: LotRestrictions? = nil) {
        self.id = id
        self.account = account
        self.remaining = remaining
        self.createdAt = createdAt
        self.expiresAt = expiresAt
        self.restrictions = restrictions
    }
}
