import KioskCards
import Testing

struct NDEFTests {
    @Test func recordsRoundTripThroughEncoding() throws {
        let message = NDEFMessage(records: [
            .uri("https://club.example/m?t=abc"),
            .text("سلام", language: "fa"),
            .mime("application/json", Array("{}".utf8)),
            .external("kiosk.club:member", [UInt8](repeating: 0x41, count: 300)),
        ])
        let parsed = try NDEFMessage(parsing: message.bytes)
        #expect(parsed == message)
        #expect(try parsed.records[0].content() == .uri("https://club.example/m?t=abc"))
        #expect(try parsed.records[1].content() == .text(language: "fa", text: "سلام"))
        #expect(parsed.records[0].payload.first == 0x04, "https:// abbreviates to code 4")
    }

    @Test func chunkedRecordsAreJoined() throws {
        // MB CF SR TNF=2 "a/b" "he" | CF SR TNF=6 "ll" | ME SR TNF=6 "o"
        let bytes: [UInt8] = [0xB2, 3, 2] + Array("a/b".utf8) + Array("he".utf8)
            + [0x36, 0, 2] + Array("ll".utf8) + [0x56, 0, 1] + Array("o".utf8)
        let message = try NDEFMessage(parsing: bytes)
        #expect(message.records == [.mime("a/b", Array("hello".utf8))])
    }

    @Test func recordIDsAreKept() throws {
        var record = NDEFRecord.text("x")
        record.id = [1, 2, 3]
        #expect(try NDEFMessage(parsing: NDEFMessage(records: [record]).bytes).records == [record])
    }

    @Test(arguments: [
        [UInt8](),                                   // empty
        [0xD1],                                      // header only
        [0xD1, 0x01],                                // no payload length
        [0xD1, 0x01, 0x05, 0x55, 0x04],              // payload runs past the end
        [0xC1, 0x01, 0xFF, 0xFF, 0xFF, 0xFF, 0x55],  // long record claiming 4 GiB
        [0x51, 0x01, 0x01, 0x55, 0x04],              // no MB
        [0x91, 0x01, 0x01, 0x55, 0x04],              // no ME
        [0xD7, 0x00, 0x00],                          // reserved TNF
        [0xD6, 0x00, 0x00],                          // lone "unchanged" chunk
        [0xF2, 0x01, 0x00, 0x61],                    // chunk that is also the end
        [0xD1, 0x01, 0x01, 0x55, 0x04, 0x00],        // trailing garbage
        [0xD0, 0x01, 0x00, 0x55],                    // empty TNF with a type
        [0xD9, 0x01, 0x01, 0x05, 0x55],              // id length runs past the end
    ])
    func malformedMessagesAreTypedErrors(bytes: [UInt8]) {
        #expect(throws: NDEFError.self) { try NDEFMessage(parsing: bytes) }
    }

    @Test func malformedPayloadsAreTypedErrors() throws {
        #expect(throws: NDEFError.self) { try NDEFRecord(tnf: .wellKnown, type: [0x55], payload: [0x99, 0x41]).content() }
        #expect(throws: NDEFError.self) { try NDEFRecord(tnf: .wellKnown, type: [0x55], payload: []).content() }
        #expect(throws: NDEFError.self) { try NDEFRecord(tnf: .wellKnown, type: [0x54], payload: [0x3F, 0x65]).content() }
        #expect(throws: NDEFError.self) { try NDEFRecord(tnf: .wellKnown, type: [0x55], payload: [0x00, 0xFF, 0xFE]).content() }
    }

    @Test func randomBytesNeverCrashTheParser() {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<5000 {
            let count = Int.random(in: 0..<40, using: &generator)
            let bytes = (0..<count).map { _ in UInt8.random(in: 0...255, using: &generator) }
            if let message = try? NDEFMessage(parsing: bytes) {
                // Whatever parses re-encodes to something that parses to the same records.
                #expect((try? NDEFMessage(parsing: message.bytes)) == message)
            }
            _ = try? Type2TLV.scan(bytes, capacity: 48)
        }
    }
}
