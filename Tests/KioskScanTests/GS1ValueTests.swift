import Testing
@testable import KioskScan

/// Measures and amounts as exact decimals with their units and currencies.
@Suite struct GS1ValueTests {
    let gtin = "0109521234543213"

    func parse(_ s: String) throws(ScanError) -> GS1ElementString { try GS1ElementString(data: Array(s.utf8)) }

    @Test func theAIsLastDigitPlacesTheDecimalPoint() throws {
        let g = try parse(gtin + "3103000123" + "3152001500")
        #expect(g.measures == [
            GS1Measure(ai: "3103", quantity: "NET WEIGHT", unit: "kg", logistic: false, value: GS1Decimal(significand: 123, decimals: 3)),
            GS1Measure(ai: "3152", quantity: "NET VOLUME", unit: "l", logistic: false, value: GS1Decimal(significand: 1500, decimals: 2)),
        ])
        #expect(g.measures.map(\.value.description) == ["0.123", "15.00"])
        let logistic = try parse("00106141412345678908" + "3313000250")
        #expect(logistic.measures.first.map { ($0.quantity, $0.unit, $0.logistic, $0.value.description) } ?? ("", "", false, "") == ("LENGTH", "m", true, "0.250"))
        #expect(try parse(gtin + "3370000125").measures.first?.unit == "kg/m²")
        #expect(try parse(gtin + "3100000007").measures.first?.value.description == "7")
    }

    @Test func amountsKeepTheirCurrencyAndAreExact() throws {
        // 8020 (a payment slip reference) needs 415 (pay to); 3912 is an amount in a currency.
        let slip = try parse("4159521234543213" + "8020" + "REF-1" + "\u{1D}" + "3912" + "364" + "1250000050")
        #expect(slip.amounts == [GS1Amount(ai: "3912", kind: .amountPayable, currency: 364, value: GS1Decimal(significand: 1_250_000_050, decimals: 2))])
        #expect(slip.amounts.first?.value.description == "12500000.50")
        let item = try parse(gtin + "3103000500" + "3922" + "499")
        #expect(item.amounts == [GS1Amount(ai: "3922", kind: .price, currency: nil, value: GS1Decimal(significand: 499, decimals: 2))])
        let perUnit = try parse(gtin + "3103000500" + "3952" + "000998")
        #expect(perUnit.amounts.map(\.kind) == [.pricePerUnit])
        #expect(perUnit.amounts.map(\.value.description) == ["9.98"])
        #expect(GS1Decimal(significand: 5, decimals: 3).description == "0.005")
    }
}
