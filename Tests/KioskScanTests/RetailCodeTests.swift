import Testing
@testable import KioskScan

@Suite struct RetailCodeTests {
    @Test func ean13WithItsCheckDigitIsAGTIN() throws {
        let code = try RetailCode("5901234123457")
        #expect(code.kind == .ean13)
        #expect(code.gtin == "05901234123457")
    }

    @Test func ean8AndUPCAAreReadByLength() throws {
        #expect(try RetailCode("96385074").kind == .ean8)
        #expect(try RetailCode("96385074").gtin == "00000096385074")
        #expect(try RetailCode("036000291452").kind == .upcA)
        #expect(try RetailCode("036000291452").gtin == "00036000291452")
    }

    @Test func upcEIsExpandedToTheUPCAItAbbreviates() throws {
        // 0 123456 5: last digit 6 → 0 12345 0000 6, check digit 5.
        let code = try RetailCode("01234565", kindHint: .upcE)
        #expect(code.kind == .upcE)
        #expect(code.gtin == "00012345000065")
        #expect(RetailCode.expandUPCE(Array("04252614".utf8)).map { String(decoding: $0, as: UTF8.self) } == "042100005264")
        #expect(RetailCode.expandUPCE(Array("01234505".utf8)).map { String(decoding: $0, as: UTF8.self) } == "012000003455")
    }

    @Test func aWrongCheckDigitIsRefused() {
        #expect(throws: ScanError(.checkDigit, "EAN-13 check digit does not match")) { try RetailCode("5901234123458") }
        #expect(throws: ScanError.self) { try RetailCode("96385075") }
        #expect(throws: ScanError.self) { try RetailCode("01234566", kindHint: .upcE) }
    }

    @Test func otherLengthsAndNonDigitsAreRefusedWithTheirCode() {
        for bad in ["", "123", "59012341234570", "590123412345a", "５901234123457"] {
            #expect {
                try RetailCode(bad)
            } throws: { error in
                let code = (error as? ScanError)?.code
                return code == .retailLength || code == .retailNotDigits
            }
        }
        #expect(throws: ScanError.self) { try RetailCode("21234565", kindHint: .upcE) }
    }

    @Test func checkDigitsOfTheGS1Keys() {
        #expect(GS1CheckDigit.isValid(Array("09521234543213".utf8)))
        #expect(GS1CheckDigit.isValid(Array("106141412345678908".utf8)))
        #expect(!GS1CheckDigit.isValid(Array("106141412345678909".utf8)))
        #expect(GS1CheckDigit.compute(Array("0952123454321".utf8)) == UInt8(ascii: "3"))
        #expect(GS1CheckDigit.compute(Array("09x".utf8)) == nil)
        #expect(!GS1CheckDigit.isValid(Array("3".utf8)))
    }
}
