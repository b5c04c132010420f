import KioskScan

/// Key codes to characters: the US layout, and the Persian standard layout (ISIRI 9147, derived
/// from the US one key by key through `PersianLayout`). Scanners emulate a keyboard of one
/// layout; which one is set per device (`layout = "us"` or `"fa"`).
public enum KeyMap: String, Sendable, Hashable, Codable, CaseIterable {
    case us
    case fa

    /// The character a key gives with these modifiers, nil for keys that type nothing.
    public func character(for code: UInt16, shift: Bool, capsLock: Bool) -> Character? {
        switch self {
        case .us:
            return Self.us(code, shift: shift, capsLock: capsLock)
        case .fa:
            // Caps Lock does not touch Persian letters; where the layouts agree the US character stays.
            guard let us = Self.us(code, shift: shift, capsLock: false) else { return nil }
            return PersianLayout.persian(forUS: us) ?? us
        }
    }

    private static func us(_ code: UInt16, shift: Bool, capsLock: Bool) -> Character? {
        guard Int(code) < base.count else { return nil }
        let b = base[Int(code)]
        guard b != " " || code == KeyCode.space else { return nil }
        if b.isLetter {
            return shift != capsLock ? Character(b.uppercased()) : b
        }
        return shift ? shifted[Int(code)] : b
    }

    // Indexed by key code; " " marks a key that types nothing (except KEY_SPACE).
    private static let base: [Character] = Array(
        "  1234567890-=  qwertyuiop[]  asdfghjkl;'` \\zxcvbnm,./ *  " + String(repeating: " ", count: 13) + "789-456+1230."
    )
    private static let shifted: [Character] = Array(
        "  !@#$%^&*()_+  QWERTYUIOP{}  ASDFGHJKL:\"~ |ZXCVBNM<>? *  " + String(repeating: " ", count: 13) + "789-456+1230."
    )
}
