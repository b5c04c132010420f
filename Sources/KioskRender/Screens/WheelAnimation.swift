import Foundation

/// The spin: a pure function of time that lands exactly on the segment the engine drew.
///
/// The wheel turns clockwise by `finalAngle · ease(t / duration)` with a cubic ease-out (a fast
/// start that slows the way a wheel on a bearing with friction does), so that at `duration` the
/// pointer (at the top) stands inside the drawn segment, at an offset within it taken from the
/// spin's seed (never on a border: within ±30 % of the half-width around its middle).
public struct WheelAnimation: Sendable, Equatable {
    public let segmentCount: Int
    public let drawn: Int
    public let seed: UInt64
    public let duration: Double
    public let turns: Int

    public init(segmentCount: Int, drawn: Int, seed: UInt64, duration: Double = 5.5, turns: Int = 5) {
        precondition(segmentCount >= 2 && (0..<segmentCount).contains(drawn), "a drawn segment of the wheel")
        self.segmentCount = segmentCount
        self.drawn = drawn
        self.seed = seed
        self.duration = duration
        self.turns = turns
    }

    public var segmentAngle: Double { 2 * .pi / Double(segmentCount) }

    /// Where in its segment the pointer stops: −0.3 … 0.3 of a segment from the middle.
    public var landingOffset: Double {
        var x = seed &+ 0x9E37_79B9_7F4A_7C15
        x = (x ^ (x >> 30)) &* 0xBF58_476D_1CE4_E5B9
        x = (x ^ (x >> 27)) &* 0x94D0_49BB_1331_11EB
        x ^= x >> 31
        return (Double(x >> 11) / Double(1 << 53)) * 0.6 - 0.3
    }

    /// The total clockwise turn, in radians.
    public var finalAngle: Double {
        let stop = (Double(drawn) + 0.5 + landingOffset) * segmentAngle
        return 2 * .pi * Double(turns) + (2 * .pi - stop)
    }

    /// The wheel's clockwise rotation at time `t` (seconds since the spin started).
    public func angle(at t: Double) -> Double {
        let x = min(max(t / duration, 0), 1)
        let eased = 1 - (1 - x) * (1 - x) * (1 - x)
        return finalAngle * eased
    }

    public func isLanded(at t: Double) -> Bool { t >= duration }

    /// The segment under the pointer when the wheel is turned by `angle`.
    public func segmentUnderPointer(angle: Double) -> Int {
        // Segment i spans wheel angles [i·s, (i+1)·s) from the top, clockwise; turning the wheel
        // by φ brings wheel angle −φ under the pointer.
        let a = (-angle).truncatingRemainder(dividingBy: 2 * .pi)
        let wrapped = a < 0 ? a + 2 * .pi : a
        return min(segmentCount - 1, Int(wrapped / segmentAngle))
    }
}
