import Foundation
import KioskCore
import Testing
@testable import KioskEngine

@Suite("Expiry, gift credit grants, the catalogue, enrollment")
struct LotsAndGrantsTests {
    let engine: LoyaltyEngine
    let now = Fixtures.tehranTime(2026, 11, 24, 10)

    init() throws { engine = LoyaltyEngine(program: try Fixtures.example()) }

    @Test func aPointsLotExpiresAtTheEndOfItsLastDayInTehran() throws {
        let outcome = try engine.purchase(Fixtures.purchase(lines: [("produce", 1_000_000)]), member: Fixtures.member())
        let lot = try #require(outcome.postings.first { $0.account == .points })
        // 365 days after 24 November 2026: the lot lasts through 24 November 2027.
        #expect(lot.expiresAt == Fixtures.tehranTime(2027, 11, 25, 0))
    }

    @Test func theSweepExpiresWhatIsLeftAndTheReminderListsWhatExpiresSoon() throws {
        let lots = [
            Lot(id: "old", account: .points, remaining: 40, createdAt: now.addingTimeInterval(-1_000), expiresAt: now.addingTimeInterval(-1)),
            Lot(id: "soon", account: .points, remaining: 30, createdAt: now, expiresAt: now.addingTimeInterval(3 * 86_400)),
            Lot(id: "later", account: .points, remaining: 20, createdAt: now, expiresAt: now.addingTimeInterval(30 * 86_400)),
            Lot(id: "spent", account: .points, remaining: 0, createdAt: now, expiresAt: now.addingTimeInterval(-5)),
        ]
        let member = Fixtures.member(lots: lots)
        let sweep = engine.sweepExpired(member, at: now)
        #expect(sweep.postings == [Posting(member: "m-1", account: .points, amount: -40, lot: "old", reason: "expiry")])
        #expect(engine.expiringSoon(member, within: 7, at: now).map(\.lot) == ["soon"])
    }

    @Test func giftCreditIsGrantedOnlyOnItsDayWithItsLimits() throws {
        var member = Fixtures.member(birthday: "1990-11-24")
        let birthday = try engine.grantGiftCredit(occasion: "birthday", key: "g-1", member: member, at: now)
        #expect(birthday.amount == Rial(500_000))
        #expect(birthday.postings.first?.expiresAt == Fixtures.tehranTime(2026, 12, 25, 0))
        member.birthday = LocalDate.parse("1990-11-25")
        #expect(throws: Refusal.self) { try engine.grantGiftCredit(occasion: "birthday", key: "g-2", member: member, at: now) }
        let apology = try engine.grantGiftCredit(occasion: "apology", key: "g-3", member: member, at: now)
        #expect(apology.restrictions == LotRestrictions(branches: ["br-tehran-1", "br-tehran-2"]))
        var persian = Calendar(identifier: .persian)
        persian.timeZone = Fixtures.tehran
        let yalda = persian.date(from: DateComponents(year: 1405, month: 9, day: 30, hour: 20))!
        let holiday = try engine.grantGiftCredit(occasion: "yalda", key: "g-4", member: member, at: yalda)
        #expect(holiday.restrictions?.productGroups == ["bakery", "produce"])
    }

    @Test func aGiftRequestDeductsTheCostAndACancellationGivesItBack() throws {
        let member = Fixtures.member(lots: [Lot(id: "c", account: .coins, remaining: 50, createdAt: now)])
        let request = try engine.requestGift("mug", key: "c-1", member: member, at: now, stockLeft: 3)
        #expect(request.postings.map(\.amount) == [-40])
        #expect(request.status == "pending")
        let cancel = try engine.cancelGift(request)
        #expect(cancel.postings.map(\.amount) == [40])
        #expect(throws: Refusal.self) { try engine.requestGift("mug", key: "c-2", member: member, at: now, stockLeft: 0) }
        #expect(throws: Refusal.self) { try engine.requestGift("cinema", key: "c-3", member: member, at: now, stockLeft: 3) }
    }

    @Test func enrollmentGivesWelcomePointsAndTheRefereeBonus() throws {
        let plain = try engine.enroll(EnrollmentRequest(key: "e-1", member: "m-2", branch: "br-tehran-1", operatorID: "op-1", at: now))
        #expect(plain.welcomePoints == 50)
        #expect(plain.tier == "bronze")
        #expect(plain.commission == Commission(operatorID: "op-1", amount: Rial(50_000), member: "m-2"))
        let invited = try engine.enroll(EnrollmentRequest(key: "e-2", member: "m-3", branch: "br-tehran-1", at: now, referredBy: "m-2"))
        #expect(invited.welcomePoints == 70)
        #expect(invited.referral == nil) // this program pays the referrer at the first purchase
    }
}
