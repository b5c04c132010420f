/// The GS1 mod-10 check digit (GTIN, SSCC, GLN, GSIN, …): digits weighted 3, 1, 3, … from the
/// right, excluding the check digit itself (GS1 General Specifications §7.9).
public enum GS1CheckDigit {
    /// The check digit for `digits` (ASCII `0`–`9`, without the check digit); nil if a byte is not
    /// a digit.
    public static func compute<C: Collection>(_ digits: C) -> UInt8? where C.Element == UInt8 {
        var sum = 0
        var weight = 3
        for d in digits.reversed() {
            guard d >= 0x30, d <= 0x39 else { return nil }
            sum += Int(d - 0x30) * weight
            weight = 4 - weight
        }
        return UInt8((10 - sum % 10) % 10) + 0x30
    }

    /// Whether the last digit of `digits` is the check digit of the ones before it.
    public static func isValid<C: BidirectionalCollection>(_ digits: C) -> Bool where C.Element == UInt8 {
        guard let last = digits.last, digits.count >= 2 else { return false }
        return compute(digits.dropLast()) == last
    }
}
