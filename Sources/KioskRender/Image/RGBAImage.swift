/// A picture with straight alpha, four bytes per pixel (R, G, B, A): logos and prize icons.
public struct RGBAImage: Sendable, Equatable {
    public let width: Int
    public let height: Int
    public var rgba: [UInt8]

    public init(width: Int, height: Int, rgba: [UInt8]) {
        precondition(rgba.count == width * height * 4, "RGBA image of the wrong size")
        self.width = width; self.height = height; self.rgba = rgba
    }

    /// The image scaled to fit `maxWidth`×`maxHeight` (keeping its aspect), by area averaging
    /// when shrinking and bilinear when growing.
    public func scaled(toFit maxWidth: Int, _ maxHeight: Int) -> RGBAImage {
        let scale = min(Double(maxWidth) / Double(width), Double(maxHeight) / Double(height))
        let w = max(1, Int((Double(width) * scale).rounded())), h = max(1, Int((Double(height) * scale).rounded()))
        if w == width && h == height { return self }
        var out = [UInt8](repeating: 0, count: w * h * 4)
        for y in 0..<h {
            for x in 0..<w {
                // Sample a box of source pixels (at least one) under the destination pixel.
                let sx0 = Double(x) / scale, sx1 = Double(x + 1) / scale
                let sy0 = Double(y) / scale, sy1 = Double(y + 1) / scale
                let ix0 = min(width - 1, Int(sx0)), ix1 = max(ix0 + 1, min(width, Int(sx1.rounded(.up))))
                let iy0 = min(height - 1, Int(sy0)), iy1 = max(iy0 + 1, min(height, Int(sy1.rounded(.up))))
                var sum = [Double](repeating: 0, count: 4)
                var weight = 0.0
                for sy in iy0..<iy1 {
                    for sx in ix0..<ix1 {
                        let i = (sy * width + sx) * 4
                        let a = Double(rgba[i + 3])
                        sum[0] += Double(rgba[i]) * a; sum[1] += Double(rgba[i + 1]) * a; sum[2] += Double(rgba[i + 2]) * a
                        sum[3] += a
                        weight += 1
                    }
                }
                let o = (y * w + x) * 4
                if sum[3] > 0 {
                    out[o] = UInt8(min(255, (sum[0] / sum[3]).rounded()))
                    out[o + 1] = UInt8(min(255, (sum[1] / sum[3]).rounded()))
                    out[o + 2] = UInt8(min(255, (sum[2] / sum[3]).rounded()))
                }
                out[o + 3] = UInt8(min(255, (sum[3] / weight).rounded()))
            }
        }
        return RGBAImage(width: w, height: h, rgba: out)
    }
}
