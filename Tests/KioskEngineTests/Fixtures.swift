import Foundation
import KioskCore
@testable import KioskEngine

/// Shared test fixtures: the example program shipped in `kiosk/programs/`, a member, instants.
enum Fixtures {
    static let repositoryRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static var exampleData: Data {
        get throws { try Data(contentsOf: repositoryRoot.appendingPathComponent("kiosk/programs/example.json")) }
    }

    static func example() throws -> Program { try ProgramLoader.load(try exampleData) }

    /// The example program with a change applied to its JSON object.
    static func exampleJSON(_ change: (inout [String: Any]) -> Void) throws -> Data {
        var object = try JSONSerialization.jsonObject(with: try exampleData) as! [String: Any]
        change(&object)
        return try JSONSerialization.data(withJSONObject: object)
    }

    static let tehran = TimeZone(identifier: "Asia/Tehran")!

    /// An instant given as local time in Tehran.
    static func tehranTime(_ year: Int, _ month: Int, _ day: Int, _ hour: Int = 12, _ minute: Int = 0) -> Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = tehran
        return calendar.date(from: DateComponents(year: year, month: month, day: day, hour: hour, minute: minute))!
    }

    static func member(_ id: String = "m-1", birthday: String? = nil, groups: [String] = [], tier: String? = "bronze",
                       visits: Int64 = 0, lots: [Lot] = []) -> MemberState {
        MemberState(memberID: MemberID(rawValue: id), enrolledAt: tehranTime(2026, 1, 1),
                    birthday: birthday.flatMap(LocalDate.parse), customerGroups: groups, tier: tier, visits: visits,
                    lots: lots)
    }

    static func purchase(_ key: String = "p-1", member: String = "m-1", at: Date = tehranTime(2026, 11, 24, 10),
                         lines: [(String, Int64)], voucher: String? = nil, credit: Int64? = nil,
                         gift: Int64? = nil, branch: String = "br-tehran-1") -> PurchaseRequest {
        PurchaseRequest(key: key, member: MemberID(rawValue: member), branch: BranchID(rawValue: branch), at: at,
                        lines: lines.map { PurchaseLine(productGroup: $0.0, amount: Rial($0.1)) },
                        voucherCode: voucher, payWithCredit: credit.map(Rial.init), payWithGiftCredit: gift.map(Rial.init))
    }
}
