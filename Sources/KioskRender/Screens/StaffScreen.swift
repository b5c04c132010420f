/// A staff step at the counter: the action under way in the header, who it is for, the prompt or
/// the outcome, what is typed so far, and a numbered menu (keypad 1, 2, …). Staff screens show
/// the member staff act for (their name and balances): unlike the technician's screen, they are
/// not free of personal data, and do not say so.
public struct StaffData: Sendable, Equatable, Codable {
    public enum Tone: String, Sendable, Equatable, Codable {
        /// Asking for something (a card, a number, a choice).
        case prompt
        /// Done.
        case success
        /// Refused or failed.
        case refused
    }

    /// The action under way ("Adjust a balance"), drawn in the header.
    public var heading: String
    /// The prompt or the outcome, large.
    public var title: String
    /// A second line: the member's name, a reason.
    public var detail: String?
    /// What is typed so far (digits already in the locale's script); nil when nothing is asked.
    public var entry: String?
    /// The menu, numbered from 1 in the locale's digits.
    public var options: [String]
    public var tone: Tone
    /// The keys that work here ("Cancel: back"), small at the bottom.
    public var hint: String?

    public init(heading: String, title: String, detail: String? = nil, entry: String? = nil, options: [String] = [],
                tone: Tone = .prompt, hint: String? = nil) {
        self.heading = heading
        self.title = title
        self.detail = detail
        self.entry = entry
        self.options = options
        self.tone = tone
        self.hint = hint
    }

    public static let sample = StaffData(heading: "اصلاح موجودی", title: "کدام موجودی؟", detail: "سارا محمدی",
                                         options: ["امتیاز — ۱٬۲۰۰ امتیاز", "اعتبار کیف پول — ۱۵٬۰۰۰ تومان", "سکه — ۳۰ سکه"],
                                         hint: "عدد گزینه را بزنید · لغو: بازگشت")
    public static let sampleEnglish = StaffData(heading: "Adjust a balance", title: "Which balance?", detail: "Sara Mohammadi",
                                                options: ["Points — 1,200 points", "Wallet credit — 15,000 Toman", "Coins — 30 coins"],
                                                hint: "Press the option's number · Cancel: back")
}

enum StaffScreen {
    static func draw(_ data: StaffData, _ c: inout DrawContext) {
        c.background()
        let rest = c.header(data.heading)
        let u = c.u
        let margin = 32 * u
        let width = c.width - 2 * margin
        let footer = data.hint == nil ? 0 : 40 * u
        var y = rest.y + 10 * u
        // The tone's mark on the start side of the title.
        let mark = 16 * u
        let color: Color = switch data.tone {
        case .prompt: c.brand.primary
        case .success: c.brand.success
        case .refused: c.brand.danger
        }
        // A long title is drawn smaller (to 22) before it takes a second line.
        let titleSize = c.fittedSize(data.title, size: 28, minimum: 22, bold: true, width: width - 2 * mark)
        let titleBlock = c.layout(data.title, size: titleSize, bold: true, maxWidth: width - 2 * mark, maxLines: 2)
        let markBox = c.mirrored(Box(x: margin, y: y + titleBlock.lineHeight / 2 - mark / 2, width: mark, height: mark))
        c.canvas.fill(.circle(cx: markBox.midX, cy: markBox.midY, r: mark / 2), color)
        let titleBox = c.mirrored(Box(x: margin + 2 * mark, y: y, width: width - 2 * mark, height: 80 * u))
        c.draw(titleBlock, bold: true, size: titleSize, in: titleBox, align: .start, rtl: c.rtl, color: c.brand.text, centerVertically: false)
        y += titleBlock.height + 6 * u
        if let detail = data.detail {
            y += c.text(detail, size: 19, in: c.mirrored(Box(x: margin + 2 * mark, y: y, width: width - 2 * mark, height: 30 * u)),
                        align: .start, color: c.brand.mutedText) + 10 * u
        }
        if let entry = data.entry {
            // The number typed, in a field of its own; an empty field still shows where it goes.
            let field = Box(x: margin, y: y + 4 * u, width: width, height: 64 * u)
            c.panel(field)
            c.canvas.fill(.rect(Box(x: field.x + 20 * u, y: field.maxY - 12 * u, width: field.width - 40 * u, height: max(1, 2 * u))),
                          c.brand.primary.withAlpha(0.6))
            c.text(entry.isEmpty ? " " : entry, size: 34, bold: true, in: Box(x: field.x + 24 * u, y: field.y, width: field.width - 48 * u,
                                                                             height: field.height - 6 * u),
                   align: .center, centerVertically: true)
            y = field.maxY + 14 * u
        }
        if !data.options.isEmpty {
            let bottom = c.height - 16 * u - footer
            let panel = Box(x: margin, y: y, width: width, height: max(0, bottom - y))
            let rowHeight = min(46 * u, (panel.height - 12 * u) / Double(data.options.count))
            let size = min(20, rowHeight / u * 0.48)
            let used = Box(x: panel.x, y: panel.y, width: panel.width, height: rowHeight * Double(data.options.count) + 12 * u)
            c.panel(used)
            var ry = used.y + 6 * u
            for (index, option) in data.options.enumerated() {
                let row = Box(x: used.x + 16 * u, y: ry, width: used.width - 32 * u, height: rowHeight)
                if index > 0 { c.canvas.fill(.rect(Box(x: row.x, y: ry, width: row.width, height: max(1, u))), Color.white.withAlpha(0.08)) }
                // The key to press, in a round badge on the start side.
                let badge = min(rowHeight * 0.72, 32 * u)
                let badgeBox = c.mirrored(Box(x: row.x, y: row.midY - badge / 2, width: badge, height: badge))
                c.canvas.fill(.circle(cx: badgeBox.midX, cy: badgeBox.midY, r: badge / 2), c.brand.primary.withAlpha(0.85))
                c.text(c.locale.number(index + 1), size: size * 0.9, bold: true, in: badgeBox, align: .center, color: c.brand.backgroundTop,
                       centerVertically: true)
                let textBox = c.mirrored(Box(x: row.x + badge + 14 * u, y: row.y, width: row.width - badge - 14 * u, height: row.height))
                let fitted = c.fittedSize(option, size: size, minimum: (size * 0.7).rounded(.down), bold: true, width: textBox.width)
                c.text(option, size: fitted, bold: true, in: textBox, align: .start, centerVertically: true)
                ry += rowHeight
            }
        }
        if let hint = data.hint {
            c.text(hint, size: c.fittedSize(hint, size: 15, minimum: 11, width: width), in: Box(x: margin, y: c.height - footer - 4 * u, width: width, height: footer),
                   align: .center, color: c.brand.mutedText, centerVertically: true)
        }
    }
}
