import Foundation
import KioskCore
import KioskEngine
import KioskStore

/// A raffle draw: its winners and everything needed to reproduce it.
public struct RaffleDrawOutcome: Sendable, Hashable, Codable {
    public var raffle: String
    /// The entries per member at the draw, in member order (the draw's table).
    public var entries: [Entry]
    public var winners: [MemberID]
    /// The random words drawn, 16 hex digits each.
    public var words: [String]

    public struct Entry: Sendable, Hashable, Codable {
        public var member: MemberID
        public var entries: Int64
    }
}

extension LoyaltyService {
    /// Draws `winners` distinct members of a raffle, each draw in proportion to the member's
    /// entries (integer weights, unbiased), with the given random source, and commits the draw
    /// (event `raffle.drawn`) with its table, its random words and its winners, so that anyone
    /// can repeat it. A retry with the same key returns the same winners: a draw is never redone.
    @discardableResult
    public func drawRaffle<R: RandomSource>(_ raffle: String, winners count: Int, key: String, branch: BranchID, at: Date,
                                            random: inout R) throws(LoyaltyError) -> Committed<RaffleDrawOutcome> {
        let request = try Self.encode(RaffleDrawRequest(raffle: raffle, winners: count, at: at))
        if let done = try previous(key, request: request, as: RaffleDrawOutcome.self) { return done }
        let outcome = try computeRaffleDraw(raffle, winners: count, random: &random)
        return try commit(Operation(kind: "raffle-draw", key: key, member: nil, branch: branch, operatorID: nil, at: at, request: request,
                                    outcome: outcome, postings: [], eventType: "raffle.drawn", also: { _, _, _ in }))
    }

    func computeRaffleDraw<R: RandomSource>(_ raffle: String, winners count: Int, random: inout R) throws(LoyaltyError) -> RaffleDrawOutcome {
        guard program.raffles?.contains(where: { $0.id == raffle }) == true else {
            throw .refused(Refusal("raffle.unknown", "unknown raffle \"\(raffle)\""))
        }
        let entries = try storing { () throws(StoreError) in try store.raffleEntries(raffle) }
            .sorted { $0.key < $1.key }.map { RaffleDrawOutcome.Entry(member: $0.key, entries: $0.value) }
        var table = entries
        var winners: [MemberID] = []
        var recorder = RecordingSource(base: random)
        while winners.count < count, !table.isEmpty {
            let index = LoyaltyEngine.weightedDraw(table.map(\.entries), random: &recorder)
            winners.append(table[index].member)
            table.remove(at: index)
        }
        random = recorder.base
        return RaffleDrawOutcome(raffle: raffle, entries: entries, winners: winners,
                                 words: recorder.words.map { w in let s = String(w, radix: 16); return String(repeating: "0", count: 16 - s.count) + s })
    }
}

/// Records the words a source gives.
struct RecordingSource<Base: RandomSource>: RandomSource {
    var base: Base
    var words: [UInt64] = []
    mutating func next() -> UInt64 {
        let w = base.next()
        words.append(w)
        return w
    }
}

/// A raffle draw as stored for idempotency.
struct RaffleDrawRequest: Codable {
    var raffle: String
    var winners: Int
    var at: Date
}
