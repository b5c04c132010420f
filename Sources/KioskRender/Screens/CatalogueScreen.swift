/// The gift catalogue: items with their cost in points, those out of reach dimmed.
public struct CatalogueData: Sendable, Equatable, Codable {
    public struct Item: Sendable, Equatable, Codable {
        public var title: String
        public var points: Int64
        public var icon: String?

        public init(title: String, points: Int64, icon: String? = nil) { self.title = title; self.points = points; self.icon = icon }
    }
    public var balance: Int64
    public var items: [Item]

    public init(balance: Int64, items: [Item]) { self.balance = balance; self.items = items }

    public static let sample = CatalogueData(balance: 12_480, items: [
        Item(title: "فنجان سرامیکی باشگاه", points: 2_500, icon: "gift"),
        Item(title: "کوپن ۵۰٬۰۰۰ تومانی", points: 5_000, icon: "percent"),
        Item(title: "سبد میوه‌ی فصل", points: 9_000, icon: "gift"),
        Item(title: "کارت هدیه‌ی ۵۰۰٬۰۰۰ تومانی", points: 45_000, icon: "coin"),
    ])
    public static let sampleEnglish = CatalogueData(balance: 12_480, items: [
        Item(title: "Club ceramic mug", points: 2_500, icon: "gift"),
        Item(title: "50,000 Toman voucher", points: 5_000, icon: "percent"),
        Item(title: "Seasonal fruit basket", points: 9_000, icon: "gift"),
        Item(title: "500,000 Toman gift card", points: 45_000, icon: "coin"),
    ])
}

enum CatalogueScreen {
    static func draw(_ data: CatalogueData, _ c: inout DrawContext) {
        c.background()
        let rest = c.header(c.s(.catalogueTitle))
        let u = c.u
        let margin = 24 * u
        c.text(c.s(.catalogueBalance, ["points": c.locale.number(data.balance)]), size: 20, bold: true,
               in: Box(x: margin, y: rest.y, width: c.width - 2 * margin, height: 34 * u), color: c.brand.accent)
        let area = Box(x: margin, y: rest.y + 44 * u, width: c.width - 2 * margin, height: rest.maxY - rest.y - 44 * u - margin)
        guard !data.items.isEmpty else {
            c.text(c.s(.catalogueEmpty), size: 22, in: area, align: .center, color: c.brand.mutedText, centerVertically: true)
            return
        }
        let columns = c.isPortrait ? 1 : 2
        let rowsNeeded = (data.items.count + columns - 1) / columns
        let tileHeight = min(96 * u, (area.height - Double(rowsNeeded - 1) * 12 * u) / Double(rowsNeeded))
        guard tileHeight >= 56 * u || rowsNeeded == 1 else {
            // More items than fit: show what fits (the appliance pages through the rest).
            var fewer = data
            fewer.items = Array(data.items.prefix(max(1, Int((area.height + 12 * u) / (68 * u)) * columns)))
            if fewer.items.count < data.items.count { draw(fewer, &c) }
            return
        }
        for (index, item) in data.items.enumerated() {
            let row = index / columns, column = index % columns
            let width = (area.width - Double(columns - 1) * 12 * u) / Double(columns)
            let box = c.mirrored(Box(x: area.x + Double(column) * (width + 12 * u), y: area.y + Double(row) * (tileHeight + 12 * u),
                                     width: width, height: tileHeight))
            let affordable = item.points <= data.balance
            c.panel(box, color: affordable ? c.brand.surface : Color.white.withAlpha(0.04))
            let iconCX = c.rtl ? box.maxX - tileHeight / 2 : box.x + tileHeight / 2
            c.canvas.fill(.circle(cx: iconCX, cy: box.midY, r: tileHeight * 0.3), affordable ? c.brand.primary : Color(hex: "#3A4A5E")!)
            WheelIcons.draw(item.icon ?? "gift", on: &c.canvas, cx: iconCX, cy: box.midY, size: tileHeight * 0.13, images: c.images)
            let textBox = Box(x: c.rtl ? box.x + 14 * u : box.x + tileHeight, y: box.y + 10 * u,
                              width: box.width - tileHeight - 14 * u, height: box.height - 20 * u)
            c.text(item.title, size: 18, bold: true, in: Box(x: textBox.x, y: textBox.y, width: textBox.width, height: 30 * u),
                   color: affordable ? c.brand.text : c.brand.mutedText)
            let cost = c.s(.catalogueCost, ["points": c.locale.number(item.points)])
            let costLine = affordable ? cost : "\(cost) · \(c.s(.catalogueCannotAfford))"
            c.text(costLine, size: 15, in: Box(x: textBox.x, y: textBox.y + 34 * u, width: textBox.width, height: 26 * u),
                   color: affordable ? c.brand.accent : c.brand.mutedText)
        }
    }
}
