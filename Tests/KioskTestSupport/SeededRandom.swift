import Foundation

/// A seeded random number generator (SplitMix64) for tests that choose random points: the seed
/// is printed, so a failing run can be replayed with `KIOSK_TEST_SEED=<seed>`.
public struct SeededRandom: RandomNumberGenerator {
    public let seed: UInt64
    private var state: UInt64

    public init(seed: UInt64) {
        self.seed = seed
        state = seed
    }

    /// The seed from `KIOSK_TEST_SEED` if set, a fresh one otherwise; printed with `test`'s name.
    public static func forTest(_ test: String) -> SeededRandom {
        let environment = ProcessInfo.processInfo.environment["KIOSK_TEST_SEED"].flatMap(UInt64.init)
        let seed = environment ?? UInt64.random(in: 1...UInt64.max)
        print("\(test): seed \(seed) (replay with KIOSK_TEST_SEED=\(seed))")
        return SeededRandom(seed: seed)
    }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
