import Foundation

/// The program's view of time: days, weekdays, times of day and festival dates in the program's
/// time zone (Asia/Tehran by default). Pure: it reads no clock, only the dates it is given.
public struct ProgramCalendar: Sendable {
    public let timeZone: TimeZone
    private let gregorian: Calendar
    private let persian: Calendar

    public init(timeZone: TimeZone) {
        self.timeZone = timeZone
        var g = Calendar(identifier: .gregorian)
        g.timeZone = timeZone
        g.locale = Locale(identifier: "en_US_POSIX")
        var p = Calendar(identifier: .persian)
        p.timeZone = timeZone
        p.locale = Locale(identifier: "en_US_POSIX")
        gregorian = g
        persian = p
    }

    /// The Gregorian date of `instant` in the program's time zone.
    public func localDate(_ instant: Date) -> LocalDate {
        let c = gregorian.dateComponents([.year, .month, .day], from: instant)
        return LocalDate(year: c.year!, month: c.month!, day: c.day!)!
    }

    /// The time of day of `instant` in the program's time zone.
    public func timeOfDay(_ instant: Date) -> TimeOfDay {
        let c = gregorian.dateComponents([.hour, .minute], from: instant)
        return TimeOfDay(hour: c.hour!, minute: c.minute!)!
    }

    /// ISO weekday: 1 = Monday … 7 = Sunday.
    public func isoWeekday(_ instant: Date) -> Int {
        let weekday = gregorian.component(.weekday, from: instant) // 1 = Sunday
        return weekday == 1 ? 7 : weekday - 1
    }

    /// Whether `instant` falls on `festival` in its calendar.
    public func isOn(_ festival: FestivalDate, _ instant: Date) -> Bool {
        let calendar = festival.calendar == .persian ? persian : gregorian
        let c = calendar.dateComponents([.year, .month, .day], from: instant)
        if let year = festival.year, c.year != year { return false }
        return c.month == festival.month && c.day == festival.day
    }

    /// The start of the day of `instant`.
    public func startOfDay(_ instant: Date) -> Date { gregorian.startOfDay(for: instant) }

    /// The start of the week containing `instant`; the week starts on Saturday, as in Iran.
    public func startOfWeek(_ instant: Date) -> Date {
        let day = startOfDay(instant)
        let back = (isoWeekday(day) + 1) % 7 // Saturday (6) → 0, Sunday (7) → 1, Monday (1) → 2…
        return gregorian.date(byAdding: .day, value: -back, to: day)!
    }

    /// The end (exclusive) of the day `days` days after the day of `instant`: when a lot awarded
    /// at `instant` with an expiry of `days` days expires.
    public func endOfDay(_ days: Int, after instant: Date) -> Date {
        let start = startOfDay(instant)
        return gregorian.date(byAdding: .day, value: days + 1, to: start)!
    }

    /// The instant `days` days before `instant` (rolling windows).
    public func days(_ days: Int, before instant: Date) -> Date {
        gregorian.date(byAdding: .day, value: -days, to: instant)!
    }

    /// The instant at the start of `date` in the program's time zone.
    public func start(of date: LocalDate) -> Date {
        gregorian.date(from: DateComponents(year: date.year, month: date.month, day: date.day))!
    }

    /// Whether the month and day of `anniversary` (a `YYYY-MM-DD` date, e.g. a birthday) fall
    /// within `daysBefore` days before and `daysAfter` days after the day of `instant`.
    public func isWithin(anniversary: LocalDate, daysBefore: Int, daysAfter: Int, of instant: Date) -> Bool {
        (-daysAfter...daysBefore).contains(dayOffset(to: anniversary, from: instant))
    }

    /// Days from the day of `instant` to the nearest yearly occurrence of `anniversary`'s month
    /// and day: positive when it is ahead, negative when it has passed, 0 on the day. A
    /// 29 February anniversary falls on 28 February in common years.
    public func dayOffset(to anniversary: LocalDate, from instant: Date) -> Int {
        let today = localDate(instant)
        let todayStart = start(of: today)
        var best: Int?
        for year in [today.year - 1, today.year, today.year + 1] {
            let day = (anniversary.month == 2 && anniversary.day == 29 && !isLeap(year)) ? 28 : anniversary.day
            guard let date = gregorian.date(from: DateComponents(year: year, month: anniversary.month, day: day)),
                  let diff = gregorian.dateComponents([.day], from: todayStart, to: date).day else { continue }
            if best.map({ abs(diff) < abs($0) }) ?? true { best = diff }
        }
        return best ?? Int.max
    }

    private func isLeap(_ year: Int) -> Bool { (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 }
}
