/// An opaque picture in memory, 0xFFRRGGBB per pixel, row after row; every drawing operation is
/// anti-aliased by coverage, blended by alpha, limited to the clip rectangle, and recorded in
/// the dirty region so that a backend copies only what changed.
public struct Canvas: Sendable, Equatable {
    public let width: Int
    public let height: Int
    public internal(set) var pixels: [UInt32]
    /// Drawing is limited to this rectangle.
    public var clip: PixelRect
    /// The union of what was drawn since the last `takeDirty()`.
    public private(set) var dirty: PixelRect
    /// The cached layer this canvas was last reset to and what was drawn on it since, so that
    /// the next frame drawn into it restores only that (`reset(to:)`).
    var base: CanvasBase?

    public init(width: Int, height: Int, fill: Color = .black) {
        precondition(width > 0 && height > 0, "a canvas needs a size")
        self.width = width
        self.height = height
        pixels = [UInt32](repeating: fill.argb, count: width * height)
        clip = PixelRect(x: 0, y: 0, width: width, height: height)
        dirty = clip
    }

    /// A canvas of existing pixels (0xFFRRGGBB, row after row).
    public init(width: Int, height: Int, pixels: [UInt32]) {
        precondition(width > 0 && height > 0 && pixels.count == width * height, "pixels for the size")
        self.width = width
        self.height = height
        self.pixels = pixels
        clip = PixelRect(x: 0, y: 0, width: width, height: height)
        dirty = clip
    }

    public var bounds: PixelRect { PixelRect(x: 0, y: 0, width: width, height: height) }

    public static func == (lhs: Canvas, rhs: Canvas) -> Bool {
        lhs.width == rhs.width && lhs.height == rhs.height && lhs.pixels == rhs.pixels
    }

    public func pixel(x: Int, y: Int) -> Color {
        let v = pixels[y * width + x]
        return Color(r: UInt8(v >> 16 & 0xFF), g: UInt8(v >> 8 & 0xFF), b: UInt8(v & 0xFF))
    }

    /// Returns and clears the dirty region.
    public mutating func takeDirty() -> PixelRect {
        defer { dirty = PixelRect(x: 0, y: 0, width: 0, height: 0) }
        return dirty
    }

    mutating func markDirty(_ rect: PixelRect) {
        dirty = dirty.union(rect)
        if var b = base {
            b.drawn = b.drawn.union(rect)
            base = b
        }
    }

    /// Makes this canvas show `layer` (a cached layer of the same size, `base` set), copying only
    /// what was drawn since it was last reset to the same layer. Returns whether it could: then
    /// `dirty` is that restored region, otherwise everything was copied and all of it is dirty.
    @discardableResult
    mutating func reset(to layer: Canvas) -> Bool {
        precondition(layer.width == width && layer.height == height, "a layer of the canvas's size")
        clip = bounds
        guard let id = layer.base?.id else {
            self = layer
            return false
        }
        let restored: PixelRect?
        if let base, base.id == id { restored = base.drawn } else { restored = nil }
        base = nil
        dirty = PixelRect(x: 0, y: 0, width: 0, height: 0)
        copy(restored ?? bounds, from: layer)
        base = CanvasBase(id: id, drawn: PixelRect(x: 0, y: 0, width: 0, height: 0))
        return restored != nil
    }

    /// Runs `body` with the clip narrowed to `rect`, then restores it.
    public mutating func clipped(to rect: PixelRect, _ body: (inout Canvas) -> Void) {
        let saved = clip
        clip = clip.intersection(rect)
        body(&self)
        clip = saved
    }

    // MARK: blending

    @inline(__always)
    static func blend(_ dst: UInt32, _ color: Color, _ alpha: UInt32) -> UInt32 {
        if alpha >= 255 { return color.argb }
        let inv = 255 - alpha
        let r = (UInt32(color.r) * alpha + (dst >> 16 & 0xFF) * inv + 127) / 255
        let g = (UInt32(color.g) * alpha + (dst >> 8 & 0xFF) * inv + 127) / 255
        let b = (UInt32(color.b) * alpha + (dst & 0xFF) * inv + 127) / 255
        return 0xFF00_0000 | r << 16 | g << 8 | b
    }

    /// Fills a rectangle of whole pixels.
    public mutating func fill(_ rect: PixelRect, _ color: Color) {
        let area = rect.intersection(clip)
        guard !area.isEmpty, color.a > 0 else { return }
        markDirty(area)
        let w = width
        pixels.withUnsafeMutableBufferPointer { p in
            for y in area.y..<area.maxY {
                let row = y * w
                if color.a == 255 {
                    let v = color.argb
                    for x in area.x..<area.maxX { p[row + x] = v }
                } else {
                    for x in area.x..<area.maxX { p[row + x] = Self.blend(p[row + x], color, UInt32(color.a)) }
                }
            }
        }
    }

    /// Fills the whole canvas (within the clip) with a vertical gradient.
    public mutating func fillVerticalGradient(_ rect: PixelRect, top: Color, bottom: Color) {
        let area = rect.intersection(clip)
        guard !area.isEmpty else { return }
        for y in area.y..<area.maxY {
            let t = rect.height > 1 ? Double(y - rect.y) / Double(rect.height - 1) : 0
            fill(PixelRect(x: area.x, y: y, width: area.width, height: 1), top.mixed(with: bottom, t))
        }
    }

