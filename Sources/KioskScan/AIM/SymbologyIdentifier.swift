/// An AIM symbology identifier (ISO/IEC 15424): `]`, a code character naming the symbology and a
/// modifier character, sent by a scanner in front of the data when it is set up to.
public struct SymbologyIdentifier: Sendable, Hashable, CustomStringConvertible {
    /// The code character (`E`, `C`, `d`, `Q`, …).
    public let code: UInt8
    /// The modifier character (`0`…`9`, `A`…`Z`).
    public let modifier: UInt8

    /// `]E0`, `]Q3`, …; nil unless exactly three bytes of that form.
    public init?(_ text: String) {
        let bytes = Array(text.utf8)
        guard bytes.count == 3, bytes[0] == 0x5D else { return nil }
        self.init(code: bytes[1], modifier: bytes[2])
    }

    public init?(code: UInt8, modifier: UInt8) {
        guard Self.isCode(code), Self.isModifier(modifier) else { return nil }
        self.code = code
        self.modifier = modifier
    }

    /// Splits a leading identifier off `bytes`: the identifier (or nil when there is none) and the
    /// data after it.
    public static func split(_ bytes: ArraySlice<UInt8>) -> (SymbologyIdentifier?, ArraySlice<UInt8>) {
        let s = bytes.startIndex
        guard bytes.count >= 3, bytes[s] == 0x5D,
              let id = SymbologyIdentifier(code: bytes[s + 1], modifier: bytes[s + 2]) else { return (nil, bytes) }
        return (id, bytes.dropFirst(3))
    }

    private static func isCode(_ c: UInt8) -> Bool { (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A) }
    private static func isModifier(_ c: UInt8) -> Bool { (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5A) }

    public var description: String { "]" + String(UnicodeScalar(code)) + String(UnicodeScalar(modifier)) }

    /// The symbology the identifier names.
    public var symbology: Symbology {
        switch code {
        case UInt8(ascii: "A"): .code39
        case UInt8(ascii: "C"): .code128
        case UInt8(ascii: "d"): .dataMatrix
        case UInt8(ascii: "E"):
            switch modifier {
            case UInt8(ascii: "4"): .ean8
            case UInt8(ascii: "0"), UInt8(ascii: "3"): .eanUPC
            default: .eanAddOn
            }
        case UInt8(ascii: "e"): .gs1DataBar
        case UInt8(ascii: "F"): .codabar
        case UInt8(ascii: "G"): .code93
        case UInt8(ascii: "I"): .interleaved2of5
        case UInt8(ascii: "L"): .pdf417
        case UInt8(ascii: "Q"): .qr
        case UInt8(ascii: "z"): .aztec
        default: .other
        }
    }

    /// Whether the data is a GS1 element string (FNC1 in first position): `]C1`, `]e0`, `]d2`,
    /// `]Q3`, `]J1`, and `]z` with modifier `1`…`3`, `7`…`9`, `A`…`C` is not claimed (rare).
    public var isGS1: Bool {
        switch (code, modifier) {
        case (UInt8(ascii: "C"), UInt8(ascii: "1")), (UInt8(ascii: "e"), UInt8(ascii: "0")),
             (UInt8(ascii: "d"), UInt8(ascii: "2")), (UInt8(ascii: "Q"), UInt8(ascii: "3")),
             (UInt8(ascii: "J"), UInt8(ascii: "1")): true
        default: false
        }
    }

    public static let ean13 = SymbologyIdentifier(code: UInt8(ascii: "E"), modifier: UInt8(ascii: "0"))!
    public static let ean8 = SymbologyIdentifier(code: UInt8(ascii: "E"), modifier: UInt8(ascii: "4"))!
    public static let gs1128 = SymbologyIdentifier(code: UInt8(ascii: "C"), modifier: UInt8(ascii: "1"))!
    public static let qr = SymbologyIdentifier(code: UInt8(ascii: "Q"), modifier: UInt8(ascii: "1"))!
    public static let gs1QR = SymbologyIdentifier(code: UInt8(ascii: "Q"), modifier: UInt8(ascii: "3"))!
    public static let gs1DataMatrix = SymbologyIdentifier(code: UInt8(ascii: "d"), modifier: UInt8(ascii: "2"))!
}

/// The symbologies the kiosk tells apart.
public enum Symbology: String, Sendable, Hashable, Codable {
    case eanUPC = "ean-upc", ean8 = "ean-8", eanAddOn = "ean-add-on", code128 = "code-128", code39 = "code-39"
    case code93 = "code-93", codabar, interleaved2of5 = "itf", gs1DataBar = "gs1-databar", dataMatrix = "data-matrix"
    case pdf417 = "pdf417", qr, aztec, other
}
