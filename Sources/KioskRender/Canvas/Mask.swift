import Foundation
import KioskText

/// An 8-bit coverage picture: text drawn once, then placed at any angle (wheel labels).
struct Mask {
    let width: Int, height: Int
    var coverage: [UInt8]

    init(width: Int, height: Int) {
        self.width = max(1, width); self.height = max(1, height)
        coverage = [UInt8](repeating: 0, count: self.width * self.height)
    }

    /// Draws a line of laid-out text centred in the mask.
    init(text block: TextBlock, fonts: FontSet, pixelSize: Double, padding: Int = 2) {
        let w = Int(block.width.rounded(.up)) + 2 * padding
        let h = Int(block.height.rounded(.up)) + 2 * padding
        self.init(width: w, height: h)
        var top = Double(padding)
        let leading = (block.lineHeight - block.ascent - block.descent) / 2
        for line in block.lines {
            let baseline = (top + leading + block.ascent).rounded()
            let x = Double(padding) + (block.width - line.width) / 2
            for glyph in line.glyphs {
                guard let bitmap = fonts.bitmap(font: glyph.font, glyph: glyph.glyph, pixelSize: pixelSize) else { continue }
                let gx = Int((x + glyph.x).rounded()) + bitmap.left
                let gy = Int(baseline + glyph.y.rounded()) - bitmap.top
                for row in 0..<bitmap.height where (0..<height).contains(gy + row) {
                    for column in 0..<bitmap.width where (0..<width).contains(gx + column) {
                        let i = (gy + row) * width + gx + column
                        coverage[i] = max(coverage[i], bitmap.coverage[row * bitmap.width + column])
                    }
                }
            }
            top += block.lineHeight
        }
    }

    @inline(__always)
    func sample(_ x: Double, _ y: Double) -> Double {
        let x0 = Int(x.rounded(.down)), y0 = Int(y.rounded(.down))
        let fx = x - Double(x0), fy = y - Double(y0)
        func at(_ xi: Int, _ yi: Int) -> Double {
            (0..<width).contains(xi) && (0..<height).contains(yi) ? Double(coverage[yi * width + xi]) : 0
        }
        let top = at(x0, y0) * (1 - fx) + at(x0 + 1, y0) * fx
        let bottom = at(x0, y0 + 1) * (1 - fx) + at(x0 + 1, y0 + 1) * fx
        return (top * (1 - fy) + bottom * fy) / 255
    }
}

extension Canvas {
    /// Blends a mask in one colour, its centre at (cx, cy), turned clockwise by `angle` (bilinear).
    mutating func blend(_ mask: Mask, centerX cx: Double, centerY cy: Double, angle: Double, color: Color) {
        let half = (Double(mask.width * mask.width + mask.height * mask.height)).squareRoot() / 2 + 1
        let area = Box(x: cx - half, y: cy - half, width: 2 * half, height: 2 * half).pixelBounds.intersection(clip)
        guard !area.isEmpty else { return }
        markDirty(area)
        let c = cos(angle), s = sin(angle)
        let mcx = Double(mask.width) / 2, mcy = Double(mask.height) / 2
        for y in area.y..<area.maxY {
            for x in area.x..<area.maxX {
                let dx = Double(x) + 0.5 - cx, dy = Double(y) + 0.5 - cy
                // Inverse rotation into the mask's frame.
                let mx = dx * c + dy * s + mcx - 0.5, my = -dx * s + dy * c + mcy - 0.5
                let coverage = mask.sample(mx, my)
                if coverage > 0.004 {
                    pixels[y * width + x] = Self.blend(pixels[y * width + x], color, UInt32((coverage * Double(color.a)).rounded()))
                }
            }
        }
    }

