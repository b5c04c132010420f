import Foundation
import KioskCore
import Testing
@testable import KioskEngine

@Suite("Tier by points, offers of points and coins, card groups, date ranges")
struct MoreRuleTests {
    @Test func tiersCanBeReachedByPointsEarned() throws {
        var program = try Fixtures.example()
        program.tiers?.basis = .points
        program.tiers?.levels[1].threshold = 100
        let engine = LoyaltyEngine(program: program)
        var member = Fixtures.member()
        member.tierWindowTotal = 95
        let outcome = try engine.purchase(Fixtures.purchase(lines: [("produce", 1_000_000)]), member: member)
        #expect(outcome.tierDelta == outcome.points.total)
        #expect(outcome.tierAfter == "silver")
    }

    @Test func anOfferOfPointsIsValuedAtThePointValueAndCompared() throws {
        var program = try Fixtures.example()
        program.offers = OfferRules(policy: .best, list: [
            Offer(id: "double-points", title: nil, when: nil, benefit: OfferBenefit(kind: .extraPoints, percent: .whole(100))),
            Offer(id: "coins", title: nil, when: nil, benefit: OfferBenefit(kind: .extraCoins, coins: 3)),
        ])
        let engine = LoyaltyEngine(program: program)
        // 2,000,000 Rial of produce: 20 points at the base rate; doubling adds 20 points worth
        // 20,000 Rial (1,000 Rial a point); 3 coins are worth 15,000 Rial (5,000 a coin).
        let outcome = try engine.purchase(Fixtures.purchase(lines: [("produce", 2_000_000)]), member: Fixtures.member())
        #expect(outcome.decision.considered.map(\.value) == [Rial(20_000), Rial(15_000)])
        #expect(outcome.decision.winner == "double-points")
        #expect(outcome.points.offers == 20)
        #expect(outcome.points.total == 40)
    }

    @Test func cardGroupAndDateRangeConditions() throws {
        var program = try Fixtures.example()
        program.offers = OfferRules(policy: .stack, list: [
            Offer(id: "gold-card", title: nil, when: .cardGroup(["gold-card"]), benefit: OfferBenefit(kind: .discountAmount, amount: Rial(1_000))),
            Offer(id: "yalda-week", title: nil,
                  when: .dateRange(.init(from: LocalDate.parse("2026-12-15"), until: LocalDate.parse("2026-12-21"))),
                  benefit: OfferBenefit(kind: .discountAmount, amount: Rial(2_000))),
        ])
        let engine = LoyaltyEngine(program: program)
        var member = Fixtures.member()
        member.cardGroups = ["gold-card"]
        let inside = try engine.purchase(Fixtures.purchase(at: Fixtures.tehranTime(2026, 12, 21, 23, 59), lines: [("produce", 100_000)]), member: member)
        #expect(inside.offerDiscount == Rial(3_000))
        let after = try engine.purchase(Fixtures.purchase(at: Fixtures.tehranTime(2026, 12, 22, 0, 1), lines: [("produce", 100_000)]), member: Fixtures.member())
        #expect(after.offerDiscount == .zero)
        #expect(after.decision.considered.map(\.reasons) == [["the member has no card of the groups gold-card"], ["2026-12-22 is after 2026-12-21"]])
    }

    @Test func aBirthdayOnTheTwentyNinthOfFebruaryIsCelebratedOnTheTwentyEighthInCommonYears() throws {
        let engine = LoyaltyEngine(program: try Fixtures.example())
        let member = Fixtures.member(birthday: "1992-02-29")
        let outcome = try engine.purchase(Fixtures.purchase(at: Fixtures.tehranTime(2027, 2, 28), lines: [("produce", 1_000_000)]), member: member)
        #expect(outcome.decision.considered.first { $0.offer == "birthday" }?.qualified == true)
    }
}
