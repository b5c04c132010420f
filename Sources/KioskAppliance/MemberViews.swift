import Foundation
import KioskCore
import KioskEngine
import KioskLoyalty
import KioskSession
import KioskStore

/// What the welcome screen shows of a member, from the store (balances from the ledger's cache,
/// the name from the member's personal data) and the program (tier progress, the wheel's cost).
/// The name is personal data: it goes to the member's own screen, never to a log.
public struct MemberViews: Sendable {
    private let source: @Sendable () -> LoyaltyService
    /// The program served now (a reload replaces it between two views).
    public var loyalty: LoyaltyService { source() }

    public init(loyalty: LoyaltyService) { source = { loyalty } }

    public init(active: ActiveProgram) { source = { active.loyalty } }

    public func view(of member: MemberID, at: Date) throws -> MemberView {
        // One program for the whole view, even if a reload lands while it is built.
        let loyalty = self.loyalty
        let store = loyalty.store
        let program = loyalty.program
        let state = try loyalty.state(of: member, at: at)
        let balances = try store.balances(of: member)
        let name = try store.personal(of: member)?.name ?? ""
        var view = MemberView(id: member, displayName: name, balances: balances, tier: state.tier)
        if let tiers = program.tiers, let rank = tiers.rank(of: state.tier), rank + 1 < tiers.levels.count {
            let from = tiers.levels[rank].threshold, to = tiers.levels[rank + 1].threshold
            let done = min(max(state.tierWindowTotal - from, 0), to - from)
            view.tierProgressPerMille = to > from ? Int(done * 1000 / (to - from)) : nil
            view.nextTier = tiers.levels[rank + 1].name
        }
        if let wheel = program.wheel {
            view.spin = SpinAvailability(freeSpins: 0, costInCoins: wheel.costCoins)
        }
        return view
    }
}
