import Testing
@testable import KioskScan

/// The AIs added from the syntax dictionary (43xx shipping, 7030–7040 processors and importer,
/// 710–715 national healthcare numbers, 7230–7242 certifications and media, 8001 roll
/// dimensions) and the linters their values go through.
@Suite struct GS1NewAITests {
    let gs = "\u{1D}"
    let gtin = "0109521234543213"
    let sscc = "00106141412345678908"

    func parse(_ s: String) throws(ScanError) -> GS1ElementString { try GS1ElementString(data: Array(s.utf8)) }

    @Test func shipToAndReturnToAddresses() throws {
        let g = try parse(sscc + "4300ACME%20Ltd" + gs + "4307IR" + gs + "4309" + "1357000000" + "2314000000" + gs + "4321" + "1")
        #expect(g["4300"] == "ACME%20Ltd")
        #expect(g["4307"] == "IR")
        #expect(g["4309"] == "13570000002314000000")
        #expect(g.elements.first { $0.ai == "4309" }?.title == "SHIP TO GEO")
        #expect(throws: ScanError(.gs1Content, "(4300) has a % not followed by two hex digits")) { try parse(sscc + "4300ACME%2") }
        #expect(throws: ScanError(.gs1Content, "(4307) XX is not an ISO 3166 alpha-2 country code")) { try parse(sscc + "4307XX") }
        #expect(throws: ScanError(.gs1Content, "(4309) latitude is beyond 90°")) { try parse(sscc + "4309" + "1800000001" + "0000000000") }
        #expect(throws: ScanError(.gs1Content, "(4309) longitude is beyond 180°")) { try parse(sscc + "4309" + "0000000000" + "3600000001") }
        #expect(throws: ScanError(.gs1Content, "(4321) is not 0 (no) or 1 (yes)")) { try parse(sscc + "43212") }
        #expect(throws: ScanError(.gs1MissingAssociation, "(4303) needs (4302)")) { try parse(sscc + "4303Flat%202") }
        #expect(throws: ScanError(.gs1MissingAssociation, "(4307) needs (00)")) { try parse("4307IR") }
        #expect(try parse(sscc + "4324" + "2612310930")["4324"] == "2612310930")
        #expect(throws: ScanError(.gs1Date, "(4324) is not a time HHMM")) { try parse(sscc + "4324" + "2612312460") }
    }

    @Test func temperaturesWithAnOptionalMinusAndOneScaleOnly() throws {
        #expect(try parse(sscc + "4331" + "000250-")["4331"] == "000250-")
        #expect(try parse(sscc + "4331" + "000250")["4331"] == "000250")
        #expect(throws: ScanError(.gs1Content, "(4331) may only end with a hyphen (below zero)")) { try parse(sscc + "4331" + "000250+") }
        #expect(throws: ScanError(.gs1InvalidPair, "(4330) and (4331) cannot be in one element string")) {
            try parse(sscc + "4330" + "000770" + gs + "4331" + "000250")
        }
    }

    @Test func processorsAndTheImporterIndex() throws {
        #expect(try parse(gtin + "7030" + "364ABC-1")["7030"] == "364ABC-1")
        #expect(try parse(gtin + "7039" + "999X")["7039"] == "999X")
        #expect(throws: ScanError(.gs1Content, "(7031) 000 is not an ISO 3166 country code or 999")) { try parse(gtin + "7031" + "000X") }
        #expect(throws: ScanError(.gs1MissingAssociation, "(7030) needs (01) or (02)")) { try parse("7030" + "364ABC") }
        #expect(try parse("7040" + "1AB-")["7040"] == "1AB-")
        #expect(throws: ScanError(.gs1Content, "(7040) importer index is not one of - 0-9 A-Z _ a-z")) { try parse("7040" + "1AB%") }
        #expect(throws: ScanError(.gs1Length, "(7040) is too short")) { try parse("7040" + "1AB") }
    }

    @Test func nationalHealthcareNumbersCertificationsAndMedia() throws {
        let g = try parse(gtin + "710" + "PZN-1234567" + gs + "715" + "NDC12345" + gs + "7230" + "EM" + "CERT-9")
        #expect(g.elements.map(\.ai) == ["01", "710", "715", "7230"])
        #expect(g.elements.map(\.title) == ["GTIN", "NHRN PZN", "NHRN NDC", "CERT # 1"])
        #expect(throws: ScanError(.gs1MissingAssociation, "(712) needs (01)")) { try parse("712" + "ABC") }
        #expect(throws: ScanError(.gs1Length, "(7239) is too short")) { try parse(gtin + "7239" + "E") }
        let gsrn = "8017" + "795260646688514634" + gs
        #expect(try parse(gsrn + "7241" + "01" + gs + "7242" + "VCN-7")["7241"] == "01")
        #expect(try parse(gsrn + "7241" + "99")["7241"] == "99")
        #expect(throws: ScanError(.gs1Content, "(7241) media type 50 is not 01–10 or 80–99")) { try parse(gsrn + "7241" + "50") }
        #expect(throws: ScanError(.gs1MissingAssociation, "(7242) needs (8017) or (8018)")) { try parse(gtin + "7242" + "VCN") }
    }

    @Test func rollDimensionsAreFiveNumbers() throws {
        let g = try parse(gtin + "8001" + "0120" + "00300" + "076" + "1" + "2")
        #expect(g.rollDimensions == GS1RollDimensions(widthMillimetres: 120, lengthMetres: 300, coreDiameterMillimetres: 76, winding: .faceIn, splices: 2))
        #expect(throws: ScanError(.gs1Content, "(8001) is zero, which it must not be")) { try parse(gtin + "8001" + "0000" + "00300" + "076" + "1" + "2") }
        #expect(throws: ScanError(.gs1Content, "(8001) winding direction is not 0, 1 or 9")) { try parse(gtin + "8001" + "0120" + "00300" + "076" + "5" + "2") }
        #expect(throws: ScanError(.gs1Length, "(8001) is too short")) { try parse(gtin + "8001" + "0120003000761") }
        #expect(throws: ScanError(.gs1MissingAssociation, "(8001) needs (01)")) { try parse("8001" + "01200030007612") }
        #expect(try parse(gtin).rollDimensions == nil)
    }

    @Test func countriesCurrenciesPiecesAndSerials() throws {
        #expect(try parse(gtin + "422364")["422"] == "364")
        #expect(throws: ScanError(.gs1Content, "(422) 000 is not an ISO 3166 country code")) { try parse(gtin + "422000") }
        #expect(try parse(gtin + "423" + "364368")["423"] == "364368")
        #expect(throws: ScanError(.gs1Content, "(423) is not a list of three-digit country codes")) { try parse(gtin + "423" + "3643") }
        #expect(throws: ScanError(.gs1Content, "(3932) 000 is not an ISO 4217 currency code")) { try parse(gtin + "3103000500" + "3932000499") }
        #expect(throws: ScanError(.gs1Content, "(8006) piece 3 of 1 is not a piece of the total")) { try parse("8006" + "09521234543213" + "0301") }
        #expect(throws: ScanError(.gs1Content, "(8011) starts with a zero")) { try parse("8010" + "CPID-1" + gs + "8011" + "0123") }
        #expect(try parse("8010" + "CPID-1" + gs + "8011" + "0")["8011"] == "0")
        #expect(throws: ScanError(.gs1Content, "(8003) does not start with the digit 0 it must")) { try parse("8003" + "1" + "9521234543213") }
    }
}
