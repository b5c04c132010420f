import KioskRender

/// How many colours the terminal shows: 24-bit, the xterm 256-colour palette, or the 16 ANSI
/// colours (the Linux console itself: 8 background colours, 16 foreground).
public enum TerminalColors: String, Sendable, CaseIterable {
    case truecolor, palette256 = "256", ansi16 = "16"

    /// From $COLORTERM and $TERM, as terminals announce themselves.
    public static func detect(environment: [String: String]) -> TerminalColors {
        let colorterm = environment["COLORTERM"]?.lowercased() ?? ""
        if colorterm == "truecolor" || colorterm == "24bit" { return .truecolor }
        let term = environment["TERM"] ?? ""
        if term == "linux" || term == "vt100" || term.isEmpty { return .ansi16 }
        return term.contains("256color") || term.hasPrefix("tmux") || term.hasPrefix("screen") ? .palette256 : .ansi16
    }

    /// The SGR parameters for a foreground or background colour.
    public func sgr(_ color: Color, background: Bool) -> String {
        switch self {
        case .truecolor:
            return "\(background ? 48 : 38);2;\(color.r);\(color.g);\(color.b)"
        case .palette256:
            return "\(background ? 48 : 38);5;\(Self.palette256(color))"
        case .ansi16:
            let index = Self.ansi16(color, allowBright: !background)
            return index < 8 ? "\((background ? 40 : 30) + index)" : "\((background ? 100 : 90) + index - 8)"
        }
    }

    /// The nearest xterm-256 colour: the 6×6×6 cube or the 24-step grey ramp.
    static func palette256(_ c: Color) -> Int {
        let levels = [0, 95, 135, 175, 215, 255]
        func nearest(_ v: UInt8) -> Int { levels.indices.min { abs(levels[$0] - Int(v)) < abs(levels[$1] - Int(v)) }! }
        let (r, g, b) = (nearest(c.r), nearest(c.g), nearest(c.b))
        let cube = 16 + 36 * r + 6 * g + b
        let cubeError = distance(c, levels[r], levels[g], levels[b])
        let grey = (Int(c.r) + Int(c.g) + Int(c.b)) / 3
        let step = min(23, max(0, (grey - 8 + 5) / 10))
        let greyValue = 8 + step * 10
        return distance(c, greyValue, greyValue, greyValue) < cubeError ? 232 + step : cube
    }

    static let ansiColors: [(Int, Int, Int)] = [
        (0, 0, 0), (170, 0, 0), (0, 170, 0), (170, 85, 0), (0, 0, 170), (170, 0, 170), (0, 170, 170), (170, 170, 170),
        (85, 85, 85), (255, 85, 85), (85, 255, 85), (255, 255, 85), (85, 85, 255), (255, 85, 255), (85, 255, 255), (255, 255, 255),
    ]

    static func ansi16(_ c: Color, allowBright: Bool) -> Int {
        let candidates = allowBright ? 0..<16 : 0..<8
        return candidates.min { distance(c, ansiColors[$0].0, ansiColors[$0].1, ansiColors[$0].2)
            < distance(c, ansiColors[$1].0, ansiColors[$1].1, ansiColors[$1].2) }!
    }

    static func distance(_ c: Color, _ r: Int, _ g: Int, _ b: Int) -> Int {
        let dr = Int(c.r) - r, dg = Int(c.g) - g, db = Int(c.b) - b
        return 2 * dr * dr + 4 * dg * dg + 3 * db * db
    }
}
