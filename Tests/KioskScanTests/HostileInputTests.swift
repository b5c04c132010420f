import PropertyBased
import Testing
@testable import KioskScan

/// Random and mutated inputs: every parser gives a value or a typed error, never a crash. (The
/// libFuzzer harness in Fuzz/ runs the same entry points for millions of inputs.)
@Suite struct HostileInputTests {
    @Test func randomBytesAlwaysGiveAMeaning() async {
        await propertyCheck(count: 2_000, input: Gen.uint8().array(of: 0...300)) { bytes in
            _ = Fixtures.interpreter.interpret(bytes)
            _ = try? GS1ElementString(data: bytes)
        }
    }

    @Test func mutatedValidCodesAreRefusedOrStillValid() async {
        let valid = ["]C10109521234543213" + "3103000123" + "10ABC\u{1D}21X", Fixtures.token(), Fixtures.receiptPayload,
                     "https://kiosk.club/join?src=a&ref=b", "5901234123457"]
        await propertyCheck(count: 2_000, input: Gen.int(in: 0...4), Gen.int(in: 0...10_000), Gen.uint8()) { which, at, byte in
            var bytes = Array(valid[which].utf8)
            bytes[at % bytes.count] = byte
            let meaning = Fixtures.interpreter.interpret(bytes)
            // A changed byte in a signed code never yields a different valid member or receipt.
            switch meaning {
            case .member(let token, _): #expect(token.member.rawValue == "M-1001")
            case .receipt(let r): #expect(r == Fixtures.receipt)
            default: break
            }
        }
    }

    @Test func aLongRunOfSeparatorsOrDigitsIsReadInLinearTime() {
        // Would take quadratic time if the parser rescanned; here it is one pass.
        _ = try? GS1ElementString(data: [UInt8](repeating: 0x1D, count: 4_000))
        _ = Fixtures.interpreter.interpret([UInt8](repeating: 0x31, count: 4_096))
        #expect(Fixtures.interpreter.interpret([UInt8](repeating: 0x31, count: 4_096)) == .text(String(repeating: "1", count: 4_096)))
    }
}
