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
    /// entries (integer weights, unbiased), with the given random source. The table, the words
    /// and the winners are returned so that anyone can repeat the draw.
    public func drawRaffle<R: RandomSource>(_ raffle: String, winners count: Int, at: Date, random: inout R) throws(LoyaltyError) -> RaffleDrawOutcome {
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
