/// Exponential backoff between attempts to reach pcscd: short at first, so that the kiosk is
/// back quickly after a restart, capped so that it keeps trying often.
public struct Backoff: Sendable {
    public let initial: Double
    public let maximum: Double
    private(set) var next: Double

    public init(initial: Double = 0.05, maximum: Double = 0.5) {
        self.initial = initial
        self.maximum = maximum
        next = initial
    }

    /// The delay before the next attempt, in seconds; each call doubles the following one.
    public mutating func delay() -> Double {
        defer { next = min(maximum, next * 2) }
        return next
    }

    public mutating func reset() { next = initial }
}
