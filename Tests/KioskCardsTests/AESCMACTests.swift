import KioskCards
import Testing

/// RFC 4493 section 4's test vectors (AES-128).
struct AESCMACTests {
    static let key = Hex.bytes("2b7e151628aed2a6abf7158809cf4f3c")!
    static let message = Hex.bytes("""
        6bc1bee22e409f96e93d7e117393172aae2d8a571e03ac9c9eb76fac45af8e51\
        30c81c46a35ce411e5fbc1191a0a52eff69f2445df4f9b17ad2b417be66c3710
        """)!

    @Test(arguments: [
        (0, "bb1d6929e95937287fa37d129b756746"),
        (16, "070a16b46b4d4144f79bdd9dd04a287c"),
        (40, "dfa66747de9ae63030ca32611497c827"),
        (64, "51f0bebf7e3b9d92fc49741779363cfe"),
    ])
    func rfc4493Vectors(length: Int, expected: String) throws {
        let cmac = try AESCMAC(key: Self.key)
        #expect(try cmac.mac(Array(Self.message.prefix(length))) == Hex.bytes(expected)!)
    }

    @Test func aKeyOfTheWrongLengthIsATypedError() {
        #expect(throws: CardCryptoError.badKeyLength(15)) { try AESCMAC(key: [UInt8](repeating: 1, count: 15)) }
    }
}
