import Synchronization

/// The fonts text is drawn with: one for Arabic script (Persian), one for everything else
/// (Latin), chosen per code point, and a cache of rasterized glyphs shared by every layout.
public final class FontSet: Sendable {
    public let faces: [FontFace]
    public let arabic: Int
    public let latin: Int
    private let cache = Mutex<[GlyphKey: GlyphBitmap?]>([:])

    struct GlyphKey: Hashable { let font: Int, glyph: UInt32, size: Int }

    public init(arabic: FontFace, latin: FontFace) {
        faces = [arabic, latin]
        self.arabic = 0
        self.latin = 1
    }

    /// The coverage of a glyph at a pixel size, rasterized once and then served from the cache.
    public func bitmap(font: Int, glyph: UInt32, pixelSize: Double) -> GlyphBitmap? {
        let key = GlyphKey(font: font, glyph: glyph, size: Int((pixelSize * 64).rounded()))
        if let hit = cache.withLock({ $0[key] }) { return hit }
        let bitmap = faces[font].rasterize(glyph: glyph, pixelSize: pixelSize)
        cache.withLock { $0[key] = .some(bitmap) }
        return bitmap
    }

    /// How many glyphs the cache holds and their bytes of coverage.
    public var cacheFootprint: (glyphs: Int, bytes: Int) {
        cache.withLock { entries in
            (entries.count, entries.values.reduce(0) { $0 + (($1)?.coverage.count ?? 0) })
        }
    }

    /// The font index for each code point: Arabic-script letters and Persian digits in the Arabic
    /// font, other letters and digits in the Latin font, and neutrals (spaces, punctuation, ZWNJ,
    /// marks) in the font of the letter before them (or after, at the start), so that runs stay whole.
    func assignFonts(_ codepoints: [UInt32], rtl: Bool) -> [Int] {
        var assigned = [Int?](repeating: nil, count: codepoints.count)
        for (i, cp) in codepoints.enumerated() {
            if Self.isArabicScript(cp) { assigned[i] = arabic } else if !Self.isNeutral(cp) { assigned[i] = latin }
        }
        var previous: Int? = nil
        for i in assigned.indices {
            if let font = assigned[i] { previous = font; continue }
            if let previous { assigned[i] = previous; continue }
            assigned[i] = assigned[(i + 1)...].lazy.compactMap { $0 }.first ?? (rtl ? arabic : latin)
        }
        return zip(codepoints, assigned).map { cp, font in
            let font = font!
            if faces[font].covers(cp) { return font }
            let other = font == arabic ? latin : arabic
            return faces[other].covers(cp) ? other : font
        }
    }

    static func isArabicScript(_ cp: UInt32) -> Bool {
        (0x0600...0x06FF).contains(cp) || (0x0750...0x077F).contains(cp) || (0x08A0...0x08FF).contains(cp)
            || (0xFB50...0xFDFF).contains(cp) || (0xFE70...0xFEFF).contains(cp)
    }

    static func isNeutral(_ cp: UInt32) -> Bool {
        guard let scalar = Unicode.Scalar(cp) else { return true }
        switch scalar.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter,
             .decimalNumber, .letterNumber, .otherNumber:
            return false
        default:
            return true
        }
    }
}
