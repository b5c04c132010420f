import Crypto
import Foundation

enum CentralHash {
    private static let digits = Array("0123456789abcdef".utf8)

    /// The SHA-256 of `data` in lower-case hexadecimal.
    static func hex(_ data: Data) -> String {
        var text = [UInt8]()
        text.reserveCapacity(64)
        for byte in SHA256.hash(data: data) {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: text, as: UTF8.self)
    }

    static func token(_ token: String) -> String { hex(Data(token.utf8)) }
}
