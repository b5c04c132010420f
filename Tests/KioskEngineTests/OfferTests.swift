import Foundation
import KioskCore
import Testing
@testable import KioskEngine

@Suite("Offers: the best offer and stacking, with the decision record")
struct OfferTests {
    /// The seeds' example: 11th visit, birthday, silver customer group, a purchase over
    /// 500,000 Toman with a dairy line: all five offers qualify.
    private func fiveOfferPurchase(_ engine: LoyaltyEngine) throws -> PurchaseOutcome {
        let member = Fixtures.member(birthday: "1990-11-24", groups: ["silver"], visits: 10)
        let request = Fixtures.purchase(lines: [("dairy", 2_000_000), ("bakery", 6_000_000)])
        return try engine.purchase(request, member: member)
    }

    @Test func theSeedsFiveOffersAllQualifyAndTheMostValuableWins() throws {
        let engine = LoyaltyEngine(program: try Fixtures.example())
        let outcome = try fiveOfferPurchase(engine)
        let values = Dictionary(uniqueKeysWithValues: outcome.decision.considered.map { ($0.offer, $0.value.amount) })
        #expect(outcome.decision.considered.allSatisfy { $0.qualified })
        #expect(values == ["loyal-visits": 400_000, "big-basket": 800_000, "birthday": 1_600_000,
                           "silver-group": 1_200_000, "dairy-week": 140_000])
        #expect(outcome.decision.winner == "birthday")
        #expect(outcome.decision.applied == ["birthday"])
        #expect(outcome.decision.considered.filter(\.applied).map(\.offer) == ["birthday"])
        #expect(outcome.decision.considered.first { $0.offer == "big-basket" }?.note == "a more valuable offer won (birthday)")
        // No discount: the winner is extra credit, 20 % of 8,000,000; plus 1 % cashback.
        #expect(outcome.offerDiscount == .zero)
        #expect(outcome.due == Rial(8_000_000))
        #expect(outcome.offerCredit == Rial(1_600_000))
        #expect(outcome.cashback == Rial(80_000))
        // 80 points at 1 per 100,000, plus the 100-point birthday bonus.
        #expect(outcome.points.base == 80)
        #expect(outcome.points.birthday == 100)
        #expect(outcome.points.total == 180)
        #expect(outcome.visitsAfter == 11)
    }

    @Test func whenOffersStackEveryDiscountIsOnTheGrossAndEveryAwardOnTheNet() throws {
        var program = try Fixtures.example()
        program.offers?.policy = .stack
        let outcome = try fiveOfferPurchase(LoyaltyEngine(program: program))
        #expect(Set(outcome.decision.applied) == ["loyal-visits", "big-basket", "birthday", "silver-group", "dairy-week"])
        // 10 % of 8,000,000 plus 7 % of the 2,000,000 dairy line: neither is taken on a
        // discounted total.
        #expect(outcome.offerDiscount == Rial(940_000))
        #expect(outcome.due == Rial(7_060_000))
        #expect(outcome.lines[0].discount == Rial(200_000 + 140_000))
        #expect(outcome.lines[1].discount == Rial(600_000))
        // The credit offers (5 + 20 + 15 %) are awards: earned on the 7,060,000 paid, not on the
        // 8,000,000 gross (which would give 3,200,000), and the decision record shows that base.
        #expect(outcome.offerCredit == Rial(353_000 + 1_412_000 + 1_059_000))
        let silver = try #require(outcome.decision.considered.first { $0.offer == "silver-group" })
        #expect(silver.base == Rial(7_060_000))
        #expect(silver.baseIs == .net)
        #expect(silver.value == Rial(1_059_000))
        let bigBasket = try #require(outcome.decision.considered.first { $0.offer == "big-basket" })
        #expect(bigBasket.base == Rial(8_000_000))
        #expect(bigBasket.baseIs == .gross)
        #expect(outcome.appliedOffers.first { $0.offer == "silver-group" }?.extraCredit == Rial(1_059_000))
    }

    @Test func anOfferOfCreditIsEarnedOnWhatIsLeftAfterTheVoucher() throws {
        // Best policy: silver's 15 % credit wins; the WELCOME10 voucher takes 10 % (at most
        // 1,000,000) off; the credit is 15 % of what is paid.
        var program = try Fixtures.example()
        program.offers?.list.removeAll { $0.id != "silver-group" }
        let engine = LoyaltyEngine(program: program)
        let definition = program.vouchers!.codes![0]
        let voucher = VoucherContext(code: "WELCOME10", definition: definition, usesTotal: 0, usesByMember: 0)
        let outcome = try engine.purchase(Fixtures.purchase(lines: [("produce", 3_000_000)], voucher: "WELCOME10"),
                                          member: Fixtures.member(groups: ["silver"]), voucher: voucher)
        #expect(outcome.voucher?.discount == Rial(300_000))
        #expect(outcome.due == Rial(2_700_000))
        #expect(outcome.offerCredit == Rial(405_000))
        #expect(outcome.decision.considered.first?.base == Rial(2_700_000))
        // Credit (offer and cashback) is one lot.
        #expect(outcome.postings.first { $0.account == .credit }?.amount == outcome.offerCredit.amount + outcome.cashback.amount)
    }

    @Test func aStackCapTrimsTheLastOfferThatFitsAndSkipsTheRest() throws {
        var program = try Fixtures.example()
        program.offers?.policy = .stack
        program.offers?.stackCap = .whole(25) // 2,000,000 of 8,000,000
        let outcome = try fiveOfferPurchase(LoyaltyEngine(program: program))
        // Most valuable first: birthday 1,600,000, then silver trimmed to 400,000, then nothing left.
        #expect(outcome.decision.applied == ["birthday", "silver-group"])
        #expect(outcome.offerCredit == Rial(2_000_000))
        #expect(outcome.decision.considered.first { $0.offer == "silver-group" }?.note == "trimmed to the stack cap")
        #expect(outcome.decision.considered.first { $0.offer == "big-basket" }?.note == "over the stack cap")
    }

    @Test func offersThatDoNotQualifySayWhy() throws {
        let engine = LoyaltyEngine(program: try Fixtures.example())
        let member = Fixtures.member(birthday: "1990-03-01", visits: 2)
        let outcome = try engine.purchase(Fixtures.purchase(lines: [("bakery", 1_000_000)]), member: member)
        let reasons = Dictionary(uniqueKeysWithValues: outcome.decision.considered.map { ($0.offer, $0.reasons) })
        #expect(reasons["loyal-visits"] == ["visits 3 are not more than 10"])
        #expect(reasons["big-basket"] == ["purchase 1000000 Rial is not more than 5000000 Rial"])
        #expect(reasons["birthday"] == ["not the member's birthday"])
        #expect(reasons["silver-group"] == ["the member is in none of the customer groups silver"])
        #expect(reasons["dairy-week"] == ["no line of the product groups dairy"])
        #expect(outcome.decision.winner == nil)
        #expect(outcome.decision.applied.isEmpty)
    }

    @Test func anyAndAllCombineConditions() throws {
        var program = try Fixtures.example()
        program.offers?.list = [Offer(id: "combo", title: nil,
                                      when: .all([.any([.tier(["gold"]), .customerGroup(["silver"])]), .branch(["br-isfahan"])]),
                                      benefit: OfferBenefit(kind: .discountAmount, amount: Rial(50_000)))]
        let engine = LoyaltyEngine(program: program)
        let silver = Fixtures.member(groups: ["silver"])
        let inIsfahan = try engine.purchase(Fixtures.purchase(lines: [("dairy", 100_000)], branch: "br-isfahan"), member: silver)
        #expect(inIsfahan.offerDiscount == Rial(50_000))
        let inTehran = try engine.purchase(Fixtures.purchase(lines: [("dairy", 100_000)]), member: silver)
        #expect(inTehran.offerDiscount == .zero)
        let plain = try engine.purchase(Fixtures.purchase(lines: [("dairy", 100_000)], branch: "br-isfahan"), member: Fixtures.member())
        #expect(plain.offerDiscount == .zero)
        #expect(plain.decision.considered[0].reasons.first?.hasPrefix("none of the alternatives holds") == true)
    }

    @Test func aStackCanBeLimitedToItsMostValuableOffers() throws {
        var program = try Fixtures.example()
        program.offers?.policy = .stack
        program.offers?.stackMaxOffers = 2
        let outcome = try fiveOfferPurchase(LoyaltyEngine(program: program))
        #expect(outcome.decision.applied == ["birthday", "silver-group"])
        #expect(outcome.decision.considered.first { $0.offer == "big-basket" }?.note == "the stack already has its 2 offers")
        #expect(outcome.offerCredit == Rial(2_800_000))
    }
}

