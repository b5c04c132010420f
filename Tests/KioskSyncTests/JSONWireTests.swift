import Foundation
import KioskCentralAPI
import Testing

/// The batch upload's JSON written and read by hand (`JSONReader`, `JSONWriter`, `EventBatchJSON`)
/// against Foundation's JSONEncoder and JSONDecoder, which the generated client and server use:
/// the same bytes for the canonical form, the same trees and the same refusals when reading.
struct JSONWireTests {
    /// A small deterministic generator (SplitMix64), so a failure names its seed.
    struct Random {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }
    }

    static let pieces: [String] = ["a", "B", "z", "_", "-", "1", "10", "2", "é", "e\u{301}", "ß", "تومان", "\u{200C}", "😀",
                                   "/", "\"", "\\", "\n", "\t", "\r", "\u{08}", "\u{0C}", "\u{01}", "\u{1F}", "\u{7F}",
                                   "\u{2028}", "\u{FEFF}", " ", "ab", "aB", "A"]

    static func string(_ random: inout Random) -> String {
        (0..<random.below(5)).map { _ in pieces[random.below(pieces.count)] }.joined()
    }

    static func value(_ random: inout Random, depth: Int) -> JSONValue {
        switch random.below(depth > 3 ? 6 : 8) {
        case 0: return .null
        case 1: return .bool(random.below(2) == 0)
        case 2:
            let choices: [Int64] = [0, 1, -1, 120, -120_000, .max, .min, 9_007_199_254_740_993, Int64(random.next() >> 1)]
            return .integer(choices[random.below(choices.count)])
        case 3:
            let choices: [Double] = [1.5, -0.25, 0.1, 1e20, 1e21, 1.5e-7, 123_456_789.123, 3.141592653589793, -2.5e-300, 1e300, 0.5]
            return .number(choices[random.below(choices.count)])
        case 4, 5: return .string(string(&random))
        case 6: return .array((0..<random.below(4)).map { _ in value(&random, depth: depth + 1) })
        default: return .object(object(&random, depth: depth + 1))
        }
    }

    static func object(_ random: inout Random, depth: Int) -> JSONObject {
        var members: [String: JSONValue] = [:]
        for _ in 0..<random.below(6) { members[string(&random)] = value(&random, depth: depth) }
        return JSONObject(members)
    }

    static let canonicalEncoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()

    @Test func theCanonicalFormIsByteForByteWhatJSONEncoderWrites() throws {
        for seed in 0..<3000 as Range<UInt64> {
            var random = Random(state: seed)
            let tree = Self.object(&random, depth: 0)
            let expected = try Self.canonicalEncoder.encode(tree)
            #expect(Data(tree.canonicalBytes) == expected,
                    "seed \(seed): \(String(decoding: expected, as: UTF8.self)) vs \(String(decoding: tree.canonicalBytes, as: UTF8.self))")
        }
    }

    @Test func readingGivesTheTreeJSONDecoderGives() throws {
        let plain = JSONEncoder()
        for seed in 0..<3000 as Range<UInt64> {
            var random = Random(state: seed)
            let text = try plain.encode(Self.object(&random, depth: 0))
            let expected = try JSONDecoder().decode(JSONObject.self, from: text)
            #expect(try JSONReader.object(text) == expected, "seed \(seed): \(String(decoding: text, as: UTF8.self))")
        }
    }

    /// Texts JSONEncoder never writes but a body may hold: whitespace, every escape, numbers
    /// in other forms, a key given twice.
    @Test(arguments: [
        #" { "a" : [ 1 , 2 ] , "b" : { } , "c":[ ] } "#,
        #"{"s":"\u0041\u00e9\u062A\ud83d\ude00\/\b\f\n\r\t\"\\"}"#,
        #"{"n":[0,-0,1.0,-1.50,1e2,1E+2,2e-2,123456789012345678901234567890,9223372036854775807,-9223372036854775808,9223372036854775808]}"#,
        #"{"a":1,"a":2}"#,
        "{\"raw\":\"تومان ۱۲۳\"}",
        "\n\t{}\r\n",
    ])
    func unusualButValidTextIsReadAsJSONDecoderReadsIt(_ text: String) throws {
        let expected = try JSONDecoder().decode(JSONObject.self, from: Data(text.utf8))
        let read = try JSONReader.object(Data(text.utf8))
        #expect(read == expected)
        #expect(read.canonicalBytes == Array(try Self.canonicalEncoder.encode(expected)))
    }

    @Test(arguments: [
        "", " ", "[]", "1", "\"x\"", "null", "{", "{\"a\"}", "{\"a\":}", "{,}", "{\"a\":1 \"b\":2}",
        "{\"a\":01}", "{\"a\":1.}", "{\"a\":.5}", "{\"a\":-}", "{\"a\":1e}", "{\"a\":+1}", "{\"a\":NaN}", "{\"a\":Infinity}",
        "{\"a\":1e400}", "{\"a\":tru}", "{\"a\":nul}", "{\"a\":\"\\x\"}", "{\"a\":\"\\u12\"}", "{\"a\":\"\\ud83d\"}",
        "{\"a\":\"\\ude00\"}", "{\"a\":\"x}", "{\"a\":\"\u{01}\"}", "{\"a\":\"\t\"}", "{} {}", "{}x", "{'a':1}", "{a:1}",
        "{\"a\":[1,2}",
    ])
    func invalidTextIsRefusedByBoth(_ text: String) {
        let data = Data(text.utf8)
        #expect((try? JSONDecoder().decode(JSONObject.self, from: data)) == nil, "JSONDecoder read \(text)")
        #expect((try? JSONReader.object(data)) == nil, "the reader read \(text)")
        #expect(!JSONReader.isObject(data))
    }

    /// The one place the reader is stricter than JSONDecoder: RFC 8259 has no trailing comma.
    @Test(arguments: ["{\"a\":1,}", "{\"a\":[1,]}"])
    func aTrailingCommaIsRefused(_ text: String) {
        #expect((try? JSONReader.object(Data(text.utf8))) == nil)
        #expect(!JSONReader.isObject(Data(text.utf8)))
    }

    @Test func invalidUTF8AndDeepNestingAreRefused() throws {
        let invalid = Data([0x7B, 0x22, 0x61, 0x22, 0x3A, 0x22, 0xC3, 0x28, 0x22, 0x7D])  // {"a":"\xC3("}
        #expect((try? JSONDecoder().decode(JSONObject.self, from: invalid)) == nil)
        #expect((try? JSONReader.object(invalid)) == nil)
        let deep = Data((String(repeating: "{\"a\":", count: 600) + "1" + String(repeating: "}", count: 600)).utf8)
        #expect((try? JSONReader.object(deep)) == nil)
        #expect(!JSONReader.isObject(deep))
        let fine = Data((String(repeating: "{\"a\":", count: 100) + "1" + String(repeating: "}", count: 100)).utf8)
        #expect(try JSONReader.object(fine) == (try JSONDecoder().decode(JSONObject.self, from: fine)))
    }

    // MARK: The batch

    /// The JSONDecoder the generated server and client use (the contract's date transcoder).
    static var contractDecoder: JSONDecoder {
        let decoder = JSONDecoder()
        let transcoder = CentralDateTranscoder()
        decoder.dateDecodingStrategy = .custom { decoder in
            try transcoder.decode(try decoder.singleValueContainer().decode(String.self))
        }
        return decoder
    }

    @Test func aWrittenBatchIsTheContractsEventBatch() throws {
        var random = Random(state: 7)
        var outgoing: [EventBatchJSON.Outgoing] = []
        for index in 0..<200 {
            let payload = Self.object(&random, depth: 0)
            let claims: [Components.Schemas.EventClaim] = index % 3 == 0 ? [
                .init(kind: .receipt, key: "receipt:pos/1:\"r\(index)\"", reversal: [.init(account: .points, amount: -120), .init(account: .giftCredit, amount: 5)]),
                .init(kind: .voucher, key: "V-\(index)", reversal: []),
            ] : []
            outgoing.append(EventBatchJSON.Outgoing(
                id: "op-\(index)-تومان\n", sequence: Int64(index + 1), type: "purchase.recorded",
                occurredAt: Date(timeIntervalSince1970: 1_790_000_000.123 + Double(index)),
                programVersion: index % 2 == 0 ? "2026-11-a" : nil, memberID: index % 5 == 0 ? nil : "m-\(index)",
                claims: claims, payload: try JSONEncoder().encode(payload)))
        }
        let bytes = EventBatchJSON.write(outgoing)
        let decoded = try Self.contractDecoder.decode(Components.Schemas.EventBatch.self, from: Data(bytes))
        #expect(decoded.events.count == outgoing.count)
        for (event, sent) in zip(decoded.events, outgoing) {
            #expect(event.id == sent.id)
            #expect(event.sequence == sent.sequence)
            #expect(event._type == sent.type)
            #expect(abs(event.occurredAt.timeIntervalSince(sent.occurredAt)) < 0.0005)
            #expect(event.programVersion == sent.programVersion)
            #expect(event.memberID == sent.memberID)
            #expect((event.claims ?? []) == sent.claims)
            #expect(event.payload == (try JSONDecoder().decode(JSONObject.self, from: sent.payload)))
        }
        // And the server's reader reads the same batch.
        #expect(try EventBatchJSON.read(bytes) == decoded)
    }

    /// Batches as a kiosk other than ours might send them: the reader and the generated
    /// server's JSONDecoder agree on each, taking it or refusing it.
    @Test(arguments: [
        #"{"events":[{"id":"a","sequence":1,"type":"t","occurredAt":"2026-12-01T10:00:00Z","payload":{}}]}"#,
        #"{"events":[{"id":"a","sequence":1,"type":"t","occurredAt":"2026-12-01T10:00:00.5+03:30","payload":{"x":[1]},"extra":[{}]}],"more":1}"#,
        #"{"events":[{"id":"a","sequence":1,"type":"t","occurredAt":"2026-12-01t10:00:00z","programVersion":null,"memberID":null,"claims":null,"payload":{}}]}"#,
        #"{"events":[{"id":"a","sequence":1,"type":"t","occurredAt":"2026-12-01T10:00:00Z","claims":[{"kind":"voucher","key":"V","reversal":[{"account":"credit","amount":-5,"x":1}]}],"payload":{}}]}"#,
        #"{"events":[{"id":"a","id":"b","sequence":1,"type":"t","occurredAt":"2026-12-01T10:00:00Z","payload":{}}]}"#,
        #"{"events":[]}"#,
        #"{"events":[{"id":"a","sequence":5.0,"type":"t","occurredAt":"2026-12-01T10:00:00Z","payload":{}}]}"#,
        #"{"events":[{"id":"a","sequence":1.5,"type":"t","occurredAt":"2026-12-01T10:00:00Z","payload":{}}]}"#,
        #"{"events":[{"id":"a","sequence":"1","type":"t","occurredAt":"2026-12-01T10:00:00Z","payload":{}}]}"#,
        #"{"events":[{"id":"a","sequence":1,"type":"t","occurredAt":"yesterday","payload":{}}]}"#,
        #"{"events":[{"id":"a","sequence":1,"type":"t","occurredAt":"2026-12-01T10:00:00Z","payload":[]}]}"#,
        #"{"events":[{"id":"a","sequence":1,"type":"t","occurredAt":"2026-12-01T10:00:00Z"}]}"#,
        #"{"events":[{"id":1,"sequence":1,"type":"t","occurredAt":"2026-12-01T10:00:00Z","payload":{}}]}"#,
        #"{"events":[{"id":"a","sequence":1,"type":"t","occurredAt":"2026-12-01T10:00:00Z","memberID":7,"payload":{}}]}"#,
        #"{"events":[{"id":"a","sequence":1,"type":"t","occurredAt":"2026-12-01T10:00:00Z","claims":[{"kind":"coupon","key":"V","reversal":[]}],"payload":{}}]}"#,
        #"{"events":[{"id":"a","sequence":1,"type":"t","occurredAt":"2026-12-01T10:00:00Z","claims":[{"kind":"voucher","key":"V"}],"payload":{}}]}"#,
        #"{"events":[{"id":"a","sequence":1,"type":"t","occurredAt":"2026-12-01T10:00:00Z","claims":[{"kind":"voucher","key":"V","reversal":[{"account":"cash","amount":1}]}],"payload":{}}]}"#,
        #"{"events":[{"id":"a","sequence":99999999999999999999,"type":"t","occurredAt":"2026-12-01T10:00:00Z","payload":{}}]}"#,
        #"{"events":{}}"#,
        #"{"events":null}"#,
        #"{}"#,
        #"[]"#,
        #"{"events":[{"id":"a","sequence":1,"type":"t","occurredAt":"2026-12-01T10:00:00Z","payload":{}}]} x"#,
    ])
    func theReaderAgreesWithTheGeneratedServerOnEachBatch(_ text: String) {
        let data = Data(text.utf8)
        let generated = try? Self.contractDecoder.decode(Components.Schemas.EventBatch.self, from: data)
        let read = try? EventBatchJSON.read(data)
        #expect(read == generated, "\(text)")
    }

    @Test func theAnswerIsWrittenAndReadAsTheGeneratedCodeDoes() throws {
        let result = Components.Schemas.BatchResult(results: [
            .init(id: "a", status: .accepted), .init(id: "b\"/", status: .duplicate),
            .init(id: "c", status: .rejected, reason: "id-reused: the id c is already stored with a different body"),
        ])
        let written = EventBatchJSON.write(result)
        #expect(try JSONDecoder().decode(Components.Schemas.BatchResult.self, from: Data(written)) == result)
        #expect(try EventBatchJSON.readResult(written) == result)
        #expect(try EventBatchJSON.readResult(try JSONEncoder().encode(result)) == result)
        for garbage in [#"{"results": [ {"id": oops"#, #"{"results": [{"id": "p-1", "status": "acc"#, #"{"results":[{"id":"a","status":"maybe"}]}"#, "{}"] {
            #expect((try? EventBatchJSON.readResult(Data(garbage.utf8))) == nil, "\(garbage)")
        }
    }
}
