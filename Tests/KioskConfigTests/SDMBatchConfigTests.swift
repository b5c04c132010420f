import Foundation
import KioskConfig
import Testing

/// `[[cards.sdm_batches]]`: NTAG 424 DNA batches personalised otherwise than the `[cards]` one.
@Suite struct SDMBatchConfigTests {
    let directory: String

    init() throws {
        directory = NSTemporaryDirectory() + "kiosk-batches-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        for (name, value) in [("meta", String(repeating: "0", count: 32)), ("file", String(repeating: "1", count: 32)),
                              ("bad", "not-hex-but-secret-0123456789abc")] {
            try Data((value + "\n").utf8).write(to: URL(fileURLWithPath: directory + "/" + name))
            try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: directory + "/" + name)
        }
    }

    func parse(_ text: String) throws -> KioskConfiguration {
        try ConfigLoader.parse(text: text, file: directory + "/kiosk.toml", environment: [:])
    }

    @Test func batchesAreReadInOrderWithTheirLayoutAndRandomID() throws {
        let config = try parse("""
            [cards]
            sdm_mac_input = "picc-data"
            [[cards.sdm_batches]]
            name = "an12196"
            meta_key_file = "meta"
            file_key_file = "file"
            [[cards.sdm_batches]]
            name = "2025-random"
            meta_key_file = "meta"
            file_key_file = "file"
            mac_input = "picc-data"
            random_id = true
            """)
        #expect(config.cards.sdmMACInput == .piccData)
        #expect(config.cards.sdmBatches.map(\.name) == ["an12196", "2025-random"])
        #expect(config.cards.sdmBatches.map(\.macInput) == [.empty, .piccData])
        #expect(config.cards.sdmBatches.map(\.randomID) == [false, true])
        #expect(config.cards.sdmBatches[0].metaKey.reveal() == String(repeating: "0", count: 32))
        #expect(config.cards.sdmBatches[0].fileKey.origin == "file:\(directory)/file")
    }

    @Test(arguments: [
        ("[[cards.sdm_batches]]\nname = \"a\"\nmeta_key_file = \"meta\"\n", "cards.sdm_batches[0]"),
        ("[[cards.sdm_batches]]\nname = \"a\"\nmeta_key_file = \"meta\"\nfile_key_file = \"file\"\nmac_input = \"all\"\n", "cards.sdm_batches[0].mac_input"),
        ("[[cards.sdm_batches]]\nname = \"a\"\nmeta_key_file = \"meta\"\nfile_key_file = \"file\"\nmeta_key = \"x\"\n", "cards.sdm_batches[0].meta_key"),
        ("[[cards.sdm_batches]]\nname = \"a\"\nmeta_key_file = \"bad\"\nfile_key_file = \"file\"\n", "cards.sdm_batches[0].meta_key_file"),
        ("[[cards.sdm_batches]]\nname = \"a\"\nmeta_key_file = \"meta\"\nfile_key_file = \"file\"\n[[cards.sdm_batches]]\nname = \"a\"\nmeta_key_file = \"meta\"\nfile_key_file = \"file\"\n", "cards.sdm_batches[1].name"),
        ("[cards]\nsdm_batches = \"a\"\n", "cards.sdm_batches"),
    ])
    func aBrokenBatchIsNamed(text: String, key: String) {
        let error = #expect(throws: ConfigError.self) { try parse(text) }
        #expect(error?.issues.map(\.key) == [key], "\(error?.description ?? "")")
        #expect(error?.description.contains("not-hex-but-secret") == false)
    }
}