@Suite("A compact decision record for a program of many offers")
struct CompactDecisionRecordTests {
    @Test func qualifyingOffersAreInFullAndTheOthersCountedByWhatFailed() throws {
        var program = try Fixtures.example()
        let base = program.offers!.list
        // 5 × 6 = 30 offers: more than the 20 a record lists in full.
        program.offers!.list = (0..<6).flatMap { copy in base.map { var o = $0; o.id += "-\(copy)"; return o } }
        let engine = LoyaltyEngine(program: program)
        // A small bakery purchase by a member in no group, 3rd visit, not the birthday: only
        // none qualifies but… nothing: every offer fails, each for its own kind of condition.
        let outcome = try engine.purchase(Fixtures.purchase(lines: [("bakery", 1_000_000)]),
                                          member: Fixtures.member(birthday: "1990-03-01", visits: 2))
        #expect(outcome.decision.considered.isEmpty)
        #expect(outcome.decision.notQualified == ["visitsMoreThan": 6, "purchaseMoreThan": 6, "birthday": 6, "customerGroup": 6, "productGroup": 6])
        // A silver member with dairy: silver and dairy offers qualify and are listed in full.
        let silver = try engine.purchase(Fixtures.purchase(lines: [("dairy", 1_000_000)]), member: Fixtures.member(groups: ["silver"]))
        #expect(Set(silver.decision.considered.map(\.offer)) == Set((0..<6).flatMap { ["silver-group-\($0)", "dairy-week-\($0)"] }))
        #expect(silver.decision.considered.allSatisfy { $0.qualified })
        #expect(silver.decision.notQualified == ["visitsMoreThan": 6, "purchaseMoreThan": 6, "birthday": 6])
        // The example's five offers stay in full.
        let full = try LoyaltyEngine(program: try Fixtures.example()).purchase(Fixtures.purchase(lines: [("bakery", 1_000_000)]), member: Fixtures.member())
        #expect(full.decision.considered.count == 5)
        #expect(full.decision.notQualified == nil)
    }
}
