import Foundation
import KioskCore

/// Points at the earning rules: the rate of each product group, the time windows, the tier
/// multiplier, and each line's share (for returns).
extension LoyaltyEngine {
    /// The rate a product group earns at: its own, or the base rate.
    func rate(for group: String) -> RatePerRial {
        rates[group] ?? program.points.base
    }

    /// The multiplier of the best time window matching a line at `instant` (windows do not stack
    /// with one another; 100 % when none matches).
    func windowMultiplier(for group: String, at instant: Date) -> Percent {
        var best = Percent.whole(100)
        let weekday = calendar.isoWeekday(instant)
        let time = calendar.timeOfDay(instant)
        for window in program.points.windows ?? [] {
            if let groups = window.productGroups, !groups.contains(group) { continue }
            if let days = window.weekdays, !days.contains(weekday) { continue }
            if let from = window.from, let until = window.until {
                let inside = from < until ? (time >= from && time < until) : (time >= from || time < until)
                if !inside { continue }
            }
            if let dates = window.dates, !dates.contains(where: { calendar.isOn($0, instant) }) { continue }
            if window.multiplier > best { best = window.multiplier }
        }
        return best
    }

    /// Points on the net line amounts: per (rate, window) bucket, rounded down once per bucket;
    /// then the tier multiplier on the total, rounded down.
    func earnedPoints(request: PurchaseRequest, net: [Int64], tierMultiplier: Percent?) -> (base: Int64, windowed: Int64, tiered: Int64) {
        struct Bucket: Hashable { var units: Int64; var perRial: Int64; var multiplier: Int64 }
        var buckets: [Bucket: Int64] = [:]
        for (i, line) in request.lines.enumerated() where net[i] > 0 {
            let r = rate(for: line.productGroup)
            let m = windowMultiplier(for: line.productGroup, at: request.at)
            buckets[Bucket(units: r.units, perRial: r.perRial, multiplier: m.basisPoints), default: 0] += net[i]
        }
        var base: Int64 = 0, windowed: Int64 = 0
        for (bucket, amount) in buckets {
            let rate = RatePerRial(units: bucket.units, perRial: bucket.perRial)
            base += rate.award(for: Rial(amount))
            // amount × units × multiplier / (perRial × 10 000), rounded down once.
            let (amountUnits, overflow) = amount.multipliedReportingOverflow(by: bucket.units)
            windowed += overflow ? rate.award(for: Rial(amount)) : Allocation.floorScaled(amountUnits, bucket.multiplier, bucket.perRial * 10_000)
        }
        let tiered = tierMultiplier.map { $0.of(count: windowed) } ?? windowed
        return (base, windowed, tiered)
    }

    /// A line's points at its rate and window, unrounded, in 1/10 000 point.
    func pointsWeight(line: PurchaseLine, net: Int64, at instant: Date) -> Int64 {
        let r = rate(for: line.productGroup)
        let m = windowMultiplier(for: line.productGroup, at: instant)
        let (amountUnits, overflow) = net.multipliedReportingOverflow(by: r.units)
        guard !overflow, r.perRial > 0 else { return net }
        return Allocation.floorScaled(amountUnits, m.basisPoints, r.perRial)
    }
}
