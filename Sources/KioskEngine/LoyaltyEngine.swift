import Foundation
import KioskCore

/// The loyalty engine: pure decisions under one program. It reads no clock and no random
/// source of its own: every instant comes in the request, every random number from the
/// `RandomSource` it is given.
public struct LoyaltyEngine: Sendable {
    public let program: Program
    public let calendar: ProgramCalendar
    /// The earning rate of each product group (its own, or the base rate).
    let rates: [String: RatePerRial]

    /// An engine for a validated program (see `ProgramLoader`).
    public init(program: Program) {
        self.program = program
        var rates: [String: RatePerRial] = [:]
        for group in program.productGroups { rates[group] = program.points.base }
        for group in program.points.groups ?? [] { rates[group.productGroup] = group.rate }
        self.rates = rates
        calendar = ProgramCalendar(timeZone: TimeZone(identifier: program.timeZoneIdentifier) ?? TimeZone(identifier: "Asia/Tehran")!)
    }

    /// When a lot awarded at `instant` under `rule` expires; nil: never.
    func expiry(_ rule: ExpiryRule?, from instant: Date) -> Date? {
        rule.map { calendar.endOfDay($0.days, after: instant) }
    }

    /// The id of a lot created by the operation with idempotency key `key`.
    static func lot(_ key: String, _ name: String) -> LotID { LotID(rawValue: "\(key)/\(name)") }
}

extension MoneyError {
    var refusal: Refusal { Refusal("amount.out-of-range", "an amount is out of range: \(self)") }
}
