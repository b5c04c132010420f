import CPNG

/// PNG in memory through libpng's simplified API: encoding a canvas, decoding logos and icons.
public enum PNGCodec {
    public struct Failure: Error, Equatable, Sendable, CustomStringConvertible {
        public let message: String
        public var description: String { "PNG: \(message)" }
    }

    /// The canvas as an 8-bit RGB PNG.
    public static func encode(_ canvas: Canvas) throws(Failure) -> [UInt8] {
        var rgb = [UInt8](repeating: 0, count: canvas.width * canvas.height * 3)
        for (i, v) in canvas.pixels.enumerated() {
            rgb[i * 3] = UInt8(v >> 16 & 0xFF); rgb[i * 3 + 1] = UInt8(v >> 8 & 0xFF); rgb[i * 3 + 2] = UInt8(v & 0xFF)
        }
        var image = png_image()
        image.version = kiosk_png_image_version()
        image.width = UInt32(canvas.width)
        image.height = UInt32(canvas.height)
        image.format = kiosk_png_format_rgb()
        var size: png_alloc_size_t = 0
        guard png_image_write_to_memory(&image, nil, &size, 0, rgb, 0, nil) != 0 else {
            throw Failure(message: message(of: &image))
        }
        var out = [UInt8](repeating: 0, count: Int(size))
        let ok = out.withUnsafeMutableBytes { png_image_write_to_memory(&image, $0.baseAddress, &size, 0, rgb, 0, nil) }
        guard ok != 0 else { throw Failure(message: message(of: &image)) }
        return Array(out.prefix(Int(size)))
    }

    /// Any PNG (palette, grey, 16-bit, with or without alpha) as straight RGBA.
    public static func decode(_ bytes: [UInt8]) throws(Failure) -> RGBAImage {
        var image = png_image()
        image.version = kiosk_png_image_version()
        let began = bytes.withUnsafeBytes { png_image_begin_read_from_memory(&image, $0.baseAddress, $0.count) }
        guard began != 0 else { throw Failure(message: message(of: &image)) }
        image.format = kiosk_png_format_rgba()
        guard image.width > 0, image.height > 0, image.width <= 16384, image.height <= 16384 else {
            png_image_free(&image)
            throw Failure(message: "unreasonable size \(image.width)x\(image.height)")
        }
        var rgba = [UInt8](repeating: 0, count: Int(image.width) * Int(image.height) * 4)
        let finished = rgba.withUnsafeMutableBytes { png_image_finish_read(&image, nil, $0.baseAddress, 0, nil) }
        guard finished != 0 else { throw Failure(message: message(of: &image)) }
        return RGBAImage(width: Int(image.width), height: Int(image.height), rgba: rgba)
    }

    private static func message(of image: inout png_image) -> String {
        withUnsafeBytes(of: &image.message) { raw in
            String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
        }
    }
}
