/// The shared layout of the simple screens: a round badge with a symbol, a title, a body, then
/// optional label/value rows in a panel.
struct MessageLayout {
    enum Symbol { case check, cross, exclamation, lock, cloud, gift, ticket, card }

    static func draw(_ c: inout DrawContext, header: String? = nil, symbol: Symbol, color: Color, title: String,
                     body: String?, rows: [(String, String)] = [], footer: String? = nil, footerInset: Double = 0,
                     bottomReserve: Double = 0) {
        c.background()
        let rest = c.header(header)
        let u = c.u
        let portrait = c.isPortrait
        let badgeR = (portrait ? 54 : 44) * u
        let textWidth = c.width - 80 * u
        // Centre the block vertically: measure it first.
        var total = badgeR * 2 + 18 * u + c.layout(title, size: 30, bold: true, maxWidth: textWidth, maxLines: 2).height
        if let body { total += 4 * u + c.layout(body, size: 19, maxWidth: textWidth, maxLines: 3).height }
        if !rows.isEmpty { total += 14 * u + 38 * u * Double(rows.count) + 16 * u }
        // `bottomReserve`: room kept free above the footer (the prize screen's QR code, portrait).
        let footerRoom = (footer == nil ? 0 : 52 * u) + bottomReserve
        var y = rest.y + max(6 * u, (rest.height - footerRoom - total) / 2 - 10 * u)
        let cx = c.width / 2
        c.canvas.fill(.circle(cx: cx, cy: y + badgeR, r: badgeR + 8 * u), color.withAlpha(0.18))
        c.canvas.fill(.circle(cx: cx, cy: y + badgeR, r: badgeR), color)
        drawSymbol(symbol, &c, cx: cx, cy: y + badgeR, r: badgeR)
        y += badgeR * 2 + 18 * u
        let textBox = Box(x: 40 * u, y: y, width: c.width - 80 * u, height: 44 * u)
        y += c.text(title, size: 30, bold: true, in: Box(x: textBox.x, y: y, width: textBox.width, height: 90 * u), align: .center, maxLines: 2)
        if let body {
            y += 4 * u
            y += c.text(body, size: 19, in: Box(x: textBox.x, y: y, width: textBox.width, height: 90 * u), align: .center,
                        color: c.brand.mutedText, maxLines: 3)
        }
        if !rows.isEmpty {
            y += 14 * u
            let rowHeight = 38 * u
            let panelWidth = min(c.width - 80 * u, 560 * u)
            let panel = Box(x: (c.width - panelWidth) / 2, y: y, width: panelWidth, height: rowHeight * Double(rows.count) + 16 * u)
            c.panel(panel)
            var ry = panel.y + 8 * u
            for (label, value) in rows {
                let row = Box(x: panel.x + 20 * u, y: ry, width: panel.width - 40 * u, height: rowHeight)
                c.text(label, size: 17, in: row, align: .start, color: c.brand.mutedText, centerVertically: true)
                c.text(value, size: 19, bold: true, in: row, align: .end, centerVertically: true)
                ry += rowHeight
            }
            y = panel.maxY
        }
        if let footer {
            // `footerInset` keeps the corners free on both sides (the prize screen's QR code).
            let inset = max(40 * u, footerInset)
            let box = Box(x: inset, y: max(y + 12 * u, c.height - 52 * u), width: c.width - 2 * inset, height: 30 * u)
            c.text(footer, size: 16, in: box, align: .center, color: c.brand.mutedText)
        }
    }

    static func drawSymbol(_ symbol: Symbol, _ c: inout DrawContext, cx: Double, cy: Double, r: Double) {
        let w = r * 0.16
        let ink = Color.white
        switch symbol {
        case .check:
            c.canvas.fill(.line(x0: cx - r * 0.42, y0: cy + r * 0.02, x1: cx - r * 0.12, y1: cy + r * 0.32, width: w), ink)
            c.canvas.fill(.line(x0: cx - r * 0.12, y0: cy + r * 0.32, x1: cx + r * 0.45, y1: cy - r * 0.3, width: w), ink)
        case .cross:
            c.canvas.fill(.line(x0: cx - r * 0.35, y0: cy - r * 0.35, x1: cx + r * 0.35, y1: cy + r * 0.35, width: w), ink)
            c.canvas.fill(.line(x0: cx + r * 0.35, y0: cy - r * 0.35, x1: cx - r * 0.35, y1: cy + r * 0.35, width: w), ink)
        case .exclamation:
            c.canvas.fill(.line(x0: cx, y0: cy - r * 0.45, x1: cx, y1: cy + r * 0.12, width: w), ink)
            c.canvas.fill(.circle(cx: cx, cy: cy + r * 0.42, r: w * 0.6), ink)
        case .lock:
            c.canvas.fill(.ring(cx: cx, cy: cy - r * 0.12, r: r * 0.26, thickness: w * 0.8), ink)
            c.canvas.fill(.roundedRect(Box(x: cx - r * 0.42, y: cy - r * 0.1, width: r * 0.84, height: r * 0.6), radius: r * 0.08), ink)
        case .cloud:
            c.canvas.fill(.circle(cx: cx - r * 0.22, cy: cy + r * 0.05, r: r * 0.26), ink)
            c.canvas.fill(.circle(cx: cx + r * 0.12, cy: cy - r * 0.08, r: r * 0.34), ink)
            c.canvas.fill(.roundedRect(Box(x: cx - r * 0.5, y: cy + r * 0.02, width: r * 1.0, height: r * 0.3), radius: r * 0.15), ink)
            c.canvas.fill(.line(x0: cx - r * 0.55, y0: cy - r * 0.5, x1: cx + r * 0.55, y1: cy + r * 0.5, width: w * 0.8), c.brand.danger)
        case .gift:
            WheelIcons.draw("gift", on: &c.canvas, cx: cx, cy: cy + r * 0.08, size: r * 0.42, images: [:])
        case .ticket:
            c.canvas.fill(.roundedRect(Box(x: cx - r * 0.5, y: cy - r * 0.3, width: r, height: r * 0.6), radius: r * 0.1), ink)
            c.canvas.fill(.line(x0: cx + r * 0.15, y0: cy - r * 0.22, x1: cx + r * 0.15, y1: cy + r * 0.22, width: w * 0.4),
                          c.brand.primary)
        case .card:
            c.canvas.fill(.roundedRect(Box(x: cx - r * 0.5, y: cy - r * 0.32, width: r, height: r * 0.64), radius: r * 0.08), ink)
            c.canvas.fill(.rect(Box(x: cx - r * 0.5, y: cy - r * 0.16, width: r, height: r * 0.14)), Color.black.withAlpha(0.5))
        }
    }
}
