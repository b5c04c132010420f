/// The Persian standard keyboard layout (ISIRI 9147) as the US character on the same key: the
/// base layer of the letter keys and the digits, and the shifted characters a code can contain.
/// The input layer builds its Persian key map from this table; the scan parsers use it the other
/// way, to re-read as US keystrokes a code typed by a scanner set up for the Persian layout.
public enum PersianLayout {
    /// (US character, Persian character) on the same key.
    public static let pairs: [(us: Character, fa: Character)] = [
        ("1", "۱"), ("2", "۲"), ("3", "۳"), ("4", "۴"), ("5", "۵"), ("6", "۶"), ("7", "۷"), ("8", "۸"), ("9", "۹"), ("0", "۰"),
        ("q", "ض"), ("w", "ص"), ("e", "ث"), ("r", "ق"), ("t", "ف"), ("y", "غ"), ("u", "ع"), ("i", "ه"), ("o", "خ"), ("p", "ح"),
        ("[", "ج"), ("]", "چ"),
        ("a", "ش"), ("s", "س"), ("d", "ی"), ("f", "ب"), ("g", "ل"), ("h", "ا"), ("j", "ت"), ("k", "ن"), ("l", "م"), (";", "ک"), ("'", "گ"),
        ("z", "ظ"), ("x", "ط"), ("c", "ز"), ("v", "ر"), ("b", "ذ"), ("n", "د"), ("m", "پ"), (",", "و"),
        // Shifted keys.
        ("@", "٬"), ("#", "٫"), ("$", "﷼"), ("%", "٪"), ("^", "×"), ("&", "،"),
        ("C", "ژ"), ("M", "ء"), ("H", "آ"), ("?", "؟"), ("\"", "؛"),
    ]

    private static let toUS: [Character: Character] = Dictionary(pairs.map { ($0.fa, $0.us) }, uniquingKeysWith: { a, _ in a })
    private static let toFA: [Character: Character] = Dictionary(pairs.map { ($0.us, $0.fa) }, uniquingKeysWith: { a, _ in a })

    /// The Persian character on the key that gives `us` on a US keyboard (nil where the layouts agree).
    public static func persian(forUS us: Character) -> Character? { toFA[us] }

    /// `text` as a US keyboard would have typed the same keys; nil when nothing in it is a
    /// character of the Persian layout. Arabic forms (ك, ي) count as their Persian letters.
    public static func asUSKeystrokes(_ text: String) -> String? {
        if text.utf8.allSatisfy({ $0 < 0x80 }) { return nil }
        var changed = false
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for ch in PersianNormalisation.persianLetters(text) {
            if let us = toUS[ch] {
                out.append(us)
                changed = true
            } else {
                out.append(ch)
            }
        }
        return changed ? out : nil
    }
}
