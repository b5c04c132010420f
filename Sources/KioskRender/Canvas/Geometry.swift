/// A rectangle of whole pixels.
public struct PixelRect: Sendable, Hashable, Codable, CustomStringConvertible {
    public var x: Int, y: Int, width: Int, height: Int

    public init(x: Int, y: Int, width: Int, height: Int) {
        self.x = x; self.y = y; self.width = max(0, width); self.height = max(0, height)
    }

    public var maxX: Int { x + width }
    public var maxY: Int { y + height }
    public var isEmpty: Bool { width == 0 || height == 0 }
    public var area: Int { width * height }

    public func intersection(_ other: PixelRect) -> PixelRect {
        let x0 = max(x, other.x), y0 = max(y, other.y)
        let x1 = min(maxX, other.maxX), y1 = min(maxY, other.maxY)
        return PixelRect(x: x0, y: y0, width: x1 - x0, height: y1 - y0)
    }

    public func union(_ other: PixelRect) -> PixelRect {
        if isEmpty { return other }
        if other.isEmpty { return self }
        let x0 = min(x, other.x), y0 = min(y, other.y)
        return PixelRect(x: x0, y: y0, width: max(maxX, other.maxX) - x0, height: max(maxY, other.maxY) - y0)
    }

    public var description: String { "\(width)x\(height)+\(x)+\(y)" }
}

/// A rectangle in layout units (fractional pixels).
public struct Box: Sendable, Hashable {
    public var x: Double, y: Double, width: Double, height: Double

    public init(x: Double, y: Double, width: Double, height: Double) {
        self.x = x; self.y = y; self.width = width; self.height = height
    }

    public var maxX: Double { x + width }
    public var maxY: Double { y + height }
    public var midX: Double { x + width / 2 }
    public var midY: Double { y + height / 2 }

    public func inset(_ d: Double) -> Box { Box(x: x + d, y: y + d, width: width - 2 * d, height: height - 2 * d) }
    public func inset(dx: Double, dy: Double) -> Box { Box(x: x + dx, y: y + dy, width: width - 2 * dx, height: height - 2 * dy) }

    /// Splits off `amount` from the top, returning (top, rest).
    public func sliceTop(_ amount: Double, gap: Double = 0) -> (Box, Box) {
        (Box(x: x, y: y, width: width, height: amount),
         Box(x: x, y: y + amount + gap, width: width, height: max(0, height - amount - gap)))
    }

    public func sliceBottom(_ amount: Double, gap: Double = 0) -> (Box, Box) {
        (Box(x: x, y: maxY - amount, width: width, height: amount),
         Box(x: x, y: y, width: width, height: max(0, height - amount - gap)))
    }

    /// `count` columns with gaps, left to right.
    public func columns(_ count: Int, gap: Double) -> [Box] {
        let w = (width - gap * Double(count - 1)) / Double(count)
        return (0..<count).map { Box(x: x + Double($0) * (w + gap), y: y, width: w, height: height) }
    }

    public func rows(_ count: Int, gap: Double) -> [Box] {
        let h = (height - gap * Double(count - 1)) / Double(count)
        return (0..<count).map { Box(x: x, y: y + Double($0) * (h + gap), width: width, height: h) }
    }

    var pixelBounds: PixelRect {
        let x0 = Int(x.rounded(.down)), y0 = Int(y.rounded(.down))
        return PixelRect(x: x0, y: y0, width: Int(maxX.rounded(.up)) - x0, height: Int(maxY.rounded(.up)) - y0)
    }
}
