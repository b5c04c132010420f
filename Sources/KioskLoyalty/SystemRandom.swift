import KioskEngine

/// The operating system's cryptographic random source (`getrandom(2)` on Linux, through the
/// standard library's `SystemRandomNumberGenerator`): what live spins use.
public struct SystemRandom: RandomSource, Sendable {
    private var generator = SystemRandomNumberGenerator()

    public init() {}

    public mutating func next() -> UInt64 { generator.next() }
}
