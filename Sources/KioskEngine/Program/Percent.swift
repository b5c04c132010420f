import KioskCore

/// A percentage held exactly, in basis points (1 % = 100 basis points), so that 7.5 % is
/// `Percent(basisPoints: 750)` and never a floating-point number.
///
/// In a program file a percentage is written as an integer (`5`) or as a decimal string with at
/// most two decimals (`"7.5"`, `"0.25"`).
public struct Percent: Hashable, Sendable, Comparable, Codable, CustomStringConvertible {
    public let basisPoints: Int64

    public init(basisPoints: Int64) { self.basisPoints = basisPoints }

    /// A whole percentage.
    public static func whole(_ percent: Int64) -> Percent { Percent(basisPoints: percent * 100) }

    public static let zero = Percent(basisPoints: 0)

    /// The largest percentage a program may write (written as an integer or as a string), so that
    /// its basis points, and their product with any bounded amount, stay far from overflow.
    public static let maxWhole: Int64 = 1_000_000

    public static func < (lhs: Percent, rhs: Percent) -> Bool { lhs.basisPoints < rhs.basisPoints }

    /// This percentage of `amount`, rounded down (awards and discounts always round down).
    public func of(_ amount: Rial) throws(MoneyError) -> Rial {
        try amount.scaled(by: basisPoints, over: 10_000)
    }

    /// This percentage of a count (points, coins), rounded down.
    public func of(count: Int64) -> Int64 {
        let product = count.multipliedFullWidth(by: basisPoints)
        let (q, r) = Int64(10_000).dividingFullWidth(product)
        return (r != 0 && r < 0) ? q - 1 : q
    }

    public var description: String { "\(text)%" }

    /// The percentage as written in a program file: `5`, `7.5`, `0.25`.
    public var text: String {
        let whole = basisPoints / 100, fraction = basisPoints % 100
        if fraction == 0 { return "\(whole)" }
        if fraction % 10 == 0 { return "\(whole).\(fraction / 10)" }
        return "\(whole).\(fraction < 10 ? "0" : "")\(fraction)"
    }

    /// Parses `"7.5"`, `"10"`, `"0.25"` exactly; nil for anything else.
    public static func parse(_ text: String) -> Percent? {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 1 || parts.count == 2,
              let whole = Int64(parts[0]), whole >= 0, whole <= maxWhole else { return nil }
        var fraction: Int64 = 0
        if parts.count == 2 {
            let digits = parts[1]
            guard (1...2).contains(digits.count), digits.allSatisfy(\.isASCII), let value = Int64(digits), value >= 0 else { return nil }
            fraction = digits.count == 1 ? value * 10 : value
        }
        return Percent(basisPoints: whole * 100 + fraction)
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let integer = try? container.decode(Int64.self) {
            guard integer >= 0 else {
                throw DecodingError.dataCorruptedError(in: container, debugDescription: "a percentage cannot be negative")
            }
            guard integer <= Percent.maxWhole else {
                throw DecodingError.dataCorruptedError(in: container, debugDescription: "\(integer) is more than \(Percent.maxWhole)%, the largest percentage a program may name")
            }
            self.init(basisPoints: integer * 100)
            return
        }
        let text = try container.decode(String.self)
        guard let parsed = Percent.parse(text) else {
            throw DecodingError.dataCorruptedError(
                in: container, debugDescription: "\"\(text)\" is not a percentage: write an integer or a decimal string with at most two decimals, like \"7.5\"")
        }
        self = parsed
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        if basisPoints % 100 == 0 {
            try container.encode(basisPoints / 100)
        } else {
            try container.encode(text)
        }
    }
}

import Foundation
