import Testing
@testable import KioskScan

/// GS1 element strings. The valid examples are the ones the GS1 General Specifications and GS1's
/// own tools use: GTIN 09521234543213 with a net weight, SSCC 106141412345678908, and so on.
@Suite struct GS1ElementStringTests {
    let gs = "\u{1D}"

    func parse(_ s: String) throws(ScanError) -> GS1ElementString { try GS1ElementString(data: Array(s.utf8)) }

    @Test func predefinedLengthElementsNeedNoSeparator() throws {
        let g = try parse("01095212345432133103000123")
        #expect(g.elements.map(\.ai) == ["01", "3103"])
        #expect(g.gtin == "09521234543213")
        #expect(g["3103"] == "000123")
        #expect(g.humanReadable == "(01)09521234543213(3103)000123")
        #expect(g.elements[1].title == "NET WEIGHT (kg)")
    }

    @Test func aVariableLengthElementEndsAtGSOrTheEnd() throws {
        let g = try parse("0109521234543213" + "10ABC123" + gs + "17261231" + "21SERIAL-1")
        #expect(g.elements.map(\.ai) == ["01", "10", "17", "21"])
        #expect(g["10"] == "ABC123")
        #expect(g["17"] == "261231")
        #expect(g["21"] == "SERIAL-1")
    }

    @Test func leadingAndTrailingFNC1AreIgnoredAndOneAfterAFixedElementTolerated() throws {
        let g = try parse(gs + "0109521234543213" + gs + "10ABC" + gs)
        #expect(g.humanReadable == "(01)09521234543213(10)ABC")
    }

    @Test func theSSCCAndGLNKeysHaveTheirCheckDigitChecked() throws {
        #expect(try parse("00106141412345678908").elements.first?.value == "106141412345678908")
        #expect(throws: ScanError(.checkDigit, "(00) check digit does not match")) { try parse("00106141412345678909") }
        #expect(throws: ScanError(.checkDigit, "(01) check digit does not match")) { try parse("0109521234543214") }
        #expect(throws: ScanError(.checkDigit, "(414) check digit does not match")) { try parse("4149521234543210") }
    }

    @Test func datesAreRealDatesAndDay00OnlyWhereTheAIAllowsIt() throws {
        #expect(try parse("0109521234543213" + "17261200")["17"] == "261200")
        #expect(try parse("0109521234543213" + "11240229")["11"] == "240229")
        #expect(throws: ScanError(.gs1Date, "(17) is not a date YYMMDD")) { try parse("0109521234543213" + "17261301") }
        #expect(throws: ScanError(.gs1Date, "(11) is not a date YYMMDD")) { try parse("0109521234543213" + "11230229") }
        #expect(throws: ScanError(.gs1Date, "(7006) is not a date YYMMDD")) { try parse("0109521234543213" + "7006261200") }
        #expect(throws: ScanError(.gs1Date, "(7003) is not a time HHMM")) { try parse("0109521234543213" + "70032612312460") }
        #expect(try parse("0109521234543213" + "70032612312359")["7003"] == "2612312359")
    }

    @Test func lengthsAreThoseOfTheDictionary() {
        #expect(throws: ScanError(.gs1Truncated, "(01) needs 14 characters")) { try parse("01095212345432") }
        #expect(throws: ScanError(.gs1Length, "(10) is 21 characters, at most 20")) { try parse("10" + String(repeating: "A", count: 21)) }
        #expect(throws: ScanError(.gs1Length, "(01) is 10 characters, needs 14")) { try parse("010952123454" + gs + "3213") }
        #expect(throws: ScanError(.gs1Length, "(422) is 4 characters, at most 3")) { try parse("4223640") }
        #expect(throws: ScanError(.gs1Length, "(10) has no data")) { try parse("10" + gs + "21X") }
    }

    @Test func optionalComponentsMayBeLeftOut() throws {
        #expect(try parse("2539521234543213")["253"] == "9521234543213")
        #expect(try parse("2539521234543213ABC")["253"] == "9521234543213ABC")
        #expect(throws: ScanError(.checkDigit, "(253) check digit does not match")) { try parse("2539521234543218ABC") }
    }

    @Test func charactersOutsideTheAIsSetAreRefused() {
        #expect(throws: ScanError(.gs1Charset, "(10) has a character outside its set")) { try parse("10AB C") }
        #expect(throws: ScanError(.gs1Charset, "(10) has a character outside its set")) { try parse("10AB#C") }
        #expect(throws: ScanError(.gs1Charset, "(30) has a character outside its set")) { try parse("3012A") }
    }

    @Test func unknownAIsDuplicatesAndEmptyElementsAreRefused() {
        #expect(throws: ScanError(.gs1UnknownAI, "no known application identifier at byte 0")) { try parse("0512345") }
        #expect(throws: ScanError(.gs1UnknownAI, "no known application identifier at byte 16")) { try parse("0109521234543213" + "X1") }
        #expect(throws: ScanError(.gs1Duplicate, "(10) twice with different values")) { try parse("10A" + gs + "10B") }
        #expect(throws: ScanError(.gs1Syntax, "empty element at byte 6")) { try parse("10ABC" + gs + gs + "21X") }
        #expect(throws: ScanError(.empty, "no element")) { try parse(gs) }
    }

    @Test func theHumanReadableFormParsesToTheSameElements() throws {
        let g = try GS1ElementString(humanReadable: "(01)09521234543213(3103)000123(10)LOT-7")
        #expect(g == (try parse("01095212345432133103000123" + "10LOT-7")))
        #expect(throws: ScanError.self) { try GS1ElementString(humanReadable: "(01)09521234543213(99") }
        #expect(throws: ScanError.self) { try GS1ElementString(humanReadable: "(06)1") }
        #expect(throws: ScanError.self) { try GS1ElementString(humanReadable: "01)x") }
    }

    @Test func theTableHoldsEveryAIOfItsSourceWithSaneComponents() {
        #expect(ApplicationIdentifier.table.count == 522)
        for (ai, def) in ApplicationIdentifier.table {
            #expect((2...4).contains(ai.count))
            #expect(!def.components.isEmpty)
            #expect(def.components.allSatisfy { $0.minLength >= 1 && $0.minLength <= $0.maxLength })
            // AIs are prefix-free.
            for n in 2..<ai.count { #expect(ApplicationIdentifier.table[String(ai.prefix(n))] == nil, "\(ai)") }
        }
        #expect(ApplicationIdentifier.lookup("3925")?.maxLength == 15)
        #expect(ApplicationIdentifier.lookup("3103")?.predefinedLength == true)
        #expect(ApplicationIdentifier.lookup("10")?.predefinedLength == false)
    }
}
