import Foundation
import KioskCore

public struct ExpiryOutcome: Sendable, Hashable, Codable {
    public var expired: [String: Int64]
    public var postings: [Posting]
}

public struct ExpiringLot: Sendable, Hashable, Codable {
    public var member: MemberID
    public var lot: LotID
    public var account: Account
    public var remaining: Int64
    public var expiresAt: Date
}

extension LoyaltyEngine {
    /// Expires what is left of every lot whose expiry has passed: one negative posting per lot.
    public func sweepExpired(_ member: MemberState, at: Date) -> ExpiryOutcome {
        var expired: [String: Int64] = [:]
        var postings: [Posting] = []
        for lot in member.lots.sorted(by: LotBook.spendingOrder) where lot.remaining > 0 {
            guard let expiresAt = lot.expiresAt, expiresAt <= at else { continue }
            postings.append(Posting(member: member.memberID, account: lot.account, amount: -lot.remaining, lot: lot.id, reason: "expiry"))
            expired[lot.account.rawValue, default: 0] += lot.remaining
        }
        return ExpiryOutcome(expired: expired, postings: postings)
    }

    /// The lots that expire within `days` days after `at` (for reminders), soonest first.
    public func expiringSoon(_ member: MemberState, within days: Int, at: Date) -> [ExpiringLot] {
        let horizon = at.addingTimeInterval(TimeInterval(days) * 86_400)
        return member.lots.sorted(by: LotBook.spendingOrder).compactMap { lot in
            guard lot.remaining > 0, let e = lot.expiresAt, e > at, e <= horizon else { return nil }
            return ExpiringLot(member: member.memberID, lot: lot.id, account: lot.account, remaining: lot.remaining, expiresAt: e)
        }
    }

    /// Tier evaluation: the tier the window total reaches now. Upgrades happen at once at the
    /// purchase; this is where downgrades happen.
    public func evaluateTier(_ member: MemberState) -> String? {
        guard let tiers = program.tiers else { return member.tier }
        return tiers.tier(for: member.tierWindowTotal)?.name
    }
}
