import Foundation
import KioskCore

extension LoyaltyEngine {
    /// Spends exactly `points` points as a discount on a bill (the amount due after the offers
    /// and the voucher), at the program's `points.redemption` rate, soonest-expiring lots first.
    ///
    /// Refused when the program has no redemption (`points.no-redemption`), when `points` is
    /// not a positive multiple of the rate's points (`points.bad-amount`: no point is spent for
    /// a fraction of a Rial), when the member has fewer spendable points
    /// (`points.insufficient`), or when the discount is below `minShare` or above `maxShare` of
    /// the bill (`points.below-minimum-share`, `points.above-maximum-share`).
    func spendPoints(_ points: Int64, bill: Int64, request: PurchaseRequest,
                     member: MemberState) throws(Refusal) -> (discount: Int64, postings: [Posting]) {
        guard let rules = program.points.redemption else {
            throw Refusal("points.no-redemption", "this program does not let points be spent at a purchase")
        }
        let rate = rules.rate
        guard points > 0, points % rate.points == 0 else {
            throw Refusal("points.bad-amount", "points are spent in multiples of \(rate.points), more than 0 (asked \(points))")
        }
        // Bounded: points ≤ 10^12 are checked against the member's below, rates by the validator.
        let (product, overflow) = (points / rate.points).multipliedReportingOverflow(by: rate.rial)
        guard !overflow else { throw Refusal("points.bad-amount", "\(points) points are more than a purchase can take") }
        let discount = product
        let maximum = Allocation.floorScaled(bill, rules.maxShare.basisPoints, 10_000)
        guard discount <= maximum else {
            let most = maximum / rate.rial * rate.points
            throw Refusal("points.above-maximum-share",
                          "\(points) points are worth \(discount) Rial, more than \(rules.maxShare) of the \(bill) Rial bill (at most \(most) points)")
        }
        if let minShare = rules.minShare {
            let minimum = Allocation.floorScaled(bill, minShare.basisPoints, 10_000)
            guard discount >= minimum else {
                throw Refusal("points.below-minimum-share",
                              "\(points) points are worth \(discount) Rial, less than \(minShare) of the \(bill) Rial bill")
            }
        }
        let available = LotBook.available(member.lots, .points, at: request.at) + min(0, member.unlotted[.points] ?? 0)
        guard points <= available,
              let draws = LotBook.draw(points, of: .points, from: member.lots, at: request.at, member: member.memberID) else {
            throw Refusal("points.insufficient", "the member has \(max(0, available)) points, not \(points)")
        }
        return (discount, draws.map { var p = $0; p.reason = "spend.points"; return p })
    }
}
