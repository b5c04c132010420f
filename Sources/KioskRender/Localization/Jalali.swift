/// A Gregorian calendar date, as the data gives it ("2026-09-15").
public struct CalendarDate: Sendable, Hashable, Codable, CustomStringConvertible {
    public let year: Int, month: Int, day: Int

    public init(year: Int, month: Int, day: Int) { self.year = year; self.month = month; self.day = day }

    public init?(iso: String) {
        let parts = iso.split(separator: "-").compactMap { Int($0) }
        guard parts.count == 3, (1...12).contains(parts[1]), (1...31).contains(parts[2]) else { return nil }
        self.init(year: parts[0], month: parts[1], day: parts[2])
    }

    public var description: String { "\(year)-\(DisplayLocale.two(month))-\(DisplayLocale.two(day))" }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let date = CalendarDate(iso: text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "not a YYYY-MM-DD date: \(text)"))
        }
        self = date
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }

    /// Days since 1970-01-01 (proleptic Gregorian).
    var daysSinceEpoch: Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }
}

/// A date in the Solar Hijri (Jalali) calendar, converted arithmetically (the 33-year cycle
/// algorithm of Borkowski as used by jdatetime/jalaali-js), exact for 1800–2200 Gregorian.
public struct Jalali: Sendable, Hashable {
    public let year: Int, month: Int, day: Int

    public init(year: Int, month: Int, day: Int) { self.year = year; self.month = month; self.day = day }

    public init(gregorian date: CalendarDate) {
        // jalaali-js d2j/g2d: Julian day number, then the Jalali year's start (Farvardin 1).
        let jdn = date.daysSinceEpoch + 2_440_588
        let gy = date.year
        var jy = gy - 621
        let calendar = Self.cal(jy)
        let farvardin1 = Self.julianDay(gy, 3, calendar.march)
        var k = jdn - farvardin1
        if k >= 0 {
            if k <= 185 {
                self.init(year: jy, month: 1 + k / 31, day: k % 31 + 1)
                return
            }
            k -= 186
        } else {
            jy -= 1
            k += 179
            // The year before was leap when this one is the first after a leap year.
            if calendar.leap == 1 { k += 1 }
        }
        self.init(year: jy, month: 7 + k / 30, day: k % 30 + 1)
    }

    static let breaks = [-61, 9, 38, 199, 426, 686, 756, 818, 1111, 1181, 1210, 1635, 2060, 2097, 2192, 2262, 2324, 2394, 2456, 3178]

    /// (leap: years since the last leap year, 0 when leap; march: the Gregorian March day of Farvardin 1).
    static func cal(_ jy: Int) -> (leap: Int, march: Int) {
        let gy = jy + 621
        var leapJ = -14
        var jp = breaks[0]
        var jump = 0
        var i = 1
        while i < breaks.count {
            let jm = breaks[i]
            jump = jm - jp
            if jy < jm { break }
            leapJ += jump / 33 * 8 + (jump % 33) / 4
            jp = jm
            i += 1
        }
        var n = jy - jp
        leapJ += n / 33 * 8 + (n % 33 + 3) / 4
        if jump % 33 == 4 && jump - n == 4 { leapJ += 1 }
        let leapG = gy / 4 - (gy / 100 + 1) * 3 / 4 - 150
        let march = 20 + leapJ - leapG
        if jump - n < 6 { n = n - jump + (jump + 4) / 33 * 33 }
        var leap = ((n + 1) % 33 - 1) % 4
        if leap == -1 { leap = 4 }
        return (leap, march)
    }


    static func julianDay(_ y: Int, _ m: Int, _ d: Int) -> Int {
        CalendarDate(year: y, month: m, day: d).daysSinceEpoch + 2_440_588
    }
}
