import CFriBidi

/// The paragraph direction asked for: left to right, right to left, or from the first strong character.
public enum BaseDirection: Sendable, Hashable {
    case ltr, rtl, auto
}

/// One paragraph's bidi analysis through FriBidi: the resolved paragraph direction and the
/// embedding level of every code point (rules P2 to I1 and L1 parts 1 to 3).
public struct BidiParagraph: Sendable {
    public let codepoints: [UInt32]
    public let levels: [UInt8]
    public let isRTL: Bool
    let types: [FriBidiCharType]
    let resolvedBase: FriBidiParType

    public init(codepoints: [UInt32], base: BaseDirection) {
        self.codepoints = codepoints
        let count = codepoints.count
        var types = [FriBidiCharType](repeating: FriBidiCharType(rawValue: 0), count: count)
        var brackets = [FriBidiBracketType](repeating: 0, count: count)
        var levels = [FriBidiLevel](repeating: 0, count: count)
        var dir: FriBidiParType = switch base {
        case .ltr: kiosk_fribidi_par_ltr()
        case .rtl: kiosk_fribidi_par_rtl()
        case .auto: kiosk_fribidi_par_on()
        }
        if count > 0 {
            codepoints.withUnsafeBufferPointer { cps in
                fribidi_get_bidi_types(cps.baseAddress, FriBidiStrIndex(count), &types)
                fribidi_get_bracket_types(cps.baseAddress, FriBidiStrIndex(count), types, &brackets)
            }
            let maxLevel = fribidi_get_par_embedding_levels_ex(types, brackets, FriBidiStrIndex(count), &dir, &levels)
            // FriBidi fails only when it cannot allocate; a kiosk out of memory cannot draw anyway.
            precondition(maxLevel > 0, "fribidi_get_par_embedding_levels_ex failed (out of memory)")
        } else if base == .auto {
            dir = kiosk_fribidi_par_ltr()
        }
        self.types = types
        self.levels = levels.map { UInt8(bitPattern: $0) }
        self.resolvedBase = dir
        self.isRTL = kiosk_fribidi_par_is_rtl(dir) != 0
    }

    /// One line's visual order (L1 part 4, L2): `visualToLogical[i]` is the logical index shown at
    /// visual position `i` (left to right), and `levels` the line's levels after L1, both indexed
    /// from the line's start.
    public func reorderLine(_ range: Range<Int>) -> (visualToLogical: [Int], levels: [UInt8]) {
        guard !range.isEmpty else { return ([], []) }
        var lineLevels = levels.map { FriBidiLevel(bitPattern: $0) }
        var map = [FriBidiStrIndex](0..<FriBidiStrIndex(codepoints.count))
        // Flags 0: no mirroring (HarfBuzz mirrors in right-to-left runs), no NSM reordering (we
        // shape runs in logical order and HarfBuzz orders their glyphs).
        let result = fribidi_reorder_line(0, types, FriBidiStrIndex(range.count), FriBidiStrIndex(range.lowerBound),
                                          resolvedBase, &lineLevels, nil, &map)
        precondition(result > 0, "fribidi_reorder_line failed (out of memory)")
        let order = map[range].map { Int($0) }
        return (order, lineLevels[range].map { UInt8(bitPattern: $0) })
    }

    /// A line's visual runs, left to right: each a logical range at one level.
    public func visualRuns(_ range: Range<Int>) -> [BidiRun] {
        let (order, lineLevels) = reorderLine(range)
        var runs: [BidiRun] = []
        var i = 0
        while i < order.count {
            let level = lineLevels[order[i] - range.lowerBound]
            var j = i + 1
            while j < order.count, lineLevels[order[j] - range.lowerBound] == level { j += 1 }
            let slice = order[i..<j]
            runs.append(BidiRun(logical: slice.min()!..<(slice.max()! + 1), level: level))
            i = j
        }
        return runs
    }
}

/// A run of one embedding level: odd levels read right to left.
public struct BidiRun: Sendable, Hashable {
    public let logical: Range<Int>
    public let level: UInt8
    public var isRTL: Bool { level % 2 == 1 }
}

extension BidiParagraph {
    /// The line as a string in visual order, left to right, with mirrored characters (brackets)
    /// mirrored in right-to-left runs: what a terminal, which does no bidi, must be sent.
    ///
    /// With `presentationForms`, Arabic letters are sent as the presentation form their place in
    /// the word calls for (initial, medial, final, isolated; lam-alef as one ligature), for a
    /// terminal that does not join letters itself (FriBidi's Arabic shaping, rules of Unicode's
    /// ArabicShaping.txt; a ZWNJ breaks the joining, as in می‌خواهم).
    public func visualString(_ range: Range<Int>, presentationForms: Bool = false) -> String {
        let (order, lineLevels) = reorderLine(range)
        let shown = presentationForms ? self.presentationForms() : codepoints
        var scalars = String.UnicodeScalarView()
        for logical in order {
            var cp = shown[logical]
            // A lam-alef ligature takes the lam's place; FriBidi leaves a filler in the alef's.
            if presentationForms && cp == 0xFEFF && codepoints[logical] != 0xFEFF { continue }
            if lineLevels[logical - range.lowerBound] % 2 == 1 {
                var mirrored: FriBidiChar = 0
                if fribidi_get_mirror_char(cp, &mirrored) != 0 { cp = mirrored }
            }
            if let scalar = Unicode.Scalar(cp) { scalars.append(scalar) }
        }
        return String(scalars)
    }

    /// A whole one-line text in visual order (with presentation forms for a terminal that does not join letters).
    public static func visual(_ text: String, base: BaseDirection, presentationForms: Bool = false) -> String {
        let paragraph = BidiParagraph(codepoints: text.unicodeScalars.map(\.value), base: base)
        return paragraph.visualString(0..<paragraph.codepoints.count, presentationForms: presentationForms)
    }

    /// The paragraph's code points, in logical order, with Arabic letters replaced by their
    /// joined presentation forms (FriBidi: joining types, the joining algorithm by embedding
    /// level, then shaping with mandatory ligatures).
    public func presentationForms() -> [UInt32] {
        let count = codepoints.count
        guard count > 0 else { return [] }
        var shaped = codepoints
        var props = [FriBidiArabicProp](repeating: 0, count: count)
        var levels = self.levels.map { FriBidiLevel(bitPattern: $0) }
        codepoints.withUnsafeBufferPointer { cps in
            fribidi_get_joining_types(cps.baseAddress, FriBidiStrIndex(count), &props)
        }
        fribidi_join_arabic(types, FriBidiStrIndex(count), levels, &props)
        fribidi_shape(kiosk_fribidi_flags_arabic(), &levels, FriBidiStrIndex(count), &props, &shaped)
        return shaped
    }
}
