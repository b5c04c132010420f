/// A framebuffer's geometry and pixel layout, as FBIOGET_VSCREENINFO / FBIOGET_FSCREENINFO give them.
public struct FramebufferInfo: Sendable, Equatable {
    public struct Channel: Sendable, Equatable {
        public var offset: Int
        public var length: Int
        public init(offset: Int, length: Int) { self.offset = offset; self.length = length }
    }

    public var width: Int
    public var height: Int
    public var virtualHeight: Int
    public var bitsPerPixel: Int
    public var red: Channel
    public var green: Channel
    public var blue: Channel
    /// Bytes from one row to the next (often more than width × bytes per pixel).
    public var lineLength: Int
    /// Bytes of framebuffer memory.
    public var memoryLength: Int
    public var yOffset: Int

    public init(width: Int, height: Int, virtualHeight: Int, bitsPerPixel: Int, red: Channel, green: Channel, blue: Channel,
                lineLength: Int, memoryLength: Int, yOffset: Int = 0) {
        self.width = width; self.height = height; self.virtualHeight = virtualHeight; self.bitsPerPixel = bitsPerPixel
        self.red = red; self.green = green; self.blue = blue
        self.lineLength = lineLength; self.memoryLength = memoryLength; self.yOffset = yOffset
    }

    /// The usual layouts, for tests and for `kiosk diag display`.
    public enum Layout: String, Sendable, CaseIterable { case rgb565, xrgb8888, xbgr8888 }

    public static func make(_ layout: Layout, width: Int, height: Int, pages: Int = 1, extraBytesPerLine: Int = 0) -> FramebufferInfo {
        let (bpp, r, g, b): (Int, Channel, Channel, Channel) = switch layout {
        case .rgb565: (16, Channel(offset: 11, length: 5), Channel(offset: 5, length: 6), Channel(offset: 0, length: 5))
        case .xrgb8888: (32, Channel(offset: 16, length: 8), Channel(offset: 8, length: 8), Channel(offset: 0, length: 8))
        case .xbgr8888: (32, Channel(offset: 0, length: 8), Channel(offset: 8, length: 8), Channel(offset: 16, length: 8))
        }
        let line = width * bpp / 8 + extraBytesPerLine
        return FramebufferInfo(width: width, height: height, virtualHeight: height * pages, bitsPerPixel: bpp,
                               red: r, green: g, blue: b, lineLength: line, memoryLength: line * height * pages)
    }

    public var bytesPerPixel: Int { bitsPerPixel / 8 }
    public var canPan: Bool { virtualHeight >= 2 * height && memoryLength >= 2 * height * lineLength }

    /// A name for people: RGB565, XRGB8888, XBGR8888, or the channel offsets.
    public var formatName: String {
        if bitsPerPixel == 16, red == Channel(offset: 11, length: 5), green.length == 6, blue.offset == 0 { return "RGB565" }
        if bitsPerPixel == 32, red.offset == 16, green.offset == 8, blue.offset == 0 { return "XRGB8888" }
        if bitsPerPixel == 32, red.offset == 0, green.offset == 8, blue.offset == 16 { return "XBGR8888" }
        return "\(bitsPerPixel)bpp r\(red.offset)/\(red.length) g\(green.offset)/\(green.length) b\(blue.offset)/\(blue.length)"
    }

    var isSupported: Bool {
        [16, 24, 32].contains(bitsPerPixel) && [red, green, blue].allSatisfy { (1...8).contains($0.length) && $0.offset + $0.length <= bitsPerPixel }
            && lineLength >= width * bytesPerPixel
    }
}
