import CHarfBuzz

/// One shaped glyph: which font and glyph, the code point index its cluster starts at (in the
/// paragraph's logical order), and its advance and offsets in pixels (y up, as HarfBuzz gives them).
public struct ShapedGlyph: Sendable, Hashable {
    public let font: Int
    public let glyph: UInt32
    public let cluster: Int
    public let xAdvance: Double
    public let xOffset: Double
    public let yOffset: Double
}

/// Shapes one run (one font, one direction) in logical order with the paragraph as context.
/// Right-to-left runs come back in visual order, left to right, as HarfBuzz gives them: they are
/// never reversed again.
enum Shaper {
    static func shape(_ codepoints: [UInt32], range: Range<Int>, rtl: Bool, arabic: Bool,
                      face: FontFace, fontIndex: Int, pixelSize: Double) -> [ShapedGlyph] {
        guard !range.isEmpty else { return [] }
        let buffer = hb_buffer_create()
        defer { hb_buffer_destroy(buffer) }
        codepoints.withUnsafeBufferPointer { cps in
            hb_buffer_add_utf32(buffer, cps.baseAddress, Int32(cps.count), UInt32(range.lowerBound), Int32(range.count))
        }
        hb_buffer_set_direction(buffer, rtl ? HB_DIRECTION_RTL : HB_DIRECTION_LTR)
        if arabic {
            hb_buffer_set_script(buffer, HB_SCRIPT_ARABIC)
            hb_buffer_set_language(buffer, hb_language_from_string("fa", -1))
        } else {
            hb_buffer_guess_segment_properties(buffer)
            hb_buffer_set_direction(buffer, rtl ? HB_DIRECTION_RTL : HB_DIRECTION_LTR)
        }
        hb_shape(face.hbFont, buffer, nil, 0)
        var count: UInt32 = 0
        let infos = hb_buffer_get_glyph_infos(buffer, &count)!
        let positions = hb_buffer_get_glyph_positions(buffer, &count)!
        let scale = pixelSize / Double(face.unitsPerEm)
        return (0..<Int(count)).map { i in
            ShapedGlyph(font: fontIndex, glyph: infos[i].codepoint, cluster: Int(infos[i].cluster),
                        xAdvance: Double(positions[i].x_advance) * scale,
                        xOffset: Double(positions[i].x_offset) * scale,
                        yOffset: Double(positions[i].y_offset) * scale)
        }
    }
}
