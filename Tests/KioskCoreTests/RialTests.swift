import Foundation
import KioskCore
import Testing

@Suite struct RialTests {
    @Test func tomanConvertsExactlyToRial() throws {
        #expect(try Rial.toman(500_000) == Rial(5_000_000))
        #expect(Rial(5_000_009).tomanRoundedDown == 500_000)
    }

    @Test func overflowIsReportedNotWrapped() {
        #expect(throws: MoneyError.overflow) { try Rial(.max).adding(Rial(1)) }
        #expect(throws: MoneyError.overflow) { try Rial(.min).subtracting(Rial(1)) }
        #expect(throws: MoneyError.overflow) { try Rial.toman(.max / 5) }
    }

    @Test func scalingRoundsDownEvenForNegativeAmounts() throws {
        // 7 % of 1,005 Rial is 70.35: awards round down to 70.
        #expect(try Rial(1_005).scaled(by: 7, over: 100) == Rial(70))
        // A reversal of that award must not round toward zero and give back less.
        #expect(try Rial(-1_005).scaled(by: 7, over: 100) == Rial(-71))
        #expect(throws: MoneyError.invalidRatio) { try Rial(10).scaled(by: 1, over: 0) }
    }

    @Test func scalingLargeAmountsDoesNotOverflowInTheMiddle() throws {
        // 9e15 × 90 overflows Int64 in the product, not in the result.
        #expect(try Rial(9_000_000_000_000_000).scaled(by: 90, over: 100) == Rial(8_100_000_000_000_000))
    }

    @Test func scalingPastTheRangeIsAnOverflowErrorNotATrap() throws {
        #expect(throws: MoneyError.overflow) { try Rial(.max).scaled(by: 2, over: 1) }
        #expect(throws: MoneyError.overflow) { try Rial(.max).scaled(by: 3, over: 2) }
        #expect(throws: MoneyError.overflow) { try Rial(.min).scaled(by: -1, over: 1) }
        #expect(throws: MoneyError.overflow) { try Rial(-1).scaled(by: .min, over: 1) }
        // Rounding down past Int64.min: (Int64.min × 3 − 1) / 3 floors to Int64.min − 1.
        #expect(throws: MoneyError.overflow) { try Rial(.min).scaled(by: .max, over: .max - 1) }
        // The edges that do fit.
        #expect(try Rial(.max).scaled(by: 1, over: 1) == Rial(.max))
        #expect(try Rial(.min).scaled(by: 1, over: 1) == Rial(.min))
        #expect(try Rial(.max).scaled(by: 2, over: 2) == Rial(.max))
        #expect(try Rial(.min).scaled(by: 3, over: 3) == Rial(.min))
        #expect(try Rial(.max).scaled(by: -1, over: 1) == Rial(-Int64.max))
        #expect(try Rial(.min).scaled(by: -1, over: 2) == Rial(Int64.max / 2 + 1))
    }

    @Test func negatingTheMinimumIsAnOverflowError() throws {
        #expect(throws: MoneyError.overflow) { try Rial(.min).negated }
        #expect(try Rial(.max).negated == Rial(-Int64.max))
        #expect(try Rial(-5).negated == Rial(5))
        #expect(try Rial.zero.negated == .zero)
    }

    @Test func encodesAsABareInteger() throws {
        let data = try JSONEncoder().encode([Rial(12_340)])
        #expect(String(decoding: data, as: UTF8.self) == "[12340]")
        #expect(try JSONDecoder().decode([Rial].self, from: data) == [Rial(12_340)])
    }
}

@Suite struct IdempotencyKeyTests {
    @Test func acceptsPrintableKeys() throws {
        #expect(try IdempotencyKey("kiosk-7/purchase/2026-11-24T10:00:00Z#1").rawValue.hasPrefix("kiosk-7"))
    }

    @Test func refusesEmptyLongOrUnprintableKeys() {
        #expect(throws: IdempotencyKeyError.badLength(0)) { try IdempotencyKey("") }
        #expect(throws: IdempotencyKeyError.badLength(257)) { try IdempotencyKey(String(repeating: "k", count: 257)) }
        #expect(throws: IdempotencyKeyError.badCharacter) { try IdempotencyKey("has space") }
        #expect(throws: IdempotencyKeyError.badCharacter) { try IdempotencyKey("کلید") }
    }

    @Test func aReceiptClaimKeyWithTheLongestTillAndReceiptIdsFits() throws {
        // 8 + 64 + 1 + 64 = 137 bytes were refused by the old limit of 128; its ledger rows add "#n".
        let key = "receipt:" + String(repeating: "p", count: 64) + ":" + String(repeating: "r", count: 64)
        #expect(try IdempotencyKey(key).rawValue.utf8.count == 137)
        #expect(try IdempotencyKey(String(repeating: "k", count: 256)).rawValue.count == 256)
    }

    @Test func decodingRefusesAnInvalidKey() {
        #expect(throws: DecodingError.self) { try JSONDecoder().decode([IdempotencyKey].self, from: Data("[\"a b\"]".utf8)) }
    }

    @Test func partsAreDistinctPerIndex() throws {
        let key = try IdempotencyKey("op-1")
        #expect(key.part(0) != key.part(1))
    }
}

@Suite struct BalancesTests {
    @Test func subscriptReadsAndWritesEachAccount() {
        var balances = Balances()
        for (index, account) in Account.allCases.enumerated() { balances[account] = Int64(index + 1) * 10 }
        #expect(balances == Balances(points: 10, credit: Rial(20), giftCredit: Rial(30), coins: 40))
    }
}