    /// Draws `source` (a square picture of a disc of radius `radius` about its centre) turned
    /// clockwise by `angle` about (cx, cy), bilinear, with an anti-aliased circular edge.
    mutating func drawRotatedDisc(_ source: Canvas, centerX cx: Double, centerY cy: Double, radius: Double, angle: Double) {
        precondition(Double(source.width) >= 2 * radius + 2 && Double(source.height) >= 2 * radius + 2,
                     "a source with a pixel's margin around the disc")
        let area = Box(x: cx - radius - 1, y: cy - radius - 1, width: 2 * radius + 2, height: 2 * radius + 2).pixelBounds.intersection(clip)
        guard !area.isEmpty else { return }
        markDirty(area)
        let c = cos(angle), s = sin(angle)
        let scx = Double(source.width) / 2, scy = Double(source.height) / 2
        let sw = source.width, sh = source.height
        let w = width
        let inner = max(0, radius - 0.5)
        let outer = radius + 0.5
        // Source coordinates in 16.16 fixed point, stepped along each row.
        let step = 65536.0
        let cStep = Int(c * step), sStep = Int(s * step)
        let maxX = (sw - 2) << 16, maxY = (sh - 2) << 16
        // Tiles of 32×32 destination pixels: a turned picture is read along a slant, and tiles keep
        // those reads within a few cache lines instead of striding across the whole source.
        let tile = 32
        pixels.withUnsafeMutableBufferPointer { dst in
            source.pixels.withUnsafeBufferPointer { src in
                for ty in stride(from: area.y, to: area.maxY, by: tile) {
                    for tx in stride(from: area.x, to: area.maxX, by: tile) {
                        for y in ty..<min(ty + tile, area.maxY) {
                            let dy = Double(y) + 0.5 - cy
                            let outerHalf2 = outer * outer - dy * dy
                            guard outerHalf2 > 0 else { continue }
                            let outerHalf = outerHalf2.squareRoot()
                            let x0 = max(tx, Int((cx - outerHalf - 0.5).rounded(.down)))
                            let x1 = min(min(tx + tile, area.maxX), Int((cx + outerHalf + 0.5).rounded(.up)))
                            guard x0 < x1 else { continue }
                            // Columns whose pixel centre is inside the inner radius need no edge coverage.
                            let innerHalf2 = inner * inner - dy * dy
                            let innerHalf = innerHalf2 > 0 ? innerHalf2.squareRoot() : -1
                            let i0 = innerHalf < 0 ? x1 : Int((cx - innerHalf - 0.5).rounded(.up))
                            let i1 = innerHalf < 0 ? x1 : Int((cx + innerHalf - 0.5).rounded(.down)) + 1
                            let dx0 = Double(x0) + 0.5 - cx
                            var sx = Int((dx0 * c + dy * s + scx - 0.5) * step), sy = Int((-dx0 * s + dy * c + scy - 0.5) * step)
                            let row = y &* w
                            // The sample at (sx, sy), 16.16 fixed point, clamped to the source.
                            @inline(__always) func sample(_ sx: Int, _ sy: Int) -> UInt32 {
                                let cx16 = sx < 0 ? 0 : (sx > maxX ? maxX : sx), cy16 = sy < 0 ? 0 : (sy > maxY ? maxY : sy)
                                let i = (cy16 &>> 16) &* sw &+ (cx16 &>> 16)
                                let fx = UInt32(truncatingIfNeeded: (cx16 &>> 8) & 0xFF), fy = UInt32(truncatingIfNeeded: (cy16 &>> 8) & 0xFF)
                                let top = Self.lerp(src[i], src[i &+ 1], fx), bottom = Self.lerp(src[i &+ sw], src[i &+ sw &+ 1], fx)
                                return Self.lerp(top, bottom, fy)
                            }
                            // The edge: blended by how much of the pixel the disc covers.
                            @inline(__always) func edge(_ x: Int, _ color: UInt32) {
                                let dx = Double(x) + 0.5 - cx
                                let d = (dx * dx + dy * dy).squareRoot()
                                let coverage = UInt32(max(0, min(1, outer - d)) * 255)
                                if coverage > 0 { dst[row &+ x] = Self.blendPixel(dst[row &+ x], color, coverage) }
                            }
                            let inStart = min(max(i0, x0), x1), inEnd = max(min(i1, x1), inStart)
                            var x = x0
                            while x < inStart {
                                edge(x, sample(sx, sy))
                                sx &+= cStep; sy &-= sStep; x &+= 1
                            }
                            // Inside: every pixel is the source's, no coverage to compute, and no clamping:
                            // a pixel centre within radius − ½ of the centre samples within the source's
                            // disc, a pixel or more inside its edges (16.16 stepping drifts < 0.1 pixel).
                            while x < inEnd {
                                let i = (sy &>> 16) &* sw &+ (sx &>> 16)
                                let tl = src[i], tr = src[i &+ 1], bl = src[i &+ sw], br = src[i &+ sw &+ 1]
                                // Most of a wheel's face is flat colour: four equal texels need no blending
                                // (and blending them would give the same texel).
                                if tl == tr && tl == bl && tl == br {
                                    dst[row &+ x] = tl
                                } else {
                                    let fx = UInt32(truncatingIfNeeded: (sx &>> 8) & 0xFF), fy = UInt32(truncatingIfNeeded: (sy &>> 8) & 0xFF)
                                    dst[row &+ x] = Self.lerp(Self.lerp(tl, tr, fx), Self.lerp(bl, br, fx), fy)
                                }
                                sx &+= cStep; sy &-= sStep; x &+= 1
                            }
                            while x < x1 {
                                edge(x, sample(sx, sy))
                                sx &+= cStep; sy &-= sStep; x &+= 1
                            }
                        }
                    }
                }
            }
        }
    }

    /// Linear interpolation of two 0xFFRRGGBB pixels by f/256, red and blue in one multiply, green in another.
    @inline(__always)
    static func lerp(_ a: UInt32, _ b: UInt32, _ f: UInt32) -> UInt32 {
        let g = 256 &- f
        let rb = (((a & 0xFF00FF) &* g &+ (b & 0xFF00FF) &* f) >> 8) & 0xFF00FF
        let gg = (((a & 0x00FF00) &* g &+ (b & 0x00FF00) &* f) >> 8) & 0x00FF00
        return 0xFF00_0000 | rb | gg
    }

    @inline(__always)
    static func bilinear(_ a: UInt32, _ b: UInt32, _ c: UInt32, _ d: UInt32, _ fx: UInt32, _ fy: UInt32) -> UInt32 {
        @inline(__always) func channel(_ shift: UInt32) -> UInt32 {
            let top = (a >> shift & 0xFF) * (256 - fx) + (b >> shift & 0xFF) * fx
            let bottom = (c >> shift & 0xFF) * (256 - fx) + (d >> shift & 0xFF) * fx
            return ((top * (256 - fy) + bottom * fy) >> 16) & 0xFF
        }
        return 0xFF00_0000 | channel(16) << 16 | channel(8) << 8 | channel(0)
    }

    @inline(__always)
    static func blendPixel(_ dst: UInt32, _ src: UInt32, _ alpha: UInt32) -> UInt32 {
        let inv = 255 - alpha
        let r = ((src >> 16 & 0xFF) * alpha + (dst >> 16 & 0xFF) * inv + 127) / 255
        let g = ((src >> 8 & 0xFF) * alpha + (dst >> 8 & 0xFF) * inv + 127) / 255
        let b = ((src & 0xFF) * alpha + (dst & 0xFF) * inv + 127) / 255
        return 0xFF00_0000 | r << 16 | g << 8 | b
    }
}
