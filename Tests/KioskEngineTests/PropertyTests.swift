import Foundation
import KioskCore
import PropertyBased
import Testing
@testable import KioskEngine

@Suite("Properties of the pure engine over random inputs")
struct EnginePropertyTests {
    static let groups = ["dairy", "bakery", "produce", "beverages", "household"]
    let engine: LoyaltyEngine

    init() throws { engine = LoyaltyEngine(program: try Fixtures.example()) }

    /// Random purchase lines as (group index, amount): 1 to 4 lines, 1 Rial to 60,000,000 Rial each.
    static func lines(_ raw: [(Int, Int64)]) -> [(String, Int64)] { raw.map { (groups[$0.0], $0.1) } }

    private func apply(_ postings: [Posting], to member: MemberState, at: Date) -> MemberState {
        var m = member
        m.lots = LotBook.apply(postings, to: m.lots, member: m.memberID, at: at)
        for p in postings where p.member == m.memberID && p.lot == nil { m.unlotted[p.account, default: 0] += p.amount }
        return m
    }

    private func lots(_ key: String) -> [String: LotID] {
        ["points": LoyaltyEngine.lot(key, "points"), "coins": LoyaltyEngine.lot(key, "coins"), "credit": LoyaltyEngine.lot(key, "credit")]
    }

    @Test func aPurchaseFollowedByItsFullReturnLeavesBalancesAndTierAsBefore() async {
        await propertyCheck(count: 300, input: zip(Gen.int(in: 0...4), Gen.int64(in: 1...60_000_000)).array(of: 1...4),
                            Gen.int64(in: 0...20), Gen.int64(in: 0...3_000_000), Gen.int64(in: 0...60_000_000)) {
            raw, visits, credit, window in
            let lines = Self.lines(raw)
            let start = Fixtures.tehranTime(2026, 11, 24, 17)
            var member = Fixtures.member(birthday: "1990-11-24", groups: visits % 2 == 0 ? ["silver"] : [], visits: visits,
                                         lots: credit > 0 ? [Lot(id: "old-credit", account: .credit, remaining: credit, createdAt: start.addingTimeInterval(-1000))] : [])
            member.tierWindowTotal = window
            member.tier = engine.program.tiers?.tier(for: window)?.name
            let pay = min(credit, lines.reduce(0) { $0 + $1.1 } / 2)
            let request = Fixtures.purchase(at: start, lines: lines, credit: pay > 0 ? pay : nil)
            guard let purchase = try? engine.purchase(request, member: member) else {
                Issue.record("a valid purchase was refused")
                return
            }
            var after = apply(purchase.postings, to: member, at: start)
            after.tier = purchase.tierAfter
            after.tierWindowTotal += purchase.tierDelta
            let returnRequest = ReturnRequest(key: "r", member: "m-1", branch: "br-tehran-1", at: start.addingTimeInterval(3600),
                                              purchaseKey: "p-1", lines: lines.indices.map { ReturnLine(line: $0, amount: Rial(lines[$0].1)) })
            guard let back = try? engine.processReturn(returnRequest, purchase: purchase, purchaseLots: lots("p-1"),
                                                       history: ReturnHistory(lines: lines.count), member: after) else {
                Issue.record("a full return was refused")
                return
            }
            #expect(apply(back.postings, to: after, at: start).balances == member.balances)
            #expect(back.tierAfter == member.tier)
            #expect(back.refundInCash.amount + back.refundToCredit.amount + back.refundToGiftCredit.amount == purchase.due.amount)
        }
    }

