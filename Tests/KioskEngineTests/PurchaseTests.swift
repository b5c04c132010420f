import Foundation
import KioskCore
import Testing
@testable import KioskEngine

@Suite("Purchases: points, windows, tiers, payments, vouchers")
struct PurchaseTests {
    let engine: LoyaltyEngine

    init() throws { engine = LoyaltyEngine(program: try Fixtures.example()) }

    @Test func pointsRoundDownAndAreNeverRoundedByACurrencyStep() throws {
        let small = try engine.purchase(Fixtures.purchase(lines: [("bakery", 99_999)]), member: Fixtures.member())
        #expect(small.points.total == 0)
        let one = try engine.purchase(Fixtures.purchase(lines: [("bakery", 150_000)]), member: Fixtures.member())
        #expect(one.points.total == 1)
        #expect(one.postings.contains { $0.account == .points && $0.amount == 1 })
    }

    @Test func aProductGroupRateReplacesTheBaseRate() throws {
        let outcome = try engine.purchase(Fixtures.purchase(lines: [("household", 1_000_000), ("produce", 1_000_000)]),
                                          member: Fixtures.member())
        #expect(outcome.points.base == 20 + 10)
    }

    @Test func happyHourDoublesThePoints() throws {
        // Tuesday 24 November 2026, 17:00 in Tehran.
        let outcome = try engine.purchase(Fixtures.purchase(at: Fixtures.tehranTime(2026, 11, 24, 17), lines: [("bakery", 1_000_000)]),
                                          member: Fixtures.member())
        #expect(outcome.points.base == 10)
        #expect(outcome.points.windows == 10)
        let before = try engine.purchase(Fixtures.purchase(at: Fixtures.tehranTime(2026, 11, 24, 15, 59), lines: [("bakery", 1_000_000)]),
                                         member: Fixtures.member())
        #expect(before.points.windows == 0)
    }

    @Test func nowruzIsFoundInTheJalaliCalendar() throws {
        var persian = Calendar(identifier: .persian)
        persian.timeZone = Fixtures.tehran
        let nowruz = persian.date(from: DateComponents(year: 1405, month: 1, day: 1, hour: 11))!
        let outcome = try engine.purchase(Fixtures.purchase(at: nowruz, lines: [("produce", 1_000_000)]), member: Fixtures.member())
        #expect(outcome.points.windows == 20) // 300 %: 10 base + 20
        let dayBefore = try engine.purchase(Fixtures.purchase(at: nowruz.addingTimeInterval(-86_400), lines: [("produce", 1_000_000)]),
                                            member: Fixtures.member())
        #expect(dayBefore.points.windows == 0)
    }

    @Test func aTierMultiplierAppliesToTheMembersCurrentTier() throws {
        let gold = try engine.purchase(Fixtures.purchase(lines: [("produce", 1_000_000)]), member: Fixtures.member(tier: "gold"))
        #expect(gold.points.base == 10)
        #expect(gold.points.tier == 5)
        // Gold adds 0.5 % cashback to the program's 1 %.
        #expect(gold.cashback == Rial(15_000))
    }

    @Test func aPurchaseThatCrossesAThresholdUpgradesAtOnce() throws {
        var member = Fixtures.member()
        member.tierWindowTotal = 45_000_000
        let outcome = try engine.purchase(Fixtures.purchase(lines: [("household", 6_000_000)]), member: member)
        // 10 % off (over 500,000 Toman): 5,400,000 due; 50,400,000 in the window.
        #expect(outcome.due == Rial(5_400_000))
        #expect(outcome.tierBefore == "bronze")
        #expect(outcome.tierAfter == "silver")
        #expect(outcome.notifications.contains("tier.upgraded"))
        #expect(outcome.points.tier == 0) // the upgrade counts from the next purchase
    }

