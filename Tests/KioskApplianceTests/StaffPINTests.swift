@testable import KioskAppliance
import KioskSession
import Testing

@Suite struct StaffPINTests {
    @Test func aPINVerifiesAgainstItsHashAndNoOtherDoes() throws {
        let stored = try StaffPIN.hash(PIN(digits: [1, 2, 3, 4]))
        #expect(StaffPIN.verify(PIN(digits: [1, 2, 3, 4]), against: stored))
        #expect(!StaffPIN.verify(PIN(digits: [1, 2, 3, 5]), against: stored))
        #expect(!StaffPIN.verify(PIN(digits: [1, 2, 3, 4, 0]), against: stored))
        #expect(!stored.contains("1234"), "the PIN is not in its hash")
        #expect(stored.hasPrefix("pbkdf2-sha256$210000$"))
    }

    @Test func twoHashesOfOnePINDifferByTheirSalt() throws {
        #expect(try StaffPIN.hash(PIN(digits: [0, 0, 0, 0])) != StaffPIN.hash(PIN(digits: [0, 0, 0, 0])))
    }

    @Test func aHashTheKioskCannotReadVerifiesNothing() throws {
        let stored = try StaffPIN.hash(PIN(digits: [1, 2, 3, 4]))
        for broken in ["", "1234", "plain$1234", stored.replacingOccurrences(of: "$210000$", with: "$10$"),
                       stored.replacingOccurrences(of: "pbkdf2-sha256", with: "pbkdf2-sha1"), String(stored.dropLast(4))] {
            #expect(!StaffPIN.verify(PIN(digits: [1, 2, 3, 4]), against: broken), "\(broken)")
        }
    }

    @Test func aPINIsFourToEightDigits() {
        #expect(throws: StaffPIN.Malformed.self) { try StaffPIN.hash(PIN(digits: [1, 2, 3])) }
        #expect(throws: StaffPIN.Malformed.self) { try StaffPIN.hash(PIN(digits: [1, 2, 3, 4, 5, 6, 7, 8, 9])) }
        #expect(throws: StaffPIN.Malformed.self) { try StaffPIN.hash(PIN(digits: [1, 2, 3, 10])) }
    }
}
