import KioskText
import Testing

/// Shaping and ordering checked structurally (glyph ids, clusters, visual order) on the pinned fonts.
@Suite struct ShapingTests {
    let fonts: FontSet
    let layouter: TextLayouter

    init() throws {
        fonts = try PinnedFonts.fontSet()
        layouter = TextLayouter(fonts: fonts, pixelSize: 32)
    }

    func line(_ text: String) -> TextLine {
        let block = layouter.layout(text)
        #expect(block.lines.count == 1)
        return block.lines[0]
    }

    /// Clusters in visual order, left to right.
    func clusters(_ text: String) -> [Int] { line(text).glyphs.map(\.cluster) }
    func glyphs(_ text: String) -> [UInt32] { line(text).glyphs.map(\.glyph) }

    @Test func zwnjIsKeptAndBreaksTheJoin() {
        let withZWNJ = line("می\u{200C}خواهم")
        let joined = line("میخواهم")
        // The ZWNJ (code point 2) survives shaping as a glyph of its own, with no width.
        let zwnj = withZWNJ.glyphs.filter { $0.cluster == 2 }
        #expect(zwnj.count == 1)
        // ی before the ZWNJ takes its final form: the same glyph as ی ending the word "می".
        let mi = glyphs("می")
        let yehBeforeZWNJ = withZWNJ.glyphs.first { $0.cluster == 1 }!.glyph
        #expect(yehBeforeZWNJ == mi[0])  // visual order: ی is leftmost in "می"
        let yehJoined = joined.glyphs.first { $0.cluster == 1 }!.glyph
        #expect(yehJoined != yehBeforeZWNJ)
        // خ after the ZWNJ starts a new word: its initial form, as in "خواهم" alone.
        let kheh = withZWNJ.glyphs.first { $0.cluster == 3 }!.glyph
        #expect(kheh == line("خواهم").glyphs.last!.glyph)
    }

    @Test func persianYehAndKehehAreNotTheirArabicLookalikes() {
        // Isolated, Persian ی (U+06CC) has no dots and Arabic ي (U+064A) has two: different glyphs.
        #expect(glyphs("\u{06CC}") != glyphs("\u{064A}"))
        #expect(glyphs("\u{06A9}") != glyphs("\u{0643}"))
        #expect(fonts.faces[fonts.arabic].glyphIndex(for: 0x06CC) != 0)
        #expect(fonts.faces[fonts.arabic].glyphIndex(for: 0x06A9) != 0)
    }

    @Test func lamAlefIsOneLigature() {
        let lamAlef = line("لا")
        #expect(lamAlef.glyphs.count == 1)
        #expect(lamAlef.glyphs[0].cluster == 0)
        #expect(lamAlef.glyphs[0].glyph != fonts.faces[fonts.arabic].glyphIndex(for: 0x0644))
    }

    @Test func persianDigitsReadLeftToRightInsideRightToLeftText() {
        // "۱۵ امتیاز": the number stays ۱۵ (۱ left of ۵), at the right end of the line.
        let text = "۱۵ امتیاز"
        let order = clusters(text)
        #expect(line(text).isRTL)
        #expect(Array(order.suffix(2)) == [0, 1])
        // A Jalali date keeps its order: ۱۴۰۵/۰۶/۲۴ reads 1405/06/24 from left to right.
        let date = "تاریخ ۱۴۰۵/۰۶/۲۴"
        let dateOrder = clusters(date)
        let digits = Array(dateOrder.prefix(10))
        #expect(digits == Array(6..<16))
    }

    @Test func latinNamesInsidePersianReadLeftToRightBetweenTheirNeighbours() {
        // "سلام Ali خوش": right to left, so خوش is leftmost, then Ali (A, l, i), then سلام at the right.
        let text = "سلام Ali خوش"
        let placed = line(text).glyphs
        let latin = placed.filter { $0.font == fonts.latin && (5...7).contains($0.cluster) }
        #expect(latin.map(\.cluster) == [5, 6, 7])
        let firstLatin = placed.firstIndex { $0.cluster == 5 }!
        let salam = placed.firstIndex { $0.cluster == 0 }!
        let khosh = placed.firstIndex { $0.cluster == 9 }!
        #expect(khosh < firstLatin && firstLatin < salam)
        // Latin letters drawn with the Latin font, Persian ones with the Arabic font.
        #expect(placed.filter { $0.cluster <= 3 }.allSatisfy { $0.font == fonts.arabic })
    }

