/// The character sets and date rules of GS1 element strings (GS1 General Specifications §7.11,
/// §7.12).
enum GS1Characters {
    /// Set 82: `! " % & ' ( ) * + , - . / 0-9 : ; < = > ? A-Z _ a-z`.
    static func contains(_ c: UInt8, _ set: ApplicationIdentifier.Component.CharacterSet) -> Bool {
        switch set {
        case .numeric:
            return c >= 0x30 && c <= 0x39
        case .cset82:
            switch c {
            case 0x21, 0x22, 0x25...0x2F, 0x30...0x39, 0x3A...0x3F, 0x41...0x5A, 0x5F, 0x61...0x7A: return true
            default: return false
            }
        case .cset39:
            switch c {
            case 0x23, 0x2D, 0x2F, 0x30...0x39, 0x41...0x5A: return true
            default: return false
            }
        case .cset64:
            switch c {
            case 0x2D, 0x30...0x39, 0x41...0x5A, 0x5F, 0x61...0x7A, 0x3D: return true
            default: return false
            }
        }
    }

    /// YYMMDD with a real month and day; DD = 00 (the end of the month) where allowed. The century
    /// does not matter for leap years within GS1's 1951–2050 window except 2000, which is one.
    static func isDate(_ d: ArraySlice<UInt8>, dayMayBeZero: Bool) -> Bool {
        guard d.count == 6, let yy = number(d.prefix(2)), let mm = number(d.dropFirst(2).prefix(2)),
              let dd = number(d.dropFirst(4)) else { return false }
        guard (1...12).contains(mm) else { return false }
        if dd == 0 { return dayMayBeZero }
        let days = [31, yy % 4 == 0 ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][mm - 1]
        return dd <= days
    }

    static func isTime(_ t: ArraySlice<UInt8>) -> Bool {
        guard t.count == 4, let hh = number(t.prefix(2)), let mm = number(t.dropFirst(2)) else { return false }
        return hh < 24 && mm < 60
    }

    private static func number(_ digits: ArraySlice<UInt8>) -> Int? {
        var n = 0
        for d in digits {
            guard d >= 0x30, d <= 0x39 else { return nil }
            n = n * 10 + Int(d - 0x30)
        }
        return n
    }
}
