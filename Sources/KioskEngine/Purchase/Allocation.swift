/// Splits integer amounts exactly.
enum Allocation {
    /// Splits `total` over `weights` in proportion, by the largest-remainder method: the parts
    /// add up to `total` exactly, each part is at most its weight when `total ≤ Σ weights`, and
    /// ties go to the earlier weight. Weights must not be negative.
    static func proportional(_ total: Int64, over weights: [Int64]) -> [Int64] {
        let sum = weights.reduce(0, +)
        guard total > 0, sum > 0 else { return weights.map { _ in 0 } }
        var parts: [Int64] = []
        var remainders: [(index: Int, remainder: Int64)] = []
        for (i, w) in weights.enumerated() {
            let (q, r) = sum.dividingFullWidth(total.multipliedFullWidth(by: w))
            parts.append(q)
            remainders.append((i, r))
        }
        var left = total - parts.reduce(0, +)
        for entry in remainders.sorted(by: { $0.remainder != $1.remainder ? $0.remainder > $1.remainder : $0.index < $1.index })
        where left > 0 {
            parts[entry.index] += 1
            left -= 1
        }
        return parts
    }

    /// `value × numerator / denominator` rounded up, for non-negative operands: how much of what
    /// a purchase spent a partial return gives back (rounding in the member's favour).
    static func ceilScaled(_ value: Int64, _ numerator: Int64, _ denominator: Int64) -> Int64 {
        guard denominator > 0 else { return 0 }
        let (q, r) = denominator.dividingFullWidth(value.multipliedFullWidth(by: numerator))
        return r > 0 ? q + 1 : q
    }

    /// `value × numerator / denominator` rounded down, for non-negative operands: how much of an
    /// award a partial return takes back (rounding in the member's favour).
    static func floorScaled(_ value: Int64, _ numerator: Int64, _ denominator: Int64) -> Int64 {
        guard denominator > 0 else { return 0 }
        return denominator.dividingFullWidth(value.multipliedFullWidth(by: numerator)).quotient
    }
}
