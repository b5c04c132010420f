/// Where the engine's random numbers come from. The engine has no randomness of its own: the
/// kiosk passes a cryptographic source (the operating system's), the replay tool and the tests a
/// seeded one. Every word drawn is recorded in the spin's audit record.
public protocol RandomSource {
    mutating func next() -> UInt64
}

/// A deterministic source for replays and tests (SplitMix64): the same seed gives the same
/// words. Not for live draws.
public struct SeededRandom: RandomSource, Sendable {
    private var state: UInt64

    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// A source that replays recorded words, for verifying an audit record.
public struct RecordedRandom: RandomSource, Sendable {
    private var words: [UInt64]
    private var index = 0

    public init(_ words: [UInt64]) { self.words = words }

    /// Returns the recorded words in order, then zeros (a verification that needs more words
    /// than were recorded fails to match).
    public mutating func next() -> UInt64 {
        defer { index += 1 }
        return index < words.count ? words[index] : 0
    }
}

/// Records every word another source gives.
struct RecordingRandom<Base: RandomSource>: RandomSource {
    var base: Base
    var words: [UInt64] = []

    mutating func next() -> UInt64 {
        let word = base.next()
        words.append(word)
        return word
    }
}

extension RandomSource {
    /// A uniform integer in `0 ..< bound` without modulo bias: words below 2^64 mod bound are
    /// rejected and redrawn.
    mutating func uniform(below bound: UInt64) -> UInt64 {
        precondition(bound > 0)
        let threshold = (0 &- bound) % bound
        while true {
            let word = next()
            if word >= threshold { return word % bound }
        }
    }
}

extension LoyaltyEngine {
    /// The index drawn in proportion to integer `weights` (at least one positive), unbiased.
    public static func weightedDraw<R: RandomSource>(_ weights: [Int64], random: inout R) -> Int {
        let total = weights.reduce(0) { $0 + max(0, $1) }
        precondition(total > 0, "nothing to draw from")
        let roll = Int64(random.uniform(below: UInt64(total)))
        var cumulative: Int64 = 0
        for (i, w) in weights.enumerated() where w > 0 {
            cumulative += w
            if roll < cumulative { return i }
        }
        return weights.lastIndex { $0 > 0 }!
    }
}

extension SeededRandom {
    /// A source for one event's draws, derived from a replay's seed and the event's idempotency
    /// key (FNV-1a of the key, mixed with the seed by SplitMix64): the same event draws the same
    /// words however many events came before it, so a replay resumed after a kill draws exactly
    /// what an uninterrupted one does, and two events never share their words.
    public init(seed: UInt64, key: String) {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in key.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01B3
        }
        var mixer = SeededRandom(seed: seed)
        self.init(seed: mixer.next() ^ hash)
    }
}
