import KioskText
import Testing

/// Text laid out within exactly its own shaped width stays one whole line: what is measured
/// first and drawn in a box of that width (a chip, a fitted amount) is never cut.
@Suite struct FitsOwnWidthTests {
    @Test func aTextFitsTheWidthItWasMeasuredAt() throws {
        let fonts = try PinnedFonts.fontSet()
        var checked = 0
        for text in ["Offers waiting: 2", "Free spins: 1", "AVATAR WAVE To", "۱۲٬۴۸۰ امتیاز", "سارا محمدی عزیز، خوش آمدید", "Toman ۵۰۰"] {
            for size in stride(from: 10.0, through: 40.0, by: 1) {
                let layouter = TextLayouter(fonts: fonts, pixelSize: size)
                let width = layouter.layout(text).width
                let block = layouter.layout(text, maxWidth: width, maxLines: 2)
                #expect(block.lines.count == 1 && !block.isTruncated, "\(text) at \(size) px broke within its own width \(width)")
                checked += 1
            }
        }
        #expect(checked == 6 * 31)
    }
}
