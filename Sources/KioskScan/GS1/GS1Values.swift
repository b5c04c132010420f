/// An exact decimal number as GS1 writes them: the digits, and the position of the decimal point
/// that the AI's last digit gives (`3103` `000123` is 0.123 kg). No floating point: prices and
/// weights stay exact.
public struct GS1Decimal: Sendable, Hashable, CustomStringConvertible {
    /// The digits as an integer: the value is `significand` × 10^−`decimals`.
    public let significand: Int64
    public let decimals: Int

    public init(significand: Int64, decimals: Int) {
        self.significand = significand
        self.decimals = decimals
    }

    /// `0.123`, `12`, `1.50`.
    public var description: String {
        guard decimals > 0 else { return String(significand) }
        let digits = String(significand)
        let padded = String(repeating: "0", count: max(0, decimals + 1 - digits.count)) + digits
        return padded.dropLast(decimals) + "." + padded.suffix(decimals)
    }
}

/// A trade or logistic measure (AIs 31nn–36nn): what is measured, its unit, and the value.
public struct GS1Measure: Sendable, Hashable {
    public let ai: String
    /// `NET WEIGHT`, `LENGTH`, `GROSS WEIGHT`, … (the dictionary's title without the unit).
    public let quantity: String
    /// `kg`, `m`, `lb`, `m²`, `kg/m²`, …
    public let unit: String
    /// A logistic measure (of a logistic unit, AIs 33nn, 34nn, …) rather than a trade measure.
    public let logistic: Bool
    public let value: GS1Decimal
}

/// An amount (AIs 390n–395n): what kind, its ISO 4217 currency when the AI carries one, the value.
public struct GS1Amount: Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable {
        /// 390n, 391n: the amount payable, or a coupon's value.
        case amountPayable = "amount payable"
        /// 392n, 393n: the price of a variable-measure trade item.
        case price
        /// 394n: a percentage off.
        case percentOff = "percentage off"
        /// 395n: the price per unit of measure.
        case pricePerUnit = "price per unit of measure"
    }

    public let ai: String
    public let kind: Kind
    /// The ISO 4217 numeric currency code (391n, 393n); nil where the AI implies the local one.
    public let currency: Int?
    public let value: GS1Decimal
}

/// Roll products (AI 8001): width, length, core diameter, winding direction and splices.
public struct GS1RollDimensions: Sendable, Hashable {
    public enum Winding: Int, Sendable, Hashable { case faceOut = 0, faceIn = 1, undefined = 9 }
    public let widthMillimetres: Int
    public let lengthMetres: Int
    public let coreDiameterMillimetres: Int
    public let winding: Winding
    public let splices: Int
}

extension GS1ElementString {
    /// The measures (31nn–36nn), in the order scanned.
    public var measures: [GS1Measure] {
        elements.compactMap { e in
            let ai = Array(e.ai.utf8)
            guard ai.count == 4, (0x31...0x36).contains(ai[1]), let value = Self.decimal(e.value.utf8, decimals: ai[3]) else { return nil }
            let (quantity, unit, logistic) = Self.measureTitle(e.title)
            return GS1Measure(ai: e.ai, quantity: quantity, unit: unit, logistic: logistic, value: value)
        }
    }

    /// The amounts (390n–395n), in the order scanned.
    public var amounts: [GS1Amount] {
        elements.compactMap { e in
            let ai = Array(e.ai.utf8)
            guard ai.count == 4, ai[0] == 0x33, ai[1] == 0x39, (0x30...0x35).contains(ai[2]) else { return nil }
            let kind: GS1Amount.Kind = switch ai[2] {
            case 0x30, 0x31: .amountPayable
            case 0x32, 0x33: .price
            case 0x34: .percentOff
            default: .pricePerUnit
            }
            let withCurrency = ai[2] == 0x31 || ai[2] == 0x33
            let digits = Array(e.value.utf8)[...]
            let currency = withCurrency ? GS1Linter.number(digits.prefix(3)) : nil
            guard let value = Self.decimal(withCurrency ? digits.dropFirst(3) : digits, decimals: ai[3]) else { return nil }
            return GS1Amount(ai: e.ai, kind: kind, currency: currency, value: value)
        }
    }

    /// The roll dimensions (8001), if present.
    public var rollDimensions: GS1RollDimensions? {
        guard let value = self["8001"] else { return nil }
        let d = Array(value.utf8)[...]
        guard d.count == 14, let width = GS1Linter.number(d.prefix(4)), let length = GS1Linter.number(d.dropFirst(4).prefix(5)),
              let core = GS1Linter.number(d.dropFirst(9).prefix(3)), let w = GS1Linter.number(d.dropFirst(12).prefix(1)),
              let winding = GS1RollDimensions.Winding(rawValue: w), let splices = GS1Linter.number(d.suffix(1)) else { return nil }
        return GS1RollDimensions(widthMillimetres: width, lengthMetres: length, coreDiameterMillimetres: core, winding: winding, splices: splices)
    }

    private static func decimal<C: Collection>(_ value: C, decimals digit: UInt8) -> GS1Decimal? where C.Element == UInt8 {
        guard !value.isEmpty, value.count <= 18, digit >= 0x30, digit <= 0x39 else { return nil }
        var n: Int64 = 0
        for d in value {
            guard d >= 0x30, d <= 0x39 else { return nil }
            n = n * 10 + Int64(d - 0x30)
        }
        return GS1Decimal(significand: n, decimals: Int(digit - 0x30))
    }

    /// `NET WEIGHT (kg)` → (`NET WEIGHT`, `kg`, false); `LENGTH (m), log` → (`LENGTH`, `m`, true).
    private static func measureTitle(_ title: String) -> (String, String, Bool) {
        if title == "KG PER m²" { return ("WEIGHT PER AREA", "kg/m²", false) }
        guard let open = title.firstIndex(of: "("), let close = title[open...].firstIndex(of: ")") else { return (title, "", false) }
        let quantity = String(title[..<open].trimmingSuffix(" "))
        return (quantity, String(title[title.index(after: open)..<close]), title[close...].contains("log"))
    }
}

extension Substring {
    fileprivate func trimmingSuffix(_ c: Character) -> Substring {
        var s = self
        while s.last == c { s = s.dropLast() }
        return s
    }
}
