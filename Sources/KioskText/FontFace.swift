import CFreeType
import CHarfBuzz
import Synchronization

/// One font, loaded from its bytes: FreeType for glyph outlines and coverage, HarfBuzz (its own
/// OpenType functions, at the font's design units) for shaping. Reading the file is the caller's job.
public final class FontFace: @unchecked Sendable {
    public let name: String
    public let unitsPerEm: Int
    /// Ascender and descender (positive, below the baseline) and line gap, in design units.
    public let ascender: Int, descender: Int, lineGap: Int
    private let bytes: UnsafeMutableBufferPointer<UInt8>
    private let library: FT_Library
    private let face: FT_Face
    let hbFont: OpaquePointer
    private let ftLock = Mutex(())

    public init(name: String, data: [UInt8]) throws(TextError) {
        self.name = name
        guard !data.isEmpty else { throw TextError(.fontUnreadable, "\(name): empty file") }
        let bytes = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: data.count)
        _ = bytes.initialize(from: data)
        var library: FT_Library?
        guard FT_Init_FreeType(&library) == 0, let library else {
            bytes.deallocate()
            throw TextError(.libraryFailure, "FT_Init_FreeType")
        }
        var face: FT_Face?
        let error = FT_New_Memory_Face(library, bytes.baseAddress, FT_Long(data.count), 0, &face)
        guard error == 0, let face else {
            FT_Done_FreeType(library)
            bytes.deallocate()
            throw TextError(.fontUnreadable, "\(name): FreeType error \(error)")
        }
        self.bytes = bytes
        self.library = library
        self.face = face
        unitsPerEm = Int(face.pointee.units_per_EM)
        ascender = Int(face.pointee.ascender)
        descender = -Int(face.pointee.descender)
        lineGap = max(0, Int(face.pointee.height) - ascender - descender)
        let blob = hb_blob_create(UnsafeRawPointer(bytes.baseAddress!).assumingMemoryBound(to: CChar.self),
                                  UInt32(data.count), HB_MEMORY_MODE_READONLY, nil, nil)
        let hbFace = hb_face_create(blob, 0)
        hbFont = hb_font_create(hbFace)!
        hb_face_destroy(hbFace)
        hb_blob_destroy(blob)
    }

    deinit {
        hb_font_destroy(hbFont)
        FT_Done_Face(face)
        FT_Done_FreeType(library)
        bytes.deallocate()
    }

    /// The glyph for a code point, 0 when the font has none.
    public func glyphIndex(for scalar: UInt32) -> UInt32 {
        ftLock.withLock { _ in UInt32(FT_Get_Char_Index(face, FT_ULong(scalar))) }
    }

    public func covers(_ scalar: UInt32) -> Bool { glyphIndex(for: scalar) != 0 }

    /// The anti-aliased coverage of one glyph at a pixel size (no hinting, so that shapes match
    /// HarfBuzz's unhinted advances), nil for an empty glyph such as a space.
    func rasterize(glyph: UInt32, pixelSize: Double) -> GlyphBitmap? {
        ftLock.withLock { _ -> GlyphBitmap? in
            guard FT_Set_Char_Size(face, 0, FT_F26Dot6((pixelSize * 64).rounded()), 72, 72) == 0,
                  FT_Load_Glyph(face, glyph, Int32(FT_LOAD_NO_HINTING)) == 0,
                  FT_Render_Glyph(face.pointee.glyph, FT_RENDER_MODE_NORMAL) == 0
            else { return nil }
            let slot = face.pointee.glyph!.pointee
            let bitmap = slot.bitmap
            let width = Int(bitmap.width), height = Int(bitmap.rows)
            guard width > 0, height > 0, let buffer = bitmap.buffer else { return nil }
            var pixels = [UInt8](repeating: 0, count: width * height)
            let pitch = Int(bitmap.pitch)
            for row in 0..<height {
                for column in 0..<width { pixels[row * width + column] = buffer[row * pitch + column] }
            }
            return GlyphBitmap(width: width, height: height, left: Int(slot.bitmap_left), top: Int(slot.bitmap_top),
                               coverage: pixels)
        }
    }
}

/// A glyph's coverage: `left`/`top` place it from the pen position (top is above the baseline).
public struct GlyphBitmap: Sendable {
    public let width: Int, height: Int, left: Int, top: Int
    public let coverage: [UInt8]
}
