import Foundation

/// The attract screen: "tap your card", with a gently pulsing card.
public struct IdleData: Sendable, Equatable, Codable {
    /// A line of the business's own under the title (e.g. this week's offer); the catalogue's subtitle when absent.
    public var message: String?

    public init(message: String? = nil) { self.message = message }
    public static let sample = IdleData()
}

enum IdleScreen {
    static func draw(_ data: IdleData, _ c: inout DrawContext) {
        c.background()
        let rest = c.header()
        let u = c.u
        let cx = c.width / 2
        let iconSize = min(rest.height * 0.42, c.width * 0.5)
        let cy = rest.y + rest.height * 0.36
        // Pulse: three rings moving outward, one every 0.8 s.
        for i in 0..<3 {
            let phase = (c.time / 2.4 + Double(i) / 3).truncatingRemainder(dividingBy: 1)
            let r = iconSize * (0.55 + 0.45 * phase)
            c.canvas.fill(.ring(cx: cx, cy: cy, r: r, thickness: 3 * u), c.brand.primary.withAlpha(0.55 * (1 - phase)))
        }
        drawCard(&c, cx: cx, cy: cy, size: iconSize * 0.8)
        let titleBox = Box(x: 24 * u, y: cy + iconSize * 0.62, width: c.width - 48 * u, height: 50 * u)
        c.text(c.s(.idleTitle), size: 34, bold: true, in: titleBox, align: .center)
        let subtitle = data.message ?? c.s(.idleSubtitle)
        c.text(subtitle, size: 19, in: Box(x: titleBox.x, y: titleBox.maxY + 4 * u, width: titleBox.width, height: 60 * u),
               align: .center, color: c.brand.mutedText, maxLines: 2)
    }

    /// A loyalty card with a contactless mark, tilted by nothing (rotation would blur text).
    static func drawCard(_ c: inout DrawContext, cx: Double, cy: Double, size: Double) {
        let w = size, h = size * 0.63
        let card = Box(x: cx - w / 2, y: cy - h / 2, width: w, height: h)
        c.canvas.fill(.roundedRect(card.inset(-2 * c.u), radius: h * 0.12), Color.black.withAlpha(0.25))
        c.canvas.fill(.roundedRect(card, radius: h * 0.1), c.brand.primary)
        c.canvas.fill(.roundedRect(Box(x: card.x, y: card.y + h * 0.55, width: w, height: h * 0.45), radius: h * 0.1),
                      c.brand.primary.mixed(with: .black, 0.18))
        c.canvas.fill(.rect(Box(x: card.x, y: card.y + h * 0.55, width: w, height: h * 0.1)), c.brand.primary.mixed(with: .black, 0.18))
        // Chip.
        let chipX = c.rtl ? card.maxX - w * 0.3 : card.x + w * 0.12
        c.canvas.fill(.roundedRect(Box(x: chipX, y: card.y + h * 0.22, width: w * 0.18, height: h * 0.22), radius: h * 0.04),
                      c.brand.accent)
        // Contactless waves.
        let wx = c.rtl ? card.x + w * 0.2 : card.maxX - w * 0.2
        let wy = card.y + h * 0.33
        for i in 1...3 {
            let r = Double(i) * h * 0.08
            let (start, end) = c.rtl ? (Double.pi * 0.75, Double.pi * 1.25) : (-Double.pi * 0.25, Double.pi * 0.25)
            c.canvas.fill(.arc(cx: wx, cy: wy, r: r, thickness: h * 0.03, start: start, end: end), .white)
        }
    }
}

extension Shape {
    static func rect(_ box: Box) -> Shape { .roundedRect(box, radius: 0) }
}
