import Foundation
import KioskCore
import Testing
@testable import KioskEngine

@Suite("The spin wheel: caps, stock, budget, fair and reproducible draws")
struct WheelTests {
    let engine: LoyaltyEngine
    let now = Fixtures.tehranTime(2026, 11, 24, 10)

    init() throws { engine = LoyaltyEngine(program: try Fixtures.example()) }

    private var richMember: MemberState {
        Fixtures.member(lots: [Lot(id: "c", account: .coins, remaining: 1_000_000, createdAt: Fixtures.tehranTime(2026, 1, 1))])
    }

    @Test func aSpinCostsCoinsAndItsAuditRecordReproducesTheDraw() throws {
        var random = SeededRandom(seed: 42)
        let outcome = try engine.spin(key: "s-1", member: richMember, at: now, state: WheelState(), random: &random)
        #expect(outcome.postings.first == Posting(member: "m-1", account: .coins, amount: -5, lot: "c", reason: "spend.wheel"))
        #expect(LoyaltyEngine.verify(outcome.audit) == nil)
        var tampered = outcome.audit
        tampered.segment = tampered.segment == "nothing" ? "mug" : "nothing"
        #expect(LoyaltyEngine.verify(tampered) != nil)
        // The same seed gives the same spin.
        var again = SeededRandom(seed: 42)
        #expect(try engine.spin(key: "s-1", member: richMember, at: now, state: WheelState(), random: &again) == outcome)
    }

    @Test func capsPerDayAndWeekAreEnforced() throws {
        var random = SeededRandom(seed: 1)
        #expect(throws: Refusal.self) {
            try engine.spin(key: "s", member: richMember, at: now, state: WheelState(spinsToday: 3, spinsThisWeek: 3), random: &random)
        }
        #expect(throws: Refusal.self) {
            try engine.spin(key: "s", member: richMember, at: now, state: WheelState(spinsToday: 0, spinsThisWeek: 10), random: &random)
        }
        _ = try engine.spin(key: "s", member: richMember, at: now, state: WheelState(spinsToday: 2, spinsThisWeek: 9), random: &random)
    }

    @Test func withoutEnoughCoinsTheWheelDoesNotSpin() throws {
        var random = SeededRandom(seed: 1)
        #expect(throws: Refusal.self) {
            try engine.spin(key: "s", member: Fixtures.member(), at: now, state: WheelState(), random: &random)
        }
    }

    @Test func aPrizeOutOfStockOrBudgetLeavesTheDraw() throws {
        let state = WheelState(won: ["mug": 5, "voucher-50k": 20], spent: ["credit-100k": 9_950_000])
        var random = SeededRandom(seed: 7)
        for i in 0..<2_000 {
            let outcome = try engine.spin(key: "s-\(i)", member: richMember, at: now, state: state, random: &random)
            #expect(!["mug", "voucher-50k", "credit-100k"].contains(outcome.segment))
            #expect(Set(outcome.audit.excluded.map(\.segment)) == ["mug", "voucher-50k", "credit-100k"])
        }
    }

    @Test func prizeFrequenciesMatchTheWeightsChiSquareAt99Percent() throws {
        var random = SeededRandom(seed: 2026)
        let spins = 20_000
        var counts: [String: Int] = [:]
        for i in 0..<spins {
            counts[try engine.spin(key: "s-\(i)", member: richMember, at: now, state: WheelState(), random: &random).segment, default: 0] += 1
        }
        let segments = engine.program.wheel!.segments
        let total = segments.reduce(0) { $0 + $1.weight }
        var chiSquare = 0.0 // statistics only; no balance is computed here
        for segment in segments {
            let expected = Double(spins) * Double(segment.weight) / Double(total)
            let observed = Double(counts[segment.id] ?? 0)
            chiSquare += (observed - expected) * (observed - expected) / expected
        }
        // 5 degrees of freedom: the 99 % critical value is 15.086.
        #expect(chiSquare < 15.086)
    }

    @Test func aVoucherPrizeGetsACodeDerivedFromTheRecordedWords() throws {
        var program = engine.program
        program.wheel?.segments = [WheelRules.Segment(id: "v", label: nil, weight: 1,
                                                      prize: .init(kind: .voucher, voucherTemplate: "prize-50k"))]
        var random = SeededRandom(seed: 3)
        let outcome = try LoyaltyEngine(program: program).spin(key: "s", member: richMember, at: now, state: WheelState(), random: &random)
        #expect(outcome.voucherCode?.count == 10)
        #expect(outcome.audit.voucherCode == outcome.voucherCode)
        #expect(LoyaltyEngine.verify(outcome.audit) == nil)
    }
}
