import Foundation
import GRDB
import KioskCore
import KioskEngine
import KioskStore

/// What a sweep did for one member.
public struct SweepResult: Sendable, Hashable, Codable {
    public var member: MemberID
    public var expired: [String: Int64]
    public var tierBefore: String?
    public var tierAfter: String?
    /// Gift credit occasions granted today (birthday, anniversary, holiday).
    public var occasions: [String] = []
    /// Reminders sent for lots that expire soon.
    public var reminders: [ExpiryReminder] = []
}

extension LoyaltyService {
    /// The daily sweep at `at`: for every member, one operation that expires what is left of
    /// their expired lots and applies a tier downgrade (upgrades happen at once at purchases),
    /// keyed by `keyPrefix`, the member and the minute, so a repeated sweep at the same instant
    /// writes nothing; then the gift credit of the day's occasions (once per occasion and year)
    /// and a reminder for every lot that expires within `reminders.daysBefore` (once per lot).
    public func sweep(at: Date, keyPrefix: String = "sweep", branch: BranchID) throws(LoyaltyError) -> [SweepResult] {
        var results: [SweepResult] = []
        let members = try storing { () throws(StoreError) in try store.memberIDs() }
        let minute = Int64(at.timeIntervalSince1970 / 60)
        for member in members {
            let state: MemberState
            do { state = try self.state(of: member, at: at) } catch {
                if case .refused = error { continue }
                throw error
            }
            let expiry = engine.sweepExpired(state, at: at)
            let tier = engine.evaluateTier(state)
            let downgrade = (program.tiers?.rank(of: tier) ?? -1) < (program.tiers?.rank(of: state.tier) ?? -1)
            let occasions = try grantOccasions(state, at: at, branch: branch)
            let reminders = try sendReminders(state, at: at, branch: branch)
            var result = SweepResult(member: member, expired: expiry.expired, tierBefore: state.tier, tierAfter: downgrade ? tier : state.tier)
            result.occasions = occasions
            result.reminders = reminders
            guard !expiry.postings.isEmpty || downgrade else {
                if !occasions.isEmpty || !reminders.isEmpty { results.append(result) }
                continue
            }
            struct Request: Codable { var member: MemberID; var at: Date }
            _ = try retryingStale { () throws(LoyaltyError) -> Committed<SweepResult> in
                try commit(Operation(
                    kind: "sweep", key: "\(keyPrefix)/\(member.rawValue)/\(minute)", member: member, branch: branch, operatorID: nil, at: at,
                    request: try Self.encode(Request(member: member, at: at)), outcome: result, postings: expiry.postings,
                    eventType: expiry.postings.isEmpty ? "tier.changed" : "points.expired",
                    also: { db, tx, _ in
                        if downgrade { try KioskStore.setTier(member, from: state.tier, to: tier, transaction: tx, at: at, in: db) }
                    }))
            }
            results.append(result)
        }
        return results
    }

    /// Every member's lots that expire within `days` days (for reminders).
    public func expiringSoon(within days: Int, at: Date) throws(LoyaltyError) -> [ExpiringLot] {
        var out: [ExpiringLot] = []
        for member in try storing({ () throws(StoreError) in try store.memberIDs() }) {
            guard let state = try? self.state(of: member, at: at) else { continue }
            out += engine.expiringSoon(state, within: days, at: at)
        }
        return out
    }
}
