import Crypto
import Foundation
import KioskRender

/// The standard fonts, pinned by hash (goldens are only comparable on the same font files).
enum RenderFixtures {
    static let hashes = [
        "/usr/share/fonts/truetype/noto/NotoSansArabic-Regular.ttf": "504d7407d86875acf7d04dfaa0fd7524d0b8797723bc4aa18022f29db25b0b6e",
        "/usr/share/fonts/truetype/noto/NotoSansArabic-Bold.ttf": "ded6fc7359ca36d15d7aab9ef0c066e21ce48b26a069994d6602fa2cb9a1b952",
        "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf": "abdc775b21b1bc470d50c97e790d276f2054b7504e56e5bd3e64f48d68582322",
        "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf": "0d977336a6d5fba34eab8e3199eb218327161b5143749f802982c2bc34df0c96",
    ]

    struct NotPinned: Error, CustomStringConvertible {
        let path: String
        var description: String { "\(path) is not the font the goldens were drawn with" }
    }

    static let renderer: Renderer = {
        let fonts = try! RenderFonts(bytes: { path in
            let data = try Data(contentsOf: URL(fileURLWithPath: path))
            let hash = SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined()
            guard hash == hashes[path] else { throw NotPinned(path: path) }
            return [UInt8](data)
        })
        return Renderer(fonts: fonts)
    }()

    static let goldens = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Goldens")
}
