import KioskCore

/// Tiers by spend (or points earned) over a rolling window.
public struct TierRules: Sendable, Hashable, Codable {
    public enum Basis: String, Sendable, Hashable, CaseIterable, Codable {
        /// Net Rial spent (purchases minus returns) within the window.
        case spend
        /// Points earned by purchases (minus returns) within the window.
        case points
    }

    public var basis: Basis
    /// The rolling window in days.
    public var windowDays: Int
    /// The tiers from lowest to highest; thresholds strictly increase; the first is 0.
    public var levels: [Tier]

    public struct Tier: Sendable, Hashable, Codable {
        public var name: String
        /// The window total (Rial or points) from which this tier applies.
        public var threshold: Int64
        /// Points multiplier in percent (100 = none).
        public var pointsMultiplier: Percent?
        /// Extra cashback on top of the program's, in percent.
        public var extraCashback: Percent?
        /// Free-text benefits shown to the member.
        public var benefits: [String]?
    }

    /// The tier a window total reaches.
    public func tier(for total: Int64) -> Tier? {
        levels.last { total >= $0.threshold }
    }

    /// The rank of a tier by name (0 = lowest); nil for an unknown or absent tier.
    public func rank(of name: String?) -> Int? {
        guard let name else { return nil }
        return levels.firstIndex { $0.name == name }
    }
}
