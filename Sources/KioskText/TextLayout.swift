/// A glyph placed on a line: x from the line's left edge, y from the baseline (down), in pixels.
public struct PlacedGlyph: Sendable, Hashable {
    public let font: Int
    public let glyph: UInt32
    public let cluster: Int
    public let x: Double
    public let y: Double
}

/// One laid-out line, glyphs left to right in visual order.
public struct TextLine: Sendable {
    public let glyphs: [PlacedGlyph]
    public let width: Double
    /// The paragraph's direction: a right-to-left line is aligned to the right by default.
    public let isRTL: Bool
    /// The code points shown (after truncation, with the ellipsis), in logical order.
    public let codepoints: [UInt32]
    public let truncated: Bool
}

/// Laid-out text: lines, and the metrics to stack them.
public struct TextBlock: Sendable {
    public let lines: [TextLine]
    public let ascent: Double
    public let descent: Double
    public let lineHeight: Double
    public var width: Double { lines.map(\.width).max() ?? 0 }
    public var height: Double { lineHeight * Double(max(lines.count, 1)) }
    public var isTruncated: Bool { lines.contains { $0.truncated } }
}

/// Lays text out: FriBidi levels per paragraph, lines broken by shaped width at spaces (a word
/// too long for a line breaks between grapheme clusters, never inside one), each line reordered
/// visually by FriBidi and each of its runs shaped by HarfBuzz in logical order.
public struct TextLayouter: Sendable {
    public let fonts: FontSet
    public let pixelSize: Double

    public init(fonts: FontSet, pixelSize: Double) {
        self.fonts = fonts
        self.pixelSize = pixelSize
    }

    public var ascent: Double { metric { Double($0.ascender) } }
    public var descent: Double { metric { Double($0.descender) } }

    private func metric(_ value: (FontFace) -> Double) -> Double {
        fonts.faces.map { value($0) * pixelSize / Double($0.unitsPerEm) }.max() ?? 0
    }

    public func layout(_ text: String, maxWidth: Double? = nil, maxLines: Int = .max,
                       base: BaseDirection = .auto) -> TextBlock {
        var lines: [TextLine] = []
        let paragraphs = text.split(separator: "\n", omittingEmptySubsequences: false)
        for paragraph in paragraphs {
            guard lines.count < maxLines else { break }
            let remaining = maxLines - lines.count
            let isLastAllowed = paragraphs.count > 1 && lines.count + 1 >= maxLines
            lines += layoutParagraph(String(paragraph), maxWidth: maxWidth, maxLines: remaining, base: base)
            if isLastAllowed, lines.count == maxLines, paragraph.endIndex != text.endIndex, !lines[lines.count - 1].truncated {
                // More paragraphs follow but no line is left for them: the last line ends with an ellipsis.
                let last = lines.removeLast()
                lines.append(truncate(last.codepoints, base: last.isRTL ? .rtl : .ltr,
                                      maxWidth: maxWidth ?? .infinity, forceEllipsis: true))
            }
        }
        let ascent = self.ascent, descent = self.descent
        return TextBlock(lines: lines, ascent: ascent, descent: descent, lineHeight: ((ascent + descent) * 1.15).rounded())
    }

    /// The width of the text on one line, shaped.
    public func width(_ text: String) -> Double { layout(text).width }

    func layoutParagraph(_ text: String, maxWidth: Double?, maxLines: Int, base: BaseDirection) -> [TextLine] {
        let codepoints = text.unicodeScalars.map(\.value)
        let bidi = BidiParagraph(codepoints: codepoints, base: base)
        let fontOf = fonts.assignFonts(codepoints, rtl: bidi.isRTL)
        let direction: BaseDirection = bidi.isRTL ? .rtl : .ltr
        guard let maxWidth, !codepoints.isEmpty else {
            return [shapeLine(bidi, fontOf, 0..<codepoints.count, truncated: false)]
        }
        // A paragraph whose shaped width fits is one line: the break search below sums advances
        // before kerning, which can exceed the shaped width by a fraction of a pixel.
        let whole = shapeLine(bidi, fontOf, 0..<codepoints.count, truncated: false)
        if whole.width <= maxWidth { return [whole] }
        let boundaries = Set(graphemeBoundaries(text))
        let advances = logicalAdvances(bidi, fontOf)
        var ranges: [Range<Int>] = []
        var start = 0
        while start < codepoints.count {
            if ranges.count == maxLines - 1 {
                // The last line allowed: everything left, with an ellipsis if it does not fit.
                let rest = Array(codepoints[start...])
                let line = shapeLine(BidiParagraph(codepoints: rest, base: direction), fonts.assignFonts(rest, rtl: bidi.isRTL),
                                     0..<rest.count, truncated: false)
                if line.width <= maxWidth { ranges.append(start..<codepoints.count); break }
                var done = ranges.map { shapeLine(bidi, fontOf, $0, truncated: false) }
                done.append(truncate(rest, base: direction, maxWidth: maxWidth, forceEllipsis: false))
                return done
            }
            let end = nextBreak(from: start, codepoints: codepoints, advances: advances, boundaries: boundaries, maxWidth: maxWidth)
            ranges.append(start..<end)
            start = end
        }
        return ranges.map { shapeLine(bidi, fontOf, $0, truncated: false) }
    }

