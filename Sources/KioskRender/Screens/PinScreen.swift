/// Staff PIN entry: only how many digits were typed reaches the screen, never the digits.
public struct PinData: Sendable, Equatable, Codable {
    public var entered: Int
    public var length: Int
    public var wrongAttempt: Bool

    public init(entered: Int, length: Int, wrongAttempt: Bool = false) {
        self.entered = entered; self.length = length; self.wrongAttempt = wrongAttempt
    }

    public static let sample = PinData(entered: 3, length: 6, wrongAttempt: false)
}

enum PinScreen {
    static func draw(_ data: PinData, _ c: inout DrawContext) {
        c.background()
        let rest = c.header(c.s(.pinTitle))
        let u = c.u
        var y = rest.y + rest.height * 0.12
        MessageLayout.drawSymbol(.lock, &c, cx: c.width / 2, cy: y + 30 * u, r: 50 * u)
        y += 76 * u
        c.text(c.s(.pinPrompt), size: 28, bold: true, in: Box(x: 30 * u, y: y, width: c.width - 60 * u, height: 44 * u), align: .center)
        y += 64 * u
        let length = max(1, min(data.length, 12))
        let r = 13 * u, gap = 22 * u
        let total = Double(length) * 2 * r + Double(length - 1) * gap
        // Dots fill in reading order: from the right in Persian.
        for i in 0..<length {
            let index = c.rtl ? length - 1 - i : i
            let cx = (c.width - total) / 2 + r + Double(index) * (2 * r + gap)
            if i < data.entered {
                c.canvas.fill(.circle(cx: cx, cy: y + r, r: r), data.wrongAttempt ? c.brand.danger : c.brand.accent)
            } else {
                c.canvas.fill(.ring(cx: cx, cy: y + r, r: r - 1.5 * u, thickness: 3 * u), Color.white.withAlpha(0.6))
            }
        }
        y += 2 * r + 24 * u
        let note = data.wrongAttempt ? c.s(.pinWrong)
            : c.s(.pinDigits, ["count": c.locale.number(min(data.entered, length)), "total": c.locale.number(length)])
        c.text(note, size: 18, in: Box(x: 30 * u, y: y, width: c.width - 60 * u, height: 30 * u), align: .center,
               color: data.wrongAttempt ? c.brand.danger : c.brand.mutedText)
    }
}
