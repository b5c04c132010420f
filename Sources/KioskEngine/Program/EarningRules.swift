import KioskCore

/// How points are earned.
public struct PointsRules: Sendable, Hashable, Codable {
    /// The base rate on every line that no product-group rate covers.
    public var base: RatePerRial
    /// Rates per product group, replacing the base rate on that group's lines.
    public var groups: [GroupRate]?
    /// Special times (happy hours, festival days) that multiply the points of matching lines.
    public var windows: [TimeWindow]?
    /// Points given once at enrollment.
    public var welcome: Int64?
    /// Points given on the member's first purchase on or after their birthday each year.
    public var birthday: Int64?
    /// Points for behaviour: referral, survey, visit (a tap).
    public var behaviour: [String: Int64]?
    /// When points lots expire; absent: never.
    public var expiry: ExpiryRule?
    /// What one point is worth to the customer in Rial, used only to compare offers that give
    /// points with offers that give money (`rial` Rial per `points` points).
    public var value: PointValue?
    /// Points spent at a purchase as a discount; absent: points cannot be spent at a purchase.
    public var redemption: PointsRedemption?
    /// Points turned into credit or coins at the member's request (absent: not allowed).
    public var conversion: PointsConversion?

    public struct GroupRate: Sendable, Hashable, Codable {
        public var productGroup: String
        public var rate: RatePerRial
    }

    public struct PointValue: Sendable, Hashable, Codable {
        public var rial: Int64
        public var points: Int64
    }
}

/// A period in which points are multiplied: by day of week and time of day (happy hours), by
/// festival dates (Jalali or Gregorian), by date range, or a combination (all given parts must
/// match).
public struct TimeWindow: Sendable, Hashable, Codable {
    public var id: String
    /// Multiplier in percent: 200 doubles the points.
    public var multiplier: Percent
    /// ISO weekdays, 1 = Monday … 7 = Sunday (Saturday = 6 is the first day of the Iranian week).
    public var weekdays: [Int]?
    /// Start of the daily window, `HH:mm`, inclusive.
    public var from: TimeOfDay?
    /// End of the daily window, `HH:mm`, exclusive. May be before `from` (a window over midnight).
    public var until: TimeOfDay?
    /// Festival days.
    public var dates: [FestivalDate]?
    /// Only lines of these product groups; absent: every line.
    public var productGroups: [String]?
}

/// Coins earned by purchases.
public struct CoinRules: Sendable, Hashable, Codable {
    public var rate: RatePerRial
    public var expiry: ExpiryRule?
    /// Coins for behaviour (referral, survey, visit).
    public var behaviour: [String: Int64]?
    /// What one coin is worth in Rial (`rial` per `points` coins), used only to compare offers.
    public var value: PointsRules.PointValue?
}

/// Cashback: a percentage of the purchase returned as wallet credit.
public struct CashbackRules: Sendable, Hashable, Codable {
    public var percent: Percent
    public var expiry: ExpiryRule?
}

/// How points are spent at a purchase: as a discount of `rate.rial` Rial per `rate.points`
/// points, taken after the offers and the voucher, between `minShare` and `maxShare` of the bill
/// (the amount due after the offers and the voucher).
/// Converting points into credit or coins: each target the program allows has its rate
/// (`points` points give `rial` Rial of credit, or `coins` coins); conversions are whole
/// multiples of the rate's points, at least `minimumPoints`.
public struct PointsConversion: Sendable, Hashable, Codable {
    public var credit: PointsRules.PointValue?
    public var coins: CoinValue?
    public var minimumPoints: Int64?

    public struct CoinValue: Sendable, Hashable, Codable {
        public var coins: Int64
        public var points: Int64
    }
}

public struct PointsRedemption: Sendable, Hashable, Codable {
    public var rate: PointsRules.PointValue
    /// The smallest redemption, as a share of the bill (absent: none).
    public var minShare: Percent?
    /// The largest redemption, as a share of the bill.
    public var maxShare: Percent
}
