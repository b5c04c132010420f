import Testing
@testable import KioskScan

/// The cross-AI rules of the GS1 General Specifications §4.14 (the syntax dictionary's `req=`
/// and `ex=`), on element strings that are valid element by element.
@Suite struct GS1AssociationTests {
    let gs = "\u{1D}"
    let gtin = "0109521234543213"
    let sscc = "00106141412345678908"

    func parse(_ s: String, associations: Bool = true) throws(ScanError) -> GS1ElementString {
        try GS1ElementString(data: Array(s.utf8), associations: associations)
    }

    @Test func contentNeedsItsCountAndACountNeedsAnSSCC() throws {
        let content = "0209521234543213"
        #expect(throws: ScanError(.gs1MissingAssociation, "(02) needs (37)")) { try parse(content) }
        #expect(throws: ScanError(.gs1MissingAssociation, "(37) needs (00)")) { try parse(content + "3712") }
        let g = try parse(sscc + content + "3712")
        #expect(g.elements.map(\.ai) == ["00", "02", "37"])
    }

    @Test func aGTINAndAContentGTINAreAnInvalidPair() {
        #expect(throws: ScanError(.gs1InvalidPair, "(01) and (02) cannot be in one element string")) {
            try parse(sscc + gtin + "0209521234543213" + "3712")
        }
        #expect(throws: ScanError(.gs1InvalidPair, "(01) and (37) cannot be in one element string")) { try parse(sscc + gtin + "3712") }
        #expect(throws: ScanError(.gs1InvalidPair, "(8006) and (01) cannot be in one element string")) {
            try parse("8006095212345432130102" + gs + gtin)
        }
    }

    @Test func attributesNeedTheKeyTheyQualify() throws {
        #expect(throws: ScanError(.gs1MissingAssociation, "(10) needs (01) or (02) or (8006) or (8026)")) { try parse("10ABC") }
        #expect(throws: ScanError(.gs1MissingAssociation, "(21) needs (01) or (8006)")) { try parse("21SER") }
        #expect(throws: ScanError(.gs1MissingAssociation, "(250) needs (21)")) { try parse(gtin + "250X") }
        #expect(throws: ScanError(.gs1MissingAssociation, "(3103) needs (01) or (02)")) { try parse("3103000123") }
        #expect(throws: ScanError(.gs1MissingAssociation, "(3301) needs (00) or (01)")) { try parse("3301000123") }
        #expect(try parse(gtin + "10ABC" + gs + "21SER" + gs + "250X").elements.count == 4)
        #expect(try parse(sscc + "3301000123").elements.count == 2)
        // A serial and a TPX are an invalid pair.
        #expect(throws: ScanError(.gs1InvalidPair, "(21) and (235) cannot be in one element string")) { try parse(gtin + "21SER" + gs + "235TPX") }
    }

    @Test func variableMeasurePricesNeedTheirMeasureAndOnlyOneOfAKind() throws {
        // (392n): the price of a variable-measure item needs the GTIN and a variable measure.
        #expect(throws: ScanError(.gs1MissingAssociation, "(3922) needs (30) or (31nn) or (32nn) or (35nn) or (36nn)")) {
            try parse(gtin + "3922499")
        }
        #expect(throws: ScanError(.gs1MissingAssociation, "(3103) needs (01) or (02)")) { try parse("3103000500" + "3922499") }
        #expect(try parse(gtin + "3103000500" + "3922499").amounts.first?.value.description == "4.99")
        // Two net weights in kg with different decimal points; a price with and without currency.
        #expect(throws: ScanError(.gs1InvalidPair, "(3103) and (3102) cannot be in one element string")) {
            try parse(gtin + "3103000500" + "3102000050")
        }
        #expect(throws: ScanError(.gs1InvalidPair, "(3922) and (3932) cannot be in one element string")) {
            try parse(gtin + "3103000500" + "3922499" + gs + "3932364499")
        }
        // An AI is not exclusive of itself: the same weight twice is one weight.
        #expect(try parse(gtin + "3103000500" + "3103000500").elements.count == 3)
        // A net weight in kg and one in lb are not exclusive.
        #expect(try parse(gtin + "3103000500" + "3202000110").measures.map(\.unit) == ["kg", "lb"])
    }

    @Test func theRulesCanBeLeftToTheOtherSymbolsOfAnItem() throws {
        #expect(try parse("10ABC", associations: false)["10"] == "ABC")
        #expect(try GS1ElementString(humanReadable: "(21)SER", associations: false)["21"] == "SER")
        #expect(throws: ScanError(.gs1MissingAssociation, "(21) needs (01) or (8006)")) { try GS1ElementString(humanReadable: "(21)SER") }
        // Each element's own rules still hold.
        #expect(throws: ScanError(.checkDigit, "(01) check digit does not match")) { try parse("0109521234543214", associations: false) }
    }

    @Test func everyPatternOfTheTableNamesAnAIOfTheTable() {
        for (ai, def) in ApplicationIdentifier.table {
            for pattern in def.requires.joined() + def.excludes {
                #expect(ApplicationIdentifier.table.keys.contains { ApplicationIdentifier.matches(pattern, $0) }, "\(ai): \(pattern)")
            }
        }
        #expect(ApplicationIdentifier.lookup("02")?.requires == [["37"]])
        #expect(ApplicationIdentifier.lookup("01")?.excludes == ["02", "255", "37"])
        #expect(ApplicationIdentifier.lookup("3925")?.requires == [["01"], ["30", "31nn", "32nn", "35nn", "36nn"]])
    }
}
