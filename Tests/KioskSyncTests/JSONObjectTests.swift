import Foundation
import KioskCentralAPI
import Testing

/// An event's body on the wire: the plain JSON tree that replaced OpenAPIObjectContainer.
struct JSONObjectTests {
    @Test func everyKindOfValueIsReadAsItsKindAndWrittenBackCanonically() throws {
        let body = Data("""
            {"s":"تومان \\"q\\"","i":-120,"big":9007199254740993,"d":1.5,"t":true,"f":false,"n":null,
             "a":[1,"x",[],{}],"o":{"z":1,"a":{"m":[null]}}}
            """.utf8)
        let object = try JSONDecoder().decode(JSONObject.self, from: body)
        #expect(object["s"] == .string("تومان \"q\""))
        #expect(object["i"] == .integer(-120))
        // An integer past 2^53 stays exact (a double would make it ...992).
        #expect(object["big"] == .integer(9_007_199_254_740_993))
        #expect(object["d"] == .number(1.5))
        #expect(object["t"] == .bool(true))
        #expect(object["f"] == .bool(false))
        #expect(object["n"] == .null)
        #expect(object["a"] == .array([.integer(1), .string("x"), .array([]), .object(JSONObject())]))
        #expect(object["o"] == .object(JSONObject(["z": .integer(1), "a": .object(JSONObject(["m": .array([.null])]))])))
        #expect(object.members.count == 9)

        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let canonical = String(decoding: try encoder.encode(object), as: UTF8.self)
        #expect(canonical == """
            {"a":[1,"x",[],{}],"big":9007199254740993,"d":1.5,"f":false,"i":-120,"n":null,"o":{"a":{"m":[null]},"z":1},"s":"تومان \\"q\\"","t":true}
            """)
        #expect(try JSONDecoder().decode(JSONObject.self, from: Data(canonical.utf8)) == object)
    }

    @Test(arguments: ["[1,2]", "\"text\"", "12", "null", "{\"a\":", "{\"a\":1"])
    func aBodyThatIsNotAJSONObjectIsRefused(_ text: String) {
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(JSONObject.self, from: Data(text.utf8)) }
    }
}
