import KioskText

/// The technician's test pattern: colour bars, a grey ramp, a one-pixel border, corner marks
/// that show which way the panel is turned, and a line of text naming the geometry.
public enum TestPattern {
    public static func render(width: Int, height: Int, caption: String, fonts: RenderFonts) -> Canvas {
        var canvas = Canvas(width: width, height: height, fill: .black)
        let bars: [Color] = [.white, Color(r: 255, g: 255, b: 0), Color(r: 0, g: 255, b: 255), Color(r: 0, g: 255, b: 0),
                             Color(r: 255, g: 0, b: 255), Color(r: 255, g: 0, b: 0), Color(r: 0, g: 0, b: 255)]
        let barHeight = height * 6 / 10
        for (i, color) in bars.enumerated() {
            let x0 = i * width / bars.count, x1 = (i + 1) * width / bars.count
            canvas.fill(PixelRect(x: x0, y: 0, width: x1 - x0, height: barHeight), color)
        }
        let rampHeight = height / 10
        for x in 0..<width {
            let v = UInt8(x * 255 / max(1, width - 1))
            canvas.fill(PixelRect(x: x, y: barHeight, width: 1, height: rampHeight), Color(r: v, g: v, b: v))
        }
        // Border and a mark in the top-left corner.
        canvas.fill(PixelRect(x: 0, y: 0, width: width, height: 1), .white)
        canvas.fill(PixelRect(x: 0, y: height - 1, width: width, height: 1), .white)
        canvas.fill(PixelRect(x: 0, y: 0, width: 1, height: height), .white)
        canvas.fill(PixelRect(x: width - 1, y: 0, width: 1, height: height), .white)
        let mark = max(4, min(width, height) / 12)
        canvas.fill(.convexPolygon([(2, 2), (Double(mark), 2), (2, Double(mark))]), Color(r: 255, g: 80, b: 80))
        let size = Double(max(10, min(width, height) / 20))
        let layouter = TextLayouter(fonts: fonts.regular, pixelSize: size)
        let block = layouter.layout(caption, maxWidth: Double(width) - 20, maxLines: 2, base: .ltr)
        canvas.draw(block, fonts: fonts.regular, pixelSize: size,
                    in: Box(x: 10, y: Double(barHeight + rampHeight), width: Double(width) - 20, height: Double(height - barHeight - rampHeight)),
                    align: .center, rtl: false, color: .white, centerVertically: true)
        return canvas
    }
}
