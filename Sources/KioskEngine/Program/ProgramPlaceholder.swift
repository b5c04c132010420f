import KioskCore

/// A stand-in value the shape check uses in place of a value it could not read, so that it can
/// go on and find the file's other problems. Never part of a loaded program.
protocol ProgramPlaceholder {
    static var programPlaceholder: Self { get }
}

extension TimeOfDay: ProgramPlaceholder {
    static var programPlaceholder: TimeOfDay { TimeOfDay(hour: 0, minute: 0)! }
}

extension LocalDate: ProgramPlaceholder {
    static var programPlaceholder: LocalDate { LocalDate(year: 2000, month: 1, day: 1)! }
}

extension Condition: ProgramPlaceholder {
    static var programPlaceholder: Condition { .all([]) }
}

extension Percent: ProgramPlaceholder {
    static var programPlaceholder: Percent { Percent(basisPoints: 0) }
}

extension OfferRules.Policy: ProgramPlaceholder { static var programPlaceholder: Self { .best } }
extension OfferBenefit.Kind: ProgramPlaceholder { static var programPlaceholder: Self { .discountPercent } }
extension GiftCreditRules.Occasion.Kind: ProgramPlaceholder { static var programPlaceholder: Self { .birthday } }
extension VoucherDefinition.Kind: ProgramPlaceholder { static var programPlaceholder: Self { .shared } }
extension VoucherDefinition.Benefit: ProgramPlaceholder { static var programPlaceholder: Self { .percent } }
extension WheelRules.Prize.Kind: ProgramPlaceholder { static var programPlaceholder: Self { .nothing } }
extension ReferralRules.When: ProgramPlaceholder { static var programPlaceholder: Self { .join } }
extension ReturnRules.SpentAwardPolicy: ProgramPlaceholder { static var programPlaceholder: Self { .allowNegative } }
extension TierRules.Basis: ProgramPlaceholder { static var programPlaceholder: Self { .spend } }
