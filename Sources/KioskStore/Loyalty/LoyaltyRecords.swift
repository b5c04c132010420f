import Foundation
import KioskCore

extension StoreError.Code {
    /// A limit the store enforces inside the committing transaction was reached: a voucher's
    /// uses, a prize's stock or budget, a spin cap, a catalogue item's stock.
    public static let limitReached = StoreError.Code(name: "limit-reached")
    /// The member's state changed between reading it and committing (another operation spent
    /// from the same lot): read again and retry.
    public static let staleState = StoreError.Code(name: "stale-state")
}

/// A lot as the ledger holds it: the sum of its postings.
public struct StoredLot: Sendable, Hashable {
    public var lotID: LotID
    public var account: Account
    public var remaining: Int64
    public var createdAt: Date
    public var expiresAt: Date?
    /// The restrictions JSON the engine wrote, if any.
    public var restrictions: String?
}

/// What the loyalty engine needs to know about a member, read in one transaction.
public struct LoyaltyMemberRecord: Sendable, Hashable {
    public var memberID: MemberID
    public var status: String
    public var tier: String?
    public var enrolledAt: Date
    public var enrolledBy: OperatorID?
    public var referredBy: MemberID?
    public var customerGroups: [String]
    /// `YYYY-MM-DD`, from the member's personal data.
    public var birthday: String?
    public var anniversary: String?
    public var cardGroups: [String]
    public var lots: [StoredLot]
    /// Sums of postings outside any lot, per account.
    public var unlotted: [Account: Int64]
    public var visits: Int64
    /// Tier activity since the start of the rolling window.
    public var tierWindowTotal: Int64
    public var hasPurchased: Bool
    public var birthdayBonusYear: Int?
    public var debts: [Account: Int64]
}

/// A voucher row.
public struct StoredVoucher: Sendable, Hashable {
    public var code: String
    public var template: String?
    /// The voucher's definition as the engine wrote it (JSON).
    public var definition: Data
    public var issuedTo: MemberID?
    public var validFrom: Date?
    public var validUntil: Date?
    public var uses: Int
    public var maxUses: Int?

    public init(code: String, template: String?, definition: Data, issuedTo: MemberID?, validFrom: Date?, validUntil: Date?,
                uses: Int, maxUses: Int?) {
        self.code = code
        self.template = template
        self.definition = definition
        self.issuedTo = issuedTo
        self.validFrom = validFrom
        self.validUntil = validUntil
        self.uses = uses
        self.maxUses = maxUses
    }
}

/// The limits a spin must respect, checked again inside the committing transaction.
public struct SpinLimits: Sendable, Hashable {
    public var capPerDay: Int?
    public var capPerWeek: Int?
    public var segmentStock: Int?
    public var segmentBudget: Int64?

    public init(capPerDay: Int?, capPerWeek: Int?, segmentStock: Int?, segmentBudget: Int64?) {
        self.capPerDay = capPerDay
        self.capPerWeek = capPerWeek
        self.segmentStock = segmentStock
        self.segmentBudget = segmentBudget
    }
}

/// A spin as recorded.
public struct SpinRecord: Sendable, Hashable {
    public var key: String
    public var memberID: MemberID
    public var at: Date
    public var dayStart: Date
    public var weekStart: Date
    public var segment: String
    public var prizeRial: Int64
    public var audit: Data
    public var auditSHA256: String

    public init(key: String, memberID: MemberID, at: Date, dayStart: Date, weekStart: Date, segment: String,
                prizeRial: Int64, audit: Data, auditSHA256: String) {
        self.key = key
        self.memberID = memberID
        self.at = at
        self.dayStart = dayStart
        self.weekStart = weekStart
        self.segment = segment
        self.prizeRial = prizeRial
        self.audit = audit
        self.auditSHA256 = auditSHA256
    }
}
