import Foundation
import KioskCore
import Testing
@testable import KioskEngine

@Suite("Points spent at a purchase, soonest-expiring first, given back exactly on a return")
struct PointsRedemptionTests {
    let engine: LoyaltyEngine
    let now = Fixtures.tehranTime(2026, 11, 24, 10)

    init() throws {
        var program = try Fixtures.example()
        // 5,000 Rial (500 Toman) a point, at least 1 % and at most 50 % of the bill.
        program.points.redemption = PointsRedemption(rate: .init(rial: 5_000, points: 1), minShare: .whole(1), maxShare: .whole(50))
        engine = LoyaltyEngine(program: program)
    }

    private var lots: [Lot] {
        [Lot(id: "later", account: .points, remaining: 300, createdAt: now, expiresAt: now.addingTimeInterval(100 * 86_400)),
         Lot(id: "never", account: .points, remaining: 50, createdAt: now),
         Lot(id: "soon", account: .points, remaining: 100, createdAt: now, expiresAt: now.addingTimeInterval(10 * 86_400))]
    }

    private func purchase(_ points: Int64?, lines: [(String, Int64)] = [("bakery", 4_000_000)]) throws(Refusal) -> PurchaseOutcome {
        var request = Fixtures.purchase(lines: lines)
        request.redeemPoints = points
        return try engine.purchase(request, member: Fixtures.member(lots: lots))
    }

    private func code(_ body: () throws(Refusal) -> PurchaseOutcome) -> String? {
        do {
            _ = try body()
            return nil
        } catch {
            return error.code
        }
    }

    @Test func pointsPayAsADiscountSoonestExpiringFirstAndEarnNothing() throws {
        let outcome = try purchase(200)
        #expect(outcome.pointsRedeemed == 200)
        #expect(outcome.pointsDiscount == Rial(1_000_000))
        #expect(outcome.due == Rial(3_000_000))
        #expect(outcome.paidInCash == Rial(3_000_000))
        let spent = outcome.postings.filter { $0.reason == "spend.points" }
        #expect(spent.map(\.lot) == [LotID(rawValue: "soon"), LotID(rawValue: "later")])
        #expect(spent.map(\.amount) == [-100, -100])
        // Points are earned on what is paid, not on what points paid.
        #expect(outcome.points.base == 30)
        #expect(outcome.notifications.contains("points.spent"))
    }

    @Test func aRedemptionOutsideItsSharesOrBeyondTheBalanceIsRefused() {
        #expect(code { () throws(Refusal) in try purchase(401) } == "points.above-maximum-share") // 2,005,000 > 50 %
        #expect(code { () throws(Refusal) in try purchase(7) } == "points.below-minimum-share") // 35,000 < 1 %
        #expect(code { () throws(Refusal) in try purchase(0) } == "points.bad-amount")
        #expect(code { () throws(Refusal) in try purchase(-5) } == "points.bad-amount")
        #expect(code { () throws(Refusal) in try purchase(451, lines: [("bakery", 4_900_000)]) } == "points.insufficient")
        #expect(code { () throws(Refusal) in try purchase(450, lines: [("bakery", 4_900_000)]) } == nil)
        var program = try! Fixtures.example()
        program.points.redemption = nil
        let plain = LoyaltyEngine(program: program)
        var request = Fixtures.purchase(lines: [("bakery", 4_000_000)])
        request.redeemPoints = 10
        #expect(code { () throws(Refusal) in try plain.purchase(request, member: Fixtures.member(lots: lots)) } == "points.no-redemption")
    }

    @Test func expiredPointsCannotBeSpent() {
        var request = Fixtures.purchase(at: now.addingTimeInterval(11 * 86_400), lines: [("bakery", 4_000_000)])
        request.redeemPoints = 351 // 350 left once "soon" has expired
        #expect(code { () throws(Refusal) in try engine.purchase(request, member: Fixtures.member(lots: lots)) } == "points.insufficient")
    }

    @Test func aReturnGivesThePointsBackIntoTheirLotsAndThePartsAddUpExactly() throws {
        let member = Fixtures.member(lots: lots)
        let outcome = try purchase(200)
        var state = member
        state.lots = LotBook.apply(outcome.postings, to: member.lots, member: member.memberID, at: outcome.at)
        var history = ReturnHistory(lines: 1)
        var back: [Int64] = []
        let lotIDs = ["points": LoyaltyEngine.lot("p-1", "points"), "coins": LoyaltyEngine.lot("p-1", "coins"),
                      "credit": LoyaltyEngine.lot("p-1", "credit")]
        for (i, amount) in [Int64(1_333_333), 1_333_333, 1_333_334].enumerated() {
            let request = ReturnRequest(key: "r-\(i)", member: "m-1", branch: "br-tehran-1", at: now.addingTimeInterval(3_600),
                                        purchaseKey: "p-1", lines: [ReturnLine(line: 0, amount: Rial(amount))])
            let r = try engine.processReturn(request, purchase: outcome, purchaseLots: lotIDs, history: history, member: state)
            back.append(r.pointsGivenBack ?? 0)
            history = r.history
            state.lots = LotBook.apply(r.postings, to: state.lots, member: member.memberID, at: request.at)
        }
        #expect(back[0] == 67) // 66.67, rounded up in the member's favour
        #expect(back.reduce(0, +) == 200)
        // Every point is back in the lot it came from, and the awards are taken back.
        let remaining = Dictionary(uniqueKeysWithValues: state.lots.map { ($0.id.rawValue, $0.remaining) })
        #expect(remaining["soon"] == 100)
        #expect(remaining["later"] == 300)
        #expect(remaining["never"] == 50)
        #expect(LotBook.available(state.lots, .points, at: now.addingTimeInterval(3_600)) == 450)
    }

    @Test func theProgramsRedemptionRulesAreValidated() throws {
        let data = try Fixtures.exampleJSON { program in
            var points = program["points"] as! [String: Any]
            points["redemption"] = ["rate": ["rial": 0, "points": 1], "minShare": 60, "maxShare": 50]
            program["points"] = points
        }
        do {
            _ = try ProgramLoader.load(data)
            Issue.record("accepted")
        } catch {
            #expect(Set(error.issues.map(\.path)) == ["points.redemption.rate.rial", "points.redemption.minShare"], "\(error.issues)")
        }
    }
}