    /// The end of the line starting at `start`: the last space break that fits, else the last
    /// grapheme boundary that fits (at least one cluster).
    private func nextBreak(from start: Int, codepoints: [UInt32], advances: [Double], boundaries: Set<Int>,
                           maxWidth: Double) -> Int {
        var width = 0.0
        var lastBreak: Int? = nil
        var lastCluster = start
        var i = start
        while i < codepoints.count {
            let isSpace = Self.isBreakingSpace(codepoints[i])
            if !isSpace, width + advances[i] > maxWidth {
                if let lastBreak { return lastBreak }
                // One word longer than the line: break between clusters.
                return lastCluster > start ? lastCluster : (boundaries.filter { $0 > start }.min() ?? codepoints.count)
            }
            width += advances[i]
            i += 1
            if isSpace, i < codepoints.count, !Self.isBreakingSpace(codepoints[i]) { lastBreak = i }
            if boundaries.contains(i), !isSpace { lastCluster = i }
        }
        return codepoints.count
    }

    static func isBreakingSpace(_ cp: UInt32) -> Bool { cp == 0x20 || cp == 0x200B || cp == 0x09 }

    /// Each code point's share of the shaped width (a cluster's advance counted at its first code point).
    private func logicalAdvances(_ bidi: BidiParagraph, _ fontOf: [Int]) -> [Double] {
        var advances = [Double](repeating: 0, count: bidi.codepoints.count)
        for run in logicalRuns(bidi, fontOf, 0..<bidi.codepoints.count) {
            for glyph in shape(bidi, run) { advances[glyph.cluster] += glyph.xAdvance }
        }
        return advances
    }

    struct Run { let range: Range<Int>; let rtl: Bool; let font: Int }

    private func logicalRuns(_ bidi: BidiParagraph, _ fontOf: [Int], _ range: Range<Int>) -> [Run] {
        var runs: [Run] = []
        var start = range.lowerBound
        for i in range where i + 1 == range.upperBound || bidi.levels[i + 1] != bidi.levels[i] || fontOf[i + 1] != fontOf[i] {
            runs.append(Run(range: start..<(i + 1), rtl: bidi.levels[i] % 2 == 1, font: fontOf[i]))
            start = i + 1
        }
        return runs
    }

    private func shape(_ bidi: BidiParagraph, _ run: Run) -> [ShapedGlyph] {
        let arabic = run.font == fonts.arabic || bidi.codepoints[run.range].contains { FontSet.isArabicScript($0) }
        return Shaper.shape(bidi.codepoints, range: run.range, rtl: run.rtl, arabic: arabic,
                            face: fonts.faces[run.font], fontIndex: run.font, pixelSize: pixelSize)
    }

    func shapeLine(_ bidi: BidiParagraph, _ fontOf: [Int], _ fullRange: Range<Int>, truncated: Bool) -> TextLine {
        // Trailing spaces take no room on a broken line.
        var upper = fullRange.upperBound
        while upper > fullRange.lowerBound, Self.isBreakingSpace(bidi.codepoints[upper - 1]) { upper -= 1 }
        let range = fullRange.lowerBound..<upper
        var glyphs: [PlacedGlyph] = []
        var pen = 0.0
        for visual in bidi.visualRuns(range) {
            var pieces = logicalRuns(bidi, fontOf, visual.logical).map { Run(range: $0.range, rtl: visual.isRTL, font: $0.font) }
            if visual.isRTL { pieces.reverse() }
            for piece in pieces {
                for glyph in shape(bidi, piece) {
                    glyphs.append(PlacedGlyph(font: glyph.font, glyph: glyph.glyph, cluster: glyph.cluster,
                                              x: pen + glyph.xOffset, y: -glyph.yOffset))
                    pen += glyph.xAdvance
                }
            }
        }
        return TextLine(glyphs: glyphs, width: pen, isRTL: bidi.isRTL,
                        codepoints: Array(bidi.codepoints[fullRange]), truncated: truncated)
    }

    /// The longest prefix (whole grapheme clusters) that fits with an ellipsis after it.
    func truncate(_ codepoints: [UInt32], base: BaseDirection, maxWidth: Double, forceEllipsis: Bool) -> TextLine {
        let text = String(String.UnicodeScalarView(codepoints.compactMap(Unicode.Scalar.init)))
        let cuts = [0] + graphemeBoundaries(text)
        func line(_ cut: Int) -> TextLine {
            var prefix = Array(codepoints[..<cut])
            while let last = prefix.last, Self.isBreakingSpace(last) { prefix.removeLast() }
            prefix.append(0x2026)
            let bidi = BidiParagraph(codepoints: prefix, base: base)
            return shapeLine(bidi, fonts.assignFonts(prefix, rtl: bidi.isRTL), 0..<prefix.count, truncated: true)
        }
        var low = 0, high = cuts.count - 1  // cuts[low] always fits (the ellipsis alone is allowed)
        if !forceEllipsis, cuts[high] == codepoints.count {
            high -= 1
        }
        while low < high {
            let mid = (low + high + 1) / 2
            if line(cuts[mid]).width <= maxWidth { low = mid } else { high = mid - 1 }
        }
        return line(cuts[low])
    }

    /// Code point offsets where grapheme clusters end (Swift's extended grapheme clusters).
    func graphemeBoundaries(_ text: String) -> [Int] {
        var result: [Int] = []
        var offset = 0
        for character in text {
            offset += character.unicodeScalars.count
            result.append(offset)
        }
        return result
    }
}
