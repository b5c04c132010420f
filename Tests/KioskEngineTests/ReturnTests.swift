import Foundation
import KioskCore
import Testing
@testable import KioskEngine

@Suite("Returns reverse exactly, in proportion, never in the member's favour")
struct ReturnTests {
    let engine: LoyaltyEngine

    init() throws { engine = LoyaltyEngine(program: try Fixtures.example()) }

    /// Applies an operation's postings to a member, as the store would.
    private func apply(_ postings: [Posting], to member: MemberState, at: Date) -> MemberState {
        var m = member
        m.lots = LotBook.apply(postings, to: m.lots, member: m.memberID, at: at)
        for p in postings where p.member == m.memberID && p.lot == nil { m.unlotted[p.account, default: 0] += p.amount }
        return m
    }

    private func lotsOf(_ key: String) -> [String: LotID] {
        ["points": LoyaltyEngine.lot(key, "points"), "coins": LoyaltyEngine.lot(key, "coins"), "credit": LoyaltyEngine.lot(key, "credit")]
    }

    private func returnRequest(_ lines: [(Int, Int64)], key: String = "r-1", at: Date = Fixtures.tehranTime(2026, 11, 25)) -> ReturnRequest {
        ReturnRequest(key: key, member: "m-1", branch: "br-tehran-1", at: at, purchaseKey: "p-1",
                      lines: lines.map { ReturnLine(line: $0.0, amount: Rial($0.1)) })
    }

    @Test func aFullReturnTakesBackExactlyWhatThePurchaseAwarded() throws {
        let before = Fixtures.member(birthday: "1990-11-24", groups: ["silver"], visits: 10)
        let purchase = try engine.purchase(Fixtures.purchase(lines: [("dairy", 2_000_000), ("bakery", 6_000_000)]), member: before)
        let after = apply(purchase.postings, to: before, at: purchase.at)
        #expect(after.balances.credit == Rial(1_680_000))
        let outcome = try engine.processReturn(returnRequest([(0, 2_000_000), (1, 6_000_000)]), purchase: purchase,
                                               purchaseLots: lotsOf("p-1"), history: ReturnHistory(lines: 2), member: after)
        #expect(outcome.fullyReturned)
        #expect(outcome.pointsReversed == purchase.points.total)
        #expect(outcome.creditReversed == Rial(1_680_000))
        #expect(outcome.coinsReversed == purchase.coins)
        #expect(outcome.refundInCash == Rial(8_000_000))
        #expect(outcome.visitsDelta == -1)
        #expect(apply(outcome.postings, to: after, at: outcome.postings.isEmpty ? purchase.at : purchase.at).balances == before.balances)
    }

    @Test func aPartialReturnTakesBackTheReturnedLinesOwnShare() throws {
        let member = Fixtures.member()
        // 2 points per 100,000 on household, 1 on produce: 20 + 10 points.
        let purchase = try engine.purchase(Fixtures.purchase(lines: [("household", 1_000_000), ("produce", 1_000_000)]), member: member)
        #expect(purchase.points.total == 30)
        let after = apply(purchase.postings, to: member, at: purchase.at)
        let household = try engine.processReturn(returnRequest([(0, 1_000_000)]), purchase: purchase, purchaseLots: lotsOf("p-1"),
                                                 history: ReturnHistory(lines: 2), member: after)
        #expect(household.pointsReversed == 20)
        #expect(household.refundInCash == Rial(1_000_000))
        #expect(!household.fullyReturned)
        // Then the rest, in two pieces: the totals end exactly at what was awarded.
        let m2 = apply(household.postings, to: after, at: purchase.at)
        let half = try engine.processReturn(returnRequest([(1, 333_333)], key: "r-2"), purchase: purchase, purchaseLots: lotsOf("p-1"),
                                            history: household.history, member: m2)
        let m3 = apply(half.postings, to: m2, at: purchase.at)
        let rest = try engine.processReturn(returnRequest([(1, 666_667)], key: "r-3"), purchase: purchase, purchaseLots: lotsOf("p-1"),
                                            history: half.history, member: m3)
        #expect(household.pointsReversed + half.pointsReversed + rest.pointsReversed == 30)
        #expect(half.pointsReversed == 3) // rounded down, in the member's favour: 3.33… → 3
        #expect(household.refundInCash.amount + half.refundInCash.amount + rest.refundInCash.amount == 2_000_000)
        #expect(apply(rest.postings, to: m3, at: purchase.at).balances == member.balances)
    }

