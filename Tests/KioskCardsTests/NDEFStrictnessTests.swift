import KioskCards
import Testing

/// The NDEF fixes of issue #9 item 9: each input was accepted (or refused) wrongly before.
struct NDEFStrictnessTests {
    @Test func anEmptyRecordCannotStartAChunkedRecord() {
        // MB CF SR TNF=0, no type, no payload | ME SR TNF=6 "y": joined, an "empty" record with a
        // payload, which re-encoded to bytes the parser refuses.
        #expect(throws: NDEFError.badChunk(offset: 0)) { try NDEFMessage(parsing: Hex.bytes("B0000056000179")!) }
    }

    @Test func manySmallChunksJoinInOrder() throws {
        let payload = (0..<65_536).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        var bytes: [UInt8] = [0xB2, 3, 1] + Array("a/b".utf8) + [payload[0]]
        for index in 1..<payload.count {
            bytes += [index == payload.count - 1 ? 0x56 : 0x36, 0, 1, payload[index]]
        }
        let message = try NDEFMessage(parsing: bytes)
        #expect(message.records == [.mime("a/b", payload)])
    }

    @Test(arguments: [[0x03, 0x00], [0x03] + Array("club.example/\n".utf8), [0x04] + Array("x.example/\u{7F}".utf8),
                      [0x04] + Array("x.example/\u{85}".utf8)] as [[UInt8]])
    func aURIWithAControlCharacterIsRefused(payload: [UInt8]) {
        #expect(throws: NDEFError.badPayload("URI contains a control character")) {
            try NDEFRecord(tnf: .wellKnown, type: Array("U".utf8), payload: payload).content()
        }
    }

    @Test(arguments: [[0x00] + Array("hi".utf8), [0x02, 0xD9, 0x81] + Array("hi".utf8), [0x02, 0x65, 0x20] + Array("hi".utf8),
                      [0x42, 0x65, 0x6E] + Array("hi".utf8)] as [[UInt8]])
    func aTextRecordNeedsAnASCIILanguageCode(payload: [UInt8]) {
        #expect(throws: NDEFError.self) { try NDEFRecord(tnf: .wellKnown, type: Array("T".utf8), payload: payload).content() }
    }

    static func utf16(_ text: String, bigEndian: Bool) -> [UInt8] {
        text.utf16.flatMap { bigEndian ? [UInt8($0 >> 8), UInt8($0 & 0xFF)] : [UInt8($0 & 0xFF), UInt8($0 >> 8)] }
    }

    @Test func utf16TextRecordsAreReadBigEndianUnlessABOMSaysOtherwise() throws {
        let text = "سلام 😀 club"
        let cases: [[UInt8]] = [
            Self.utf16(text, bigEndian: true),
            [0xFE, 0xFF] + Self.utf16(text, bigEndian: true),
            [0xFF, 0xFE] + Self.utf16(text, bigEndian: false),
        ]
        for body in cases {
            let record = NDEFRecord(tnf: .wellKnown, type: Array("T".utf8), payload: [0x82] + Array("fa".utf8) + body)
            #expect(try record.content() == .text(language: "fa", text: text))
        }
        for bad in [[0x00, 0x41, 0x00], [0xD8, 0x00]] as [[UInt8]] {   // odd length; a lone high surrogate
            let record = NDEFRecord(tnf: .wellKnown, type: Array("T".utf8), payload: [0x82] + Array("en".utf8) + bad)
            #expect(throws: NDEFError.badPayload("text is not UTF-16")) { try record.content() }
        }
    }

    // MARK: Round trip

    /// A small deterministic generator.
    struct Mix {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }
        mutating func bytes(_ n: Int) -> [UInt8] { (0..<n).map { _ in UInt8(truncatingIfNeeded: next()) } }
    }

    /// A random valid record: each TNF with the type and id it allows.
    static func record(_ g: inout Mix) -> NDEFRecord {
        let tnfs: [NDEFRecord.TypeNameFormat] = [.empty, .wellKnown, .mime, .absoluteURI, .external, .unknown]
        let tnf = tnfs[g.below(tnfs.count)]
        switch tnf {
        case .empty: return NDEFRecord(tnf: .empty, type: [], payload: [])
        case .unknown: return NDEFRecord(tnf: .unknown, type: [], id: g.bytes(g.below(3)), payload: g.bytes(g.below(300)))
        default: return NDEFRecord(tnf: tnf, type: g.bytes(1 + g.below(8)), id: g.bytes(g.below(3)), payload: g.bytes(g.below(300)))
        }
    }

    /// Encodes `records` as a writer that chunks may: each non-empty record split at random.
    static func chunkedBytes(_ records: [NDEFRecord], _ g: inout Mix) -> [UInt8] {
        var out: [UInt8] = []
        for (index, record) in records.enumerated() {
            var pieces: [[UInt8]] = [record.payload]
            if record.tnf != .empty, record.payload.count > 1, g.below(2) == 0 {
                let cut = 1 + g.below(record.payload.count - 1)
                pieces = [Array(record.payload[..<cut]), Array(record.payload[cut...])]
            }
            for (p, piece) in pieces.enumerated() {
                let first = p == 0, last = p == pieces.count - 1
                var header: UInt8 = first ? record.tnf.rawValue : NDEFRecord.TypeNameFormat.unchanged.rawValue
                if index == 0, first { header |= 0x80 }
                if index == records.count - 1, last { header |= 0x40 }
                if !last { header |= 0x20 }
                let short = piece.count < 256
                if short { header |= 0x10 }
                let id = first ? record.id : []
                if !id.isEmpty { header |= 0x08 }
                out.append(header)
                out.append(UInt8(first ? record.type.count : 0))
                let n = UInt32(piece.count)
                out += short ? [UInt8(n)] : [UInt8(n >> 24), UInt8(n >> 16 & 0xFF), UInt8(n >> 8 & 0xFF), UInt8(n & 0xFF)]
                if !id.isEmpty { out.append(UInt8(id.count)) }
                out += (first ? record.type : []) + id + piece
            }
        }
        return out
    }

    @Test func parseEncodeParseGivesTheSameRecords() throws {
        var g = Mix(state: 0xC0FFEE)
        for _ in 0..<2_000 {
            let records = (0..<(1 + g.below(4))).map { _ in Self.record(&g) }
            let parsed = try NDEFMessage(parsing: Self.chunkedBytes(records, &g))
            #expect(parsed.records == records)
            let again = try NDEFMessage(parsing: parsed.bytes)
            #expect(again == parsed)
        }
    }

    @Test func whateverRandomBytesParseAlsoRoundTrip() {
        var g = Mix(state: 7)
        var parsedCount = 0
        for _ in 0..<20_000 {
            // Mostly valid headers with random flags, so that many parse.
            var bytes: [UInt8] = []
            for _ in 0..<(1 + g.below(3)) {
                let header = UInt8(g.below(256)) & 0xFF
                let typeLength = g.below(3), payloadLength = g.below(4)
                bytes += [header, UInt8(typeLength)] + (header & 0x10 != 0 ? [UInt8(payloadLength)] : [0, 0, 0, UInt8(payloadLength)])
                if header & 0x08 != 0 { bytes.append(UInt8(g.below(2))) }
                bytes += g.bytes(typeLength + payloadLength + 1)
            }
            guard let message = try? NDEFMessage(parsing: bytes) else { continue }
            parsedCount += 1
            do {
                #expect(try NDEFMessage(parsing: message.bytes) == message, "\(Hex.string(bytes))")
            } catch {
                Issue.record("\(Hex.string(bytes)) parsed but its encoding does not: \(error)")
            }
        }
        #expect(parsedCount > 20, "the property saw \(parsedCount) messages")
    }
}
