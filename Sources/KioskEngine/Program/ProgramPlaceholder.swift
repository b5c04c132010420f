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

/// A keyword of the format (an enum written as a string): its stand-in is its first case, and the
/// shape check names the keywords allowed when a file uses another.
protocol ProgramKeyword: ProgramPlaceholder {
    static var programKeywords: [String] { get }
}

extension ProgramKeyword where Self: CaseIterable & RawRepresentable, RawValue == String {
    static var programKeywords: [String] { allCases.map(\.rawValue) }
    static var programPlaceholder: Self { allCases.first! }
}

extension OfferRules.Policy: ProgramKeyword {}
extension OfferBenefit.Kind: ProgramKeyword {}
extension GiftCreditRules.Occasion.Kind: ProgramKeyword {}
extension VoucherDefinition.Kind: ProgramKeyword {}
extension VoucherDefinition.Benefit: ProgramKeyword {}
extension WheelRules.Prize.Kind: ProgramKeyword {}
extension ReferralRules.When: ProgramKeyword {}
extension ReturnRules.SpentAwardPolicy: ProgramKeyword {}
extension TierRules.Basis: ProgramKeyword {}