    @Test func aPartialReturnTakesBackNoMoreThanItsShareAndThePartsAddUpToTheAward() throws {
        // 8,765,000 Rial, 10 % off (big basket): 78 points on the net 7,888,500. A third returned
        // takes back 25 (25.99…, rounded down), never 26 or more: the member keeps 53 for the
        // 5,843,334 Rial kept, whose net alone earns 52.
        let member = Fixtures.member()
        let purchase = try engine.purchase(Fixtures.purchase(lines: [("bakery", 8_765_000)]), member: member)
        #expect(purchase.points.total == 78)
        var state = apply(purchase.postings, to: member, at: purchase.at)
        var history = ReturnHistory(lines: 1)
        var reversed: [Int64] = []
        for (i, amount) in [Int64(2_921_666), 2_921_667, 2_921_667].enumerated() {
            let outcome = try engine.processReturn(returnRequest([(0, amount)], key: "r-\(i)"), purchase: purchase,
                                                   purchaseLots: lotsOf("p-1"), history: history, member: state)
            reversed.append(outcome.pointsReversed)
            history = outcome.history
            state = apply(outcome.postings, to: state, at: purchase.at)
        }
        #expect(reversed[0] == 25)
        let kept = RatePerRial(units: 1, perRial: 100_000).award(for: Rial((8_765_000 - 2_921_666) * 9 / 10))
        #expect(kept == 52)
        #expect(78 - reversed[0] >= kept)
        #expect(reversed[0] + reversed[1] <= 52)
        #expect(reversed.reduce(0, +) == 78)
        #expect(state.balances == member.balances)
    }

    @Test func returningMoreThanWasBoughtIsRefused() throws {
        let purchase = try engine.purchase(Fixtures.purchase(lines: [("produce", 1_000_000)]), member: Fixtures.member())
        let after = apply(purchase.postings, to: Fixtures.member(), at: purchase.at)
        #expect(throws: Refusal.self) {
            try engine.processReturn(returnRequest([(0, 1_000_001)]), purchase: purchase, purchaseLots: lotsOf("p-1"),
                                     history: ReturnHistory(lines: 1), member: after)
        }
        var history = ReturnHistory(lines: 1)
        history.returnedGross = [600_000]
        do {
            _ = try engine.processReturn(returnRequest([(0, 400_001)]), purchase: purchase, purchaseLots: lotsOf("p-1"),
                                         history: history, member: after)
            Issue.record("a return beyond what is left of the line was accepted")
        } catch {
            #expect(error.code == "return.more-than-bought")
        }
    }

    @Test func aReturnAfterTheWindowIsRefused() throws {
        let purchase = try engine.purchase(Fixtures.purchase(lines: [("produce", 1_000_000)]), member: Fixtures.member())
        #expect(throws: Refusal.self) {
            try engine.processReturn(returnRequest([(0, 1_000_000)], at: Fixtures.tehranTime(2027, 1, 30)), purchase: purchase,
                                     purchaseLots: lotsOf("p-1"), history: ReturnHistory(lines: 1), member: Fixtures.member())
        }
    }

    @Test func spentAwardsAreClampedAndRecordedAsADebtOrLeftNegative() throws {
        let member = Fixtures.member()
        let purchase = try engine.purchase(Fixtures.purchase(lines: [("produce", 10_000_000)]), member: member)
        var after = apply(purchase.postings, to: member, at: purchase.at)
        // The member spends the cashback credit (90,000 after the 10 % offer) elsewhere.
        let credit = after.balances.credit.amount
        #expect(credit == 90_000)
        after = apply(LotBook.draw(credit, of: .credit, from: after.lots, at: purchase.at, member: "m-1")!, to: after, at: purchase.at)
        let clamped = try engine.processReturn(returnRequest([(0, 10_000_000)]), purchase: purchase, purchaseLots: lotsOf("p-1"),
                                               history: ReturnHistory(lines: 1), member: after)
        #expect(clamped.shortfall == ["credit": 90_000])
        #expect(apply(clamped.postings, to: after, at: purchase.at).balances.credit == .zero)

        var program = engine.program
        program.returns?.spentAwardPolicy = .allowNegative
        let lenient = LoyaltyEngine(program: program)
        let negative = try lenient.processReturn(returnRequest([(0, 10_000_000)]), purchase: purchase, purchaseLots: lotsOf("p-1"),
                                                 history: ReturnHistory(lines: 1), member: after)
        #expect(apply(negative.postings, to: after, at: purchase.at).balances.credit == Rial(-90_000))
    }

    @Test func aReturnTakesBackATierThePurchaseGave() throws {
        var member = Fixtures.member()
        member.tierWindowTotal = 45_000_000
        let purchase = try engine.purchase(Fixtures.purchase(lines: [("household", 6_000_000)]), member: member)
        #expect(purchase.tierAfter == "silver")
        var after = apply(purchase.postings, to: member, at: purchase.at)
        after.tier = "silver"
        after.tierWindowTotal += purchase.tierDelta
        let outcome = try engine.processReturn(returnRequest([(0, 6_000_000)]), purchase: purchase, purchaseLots: lotsOf("p-1"),
                                               history: ReturnHistory(lines: 1), member: after)
        #expect(outcome.tierAfter == "bronze")
        #expect(outcome.tierDeltaReversed == purchase.tierDelta)
    }
}
