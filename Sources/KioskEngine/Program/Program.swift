import KioskCore

/// A loyalty program: every rule the engine applies, as data.
///
/// A program is written as JSON (see `docs/program.md`), loaded with `ProgramLoader`, which
/// validates it fully, and identified by its `version`: every ledger entry records the version
/// it was computed under.
public struct Program: Sendable, Hashable, Codable {
    /// The file format's version; this build reads format 1.
    public var format: Int
    /// The program's own version, chosen by the business (e.g. `2026-11-a`).
    public var version: String
    /// The time zone in which days, weeks, happy hours and festival dates are counted;
    /// `Asia/Tehran` when absent.
    public var timeZone: String?
    /// Every product group a rule may name; a rule naming another is refused at loading.
    public var productGroups: [String]
    /// Every customer group a rule may name.
    public var customerGroups: [String]?
    /// Every card group a rule may name.
    public var cardGroups: [String]?
    /// Every branch a rule may name; when absent, branch names are not checked.
    public var branches: [String]?
    public var points: PointsRules
    public var tiers: TierRules?
    public var cashback: CashbackRules?
    public var coins: CoinRules?
    public var giftCredit: GiftCreditRules?
    public var vouchers: VoucherRules?
    public var offers: OfferRules?
    public var catalogue: [CatalogueItem]?
    public var wheel: WheelRules?
    public var raffles: [RaffleRules]?
    public var referral: ReferralRules?
    public var staffCommission: StaffCommissionRules?
    public var returns: ReturnRules?
    /// Reminders before lots expire.
    public var reminders: ReminderRules?

    /// The time zone the program counts days in.
    public var timeZoneIdentifier: String { timeZone ?? "Asia/Tehran" }

    /// This build's program format.
    public static let currentFormat = 1
}

/// A ratio "N units per X Rial", e.g. 1 point per 100,000 Rial. Awards round down.
public struct RatePerRial: Sendable, Hashable, Codable {
    /// How many units (points, coins) are awarded…
    public var units: Int64
    /// …for every this many Rial.
    public var perRial: Int64

    public init(units: Int64, perRial: Int64) {
        self.units = units
        self.perRial = perRial
    }

    /// The units `amount` earns, rounded down; zero for a non-positive amount.
    public func award(for amount: Rial) -> Int64 {
        guard amount.amount > 0, perRial > 0 else { return 0 }
        let product = amount.amount.multipliedFullWidth(by: units)
        return perRial.dividingFullWidth(product).quotient
    }
}

/// When the sweep emits a `points.expiring` event for a lot (once per lot).
public struct ReminderRules: Sendable, Hashable, Codable {
    /// A lot is announced when it expires within this many days.
    public var daysBefore: Int
}

/// An expiry rule: a lot expires this many days after it is awarded (at the end of that day in
/// the program's time zone); absent means the lot never expires.
public struct ExpiryRule: Sendable, Hashable, Codable {
    public var days: Int
    public init(days: Int) { self.days = days }
}
