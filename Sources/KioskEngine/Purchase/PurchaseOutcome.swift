import Foundation
import KioskCore

/// What the engine decided for a purchase: the discounts, the payments, the awards, the decision
/// record and the ledger postings. Stored as the operation's result; a return reads it back.
public struct PurchaseOutcome: Sendable, Hashable, Codable {
    public var programVersion: String
    public var member: MemberID
    public var branch: BranchID
    public var at: Date
    public var subtotal: Rial
    public var lines: [LineOutcome]
    public var offerDiscount: Rial
    public var voucher: AppliedVoucher?
    /// Points spent as a discount, and the discount they gave (absent: none).
    public var pointsRedeemed: Int64?
    public var pointsDiscount: Rial?
    /// What the member owes after discounts: `subtotal − offerDiscount − voucher discount −
    /// pointsDiscount`.
    public var due: Rial
    public var paidWithGiftCredit: Rial
    public var paidWithCredit: Rial
    public var paidInCash: Rial
    public var points: PointsBreakdown
    public var coins: Int64
    /// Cashback (program and tier) credit.
    public var cashback: Rial
    /// Extra credit from offers.
    public var offerCredit: Rial
    public var decision: DecisionRecord
    public var appliedOffers: [AppliedOffer]
    public var visitsAfter: Int64
    public var tierBefore: String?
    public var tierAfter: String?
    /// What the purchase adds to the tier window (Rial or points).
    public var tierDelta: Int64
    public var raffleEntries: [String: Int64]
    public var referral: ReferralPayout?
    public var commission: Commission?
    public var birthdayBonusYear: Int?
    /// Debts (from earlier clamped reversals) settled out of this purchase's awards.
    public var debtSettled: [String: Int64]
    /// The notifications the central side turns into messages.
    public var notifications: [String]
    public var postings: [Posting]
}

public struct LineOutcome: Sendable, Hashable, Codable {
    public var productGroup: String
    public var gross: Rial
    public var discount: Rial
    public var net: Rial
    /// The line's share of the points earned at the base, group, window and tier rates, in
    /// 1/10 000 point (a return of the line takes back this share).
    public var pointsWeight: Int64
}

public struct AppliedVoucher: Sendable, Hashable, Codable {
    public var code: String
    public var benefit: VoucherDefinition.Benefit
    public var discount: Rial
    /// For free shipping: the fee waived (not part of the purchase's lines).
    public var shippingWaived: Rial?
    /// For a gift voucher: the catalogue item to hand over.
    public var giftItem: String?
}

public struct PointsBreakdown: Sendable, Hashable, Codable {
    /// At the base and group rates, on the net amounts.
    public var base: Int64 = 0
    /// What happy hours and festival days added.
    public var windows: Int64 = 0
    /// What the tier multiplier added.
    public var tier: Int64 = 0
    public var offers: Int64 = 0
    public var birthday: Int64 = 0
    public var total: Int64 { base + windows + tier + offers + birthday }
}

public struct ReferralPayout: Sendable, Hashable, Codable {
    public var referrer: MemberID
    public var points: Int64
    public var coins: Int64
    public var credit: Rial
}

public struct Commission: Sendable, Hashable, Codable {
    public var operatorID: OperatorID
    public var amount: Rial
    public var member: MemberID
}
