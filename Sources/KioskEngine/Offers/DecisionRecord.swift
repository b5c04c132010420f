import KioskCore

/// Why a purchase got the offers it got: every offer considered, whether it qualified (and if
/// not, why), what it was worth to the customer in Rial, and which applied.
public struct DecisionRecord: Sendable, Hashable, Codable {
    public var policy: OfferRules.Policy
    public var considered: [OfferDecision]
    /// The offers applied, in the order they were applied.
    public var applied: [String]
    /// With the `best` policy: the winning offer.
    public var winner: String?
    /// For a program of more than `fullRecordLimit` offers: the offers that did not qualify are
    /// not in `considered` but counted here by the kind of condition that failed
    /// (`visitsMoreThan`, `productGroup`, `any`, …), so that a record stays small however many
    /// offers the program has. Absent: every offer is in `considered`.
    public var notQualified: [String: Int]?

    /// Up to this many offers, a record lists every offer in full.
    public static let fullRecordLimit = 20

    public init(policy: OfferRules.Policy, considered: [OfferDecision] = [], applied: [String] = [], winner: String? = nil) {
        self.policy = policy
        self.considered = considered
        self.applied = applied
        self.winner = winner
    }
}

public struct OfferDecision: Sendable, Hashable, Codable {
    public var offer: String
    public var title: String?
    public var kind: OfferBenefit.Kind
    public var qualified: Bool
    /// Why it did not qualify; empty when it did.
    public var reasons: [String]
    /// What it is worth to the customer, in Rial (points and coins at the program's value).
    public var value: Rial
    public var applied: Bool
    /// Why a qualifying offer did not apply, or was trimmed (`a better offer won`, `stack cap`).
    public var note: String?
    /// For an applied offer: the Rial its value was computed on (the lines it covers), and
    /// whether that is their gross amount (discounts) or their net amount after the offer
    /// discounts and the voucher (awards: extra credit and extra points by percent).
    public var base: Rial?
    public var baseIs: Base?

    public enum Base: String, Sendable, Hashable, Codable {
        case gross
        case net
    }
}

/// What one applied offer gives.
public struct AppliedOffer: Sendable, Hashable, Codable {
    public var offer: String
    public var kind: OfferBenefit.Kind
    public var discount: Rial
    public var extraCredit: Rial
    public var extraPoints: Int64
    public var extraCoins: Int64
    /// The product groups the benefit covers; nil: the whole purchase.
    public var productGroups: [String]?
    public var value: Rial
}
