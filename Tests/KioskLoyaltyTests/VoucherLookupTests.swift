import Foundation
import KioskCore
import KioskEngine
import KioskLoyalty
import KioskStore
import Testing

/// A voucher scanned at the kiosk is checked as of the scan, as a purchase would check it.
@Suite struct VoucherLookupTests {
    @Test func aSharedCodeOfTheProgramIsFoundBeforeItsFirstUseAndCheckedByItsDays() throws {
        let t = try TestStore()
        defer { t.cleanUp() }
        // WELCOME10 (example program): valid 2026-01-01 to 2026-12-31, both days included, Tehran time.
        let inside = try #require(try t.service.lookUpVoucher("WELCOME10", at: TestStore.at(2026, 12, 31, 23, 30)))
        #expect(inside.usable, "\(String(describing: inside.unavailable))")
        #expect(inside.code == "WELCOME10" && inside.definition.percent != nil)
        #expect(inside.lastValidDay == TestStore.at(2026, 12, 31, 0, 0))
        #expect(try t.service.lookUpVoucher("welcome10", at: TestStore.at(2026, 6, 1))?.usable == true, "codes are read case-blind")
        #expect(try t.service.lookUpVoucher("WELCOME10", at: TestStore.at(2027, 1, 1, 0, 10))?.unavailable?.code == "voucher.expired")
        #expect(try t.service.lookUpVoucher("WELCOME10", at: TestStore.at(2025, 12, 31, 23, 50))?.unavailable?.code == "voucher.not-yet-valid")
        let open = try #require(try t.service.lookUpVoucher("FREESHIP", at: TestStore.at(2030, 1, 1)))
        #expect(open.usable && open.lastValidDay == nil, "a code without days never expires")
        #expect(try t.service.lookUpVoucher("NO-SUCH-CODE", at: TestStore.at(2026, 6, 1)) == nil)
    }

    @Test func aGeneratedCodeIsCheckedAtTheTimeAskedNotTheClockAndIsUsedUpByItsRedemption() throws {
        let t = try TestStore()
        defer { t.cleanUp() }
        try t.enroll("m-1")
        // Issued in the future of this machine's clock: a check against the wall clock would call
        // it valid at every instant asked here.
        let issuedAt = TestStore.at(2031, 3, 10, 15)
        var random = SeededRandom(seed: 7)
        let issued = try t.service.issueVoucher(template: "prize-50k", key: "v-1", member: "m-1", branch: "br-tehran-1",
                                                operatorID: "op-1", at: issuedAt, random: &random).outcome
        // validDays 30: usable through the 30th day after its issue, 2031-04-09, to its midnight.
        let lastDay = TestStore.at(2031, 4, 9, 0, 0)
        let before = try #require(try t.service.lookUpVoucher(issued.code, at: TestStore.at(2031, 4, 9, 23, 59)))
        #expect(before.usable, "\(String(describing: before.unavailable))")
        #expect(before.lastValidDay == lastDay)
        #expect(try t.service.lookUpVoucher(issued.code, at: TestStore.at(2031, 4, 10, 0, 0))?.unavailable?.code == "voucher.expired")
        #expect(try t.service.lookUpVoucher(issued.code, at: TestStore.at(2031, 3, 10, 14))?.unavailable?.code == "voucher.not-yet-valid")

        _ = try t.service.purchase(t.purchase("p-1", "m-1", at: TestStore.at(2031, 3, 11), lines: [("bakery", 2_000_000)], voucher: issued.code))
        #expect(try t.service.lookUpVoucher(issued.code, at: TestStore.at(2031, 3, 12))?.unavailable?.code == "voucher.exhausted")
    }
}
