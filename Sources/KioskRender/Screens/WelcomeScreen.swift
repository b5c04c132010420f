import KioskCore

/// The member's welcome: name, tier and progress, balances, what expires soon, what waits for
/// them, and the offer that applied with its one-line reason.
public struct WelcomeData: Sendable, Equatable, Codable {
    public struct Tier: Sendable, Equatable, Codable {
        public var name: String
        public var color: Color?
        /// Progress toward the next tier, as integers (e.g. Rial spent this period / Rial needed).
        public var progress: Int64
        public var target: Int64
        /// The next tier's name; nil at the top tier.
        public var next: String?
        /// What is left to reach it, as the screen says it (money, when the tier basis is spend).
        public var remaining: Rial?

        public init(name: String, color: Color? = nil, progress: Int64, target: Int64, next: String? = nil, remaining: Rial? = nil) {
            self.name = name; self.color = color; self.progress = progress; self.target = target; self.next = next; self.remaining = remaining
        }
    }

    public struct Expiring: Sendable, Equatable, Codable {
        public var points: Int64
        public var date: CalendarDate

        public init(points: Int64, date: CalendarDate) { self.points = points; self.date = date }
    }

    public struct AppliedOffer: Sendable, Equatable, Codable {
        public var title: String
        public var reason: String

        public init(title: String, reason: String) { self.title = title; self.reason = reason }
    }

    public var name: String
    public var tier: Tier
    public var points: Int64
    public var credit: Rial
    public var giftCredit: Rial
    public var coins: Int64
    public var expiring: Expiring?
    public var offersWaiting: Int
    public var freeSpins: Int
    public var appliedOffer: AppliedOffer?

    public init(name: String, tier: Tier, points: Int64, credit: Rial, giftCredit: Rial, coins: Int64, expiring: Expiring? = nil,
                offersWaiting: Int = 0, freeSpins: Int = 0, appliedOffer: AppliedOffer? = nil) {
        self.name = name; self.tier = tier; self.points = points; self.credit = credit; self.giftCredit = giftCredit
        self.coins = coins; self.expiring = expiring; self.offersWaiting = offersWaiting; self.freeSpins = freeSpins
        self.appliedOffer = appliedOffer
    }

    public static let sample = WelcomeData(
        name: "سارا محمدی",
        tier: Tier(name: "نقره‌ای", color: Color(hex: "#C0C7D1"), progress: 7_200_000, target: 10_000_000, next: "طلایی",
                   remaining: Rial(28_000_000)),
        points: 12_480, credit: Rial(1_250_000), giftCredit: Rial(500_000), coins: 36,
        expiring: Expiring(points: 1_200, date: CalendarDate(year: 2026, month: 9, day: 15)),
        offersWaiting: 2, freeSpins: 1,
        appliedOffer: AppliedOffer(title: "امتیاز دوبرابر سه‌شنبه", reason: "خرید بیش از ۵۰۰٬۰۰۰ تومان"))

    public static let sampleEnglish = WelcomeData(
        name: "Sara Mohammadi",
        tier: Tier(name: "Silver", color: Color(hex: "#C0C7D1"), progress: 7_200_000, target: 10_000_000, next: "Gold",
                   remaining: Rial(28_000_000)),
        points: 12_480, credit: Rial(1_250_000), giftCredit: Rial(500_000), coins: 36,
        expiring: Expiring(points: 1_200, date: CalendarDate(year: 2026, month: 9, day: 15)),
        offersWaiting: 2, freeSpins: 1,
        appliedOffer: AppliedOffer(title: "Double points Tuesday", reason: "purchase over 500,000 Toman"))
}

