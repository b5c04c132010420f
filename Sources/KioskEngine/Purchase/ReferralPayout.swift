import Foundation
import KioskCore

extension LoyaltyEngine {
    /// The referrer's reward as postings: lots in the referrer's name, created by the operation
    /// that pays it (the referee's enrollment or first purchase).
    func referralPostings(_ payout: ReferralPayout, key: String, at: Date) -> [Posting] {
        var postings: [Posting] = []
        if payout.points > 0 {
            postings.append(Posting(member: payout.referrer, account: .points, amount: payout.points,
                                    lot: Self.lot(key, "referral-points"), expiresAt: expiry(program.points.expiry, from: at), reason: "award.referral"))
        }
        if payout.coins > 0 {
            postings.append(Posting(member: payout.referrer, account: .coins, amount: payout.coins,
                                    lot: Self.lot(key, "referral-coins"), expiresAt: expiry(program.coins?.expiry, from: at), reason: "award.referral"))
        }
        if payout.credit.amount > 0 {
            postings.append(Posting(member: payout.referrer, account: .credit, amount: payout.credit.amount,
                                    lot: Self.lot(key, "referral-credit"), expiresAt: expiry(program.cashback?.expiry, from: at), reason: "award.referral"))
        }
        return postings
    }
}
