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

    @Test func whenOffersStackEveryOneAppliesOnItsGrossBase() throws {
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
        #expect(outcome.offerCredit == Rial(3_200_000))
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
