/// Persian (۰–۹, U+06F0…) and Arabic-Indic (٠–٩, U+0660…) digits read as ASCII digits, and the
/// Arabic letters that reach a Persian kiosk (ك, ي, ى) read as their Persian forms (ک, ی), for
/// text where a code, a number or a phone number is expected.
public enum PersianNormalisation {
    /// `۰۹۱۲` and `٠٩١٢` → `0912`; every other character is kept.
    public static func asciiDigits(_ text: String) -> String {
        guard !text.utf8.allSatisfy({ $0 < 0x80 }),
              text.unicodeScalars.contains(where: { asciiDigit($0) != nil && !$0.isASCII }) else { return text }
        var out = String.UnicodeScalarView()
        for s in text.unicodeScalars { out.append(asciiDigit(s) ?? s) }
        return String(out)
    }

    /// The ASCII digit for a Persian, Arabic-Indic or ASCII digit.
    public static func asciiDigit(_ s: Unicode.Scalar) -> Unicode.Scalar? {
        switch s.value {
        case 0x30...0x39: s
        case 0x06F0...0x06F9: Unicode.Scalar(s.value - 0x06F0 + 0x30)
        case 0x0660...0x0669: Unicode.Scalar(s.value - 0x0660 + 0x30)
        default: nil
        }
    }

    /// Arabic kaf and yeh (ك U+0643, ي U+064A, ى U+0649) as the Persian letters (ک U+06A9, ی U+06CC).
    public static func persianLetters(_ text: String) -> String {
        var out = String.UnicodeScalarView()
        for s in text.unicodeScalars {
            switch s.value {
            case 0x0643: out.append(Unicode.Scalar(0x06A9)!)
            case 0x064A, 0x0649: out.append(Unicode.Scalar(0x06CC)!)
            default: out.append(s)
            }
        }
        return String(out)
    }
}
