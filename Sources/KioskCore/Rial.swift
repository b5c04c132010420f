/// An exact amount of money in Iranian Rial.
///
/// Money never touches floating point: the amount is a signed 64-bit integer number of Rial,
/// and every operation that could overflow reports it instead of wrapping. Amounts are shown
/// to people in Toman (1 Toman = 10 Rial); see `tomanRoundedDown`.
public struct Rial: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    /// The amount in Rial. Negative amounts are debits.
    public let amount: Int64

    public init(_ amount: Int64) { self.amount = amount }

    /// An amount given in Toman, converted exactly (1 Toman = 10 Rial).
    public static func toman(_ toman: Int64) throws(MoneyError) -> Rial {
        let (value, overflow) = toman.multipliedReportingOverflow(by: 10)
        if overflow { throw .overflow }
        return Rial(value)
    }

    public static let zero = Rial(0)

    /// Whole Toman in this amount, rounded toward zero; the Rial remainder is `amount % 10`.
    public var tomanRoundedDown: Int64 { amount / 10 }

    public var isNegative: Bool { amount < 0 }

    public static func < (lhs: Rial, rhs: Rial) -> Bool { lhs.amount < rhs.amount }

    public func adding(_ other: Rial) throws(MoneyError) -> Rial {
        let (value, overflow) = amount.addingReportingOverflow(other.amount)
        if overflow { throw .overflow }
        return Rial(value)
    }

    public func subtracting(_ other: Rial) throws(MoneyError) -> Rial {
        let (value, overflow) = amount.subtractingReportingOverflow(other.amount)
        if overflow { throw .overflow }
        return Rial(value)
    }

    /// The amount with its sign flipped; `.overflow` for `Int64.min`, which has no opposite.
    public var negated: Rial {
        get throws(MoneyError) {
            let (value, overflow) = Int64(0).subtractingReportingOverflow(amount)
            if overflow { throw .overflow }
            return Rial(value)
        }
    }

    /// `amount × numerator / denominator`, rounded toward negative infinity (awards round down),
    /// computed without intermediate overflow; `.overflow` when the result does not fit.
    public func scaled(by numerator: Int64, over denominator: Int64) throws(MoneyError) -> Rial {
        guard denominator > 0 else { throw .invalidRatio }
        let product = amount.multipliedFullWidth(by: numerator)
        // floor(p / d) fits Int64 exactly when Int64.min × d ≤ p ≤ Int64.max × d + (d - 1)
        // (128-bit comparisons); dividingFullWidth would trap otherwise.
        let lowest = Int64.min.multipliedFullWidth(by: denominator)
        var highest = Int64.max.multipliedFullWidth(by: denominator)
        let (low, carry) = highest.low.addingReportingOverflow(UInt64(denominator - 1))
        highest = (carry ? highest.high + 1 : highest.high, low)
        func lessOrEqual(_ a: (high: Int64, low: UInt64), _ b: (high: Int64, low: UInt64)) -> Bool {
            a.high < b.high || (a.high == b.high && a.low <= b.low)
        }
        guard lessOrEqual(lowest, product), lessOrEqual(product, highest) else { throw .overflow }
        let (quotient, remainder) = denominator.dividingFullWidth(product)
        // dividingFullWidth truncates toward zero; floor for negative results.
        let floored = (remainder != 0 && (remainder < 0) != (denominator < 0)) ? quotient - 1 : quotient
        return Rial(floored)
    }

    public var description: String { "\(amount) IRR" }

    public init(from decoder: any Decoder) throws {
        amount = try decoder.singleValueContainer().decode(Int64.self)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(amount)
    }
}

public enum MoneyError: Error, Equatable, Sendable, CustomStringConvertible {
    case overflow
    case invalidRatio

    public var description: String {
        switch self {
        case .overflow: "amount out of range"
        case .invalidRatio: "a ratio's denominator must be positive"
        }
    }
}
