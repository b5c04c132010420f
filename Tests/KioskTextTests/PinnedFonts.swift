import Crypto
import Foundation
import KioskText

/// The fonts the structural text tests run on, pinned by their SHA-256: glyph ids are only
/// meaningful for one exact font file, so a changed font fails loudly here rather than later.
enum PinnedFonts {
    static let arabicPath = "/usr/share/fonts/truetype/noto/NotoSansArabic-Regular.ttf"
    static let arabicHash = "504d7407d86875acf7d04dfaa0fd7524d0b8797723bc4aa18022f29db25b0b6e"
    static let latinPath = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
    static let latinHash = "abdc775b21b1bc470d50c97e790d276f2054b7504e56e5bd3e64f48d68582322"

    struct HashMismatch: Error, CustomStringConvertible {
        let path: String, found: String
        var description: String { "\(path) is not the pinned font (sha256 \(found)); re-check the glyph ids by hand" }
    }

    static func load(_ path: String, _ hash: String) throws -> FontFace {
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        let found = SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined()
        guard found == hash else { throw HashMismatch(path: path, found: found) }
        return try FontFace(name: (path as NSString).lastPathComponent, data: [UInt8](data))
    }

    static func fontSet() throws -> FontSet {
        FontSet(arabic: try load(arabicPath, arabicHash), latin: try load(latinPath, latinHash))
    }
}
