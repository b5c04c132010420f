import Foundation
import KioskConfig
import Testing

/// Member-token and receipt keys must be 32 random bytes: tokens and receipts are public, so a
/// passphrase would be guessed offline.
@Suite struct KeyMaterialTests {
    static let hex = "9F86D081884C7D659A2FEAA0C55AD015A3BF4F1B2B0B822CD15D6C15B0F00A08"
    static let bytes: [UInt8] = [0x9F, 0x86, 0xD0, 0x81, 0x88, 0x4C, 0x7D, 0x65, 0x9A, 0x2F, 0xEA, 0xA0, 0xC5, 0x5A, 0xD0, 0x15,
                                 0xA3, 0xBF, 0x4F, 0x1B, 0x2B, 0x0B, 0x82, 0x2C, 0xD1, 0x5D, 0x6C, 0x15, 0xB0, 0xF0, 0x0A, 0x08]

    @Test(arguments: [hex, hex.lowercased(), "n4bQgYhMfWWaL+qgxVrQFaO/TxsrC4Is0V1sFbDwCgg=", "n4bQgYhMfWWaL-qgxVrQFaO_TxsrC4Is0V1sFbDwCgg",
                      hex + "\n"])
    func thirtyTwoBytesInHexOrBase64AreAKey(text: String) {
        #expect(KeyMaterial.bytes32(text) == Self.bytes)
    }

    @Test(arguments: ["correct horse battery staple 123", "test-program-key-0123456789abcdef", String(Self.hex.dropLast(2)),
                      Self.hex + "00", "n4bQgYhMfWWaL+qgxVrQFaO/TxsrC4Is0V1sFbDw", "", "ZZ" + String(Self.hex.dropFirst(2))])
    func anythingElseIsNot(text: String) {
        #expect(KeyMaterial.bytes32(text) == nil)
    }

    @Test(arguments: [("KIOSK_CARD_TOKEN_KEY", "cards.token_key_file", "member-token key"),
                      ("KIOSK_RECEIPT_KEY", "receipts.key_file", "receipt key")])
    func aPassphraseKeyIsRefusedWithHowToMakeOne(variable: String, key: String, what: String) {
        let passphrase = "our-chain-secret-passphrase-2026"
        let error = #expect(throws: ConfigError.self) {
            try ConfigLoader.load(path: nil, environment: ["HOME": "/h", variable: passphrase])
        }
        #expect(error?.issues.map(\.key) == [key])
        let message = error?.issues.first?.message ?? ""
        #expect(message.contains("the \(what) from env:\(variable) must be 32 random bytes"), "\(message)")
        #expect(message.contains("openssl rand -hex 32"), "\(message)")
        #expect(error?.description.contains(passphrase) == false, "the refused key is not printed")
    }

    @Test func aKeyFileWithARandomKeyIsAccepted() throws {
        let directory = NSTemporaryDirectory() + "kiosk-keys-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let path = directory + "/token-key"
        try Data((Self.hex + "\n").utf8).write(to: URL(fileURLWithPath: path))
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: path)
        let config = try ConfigLoader.parse(text: "[cards]\ntoken_key_file = \"\(path)\"\n", file: "k.toml", environment: [:])
        #expect(config.cards.tokenKey?.keyBytes() == Self.bytes)
    }

    @Test func aRotationNamesBothKeysWithDistinctIDs() throws {
        let other = "n4bQgYhMfWWaL+qgxVrQFaO/TxsrC4Is0V1sFbDwCgg="
        let config = try ConfigLoader.parse(text: "[cards]\ntoken_key_id = \"k2\"\nprevious_token_key_id = \"k1\"\n", file: "k.toml",
                                            environment: ["KIOSK_CARD_TOKEN_KEY": Self.hex, "KIOSK_CARD_PREVIOUS_TOKEN_KEY": other])
        #expect(config.cards.tokenKeyID == "k2")
        #expect(config.cards.previousTokenKeyID == "k1")
        #expect(config.cards.previousTokenKey?.keyBytes() == Self.bytes)
        #expect(try ConfigLoader.parse(text: "", file: "k.toml", environment: [:]).cards.tokenKeyID == "k1", "the default id")

        for (text, key) in [("[cards]\nprevious_token_key_id = \"k1\"\n", "cards.previous_token_key_id"),
                            ("", "cards.previous_token_key_file"),
                            ("[cards]\ntoken_key_id = \"key-2\"\nprevious_token_key_id = \"k1\"\n", "cards.token_key_id")] {
            let error = #expect(throws: ConfigError.self) {
                try ConfigLoader.parse(text: text, file: "k.toml",
                                       environment: ["KIOSK_CARD_TOKEN_KEY": Self.hex, "KIOSK_CARD_PREVIOUS_TOKEN_KEY": other])
            }
            #expect(error?.issues.map(\.key) == [key], "\(text)")
        }
    }
}