    @Test func anEnglishParagraphWithAPersianWordKeepsItsOrder() {
        let text = "Hello سلام!"
        let order = clusters(text)
        #expect(!line(text).isRTL)
        #expect(Array(order.prefix(5)) == [0, 1, 2, 3, 4])
        #expect(order.last == 10)
    }

    @Test func linesBreakAtSpacesByShapedWidthAndLoseNothing() {
        let text = "باشگاه مشتریان فروشگاه ما به شما خوش‌آمد می‌گوید و امتیازهای شما را نگه می‌دارد"
        let block = layouter.layout(text, maxWidth: 300)
        #expect(block.lines.count > 2)
        for line in block.lines { #expect(line.width <= 300) }
        let rejoined = block.lines.flatMap(\.codepoints)
        #expect(rejoined == text.unicodeScalars.map(\.value))
        // Each line but the last ends at a space; the ZWNJ words stay whole.
        for line in block.lines.dropLast() { #expect(line.codepoints.last == 0x20) }
        // The first line holds the start of the text, and right to left: code point 0 is rightmost.
        let first = block.lines[0]
        #expect(first.glyphs.last!.cluster == 0)
    }

    @Test func aWordTooLongForTheLineBreaksBetweenClustersNeverInsideOne() {
        // é as e + combining acute: breaking between e and its accent would split a cluster.
        let word = String(repeating: "e\u{0301}", count: 30)
        let block = layouter.layout(word, maxWidth: 100)
        #expect(block.lines.count > 1)
        for line in block.lines {
            #expect(line.codepoints.first == 0x65)
            #expect(line.codepoints.last == 0x301)
            #expect(line.width <= 100)
        }
        #expect(block.lines.flatMap(\.codepoints).count == 60)
    }

    @Test func truncationEndsWithAnEllipsisOnTheReadingEnd() {
        let name = "محمدحسین عبدالرحیمی‌نژاد اصفهانی"
        let block = layouter.layout(name, maxWidth: 200, maxLines: 1)
        #expect(block.lines.count == 1)
        let line = block.lines[0]
        #expect(line.truncated)
        #expect(line.width <= 200)
        #expect(line.codepoints.last == 0x2026)
        // Right to left, the ellipsis (the last code point) is drawn leftmost.
        #expect(line.glyphs.first!.cluster == line.codepoints.count - 1)
        // The kept prefix is a prefix of the name.
        #expect(Array(name.unicodeScalars.map(\.value).prefix(line.codepoints.count - 1)) == Array(line.codepoints.dropLast()))
        // English truncates at the right.
        let english = layouter.layout("Alexandria Montgomery-Fitzwilliam", maxWidth: 200, maxLines: 1).lines[0]
        #expect(english.truncated && english.width <= 200)
        #expect(english.glyphs.last!.cluster == english.codepoints.count - 1)
    }

    @Test func textThatFitsIsNotTruncated() {
        let block = layouter.layout("سلام", maxWidth: 500, maxLines: 1)
        #expect(!block.isTruncated)
        #expect(block.lines[0].codepoints == "سلام".unicodeScalars.map(\.value))
    }

    @Test func glyphsRasterizeOnceAndComeFromTheCache() {
        let glyph = fonts.faces[fonts.arabic].glyphIndex(for: 0x0645)
        let before = fonts.cacheFootprint.glyphs
        let first = fonts.bitmap(font: fonts.arabic, glyph: glyph, pixelSize: 41)
        let second = fonts.bitmap(font: fonts.arabic, glyph: glyph, pixelSize: 41)
        #expect(first != nil && first!.coverage.contains { $0 > 200 })
        #expect(first!.coverage == second!.coverage)
        #expect(fonts.cacheFootprint.glyphs == before + 1)
    }

    @Test func aFileThatIsNotAFontIsAClearError() {
        #expect(throws: TextError.self) { try FontFace(name: "junk.ttf", data: [1, 2, 3, 4]) }
        #expect(throws: TextError.self) { try FontFace(name: "empty.ttf", data: []) }
    }
}