enum WelcomeScreen {
    static func draw(_ data: WelcomeData, _ c: inout DrawContext) {
        c.background()
        let u = c.u
        let rest = c.header()
        let margin = 24 * u
        // Portrait panels have room to spare vertically: gaps grow with it.
        let gap = c.isPortrait ? min(2.2, max(1, rest.height / (430 * u))) : 1
        var y = rest.y + 4 * u * gap
        let content = Box(x: margin, y: y, width: c.width - 2 * margin, height: rest.maxY - y - margin)
        // Greeting.
        let greeting = c.s(.welcomeGreeting, ["name": data.name])
        c.text(greeting, size: c.fittedSize(greeting, size: 30, minimum: 22, bold: true, width: content.width), bold: true,
               in: Box(x: content.x, y: y, width: content.width, height: 44 * u), centerVertically: true)
        y += 54 * u * gap
        // Tier badge and progress.
        let tierColor = data.tier.color ?? c.brand.accent
        let badge = c.layout(data.tier.name, size: 16, bold: true)
        let badgeWidth = badge.width + 28 * u
        let badgeBox = c.mirrored(Box(x: content.x, y: y, width: badgeWidth, height: 30 * u))
        c.canvas.fill(.roundedRect(badgeBox, radius: 15 * u), tierColor)
        c.text(data.tier.name, size: 16, bold: true, in: badgeBox, align: .center, color: Color(hex: "#1B2430")!, centerVertically: true)
        let barX = content.x + badgeWidth + 14 * u
        let barBox = c.mirrored(Box(x: barX, y: y + 9 * u, width: content.maxX - barX, height: 12 * u))
        c.canvas.fill(.roundedRect(barBox, radius: 6 * u), Color.white.withAlpha(0.15))
        let fraction = data.tier.target > 0 ? min(1, max(0, Double(data.tier.progress) / Double(data.tier.target))) : 1
        if fraction > 0 {
            let filled = max(barBox.height, barBox.width * fraction)
            let fill = c.rtl ? Box(x: barBox.maxX - filled, y: barBox.y, width: filled, height: barBox.height)
                : Box(x: barBox.x, y: barBox.y, width: filled, height: barBox.height)
            c.canvas.fill(.roundedRect(fill, radius: 6 * u), tierColor)
        }
        y += 34 * u
        let progressText: String
        if let next = data.tier.next, let remaining = data.tier.remaining {
            progressText = c.s(.tierProgress, ["amount": c.locale.toman(remaining), "tier": next])
        } else {
            progressText = c.s(.tierTop)
        }
        c.text(progressText, size: 15, in: c.mirrored(Box(x: barX, y: y - 4 * u, width: content.maxX - barX, height: 24 * u)),
               color: c.brand.mutedText)
        y += 28 * u * gap
        // Balance tiles: 4 across in landscape, 2×2 in portrait.
        let tiles: [(StringKey, String, Color)] = [
            (.points, c.locale.number(data.points), c.brand.accent),
            (.credit, c.locale.toman(data.credit), c.brand.primary),
            (.giftCredit, c.locale.toman(data.giftCredit), Color(hex: "#F28482")!),
            (.coins, c.locale.number(data.coins), Color(hex: "#E9C46A")!),
        ]
        let tileHeight = (c.isPortrait ? 96 * min(gap, 1.4) : 92) * u
        let tileArea: [Box]
        if c.isPortrait {
            let rows = Box(x: content.x, y: y, width: content.width, height: tileHeight * 2 + 12 * u).rows(2, gap: 12 * u)
            tileArea = rows.flatMap { $0.columns(2, gap: 12 * u) }
            y += tileHeight * 2 + 24 * u * gap
        } else {
            tileArea = Box(x: content.x, y: y, width: content.width, height: tileHeight).columns(4, gap: 12 * u)
            y += tileHeight + 14 * u
        }
        for (index, tile) in tiles.enumerated() {
            let box = c.mirrored(tileArea[index])
            c.panel(box)
            let accent = c.rtl ? Box(x: box.maxX - 5 * u, y: box.y + 14 * u, width: 5 * u, height: box.height - 28 * u)
                : Box(x: box.x, y: box.y + 14 * u, width: 5 * u, height: box.height - 28 * u)
            c.canvas.fill(.roundedRect(accent, radius: 2.5 * u), tile.2)
            let inner = box.inset(dx: 16 * u, dy: 10 * u)
            c.text(c.s(tile.0), size: 15, in: Box(x: inner.x, y: inner.y, width: inner.width, height: 24 * u), color: c.brand.mutedText)
            // An amount is never cut: shrunk to fit, and if even that is too wide, on two lines.
            let valueSize = c.fittedSize(tile.1, size: 24, minimum: 14, bold: true, width: inner.width)
            let fits = c.layout(tile.1, size: valueSize, bold: true).width <= inner.width
            c.text(tile.1, size: fits ? valueSize : 12, bold: true,
                   in: Box(x: inner.x, y: inner.y + (fits ? 30 : 26) * u, width: inner.width, height: (fits ? 40 : 46) * u),
                   maxLines: fits ? 1 : 2, centerVertically: true)
        }
        // What expires, what waits, what applied.
        let lineHeight = 30 * u * min(gap, 1.5)
        let expiring = data.expiring.map {
            c.s(.expiring, ["amount": c.s(.catalogueCost, ["points": c.locale.number($0.points)]), "date": c.locale.date($0.date)])
        } ?? c.s(.nothingExpiring)
        dot(&c, y: y, color: data.expiring == nil ? c.brand.mutedText : c.brand.danger, content: content)
        c.text(expiring, size: 16, in: Box(x: content.x + (c.rtl ? 0 : 20 * u), y: y, width: content.width - 20 * u, height: lineHeight))
        y += lineHeight
        var chips: [String] = []
        if data.offersWaiting > 0 { chips.append(c.s(.offersWaiting, ["count": c.locale.number(data.offersWaiting)])) }
        if data.freeSpins > 0 { chips.append(c.s(.spinsWaiting, ["count": c.locale.number(data.freeSpins)])) }
        var chipX = content.x
        for chip in chips {
            let block = c.layout(chip, size: 15, bold: true)
            let w = min(block.width + 26 * u, content.maxX - chipX)
            guard w > 40 * u else { break }
            let box = c.mirrored(Box(x: chipX, y: y + 2 * u, width: w, height: 28 * u))
            c.canvas.fill(.roundedRect(box, radius: 14 * u), c.brand.accent.withAlpha(0.22))
            // The chip is as wide as its text: draw the text as measured (laying it out again within
            // exactly its own width could break it, by a fraction of a pixel of kerning, into "…").
            c.draw(w < block.width + 26 * u ? c.layout(chip, size: 15, bold: true, maxWidth: w - 26 * u) : block, bold: true, size: 15,
                   in: box.inset(dx: 13 * u, dy: 0), align: .center, rtl: c.rtl, color: c.brand.accent, centerVertically: true)
            chipX += w + 10 * u
        }
        if !chips.isEmpty { y += 36 * u * min(gap, 1.5) }
        if let offer = data.appliedOffer, y + lineHeight <= content.maxY + margin / 2 {
            dot(&c, y: y, color: c.brand.success, content: content)
            c.text(c.s(.appliedOffer, ["offer": offer.title, "reason": offer.reason]), size: 16,
                   in: Box(x: content.x + (c.rtl ? 0 : 20 * u), y: y, width: content.width - 20 * u, height: lineHeight),
                   color: c.brand.success)
        }
    }

    static func dot(_ c: inout DrawContext, y: Double, color: Color, content: Box) {
        let u = c.u
        let cx = c.rtl ? content.maxX - 6 * u : content.x + 6 * u
        c.canvas.fill(.circle(cx: cx, cy: y + 12 * u, r: 5 * u), color)
    }
}
