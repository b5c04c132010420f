/// A Gregorian calendar date `YYYY-MM-DD`, read in the program's time zone.
public struct LocalDate: Sendable, Hashable, Comparable, TextCodable {
    public let year: Int
    public let month: Int
    public let day: Int

    public init?(year: Int, month: Int, day: Int) {
        guard (1...12).contains(month), (1...31).contains(day) else { return nil }
        self.year = year
        self.month = month
        self.day = day
    }

    public static func parse(_ text: String) -> LocalDate? {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
              let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2]) else { return nil }
        return LocalDate(year: y, month: m, day: d)
    }

    public static func < (lhs: LocalDate, rhs: LocalDate) -> Bool {
        (lhs.year, lhs.month, lhs.day) < (rhs.year, rhs.month, rhs.day)
    }

    public var description: String {
        func pad(_ n: Int, _ width: Int) -> String { String(repeating: "0", count: max(0, width - String(n).count)) + String(n) }
        return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))"
    }

    public static let textFormat = "a date YYYY-MM-DD"
}

/// A yearly festival day in the Jalali (`persian`) or Gregorian calendar, e.g. Nowruz is
/// `{"calendar": "persian", "month": 1, "day": 1}`. With `year`, only that year's day.
public struct FestivalDate: Sendable, Hashable, Codable {
    public enum CalendarKind: String, Sendable, Hashable, Codable {
        case persian
        case gregorian
    }

    public var calendar: CalendarKind
    public var month: Int
    public var day: Int
    public var year: Int?

    public init(calendar: CalendarKind, month: Int, day: Int, year: Int? = nil) {
        self.calendar = calendar
        self.month = month
        self.day = day
        self.year = year
    }
}
