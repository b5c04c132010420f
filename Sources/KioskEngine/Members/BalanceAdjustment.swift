import Foundation
import KioskCore

/// A manager's correction of a member's balance: a signed amount of points, credit (Rial) or
/// coins, with the reason they chose. An addition is a new lot (`<key>/adjust`) with the
/// account's own expiry; a deduction spends the member's lots, soonest-expiring first.
public struct BalanceAdjustmentOutcome: Sendable, Hashable, Codable {
    public var account: Account
    /// Signed: positive adds, negative deducts. Never zero.
    public var amount: Int64
    public var reason: String
    public var postings: [Posting]
}

extension LoyaltyEngine {
    /// The accounts a manager may adjust by hand. Gift credit is granted by its occasions only.
    public static let adjustableAccounts: [Account] = [.points, .credit, .coins]

    /// Adjusts `account` by `amount` (signed) for `reason`.
    ///
    /// Refused for an account that cannot be adjusted (`adjust.bad-account`), a zero amount or one
    /// beyond `AmountLimits.maxPosting` (`adjust.bad-amount`), an empty reason
    /// or one longer than 200 characters (`adjust.no-reason`), and a deduction beyond what the member has (`adjust.insufficient`:
    /// a correction never takes a balance below zero).
    public func adjustBalance(_ amount: Int64, of account: Account, reason: String, key: String, member: MemberState,
                              at: Date) throws(Refusal) -> BalanceAdjustmentOutcome {
        guard Self.adjustableAccounts.contains(account) else {
            throw Refusal("adjust.bad-account", "\(account.rawValue) is not adjusted by hand")
        }
        guard amount != 0, amount != .min, abs(amount) <= AmountLimits.maxPosting else {
            throw Refusal("adjust.bad-amount", "an adjustment is a non-zero amount of at most \(AmountLimits.maxPosting) (asked \(amount))")
        }
        let why = reason.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !why.isEmpty else { throw Refusal("adjust.no-reason", "an adjustment needs a reason") }
        guard why.count <= 200 else { throw Refusal("adjust.no-reason", "a reason is at most 200 characters (\(why.count) given)") }
        let postings: [Posting]
        if amount > 0 {
            let rule: ExpiryRule? = switch account {
            case .points: program.points.expiry
            case .credit: program.cashback?.expiry
            case .coins: program.coins?.expiry
            case .giftCredit: nil
            }
            postings = [Posting(member: member.memberID, account: account, amount: amount, lot: Self.lot(key, "adjust"),
                                expiresAt: expiry(rule, from: at), reason: "adjust.add")]
        } else {
            let wanted = -amount
            let available = LotBook.available(member.lots, account, at: at) + min(0, member.unlotted[account] ?? 0)
            guard wanted <= available, let draws = LotBook.draw(wanted, of: account, from: member.lots, at: at, member: member.memberID) else {
                throw Refusal("adjust.insufficient", "the member has \(max(0, available)) \(account.rawValue), not \(wanted) to deduct")
            }
            postings = draws.map { var p = $0; p.reason = "adjust.deduct"; return p }
        }
        return BalanceAdjustmentOutcome(account: account, amount: amount, reason: why, postings: postings)
    }
}
