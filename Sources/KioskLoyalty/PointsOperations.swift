import Foundation
import KioskCore
import KioskEngine
import KioskStore

extension LoyaltyService {
    /// Converts `points` of a member's points into credit or coins (`LoyaltyEngine.convertPoints`),
    /// committed in one transaction; a retry with the same key returns the first outcome, a
    /// refusal is recorded under the key.
    @discardableResult
    public func convertPoints(_ points: Int64, to account: Account, key: String, member: MemberID, branch: BranchID,
                              operatorID: OperatorID?, at: Date) throws(LoyaltyError) -> Committed<ConversionOutcome> {
        struct Request: Codable { var points: Int64; var to: Account; var member: MemberID; var at: Date }
        let requestData = try Self.encode(Request(points: points, to: account, member: member, at: at))
        if let done = try previous(key, request: requestData, as: ConversionOutcome.self) { return done }
        return try recordingRefusal(key, request: requestData, at: at) { () throws(LoyaltyError) -> Committed<ConversionOutcome> in
            try retryingStale { () throws(LoyaltyError) -> Committed<ConversionOutcome> in
                let state = try state(of: member, at: at, lots: LotSelection(covering: points > 0 ? [.points: points] : [:], at: at))
                let outcome = try refusing { () throws(Refusal) in try engine.convertPoints(points, to: account, key: key, member: state, at: at) }
                return try commit(Operation(
                    kind: "points-conversion", key: key, member: member, branch: branch, operatorID: operatorID, at: at,
                    request: requestData, outcome: outcome, postings: outcome.postings, eventType: "points.converted",
                    also: { _, _, _ in }))
            }
        }
    }
}
