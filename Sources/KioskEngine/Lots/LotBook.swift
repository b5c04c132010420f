import Foundation
import KioskCore

/// Spending from lots: the soonest-expiring lot first, lots that never expire last; among equal
/// expiries the oldest lot first, then by id, so the order is total and reproducible.
public enum LotBook {
    /// The lots of `account` that can be spent at `instant`: something left, not expired, and
    /// created by then (the state as of the event: a lot awarded by a later-dated operation, from
    /// a kiosk clock stepped back or an event replayed out of order, is not yet there to spend).
    public static func spendable(_ lots: [Lot], _ account: Account, at instant: Date) -> [Lot] {
        lots.filter { $0.account == account && $0.remaining > 0 && $0.createdAt <= instant && ($0.expiresAt.map { $0 > instant } ?? true) }
            .sorted(by: spendingOrder)
    }

    /// The order in which lots are spent.
    public static func spendingOrder(_ a: Lot, _ b: Lot) -> Bool {
        switch (a.expiresAt, b.expiresAt) {
        case let (x?, y?) where x != y: return x < y
        case (.some, nil): return true
        case (nil, .some): return false
        default:
            if a.createdAt != b.createdAt { return a.createdAt < b.createdAt }
            return a.id < b.id
        }
    }

    /// What can be spent of `account` at `instant`.
    public static func available(_ lots: [Lot], _ account: Account, at instant: Date) -> Int64 {
        spendable(lots, account, at: instant).reduce(0) { $0 + $1.remaining }
    }

    /// Draws `amount` from the spendable lots of `account`, in spending order; nil when there is
    /// not enough. Each draw is a negative posting against its lot.
    public static func draw(_ amount: Int64, of account: Account, from lots: [Lot], at instant: Date,
                            member: MemberID) -> [Posting]? {
        guard amount > 0 else { return [] }
        var left = amount
        var postings: [Posting] = []
        for lot in spendable(lots, account, at: instant) where left > 0 {
            let take = min(lot.remaining, left)
            postings.append(Posting(member: member, account: account, amount: -take, lot: lot.id))
            left -= take
        }
        return left == 0 ? postings : nil
    }

    /// Applies postings to a set of lots (new lots are added), as the ledger would.
    public static func apply(_ postings: [Posting], to lots: [Lot], member: MemberID, at instant: Date) -> [Lot] {
        var result = lots
        for posting in postings where posting.member == member {
            guard let lotID = posting.lot else { continue }
            if let index = result.firstIndex(where: { $0.id == lotID }) {
                result[index].remaining += posting.amount
            } else {
                result.append(Lot(id: lotID, account: posting.account, remaining: posting.amount, createdAt: instant,
                                  expiresAt: posting.expiresAt, restrictions: posting.restrictions))
            }
        }
        return result
    }
}

/// A ledger entry the engine decided: what the store writes as a `LedgerPosting`.
public struct Posting: Sendable, Hashable, Codable {
    public var member: MemberID
    public var account: Account
    /// Signed: positive awards, negative spends, expiries and reversals. Never zero.
    public var amount: Int64
    /// The lot created (awards) or drawn from.
    public var lot: LotID?
    /// Only on the posting that creates a lot.
    public var expiresAt: Date?
    public var restrictions: LotRestrictions?
    /// Why: `award.points`, `spend.credit`, `expiry`, `return.points`…
    public var reason: String?

    public init(member: MemberID, account: Account, amount: Int64, lot: LotID? = nil, expiresAt: Date? = nil,
                restrictions: LotRestrictions? = nil, reason: String? = nil) {
        self.member = member
        self.account = account
        self.amount = amount
        self.lot = lot
        self.expiresAt = expiresAt
        self.restrictions = restrictions
        self.reason = reason
    }
}
