import Foundation
import KioskCore
import Testing

/// The table-driven base64url codec against Foundation's base64 (an independent implementation),
/// for every length from 0 to 70 bytes and every value of the last byte.
@Suite struct Base64URLTests {
    static func reference(_ bytes: [UInt8]) -> String {
        Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    @Test func encodesAsFoundationDoesAndDecodesBack() {
        for length in 0...70 {
            for last in [0, 1, 0x3F, 0x80, 0xFB, 0xFF] {
                let bytes = (0..<length).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 11) } + (length > 0 ? [UInt8(last)] : [])
                let text = Base64URL.encode(bytes)
                #expect(text == Self.reference(bytes), "length \(bytes.count)")
                #expect(Base64URL.decode(text) == bytes, "length \(bytes.count)")
                #expect(Base64URL.decode(Array(text.utf8)[...]) == bytes, "length \(bytes.count)")
                #expect(Base64URL.decode(Substring(text)) == bytes, "length \(bytes.count)")
            }
        }
    }

    @Test func onlyTheCanonicalSpellingDecodes() {
        // "AQ" is 0x01; "AR" sets unused bits (the same byte by a lenient decoder).
        #expect(Base64URL.decode("AQ") == [0x01])
        #expect(Base64URL.decode("AR") == nil)
        #expect(Base64URL.decode("AQE") == [0x01, 0x01])
        #expect(Base64URL.decode("AQF") == nil)
        // Every one-character change of the last character of a 1- or 2-byte tail but the canonical one.
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
        let accepted = alphabet.filter { Base64URL.decode("AAA" + String($0)) != nil }
        #expect(accepted.count == 64)
        #expect(alphabet.filter { Base64URL.decode("A" + String($0)) != nil }.count == 4)
        #expect(alphabet.filter { Base64URL.decode("AA" + String($0)) != nil }.count == 16)
    }

    @Test func otherAlphabetsPaddingAndBadLengthsAreRefused() {
        #expect(Base64URL.decode("") == [])
        #expect(Base64URL.decode("A") == nil)
        #expect(Base64URL.decode("AAAAA") == nil)
        #expect(Base64URL.decode("+/8=") == nil)
        #expect(Base64URL.decode("AQ==") == nil)
        #expect(Base64URL.decode("AQ\n") == nil)
        #expect(Base64URL.decode("AAA\u{0}") == nil)
        #expect(Base64URL.decode("__8") == [0xFF, 0xFF])
        #expect(Base64URL.decode("ش") == nil)
        for byte in UInt8.min...UInt8.max {
            let valid = (0x30...0x39).contains(byte) || (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte) || byte == 0x2D || byte == 0x5F
            #expect((Base64URL.decode([0x41, 0x41, 0x41, byte][...]) != nil) == valid, "byte \(byte)")
        }
    }
}
