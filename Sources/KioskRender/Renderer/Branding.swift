/// The business's look: colours, its name in each locale, an optional logo (PNG bytes decoded
/// by the caller). Fonts are chosen where they are loaded (`RenderFonts`).
public struct Branding: Sendable, Codable, Equatable {
    public var storeName: String
    public var storeNameFa: String
    public var backgroundTop: Color
    public var backgroundBottom: Color
    public var surface: Color
    public var primary: Color
    public var accent: Color
    public var text: Color
    public var mutedText: Color
    public var success: Color
    public var danger: Color
    /// Colours of the wheel's segments, used in turn.
    public var wheel: [Color]

    public static let standard = Branding(
        storeName: "Golestan Market", storeNameFa: "فروشگاه گلستان",
        backgroundTop: Color(hex: "#123A5E")!, backgroundBottom: Color(hex: "#07172A")!,
        surface: Color(hex: "#FFFFFF18")!, primary: Color(hex: "#2EC4B6")!, accent: Color(hex: "#FFB703")!,
        text: Color(hex: "#FFFFFF")!, mutedText: Color(hex: "#A9BCD0")!,
        success: Color(hex: "#38D39F")!, danger: Color(hex: "#FF5A5F")!,
        wheel: ["#E63946", "#F4A261", "#2A9D8F", "#457B9D", "#E9C46A", "#8E7DBE", "#43AA8B", "#F28482"].map { Color(hex: $0)! })

    public func storeName(_ locale: DisplayLocale) -> String { locale == .faIR ? storeNameFa : storeName }
}
