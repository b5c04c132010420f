import Foundation
import KioskCore
import KioskEngine
import KioskLoyalty
import KioskStore
import Testing

/// A decision is made against the member's lots as of the event's own time: a lot awarded by a
/// later-dated operation (a kiosk clock stepped back, an offline backlog replayed out of order)
/// cannot pay for an earlier-dated one.
@Suite("The state as of the event")
struct AsOfTests {
    @Test func creditEarnedByALaterDatedPurchaseCannotPayForAnEarlierOne() throws {
        let t = try TestStore()
        defer { t.cleanUp() }
        _ = try t.enroll("m-1")
        let earned = TestStore.at(2026, 11, 10)
        _ = try t.service.purchase(t.purchase("p-later", "m-1", at: earned, lines: [("bakery", 90_000_000)]))
        let credit = try t.store.balances(of: "m-1").credit.amount
        try #require(credit >= 100_000)
        func code(_ key: String, at: Date) -> String? {
            do {
                _ = try t.service.purchase(t.purchase(key, "m-1", at: at, lines: [("dairy", 2_000_000)], credit: 100_000))
                return nil
            } catch {
                return error.code
            }
        }
        #expect(code("p-before", at: TestStore.at(2026, 11, 3)) == "payment.credit-insufficient")
        #expect(code("p-after", at: earned.addingTimeInterval(60)) == nil)
        // The same holds for a spin's coins and a gift's price.
        var random = SeededRandom(seed: 3)
        do {
            _ = try t.service.spin(key: "s-before", member: "m-1", branch: "br-tehran-1", at: TestStore.at(2026, 11, 3), random: &random)
            Issue.record("a spin dated before the coins were earned was accepted")
        } catch {
            #expect(error.code == "wheel.insufficient-coins")
        }
    }
}
