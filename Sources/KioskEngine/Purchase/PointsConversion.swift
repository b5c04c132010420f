import Foundation
import KioskCore

/// Points turned into credit or coins: the points spent, soonest-expiring first, and a new lot
/// of the target (`<key>/credit` or `<key>/coins`) with that account's own expiry.
public struct ConversionOutcome: Sendable, Hashable, Codable {
    public var points: Int64
    public var account: Account
    /// Rial of credit, or coins.
    public var amount: Int64
    public var postings: [Posting]
}

extension LoyaltyEngine {
    /// Converts exactly `points` points into `account` (credit or coins) at the program's
    /// `points.conversion` rate.
    ///
    /// Refused when the program converts no points into that account (`points.no-conversion`),
    /// when `points` is not a positive multiple of the rate's points (`points.bad-amount`: no
    /// point is spent for a fraction of a Rial or coin), below `minimumPoints`
    /// (`points.below-minimum`), or beyond what the member can spend (`points.insufficient`).
    public func convertPoints(_ points: Int64, to account: Account, key: String, member: MemberState,
                              at: Date) throws(Refusal) -> ConversionOutcome {
        let rate: (points: Int64, value: Int64)?
        let expiry: ExpiryRule?
        switch account {
        case .credit:
            rate = program.points.conversion?.credit.map { ($0.points, $0.rial) }
            expiry = program.cashback?.expiry
        case .coins:
            rate = program.points.conversion?.coins.map { ($0.points, $0.coins) }
            expiry = program.coins?.expiry
        default:
            rate = nil
            expiry = nil
        }
        guard let rate else {
            throw Refusal("points.no-conversion", "this program does not convert points into \(account.rawValue)")
        }
        guard points > 0, points % rate.points == 0 else {
            throw Refusal("points.bad-amount", "points are converted in multiples of \(rate.points), more than 0 (asked \(points))")
        }
        if let minimum = program.points.conversion?.minimumPoints, points < minimum {
            throw Refusal("points.below-minimum", "at least \(minimum) points are converted at a time (asked \(points))")
        }
        let (amount, overflow) = (points / rate.points).multipliedReportingOverflow(by: rate.value)
        guard !overflow, amount <= AmountLimits.maxPosting else {
            throw Refusal("points.bad-amount", "\(points) points are more than one conversion can take")
        }
        let available = LotBook.available(member.lots, .points, at: at) + min(0, member.unlotted[.points] ?? 0)
        guard points <= available, let draws = LotBook.draw(points, of: .points, from: member.lots, at: at, member: member.memberID) else {
            throw Refusal("points.insufficient", "the member has \(max(0, available)) points, not \(points)")
        }
        var postings = draws.map { var p = $0; p.reason = "spend.conversion"; return p }
        postings.append(Posting(member: member.memberID, account: account, amount: amount, lot: Self.lot(key, account.rawValue),
                                expiresAt: self.expiry(expiry, from: at), reason: "award.conversion"))
        return ConversionOutcome(points: points, account: account, amount: amount, postings: postings)
    }
}
