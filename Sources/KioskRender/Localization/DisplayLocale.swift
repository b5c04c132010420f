import KioskCore

/// The two locales the kiosk speaks: Persian (Iran) and English.
public enum DisplayLocale: String, Sendable, CaseIterable, Codable {
    case faIR = "fa-IR"
    case en = "en"

    public var isRTL: Bool { self == .faIR }

    /// Digits in this locale's script: ۰۱۲۳۴۵۶۷۸۹ (U+06F0–06F9) in Persian.
    public func digits(_ text: String) -> String {
        guard self == .faIR else { return text }
        return String(String.UnicodeScalarView(text.unicodeScalars.map { scalar in
            (48...57).contains(scalar.value) ? Unicode.Scalar(0x06F0 + scalar.value - 48)! : scalar
        }))
    }

    /// A whole number with thousands grouped: 12,345,678 or ۱۲٬۳۴۵٬۶۷۸ (U+066C).
    public func number(_ value: Int64) -> String {
        let magnitude = value.magnitude
        var groups: [String] = []
        var rest = magnitude
        repeat {
            let group = rest % 1000
            rest /= 1000
            let text = String(group)
            groups.insert(rest > 0 ? String(repeating: "0", count: 3 - text.count) + text : text, at: 0)
        } while rest > 0
        let separator = self == .faIR ? "\u{066C}" : ","
        let body = digits(groups.joined(separator: separator))
        // The minus sign reads before the number in both directions (U+2212 keeps its place in RTL).
        return value < 0 ? "\u{2212}" + body : body
    }

    public func number(_ value: Int) -> String { number(Int64(value)) }

    /// An amount of money, shown in Toman exactly: Rial ÷ 10 with the remainder as one decimal
    /// (12,345 Rial is 1,234.5 Toman), never through floating point.
    public func toman(_ amount: Rial) -> String {
        let whole = amount.amount / 10
        let tenth = (amount.amount % 10).magnitude
        var text = number(whole)
        if amount.amount < 0 && whole == 0 { text = "\u{2212}" + text }
        if tenth != 0 { text += (self == .faIR ? "\u{066B}" : ".") + digits(String(tenth)) }
        return self == .faIR ? "\(text) تومان" : "\(text) Toman"
    }

    /// A calendar date: Jalali with Persian digits (۱۴۰۵/۰۶/۲۴) or Gregorian in English (24 Sep 2026 style: 2026-09-15).
    public func date(_ date: CalendarDate) -> String {
        switch self {
        case .faIR:
            let j = Jalali(gregorian: date)
            return digits("\(j.year)/\(Self.two(j.month))/\(Self.two(j.day))")
        case .en:
            let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
            return "\(date.day) \(months[date.month - 1]) \(date.year)"
        }
    }

    static func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
}