    /// Fills a shape, the coverage of each pixel taken from the shape's signed distance at the
    /// pixel's centre (one pixel of anti-aliasing across the edge).
    public mutating func fill(_ shape: Shape, _ color: Color) {
        let area = shape.bounds.pixelBounds.intersection(clip)
        guard !area.isEmpty, color.a > 0 else { return }
        markDirty(area)
        let w = width
        let alpha = Double(color.a)
        // Angles' sines and cosines once per shape, not per pixel.
        let prepared = shape.prepared
        pixels.withUnsafeMutableBufferPointer { p in
            for y in area.y..<area.maxY {
                let py = Double(y) + 0.5
                let row = y * w
                for x in area.x..<area.maxX {
                    let d = prepared.signedDistance(Double(x) + 0.5, py)
                    if d >= 0.5 { continue }
                    let coverage = d <= -0.5 ? 1 : 0.5 - d
                    let a = UInt32((coverage * alpha).rounded())
                    if a > 0 { p[row + x] = Self.blend(p[row + x], color, a) }
                }
            }
        }
    }

    /// Blends an 8-bit coverage mask (a glyph) in one colour with its top-left at (x, y).
    public mutating func blendMask(_ mask: [UInt8], width maskWidth: Int, height maskHeight: Int, x: Int, y: Int, color: Color) {
        let target = PixelRect(x: x, y: y, width: maskWidth, height: maskHeight)
        let area = target.intersection(clip)
        guard !area.isEmpty else { return }
        markDirty(area)
        let w = width
        let alpha = UInt32(color.a)
        pixels.withUnsafeMutableBufferPointer { p in
            for row in area.y..<area.maxY {
                let maskRow = (row - y) * maskWidth - x
                for column in area.x..<area.maxX {
                    let c = UInt32(mask[maskRow + column])
                    if c == 0 { continue }
                    p[row * w + column] = Self.blend(p[row * w + column], color, (c * alpha + 127) / 255)
                }
            }
        }
    }

    /// Draws an image (straight alpha) with its top-left at (x, y), at its own size.
    public mutating func draw(_ image: RGBAImage, x: Int, y: Int, opacity: Double = 1) {
        let area = PixelRect(x: x, y: y, width: image.width, height: image.height).intersection(clip)
        guard !area.isEmpty else { return }
        markDirty(area)
        let w = width
        pixels.withUnsafeMutableBufferPointer { p in
            for row in area.y..<area.maxY {
                for column in area.x..<area.maxX {
                    let i = ((row - y) * image.width + (column - x)) * 4
                    let color = Color(r: image.rgba[i], g: image.rgba[i + 1], b: image.rgba[i + 2])
                    let a = UInt32((Double(image.rgba[i + 3]) * opacity).rounded())
                    if a > 0 { p[row * w + column] = Self.blend(p[row * w + column], color, a) }
                }
            }
        }
    }

    /// Copies a region of another canvas of the same size (restoring a cached background).
    public mutating func copy(_ rect: PixelRect, from source: Canvas) {
        precondition(source.width == width && source.height == height)
        let area = rect.intersection(clip)
        guard !area.isEmpty else { return }
        markDirty(area)
        let w = width
        pixels.withUnsafeMutableBufferPointer { p in
            source.pixels.withUnsafeBufferPointer { s in
                for row in area.y..<area.maxY {
                    let start = row * w + area.x
                    (p.baseAddress! + start).update(from: s.baseAddress! + start, count: area.width)
                }
            }
        }
    }

    /// The same picture turned clockwise by 0, 90, 180 or 270 degrees (for a panel mounted sideways).
    public func rotated(_ rotation: Rotation) -> Canvas {
        switch rotation {
        case .none: return self
        case .clockwise180:
            var out = self
            out.pixels.reverse()
            return out
        case .clockwise90, .clockwise270:
            var out = Canvas(width: height, height: width)
            let w = width, h = height
            pixels.withUnsafeBufferPointer { src in
                out.pixels.withUnsafeMutableBufferPointer { dst in
                    for y in 0..<h {
                        for x in 0..<w {
                            // 90° clockwise: (x, y) goes to (h-1-y, x); 270°: to (y, w-1-x).
                            let (nx, ny) = rotation == .clockwise90 ? (h - 1 - y, x) : (y, w - 1 - x)
                            dst[ny * h + nx] = src[y * w + x]
                        }
                    }
                }
            }
            return out
        }
    }
}

/// Which cached layer a canvas started from (an id unique in the process) and what was drawn since.
struct CanvasBase: Sendable {
    let id: Int
    var drawn: PixelRect
}

/// A clockwise turn of the picture, as panels are mounted.
public enum Rotation: Int, Sendable, CaseIterable, Codable {
    case none = 0, clockwise90 = 90, clockwise180 = 180, clockwise270 = 270

    public var swapsAxes: Bool { self == .clockwise90 || self == .clockwise270 }
}