    @Test func partialReturnsInAnyPiecesNeverLeaveTheMemberBetterOffAndAddUpToTheFullReturn() async {
        await propertyCheck(count: 200, input: zip(Gen.int(in: 0...4), Gen.int64(in: 1...60_000_000)).array(of: 1...4),
                            Gen.int(in: 2...5)) { raw, pieces in
            let lines = Self.lines(raw)
            let at = Fixtures.tehranTime(2026, 11, 24, 11)
            let member = Fixtures.member()
            guard let purchase = try? engine.purchase(Fixtures.purchase(at: at, lines: lines), member: member) else {
                Issue.record("a valid purchase was refused")
                return
            }
            var state = apply(purchase.postings, to: member, at: at)
            var history = ReturnHistory(lines: lines.count)
            var returnedPoints: Int64 = 0
            for piece in 1...pieces {
                // Return the i-th slice of every line (the last slice takes the remainder).
                let returnLines = lines.indices.compactMap { i -> ReturnLine? in
                    let gross = lines[i].1
                    let amount = piece == pieces ? gross - history.returnedGross[i] : gross / Int64(pieces)
                    return amount > 0 ? ReturnLine(line: i, amount: Rial(amount)) : nil
                }
                guard !returnLines.isEmpty else { continue }
                guard let back = try? engine.processReturn(
                    ReturnRequest(key: "r-\(piece)", member: "m-1", branch: "br-tehran-1", at: at, purchaseKey: "p-1", lines: returnLines),
                    purchase: purchase, purchaseLots: lots("p-1"), history: history, member: state) else {
                    Issue.record("a partial return was refused")
                    return
                }
                history = back.history
                state = apply(back.postings, to: state, at: at)
                returnedPoints += back.pointsReversed
                // Never better off: what is taken back is at least the returned share of what was awarded.
                let returnedGross = history.returnedGross.reduce(0, +)
                let subtotal = lines.reduce(0) { $0 + $1.1 }
                #expect(returnedPoints * subtotal >= purchase.points.total * returnedGross - subtotal * Int64(lines.count))
            }
            #expect(state.balances == member.balances)
        }
    }

    @Test func spreadingAnAmountOverWeightsIsExact() async {
        await propertyCheck(count: 500, input: Gen.int64(in: 0...1_000_000_000).array(of: 1...8), Gen.int64(in: 0...1_000_000)) { weights, permille in
            let sum = weights.reduce(0, +)
            let total = sum * permille / 1_000_000
            let parts = Allocation.proportional(total, over: weights)
            #expect(parts.reduce(0, +) == (sum > 0 ? total : 0))
            for (part, weight) in zip(parts, weights) { #expect(part >= 0 && part <= weight) }
        }
    }

    @Test func theWheelNeverAwardsAPrizeOutOfStockOrBudgetNorSpinsPastItsCaps() async {
        let rich = Fixtures.member(lots: [Lot(id: "c", account: .coins, remaining: 1_000_000, createdAt: Fixtures.tehranTime(2026, 1, 1))])
        await propertyCheck(count: 300, input: Gen.int(in: 0...6), Gen.int(in: 0...25), Gen.int64(in: 9_800_000...10_000_000),
                            Gen.int(in: 0...4), Gen.uint64()) { mugsWon, vouchersWon, spent, today, seed in
            let state = WheelState(spinsToday: today, spinsThisWeek: today, won: ["mug": mugsWon, "voucher-50k": vouchersWon],
                                   spent: ["credit-100k": spent])
            var random = SeededRandom(seed: seed)
            do {
                let outcome = try engine.spin(key: "s", member: rich, at: Fixtures.tehranTime(2026, 11, 24), state: state, random: &random)
                #expect(today < 3)
                if mugsWon >= 5 { #expect(outcome.segment != "mug") }
                if vouchersWon >= 20 { #expect(outcome.segment != "voucher-50k") }
                if spent + 100_000 > 10_000_000 { #expect(outcome.segment != "credit-100k") }
                #expect(LoyaltyEngine.verify(outcome.audit) == nil)
            } catch let refusal as Refusal {
                #expect(today >= 3)
                #expect(refusal.code == "wheel.daily-cap")
            } catch {
                Issue.record("unexpected \(error)")
            }
        }
    }
}
