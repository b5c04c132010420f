import KioskText

/// What a screen draws with: the canvas, the locale and its direction, the strings, the brand,
/// the fonts, and `u`, the size unit (1 on an 800×480 panel, larger on bigger ones), so that
/// every screen scales to any resolution and orientation.
struct DrawContext {
    var canvas: Canvas
    let locale: DisplayLocale
    let strings: StringCatalogue
    let brand: Branding
    let fonts: RenderFonts
    let images: [String: RGBAImage]
    let time: Double
    let u: Double
    /// False for a terminal: text is kept as items for character cells instead of drawn as pixels.
    var drawsText = true
    var textItems: [TextItem] = []
    /// Laid-out text shared between frames (the renderer's).
    let layouts: LayoutCache
    /// The canvas is the caller's, reset to this frame's layer (`render(_:into:)`): its `dirty`
    /// already covers what differs from what it showed, and screens must not narrow or widen it.
    var reused = false
    /// The canvas already holds the wheel screen's static layer.
    var wheelLayerDrawn = false
    /// The canvas already holds the landed wheel's layer: the static layer with the face at its final angle.
    var landedLayerDrawn = false

    var rtl: Bool { locale.isRTL }
    var width: Double { Double(canvas.width) }
    var height: Double { Double(canvas.height) }
    var isPortrait: Bool { canvas.height > canvas.width }
    var full: Box { Box(x: 0, y: 0, width: width, height: height) }

    init(canvas: Canvas, locale: DisplayLocale, strings: StringCatalogue, brand: Branding, fonts: RenderFonts,
         images: [String: RGBAImage], time: Double, layouts: LayoutCache) {
        self.canvas = canvas
        self.locale = locale
        self.strings = strings
        self.brand = brand
        self.fonts = fonts
        self.images = images
        self.time = time
        self.layouts = layouts
        u = Double(min(canvas.width, canvas.height)) / 480
    }

    func s(_ key: StringKey, _ values: [String: String] = [:]) -> String { strings.text(key, locale, values) }

    /// Lays text out at `size` (in units) within `width` pixels.
    func layout(_ text: String, size: Double, bold: Bool = false, maxWidth: Double? = nil, maxLines: Int = 1,
                base: BaseDirection? = nil) -> TextBlock {
        let pixelSize = (size * u).rounded(), direction = base ?? (rtl ? .rtl : .ltr)
        let key = LayoutCache.Key(text: text, bold: bold, pixelSize: pixelSize, maxWidth: maxWidth, maxLines: maxLines, base: direction)
        return layouts.block(key) {
            TextLayouter(fonts: bold ? fonts.bold : fonts.regular, pixelSize: pixelSize)
                .layout(text, maxWidth: maxWidth, maxLines: maxLines, base: direction)
        }
    }

    /// The largest size from `size` down to `minimum` at which the text fits one line of `width`.
    func fittedSize(_ text: String, size: Double, minimum: Double, bold: Bool = false, width: Double) -> Double {
        var candidate = size
        while candidate > minimum, layout(text, size: candidate, bold: bold).width > width { candidate -= 1 }
        return candidate
    }

    /// Draws text in a box; returns the height used.
    @discardableResult
    mutating func text(_ text: String, size: Double, bold: Bool = false, in box: Box, align: TextAlign = .start,
                       color: Color? = nil, maxLines: Int = 1, centerVertically: Bool = false) -> Double {
        let block = layout(text, size: size, bold: bold, maxWidth: box.width, maxLines: maxLines)
        draw(block, bold: bold, size: size, in: box, align: align, rtl: rtl, color: color ?? brand.text, centerVertically: centerVertically)
        return block.height
    }

    /// Draws laid-out text (or, for a terminal, keeps it as an item).
    mutating func draw(_ block: TextBlock, bold: Bool, size: Double, in box: Box, align: TextAlign, rtl: Bool, color: Color,
                       centerVertically: Bool) {
        if drawsText {
            canvas.draw(block, fonts: bold ? fonts.bold : fonts.regular, pixelSize: (size * u).rounded(), in: box,
                        align: align, rtl: rtl, color: color, centerVertically: centerVertically)
        }
        let total = block.lineHeight * Double(block.lines.count)
        let top = centerVertically ? box.y + (box.height - total) / 2 : box.y
        textItems.append(TextItem(
            lines: block.lines.map { String(String.UnicodeScalarView($0.codepoints.compactMap(Unicode.Scalar.init))) },
            lineRTL: block.lines.map(\.isRTL), box: Box(x: box.x, y: top, width: box.width, height: total),
            lineHeight: block.lineHeight, align: align, rtl: rtl, color: color, bold: bold))
    }

    /// Mirrors a box horizontally in Persian (layouts are written left to right for English).
    func mirrored(_ box: Box) -> Box {
        rtl ? Box(x: width - box.maxX, y: box.y, width: box.width, height: box.height) : box
    }

    /// The background is already on the canvas (the renderer's cached copy).
    var backgroundDrawn = false

    mutating func background() {
        if backgroundDrawn { return }
        drawBackground()
    }

    mutating func drawBackground() {
        canvas.fillVerticalGradient(canvas.bounds, top: brand.backgroundTop, bottom: brand.backgroundBottom)
        // Two soft glows give depth without an image.
        canvas.fill(.circle(cx: width * (rtl ? 0.15 : 0.85), cy: height * 0.1, r: 160 * u), brand.primary.withAlpha(0.07))
        canvas.fill(.circle(cx: width * (rtl ? 0.9 : 0.1), cy: height * 0.95, r: 200 * u), brand.accent.withAlpha(0.05))
    }

    /// The brand bar at the top: store name on the start side; returns the rest of the screen.
    mutating func header(_ title: String? = nil, measureOnly: Bool = false) -> Box {
        let bar = Box(x: 24 * u, y: 14 * u, width: width - 48 * u, height: 36 * u)
        if measureOnly { return Box(x: 0, y: bar.maxY + 10 * u, width: width, height: height - bar.maxY - 10 * u) }
        if let logo = images["logo"] {
            let scaled = logo.scaled(toFit: Int(36 * u), Int(36 * u))
            let lx = rtl ? Int(bar.maxX) - scaled.width : Int(bar.x)
            canvas.draw(scaled, x: lx, y: Int(bar.y))
        } else {
            let cx = rtl ? bar.maxX - 18 * u : bar.x + 18 * u
            canvas.fill(.circle(cx: cx, cy: bar.midY, r: 15 * u), brand.primary)
            canvas.fill(.circle(cx: cx, cy: bar.midY, r: 7 * u), brand.backgroundTop)
        }
        let nameBox = Box(x: bar.x + (rtl ? 0 : 46 * u), y: bar.y, width: bar.width - 46 * u, height: bar.height)
        text(brand.storeName(locale), size: 17, bold: true, in: nameBox, align: .start, color: brand.text, centerVertically: true)
        if let title {
            text(title, size: 17, in: nameBox, align: .end, color: brand.mutedText, centerVertically: true)
        }
        return Box(x: 0, y: bar.maxY + 10 * u, width: width, height: height - bar.maxY - 10 * u)
    }

    mutating func panel(_ box: Box, color: Color? = nil) {
        canvas.fill(.roundedRect(box, radius: 16 * u), color ?? brand.surface)
    }
}
