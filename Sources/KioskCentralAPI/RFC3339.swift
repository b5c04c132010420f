// Written by hand (not generated): RFC 3339 date-times with integer arithmetic.
//
// Foundation's ISO8601DateFormatter goes through CoreFoundation's date formatter on Linux; reading
// one event's `occurredAt` with it took 9 % of the CPU of a batch upload (perf, BENCHMARKS.md
// 2026-12-02). The contract's common form is read and written here; anything else is left to the
// formatter (CentralDateTranscoder), so what is accepted does not change.

/// `YYYY-MM-DDTHH:MM:SS[.mmm](Z|±HH:MM)`, proleptic Gregorian, as seconds since 1970.
enum RFC3339 {
    /// The instant `text` names, or nil when it is not in the common form or names no real
    /// date (month 13, 30 February, hour 24, a leap second), or falls before 1583 (Foundation's
    /// formatter counts the Julian calendar there): the caller then asks the formatter.
    static func seconds(_ text: String) -> Double? {
        var text = text
        return text.withUTF8 { parse($0) }
    }

    private static func parse(_ b: UnsafeBufferPointer<UInt8>) -> Double? {
        guard b.count >= 20 else { return nil }
        func number(_ start: Int, _ length: Int) -> Int64? {
            var value: Int64 = 0
            for index in start..<(start + length) {
                let digit = b[index] &- 0x30
                guard digit < 10 else { return nil }
                value = value * 10 + Int64(digit)
            }
            return value
        }
        guard b[4] == 0x2D, b[7] == 0x2D, b[10] == 0x54 || b[10] == 0x74, b[13] == 0x3A, b[16] == 0x3A,
              let year = number(0, 4), let month = number(5, 2), let day = number(8, 2),
              let hour = number(11, 2), let minute = number(14, 2), let second = number(17, 2),
              year >= 1583, (1...12).contains(month), day >= 1, day <= daysIn(month: month, year: year),
              hour < 24, minute < 60, second < 60
        else { return nil }
        var index = 19
        // Milliseconds or none, as the contract writes them; other precisions go to the formatter.
        var milliseconds: Int64 = 0
        if b[index] == 0x2E {
            guard b.count >= index + 5, let value = number(index + 1, 3), b[index + 4] &- 0x30 >= 10 else { return nil }
            milliseconds = value
            index += 4
        }
        guard index < b.count else { return nil }
        var offset: Int64 = 0
        switch b[index] {
        case 0x5A, 0x7A:  // Z, z
            index += 1
        case 0x2B, 0x2D:  // +, -
            guard b.count - index == 6, b[index + 3] == 0x3A,
                  let hours = number(index + 1, 2), let minutes = number(index + 4, 2), hours < 24, minutes < 60
            else { return nil }
            offset = (hours * 60 + minutes) * 60 * (b[index] == 0x2D ? -1 : 1)
            index += 6
        default:
            return nil
        }
        guard index == b.count else { return nil }
        let days = daysSince1970(year: year, month: month, day: day)
        let whole = days * 86_400 + hour * 3_600 + minute * 60 + second - offset
        return (Double(whole * 1000 + milliseconds)) / 1000
    }

    /// `YYYY-MM-DDTHH:MM:SS.mmmZ` for an instant in years 1583…9999, or nil outside them.
    static func text(seconds: Double) -> String? {
        guard seconds.isFinite else { return nil }
        let milliseconds = (seconds * 1000).rounded()
        guard abs(milliseconds) < 9.2e18 else { return nil }
        let (days, millisecondOfDay) = floorDivision(Int64(milliseconds), 86_400_000)
        let (year, month, day) = civilDate(daysSince1970: days)
        guard (1583...9999).contains(year) else { return nil }
        var bytes = [UInt8]()
        bytes.reserveCapacity(24)
        func append(_ value: Int64, digits: Int) {
            var divisor: Int64 = 1
            for _ in 1..<digits { divisor *= 10 }
            while divisor > 0 {
                bytes.append(UInt8(48 + value / divisor % 10))
                divisor /= 10
            }
        }
        append(year, digits: 4); bytes.append(0x2D)
        append(month, digits: 2); bytes.append(0x2D)
        append(day, digits: 2); bytes.append(0x54)
        append(millisecondOfDay / 3_600_000, digits: 2); bytes.append(0x3A)
        append(millisecondOfDay / 60_000 % 60, digits: 2); bytes.append(0x3A)
        append(millisecondOfDay / 1000 % 60, digits: 2); bytes.append(0x2E)
        append(millisecondOfDay % 1000, digits: 3); bytes.append(0x5A)
        return String(decoding: bytes, as: UTF8.self)
    }

    private static func daysIn(month: Int64, year: Int64) -> Int64 {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    private static func floorDivision(_ a: Int64, _ b: Int64) -> (Int64, Int64) {
        let quotient = a / b, remainder = a % b
        return remainder < 0 ? (quotient - 1, remainder + b) : (quotient, remainder)
    }

    /// H. Hinnant's `days_from_civil`.
    private static func daysSince1970(year: Int64, month: Int64, day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// H. Hinnant's `civil_from_days`.
    private static func civilDate(daysSince1970 days: Int64) -> (Int64, Int64, Int64) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }
}
