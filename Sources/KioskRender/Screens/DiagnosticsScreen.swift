/// The technician's screen: the appliance's state as label/value rows, never member data.
public struct DiagnosticsData: Sendable, Equatable, Codable {
    public struct Row: Sendable, Equatable, Codable {
        public var label: String
        public var value: String
        public var ok: Bool?

        public init(label: String, value: String, ok: Bool? = nil) { self.label = label; self.value = value; self.ok = ok }
    }
    public var rows: [Row]

    public init(rows: [Row]) { self.rows = rows }

    public static let sample = DiagnosticsData(rows: [
        Row(label: "Version", value: "kiosk 0.4.0 (a1b2c3d)", ok: nil),
        Row(label: "Display", value: "fb0 1920x1080 XRGB8888, pan", ok: true),
        Row(label: "Readers", value: "ACS ACR1252 (2), Virtual PCD", ok: true),
        Row(label: "Scanner", value: "Honeywell 1900 on event5", ok: true),
        Row(label: "Database", value: "412 MiB, WAL, integrity ok", ok: true),
        Row(label: "Outbox", value: "17 waiting, oldest 4 min", ok: false),
        Row(label: "Central API", value: "unreachable since 14:05", ok: false),
        Row(label: "Uptime", value: "3 d 04:12", ok: nil),
    ])
}

enum DiagnosticsScreen {
    static func draw(_ data: DiagnosticsData, _ c: inout DrawContext) {
        c.background()
        let rest = c.header(c.s(.diagTitle))
        let u = c.u
        let margin = 24 * u
        let footer = 34 * u
        let area = Box(x: margin, y: rest.y, width: c.width - 2 * margin, height: rest.height - margin - footer)
        c.panel(area)
        let rowHeight = min(44 * u, (area.height - 16 * u) / Double(max(data.rows.count, 1)))
        let size = min(18, rowHeight / u * 0.5)
        var y = area.y + 8 * u
        for (index, row) in data.rows.enumerated() {
            let box = Box(x: area.x + 18 * u, y: y, width: area.width - 36 * u, height: rowHeight)
            if index > 0 { c.canvas.fill(.rect(Box(x: box.x, y: y, width: box.width, height: max(1, u))), Color.white.withAlpha(0.08)) }
            // Diagnostics read left to right: technicians share one vocabulary of device names.
            let labelWidth = box.width * 0.32
            if let ok = row.ok {
                c.canvas.fill(.circle(cx: box.x + 7 * u, cy: box.midY, r: 6 * u), ok ? c.brand.success : c.brand.danger)
            }
            c.draw(c.layout(row.label, size: size, maxWidth: labelWidth - 20 * u, base: .ltr), bold: false, size: size,
                   in: Box(x: box.x + 20 * u, y: box.y, width: labelWidth - 20 * u, height: box.height),
                   align: .start, rtl: false, color: c.brand.mutedText, centerVertically: true)
            // A value too long for a narrow (portrait) panel is drawn smaller before it is shortened.
            let valueSize = c.fittedSize(row.value, size: size, minimum: (size * 0.7).rounded(.down), bold: true, width: box.width - labelWidth)
            c.draw(c.layout(row.value, size: valueSize, bold: true, maxWidth: box.width - labelWidth, base: .ltr), bold: true, size: valueSize,
                   in: Box(x: box.x + labelWidth, y: box.y, width: box.width - labelWidth, height: box.height),
                   align: .start, rtl: false, color: c.brand.text, centerVertically: true)
            y += rowHeight
        }
        c.text(c.s(.diagNoPersonalData), size: 14, in: Box(x: margin, y: area.maxY + 6 * u, width: area.width, height: footer),
               align: .center, color: c.brand.mutedText)
    }
}
