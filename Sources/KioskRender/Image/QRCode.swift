import CQREncode
import Foundation

/// A QR code's modules, made by libqrencode (8-bit mode, error correction M, the smallest
/// version that holds the text), for the prize screen's spin audit record.
public struct QRCode: Sendable, Equatable {
    /// Modules per side.
    public let size: Int
    /// Row by row, true for a dark module.
    public let modules: [Bool]

    public enum Failure: Error, Equatable { case tooLong(Int), encoder(Int32) }

    /// The largest text encoded (a version-40 symbol at level M holds 2,331 bytes).
    public static let maxBytes = 2_331

    public init(_ text: String) throws(Failure) {
        let bytes = Array(text.utf8)
        guard bytes.count <= Self.maxBytes else { throw .tooLong(bytes.count) }
        let code = bytes.withUnsafeBufferPointer { buffer in
            QRcode_encodeData(Int32(buffer.count), buffer.baseAddress, 0, QR_ECLEVEL_M)
        }
        guard let code else { throw .encoder(errno) }
        defer { QRcode_free(code) }
        let width = Int(code.pointee.width)
        size = width
        // Each byte's lowest bit is the module's colour (1 dark); the other bits say what the
        // module is for.
        modules = (0..<(width * width)).map { code.pointee.data[$0] & 1 == 1 }
    }

    public func isDark(x: Int, y: Int) -> Bool { modules[y * size + x] }
}

extension Canvas {
    /// Draws `code` with its 4-module quiet zone in a square of side `side` pixels at (x, y),
    /// modules rounded down to whole pixels (a scanner needs sharp edges), centred in the square.
    public mutating func draw(_ code: QRCode, x: Int, y: Int, side: Int, dark: Color = .black, light: Color = .white) {
        let total = code.size + 8
        let module = max(1, side / total)
        let drawn = module * total
        let left = x + (side - drawn) / 2, top = y + (side - drawn) / 2
        fill(PixelRect(x: left, y: top, width: drawn, height: drawn), light)
        for row in 0..<code.size {
            for column in 0..<code.size where code.isDark(x: column, y: row) {
                fill(PixelRect(x: left + (column + 4) * module, y: top + (row + 4) * module, width: module, height: module), dark)
            }
        }
    }
}
