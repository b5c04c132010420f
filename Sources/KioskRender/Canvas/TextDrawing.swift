import KioskText

/// Where a line sits horizontally: at the start of the reading direction, centred, or at its end.
public enum TextAlign: Sendable, Equatable { case start, center, end }

extension Canvas {
    /// Draws laid-out text inside `box`: lines stacked from the top (or centred vertically),
    /// each aligned for the layout direction `rtl` (start is the right edge in Persian).
    public mutating func draw(_ block: TextBlock, fonts: FontSet, pixelSize: Double, in box: Box,
                              align: TextAlign, rtl: Bool, color: Color, centerVertically: Bool = false) {
        let total = block.lineHeight * Double(block.lines.count)
        var top = centerVertically ? box.y + (box.height - total) / 2 : box.y
        let leading = (block.lineHeight - block.ascent - block.descent) / 2
        for line in block.lines {
            let baseline = (top + leading + block.ascent).rounded()
            let x: Double
            switch (align, rtl) {
            case (.center, _): x = box.x + (box.width - line.width) / 2
            case (.start, false), (.end, true): x = box.x
            case (.start, true), (.end, false): x = box.maxX - line.width
            }
            for glyph in line.glyphs {
                guard let bitmap = fonts.bitmap(font: glyph.font, glyph: glyph.glyph, pixelSize: pixelSize) else { continue }
                let gx = Int((x + glyph.x).rounded()) + bitmap.left
                let gy = Int(baseline + glyph.y.rounded()) - bitmap.top
                blendMask(bitmap.coverage, width: bitmap.width, height: bitmap.height, x: gx, y: gy, color: color)
            }
            top += block.lineHeight
        }
    }
}
