import Foundation
import KioskCore

/// Which of a member's open lots a state read brings: all of them, or, per account, only the
/// first ones in spending order (soonest expiry first, never-expiring last, then oldest, then by
/// id) that are spendable at an instant and together cover an amount. An operation that spends
/// at most N of an account needs no more than those, so its read does not grow with the number of
/// lots the member has collected.
public struct LotSelection: Sendable, Hashable {
    /// Accounts whose every open lot is read (spendable or not).
    public var whole: Set<Account>
    /// Accounts read in spending order, only lots spendable at `at` (something left, not expired,
    /// created by then), until they cover the amount
    /// (plus what the account owes outside lots, which is taken first).
    public var covering: [Account: Int64]
    /// Lots read by id whatever their account (when they have something left or are below
    /// zero): the lots a return gives back into or takes back from.
    public var named: Set<LotID>
    /// The instant spendability is judged at.
    public var at: Date

    public init(whole: Set<Account> = [], covering: [Account: Int64] = [:], named: Set<LotID> = [], at: Date) {
        self.whole = whole
        self.covering = covering
        self.named = named
        self.at = at
    }

    /// Every open lot of every account.
    public static let all = LotSelection(whole: Set(Account.allCases), at: .distantPast)
}
