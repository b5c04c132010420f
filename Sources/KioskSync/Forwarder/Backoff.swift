import Foundation

/// When to try again after a failed delivery: exponential backoff with full jitter, capped, and
/// never sooner than the central's `Retry-After`. Pure: the random draw is an input.
public struct Backoff: Sendable, Hashable {
    /// The delay ceiling after the first failure.
    public var base: TimeInterval
    /// The largest delay ceiling.
    public var cap: TimeInterval

    public init(base: TimeInterval = 0.5, cap: TimeInterval = 300) {
        precondition(base > 0 && cap >= base, "a backoff needs 0 < base <= cap")
        self.base = base
        self.cap = cap
    }

    /// The ceiling of the delay after `failures` consecutive failures (1 for the first).
    public func ceiling(afterFailures failures: Int) -> TimeInterval {
        guard failures > 0 else { return 0 }
        let exponent = min(failures - 1, 40)
        return min(cap, base * pow(2, Double(exponent)))
    }

    /// The delay after `failures` consecutive failures: uniform in [ceiling / 2, ceiling] for
    /// `unit` in [0, 1) (half jitter: never a thundering retry at zero), and at least
    /// `retryAfter` when the central named one (then capped by nothing: the central knows best,
    /// up to a day).
    public func delay(afterFailures failures: Int, unit: Double, retryAfter: TimeInterval? = nil) -> TimeInterval {
        let ceiling = ceiling(afterFailures: failures)
        let unit = min(max(unit, 0), 1)
        let jittered = ceiling / 2 + ceiling / 2 * unit
        guard let retryAfter, retryAfter > 0 else { return jittered }
        return max(jittered, min(retryAfter, 86_400))
    }
}