    @Test func creditIsSpentFromTheSoonestExpiringLotFirstAndNeverExpiringLotsLast() throws {
        let now = Fixtures.tehranTime(2026, 11, 24, 10)
        let lots = [
            Lot(id: "never", account: .credit, remaining: 100_000, createdAt: now.addingTimeInterval(-9_000_000)),
            Lot(id: "late", account: .credit, remaining: 100_000, createdAt: now.addingTimeInterval(-100), expiresAt: now.addingTimeInterval(900_000)),
            Lot(id: "soon", account: .credit, remaining: 100_000, createdAt: now.addingTimeInterval(-50), expiresAt: now.addingTimeInterval(90_000)),
            Lot(id: "gone", account: .credit, remaining: 100_000, createdAt: now.addingTimeInterval(-500), expiresAt: now.addingTimeInterval(-1)),
        ]
        let outcome = try engine.purchase(Fixtures.purchase(lines: [("bakery", 1_000_000)], credit: 250_000),
                                          member: Fixtures.member(lots: lots))
        let spends = outcome.postings.filter { $0.account == .credit && $0.amount < 0 }
        #expect(spends.map(\.lot) == ["soon", "late", "never"])
        #expect(spends.map(\.amount) == [-100_000, -100_000, -50_000])
        #expect(outcome.paidWithCredit == Rial(250_000))
        #expect(outcome.paidInCash == Rial(750_000))
        #expect(throws: Refusal.self) {
            try engine.purchase(Fixtures.purchase(lines: [("bakery", 1_000_000)], credit: 300_001), member: Fixtures.member(lots: lots))
        }
    }

    @Test func giftCreditPaysOnlyForTheLinesAndBranchesItsGrantAllows() throws {
        let now = Fixtures.tehranTime(2026, 11, 24, 10)
        let bakeryOnly = Lot(id: "yalda", account: .giftCredit, remaining: 1_000_000, createdAt: now,
                             expiresAt: now.addingTimeInterval(86_400), restrictions: LotRestrictions(productGroups: ["bakery"]))
        let member = Fixtures.member(lots: [bakeryOnly])
        let ok = try engine.purchase(Fixtures.purchase(lines: [("dairy", 1_000_000), ("bakery", 500_000)], gift: 500_000), member: member)
        #expect(ok.paidWithGiftCredit == Rial(500_000))
        // payWithGiftCredit is a maximum: beyond what the grants may pay here, the purchase is not
        // refused; the outcome says what gift credit paid and the rest is due in cash.
        let beyond = try engine.purchase(Fixtures.purchase(lines: [("dairy", 1_000_000), ("bakery", 500_000)], gift: 600_000), member: member)
        #expect(beyond.paidWithGiftCredit == Rial(500_000))
        #expect(beyond.due == Rial(1_430_000)) // 7 % off the dairy line
        #expect(beyond.paidInCash == Rial(930_000))
        #expect(beyond.postings.filter { $0.account == .giftCredit }.map(\.amount) == [-500_000])
        let elsewhere = Lot(id: "apology", account: .giftCredit, remaining: 1_000_000, createdAt: now,
                            restrictions: LotRestrictions(branches: ["br-tehran-2"]))
        let otherBranch = try engine.purchase(Fixtures.purchase(lines: [("dairy", 1_000_000)], gift: 1), member: Fixtures.member(lots: [elsewhere]))
        #expect(otherBranch.paidWithGiftCredit == .zero)
        #expect(otherBranch.paidInCash == otherBranch.due)
        // More than is due pays what is due.
        let all = try engine.purchase(Fixtures.purchase(lines: [("bakery", 300_000)], gift: 5_000_000), member: member)
        #expect(all.paidWithGiftCredit == Rial(300_000))
        #expect(all.paidInCash == .zero)
    }

    @Test func awardsAreEarnedOnTheAmountAfterDiscounts() throws {
        let outcome = try engine.purchase(Fixtures.purchase(lines: [("bakery", 6_000_000)]), member: Fixtures.member())
        #expect(outcome.decision.winner == "big-basket")
        #expect(outcome.due == Rial(5_400_000))
        #expect(outcome.points.base == 54)
        #expect(outcome.cashback == Rial(54_000))
        #expect(outcome.coins == 5)
    }

    private func welcome10(usesByMember: Int = 0) throws -> VoucherContext {
        let definition = try #require(engine.program.vouchers?.codes?.first { $0.code == "WELCOME10" })
        return VoucherContext(code: "WELCOME10", definition: definition, usesTotal: 0, usesByMember: usesByMember)
    }

    @Test func aPercentVoucherIsTakenOnTheGrossSubtotalAndCapped() throws {
        let outcome = try engine.purchase(Fixtures.purchase(lines: [("bakery", 3_000_000)], voucher: "welcome10"),
                                          member: Fixtures.member(), voucher: try welcome10())
        #expect(outcome.voucher?.discount == Rial(300_000))
        #expect(outcome.due == Rial(2_700_000))
        let big = try engine.purchase(Fixtures.purchase(lines: [("bakery", 20_000_000)], voucher: "WELCOME10"),
                                      member: Fixtures.member(), voucher: try welcome10())
        // 10 % off from the offer and 10 % (capped at 1,000,000) from the voucher, both on the gross.
        #expect(big.offerDiscount == Rial(2_000_000))
        #expect(big.voucher?.discount == Rial(1_000_000))
        #expect(big.due == Rial(17_000_000))
    }

    @Test func voucherRefusalsSayWhy() throws {
        func code(_ body: () throws -> Void) -> String? {
            do { try body(); return nil } catch let refusal as Refusal { return refusal.code } catch { return "\(error)" }
        }
        #expect(code { _ = try engine.purchase(Fixtures.purchase(lines: [("bakery", 1_000_000)], voucher: "WELCOME10"),
                                               member: Fixtures.member(), voucher: try welcome10()) } == "voucher.minimum-spend")
        #expect(code { _ = try engine.purchase(Fixtures.purchase(lines: [("bakery", 3_000_000)], voucher: "WELCOME10"),
                                               member: Fixtures.member(), voucher: try welcome10(usesByMember: 1)) } == "voucher.member-limit")
        #expect(code { _ = try engine.purchase(Fixtures.purchase(at: Fixtures.tehranTime(2027, 1, 1), lines: [("bakery", 3_000_000)], voucher: "WELCOME10"),
                                               member: Fixtures.member(), voucher: try welcome10()) } == "voucher.expired")
        #expect(code { _ = try engine.purchase(Fixtures.purchase(lines: [("bakery", 3_000_000)], voucher: "NOPE"),
                                               member: Fixtures.member(), voucher: nil) } == "voucher.unknown")
    }

    @Test func anUnknownProductGroupIsRefused() throws {
        #expect(throws: Refusal("purchase.unknown-product-group", "line 1: unknown product group \"toys\"")) {
            try engine.purchase(Fixtures.purchase(lines: [("toys", 1_000)]), member: Fixtures.member())
        }
    }

    @Test func firstPurchaseRewardsTheReferrer() throws {
        var member = Fixtures.member()
        member.referredBy = "m-referrer"
        let outcome = try engine.purchase(Fixtures.purchase(lines: [("bakery", 1_000_000)]), member: member)
        #expect(outcome.referral == ReferralPayout(referrer: "m-referrer", points: 100, coins: 5, credit: .zero))
        #expect(outcome.postings.contains { $0.member == "m-referrer" && $0.account == .points && $0.amount == 100 })
        member.hasPurchased = true
        let second = try engine.purchase(Fixtures.purchase(lines: [("bakery", 1_000_000)]), member: member)
        #expect(second.referral == nil)
    }

    @Test func rafflesCountEntriesOnTheirProductGroupsInTheirDates() throws {
        let outcome = try engine.purchase(Fixtures.purchase(at: Fixtures.tehranTime(2026, 12, 10), lines: [("bakery", 3_500_000), ("dairy", 9_000_000)]),
                                          member: Fixtures.member())
        // 10 % off the whole basket: the bakery line nets 3,150,000: three entries.
        #expect(outcome.raffleEntries == ["yalda-raffle": 3])
        let outside = try engine.purchase(Fixtures.purchase(lines: [("bakery", 3_500_000)]), member: Fixtures.member())
        #expect(outside.raffleEntries.isEmpty)
    }
}
