import KioskCards
import Testing

/// NXP AN12196's published Secure Dynamic Messaging examples (all keys zero).
struct SDMVerifierTests {
    let keys = SDMKeys.factory

    @Test func an12196PICCDataDecryptsToTheUIDAndCounter() throws {
        let (uid, counter) = try SDMVerifier.decryptPICCData(Hex.bytes("EF963FF7828658A599F3041510671E88")!, keys: keys)
        #expect(uid == Hex.bytes("04DE5F1EACC040")!)
        #expect(counter == 61)
    }

    @Test func an12196SDMMACWithEmptyMACInputVerifies() throws {
        let verified = try SDMVerifier.verify(
            piccData: Hex.bytes("EF963FF7828658A599F3041510671E88")!, macInput: [],
            sdmmac: Hex.bytes("94EED9EE65337086")!, keys: keys)
        #expect(verified == .init(uid: Hex.bytes("04DE5F1EACC040")!, counter: 61))
    }

    @Test func an12196SDMMACOverEncryptedFileDataVerifies() throws {
        let input = Array("CEE9A53E3E463EF1F459635736738962&cmac=".utf8)
        let picc = Hex.bytes("FD91EC264309878BE6345CBE53BADF40")!
        _ = try SDMVerifier.verify(piccData: picc, macInput: input, sdmmac: Hex.bytes("ECC1E7F6C6C73BF6")!, keys: keys)
        #expect(throws: SDMError.badMAC) {
            try SDMVerifier.verify(piccData: picc, macInput: input, sdmmac: Hex.bytes("3CC1E7F6C6C33B33")!, keys: keys)
        }
    }

    @Test func aMACFromAnotherKeyIsRefused() throws {
        let other = try SDMKeys(metaRead: [UInt8](repeating: 0, count: 16), fileRead: [UInt8](repeating: 7, count: 16))
        #expect(throws: SDMError.badMAC) {
            try SDMVerifier.verify(piccData: Hex.bytes("EF963FF7828658A599F3041510671E88")!, macInput: [],
                                   sdmmac: Hex.bytes("94EED9EE65337086")!, keys: other)
        }
    }

    @Test func piccDataUnderAnotherMetaKeyIsRefusedByItsTag() throws {
        let other = try SDMKeys(metaRead: [UInt8](repeating: 9, count: 16), fileRead: [UInt8](repeating: 0, count: 16))
        #expect(throws: SDMError.self) {
            try SDMVerifier.decryptPICCData(Hex.bytes("EF963FF7828658A599F3041510671E88")!, keys: other)
        }
    }

    @Test func generatedSUNURLsVerifyAndCarryTheirCounter() throws {
        let keys = try SDMKeys(metaRead: Array(0..<16), fileRead: Array(16..<32))
        let uid = Hex.bytes("04A1B2C3D4E5F6")!
        for layout in SDMMACInput.allCases {
            let url = try SUNGenerator.url(base: "https://club.example/t", uid: uid, counter: 4242, padding: [1, 2, 3, 4, 5],
                                           keys: keys, layout: layout)
            #expect(try SDMVerifier.verify(url: url, keys: keys, layout: layout) == .init(uid: uid, counter: 4242))
            // One changed hex digit of the MAC is refused.
            var tampered = Array(url.utf8)
            tampered[tampered.count - 1] = tampered.last == UInt8(ascii: "0") ? UInt8(ascii: "1") : UInt8(ascii: "0")
            #expect(throws: SDMError.badMAC) {
                try SDMVerifier.verify(url: String(decoding: tampered, as: UTF8.self), keys: keys, layout: layout)
            }
        }
    }

    /// The application note's URL, as published: its MAC input is empty (SDMMACInputOffset =
    /// SDMMACOffset), the default layout.
    static let an12196URL = "https://choose.url.com/ntag424?picc_data=EF963FF7828658A599F3041510671E88&cmac=94EED9EE65337086"

    @Test func theApplicationNoteURLVerifiesWithTheDefaultLayoutOnly() throws {
        #expect(SDMMACInput.default == .empty)
        #expect(try SDMVerifier.verify(url: Self.an12196URL, keys: keys, layout: .default) == .init(uid: Hex.bytes("04DE5F1EACC040")!, counter: 61))
        #expect(throws: SDMError.badMAC) { try SDMVerifier.verify(url: Self.an12196URL, keys: keys, layout: .piccData) }
    }

    @Test func theGeneratorReproducesTheApplicationNoteURL() throws {
        let url = try SUNGenerator.url(base: "https://choose.url.com/ntag424", uid: Hex.bytes("04DE5F1EACC040")!, counter: 61,
                                       padding: Hex.bytes("DA5CF60941")!, keys: keys)
        #expect(url == Self.an12196URL)
    }

    @Test func batchesAreTriedInOrderAndTheFirstErrorIsReported() throws {
        let other = try SDMKeys(metaRead: Array(0..<16), fileRead: Array(16..<32))
        let batches = [SDMBatch(name: "new", keys: other), SDMBatch(name: "an12196", keys: keys)]
        let (verified, batch) = try SDMVerifier.verify(url: Self.an12196URL, batches: batches)
        #expect(verified.counter == 61)
        #expect(batch.name == "an12196")
        // Under the wrong meta key PICCData decrypts to tag 2F.
        #expect(throws: SDMError.badPICCDataTag(0x2F)) {
            try SDMVerifier.verify(url: Self.an12196URL, batches: [SDMBatch(keys: other), SDMBatch(keys: keys, macInput: .piccData)])
        }
    }

    @Test(arguments: ["https://x/t", "https://x/t?picc_data=ZZ&cmac=00", "https://x/t?picc_data=EF963FF7828658A599F3041510671E88&cmac=94EE",
                      "https://x/t?cmac=94EED9EE65337086&picc_data=EF963FF7828658A599F3041510671E88"])
    func malformedSUNURLsAreTypedErrors(url: String) {
        #expect(throws: SDMError.self) { try SUNURL(url) }
    }
}
