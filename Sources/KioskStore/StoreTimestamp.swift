import Foundation
import GRDB

/// Formats a date as the store keeps it: UTC text `YYYY-MM-DD HH:MM:SS.SSS`, the format GRDB and
/// SQLite's date functions read. GRDB formats dates through a `DateFormatter`, which costs more
/// than the rest of a ledger insert; on the commit path we format with integer arithmetic instead.
enum StoreTimestamp {
    static func text(_ date: Date) -> String {
        let milliseconds = Int64((date.timeIntervalSince1970 * 1000).rounded())
        let (days, millisecondOfDay) = floorDivision(milliseconds, 86_400_000)
        let (year, month, day) = civilDate(daysSince1970: days)
        let hour = millisecondOfDay / 3_600_000
        let minute = millisecondOfDay / 60_000 % 60
        let second = millisecondOfDay / 1000 % 60
        let millisecond = millisecondOfDay % 1000
        var bytes = [UInt8]()
        bytes.reserveCapacity(23)
        func append(_ value: Int64, digits: Int) {
            var divisor: Int64 = 1
            for _ in 1..<digits { divisor *= 10 }
            var remaining = value
            while divisor > 0 {
                bytes.append(UInt8(48 + remaining / divisor % 10))
                remaining %= divisor
                divisor /= 10
            }
        }
        append(year, digits: 4); bytes.append(0x2D)
        append(month, digits: 2); bytes.append(0x2D)
        append(day, digits: 2); bytes.append(0x20)
        append(hour, digits: 2); bytes.append(0x3A)
        append(minute, digits: 2); bytes.append(0x3A)
        append(second, digits: 2); bytes.append(0x2E)
        append(millisecond, digits: 3)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// `YYYYMMDD-HHMMSS` in UTC, for file names.
    static func compact(_ date: Date) -> String {
        let text = self.text(date)  // "YYYY-MM-DD HH:MM:SS.mmm"
        let digits = text.prefix(19).filter(\.isNumber)
        return String(digits.prefix(8)) + "-" + String(digits.dropFirst(8).prefix(6))
    }

    static func value(_ date: Date?) -> DatabaseValue {
        date.map { text($0).databaseValue } ?? .null
    }

    private static func floorDivision(_ a: Int64, _ b: Int64) -> (Int64, Int64) {
        let quotient = a / b, remainder = a % b
        return remainder < 0 ? (quotient - 1, remainder + b) : (quotient, remainder)
    }

    /// Days since 1970-01-01 to a proleptic Gregorian date (H. Hinnant's `civil_from_days`).
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
