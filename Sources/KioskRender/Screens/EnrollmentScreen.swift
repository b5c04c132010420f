/// The enrollment steps (staff-assisted): a new card, the phone number, the name, done.
public struct EnrollmentData: Sendable, Equatable, Codable {
    public enum Step: String, Sendable, Codable, CaseIterable { case card, phone, name, done }
    public var step: Step
    /// What was typed so far for the phone number or name, shown back (masked by the caller if it wants).
    public var entry: String?

    public init(step: Step, entry: String? = nil) { self.step = step; self.entry = entry }

    public static let sample = EnrollmentData(step: .phone, entry: "0912 345 67")
}

enum EnrollmentScreen {
    static func draw(_ data: EnrollmentData, _ c: inout DrawContext) {
        c.background()
        let rest = c.header(c.s(.enrollTitle))
        let u = c.u
        let steps = EnrollmentData.Step.allCases
        let current = steps.firstIndex(of: data.step)!
        // Step dots and connecting line, in reading order.
        let stepWidth = min(120 * u, (c.width - 80 * u) / Double(steps.count))
        let startX = (c.width - stepWidth * Double(steps.count - 1)) / 2
        let y = rest.y + 40 * u
        for i in steps.indices {
            let index = c.rtl ? steps.count - 1 - i : i
            let cx = startX + Double(index) * stepWidth
            if i < steps.count - 1 {
                let next = startX + Double(c.rtl ? index - 1 : index + 1) * stepWidth
                c.canvas.fill(.line(x0: cx, y0: y, x1: next, y1: y, width: 4 * u), i < current ? c.brand.primary : Color.white.withAlpha(0.2))
            }
        }
        for i in steps.indices {
            let index = c.rtl ? steps.count - 1 - i : i
            let cx = startX + Double(index) * stepWidth
            let color = i <= current ? c.brand.primary : Color(hex: "#3A4A5E")!
            c.canvas.fill(.circle(cx: cx, cy: y, r: 18 * u), color)
            c.text(c.locale.number(i + 1), size: 17, bold: true, in: Box(x: cx - 18 * u, y: y - 18 * u, width: 36 * u, height: 36 * u),
                   align: .center, centerVertically: true)
        }
        var ty = y + 44 * u
        c.text(c.s(.enrollStep, ["step": c.locale.number(current + 1), "total": c.locale.number(steps.count)]), size: 17,
               in: Box(x: 30 * u, y: ty, width: c.width - 60 * u, height: 28 * u), align: .center, color: c.brand.mutedText)
        ty += 34 * u
        let title: StringKey = switch data.step {
        case .card: .enrollCard
        case .phone: .enrollPhone
        case .name: .enrollName
        case .done: .enrollDone
        }
        let used = c.text(c.s(title), size: 30, bold: true, in: Box(x: 30 * u, y: ty, width: c.width - 60 * u, height: 90 * u),
                          align: .center, maxLines: 2)
        // A title on two lines (a narrow portrait panel) pushes the field down.
        let lines = c.layout(c.s(title), size: 30, bold: true, maxWidth: c.width - 60 * u, maxLines: 2).lines.count
        ty += lines > 1 ? used + 4 * u : 60 * u
        switch data.step {
        case .card:
            IdleScreen.drawCard(&c, cx: c.width / 2, cy: ty + 70 * u, size: 150 * u)
        case .phone, .name:
            let fieldWidth = min(c.width - 80 * u, 460 * u)
            let field = Box(x: (c.width - fieldWidth) / 2, y: ty + 10 * u, width: fieldWidth, height: 60 * u)
            c.panel(field)
            c.canvas.fill(.roundedRect(Box(x: field.x, y: field.maxY - 4 * u, width: field.width, height: 4 * u), radius: 2 * u), c.brand.primary)
            let entry = data.entry ?? ""
            // Phone numbers read left to right even in Persian.
            let shown = data.step == .phone ? "\u{2066}\(c.locale.digits(entry))\u{2069}" : entry
            c.text(shown, size: 26, bold: true, in: field.inset(dx: 20 * u, dy: 0), align: .center, centerVertically: true)
        case .done:
            c.canvas.fill(.circle(cx: c.width / 2, cy: ty + 60 * u, r: 44 * u), c.brand.success)
            MessageLayout.drawSymbol(.check, &c, cx: c.width / 2, cy: ty + 60 * u, r: 44 * u)
        }
    }
}
