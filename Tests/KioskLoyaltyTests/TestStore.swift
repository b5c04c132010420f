import Foundation
import KioskCore
import KioskEngine
import KioskLoyalty
import KioskStore

/// A loyalty service on a real SQLite file in a fresh temporary directory, with the example
/// program, its branches and one cashier.
struct TestStore {
    let directory: URL
    let path: String
    let store: KioskStore
    let service: LoyaltyService

    static let repositoryRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func exampleProgram() throws -> Program {
        try ProgramLoader.load(try Data(contentsOf: repositoryRoot.appendingPathComponent("kiosk/programs/example.json")))
    }

    init(program: Program? = nil) throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("kiosk-loyalty-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        path = directory.appendingPathComponent("kiosk.sqlite").path
        store = try KioskStore(path: path)
        let program = try program ?? Self.exampleProgram()
        for branch in program.branches ?? [] { try store.upsertBranch(BranchID(rawValue: branch), name: branch) }
        try store.upsertOperator("op-1", displayName: "Cashier", role: .cashier, pinHash: nil, branchID: "br-tehran-1")
        service = try LoyaltyService(store: store, program: program, at: Self.at(2026, 1, 1))
    }

    /// A second store on the same file (another connection pool, like another process).
    func reopen(program: Program? = nil) throws -> LoyaltyService {
        try LoyaltyService(store: try KioskStore(path: path), program: program ?? service.program, at: Self.at(2026, 1, 1))
    }

    static func at(_ year: Int, _ month: Int, _ day: Int, _ hour: Int = 12, _ minute: Int = 0) -> Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "Asia/Tehran")!
        return calendar.date(from: DateComponents(year: year, month: month, day: day, hour: hour, minute: minute))!
    }

    @discardableResult
    func enroll(_ id: String, birthday: String? = nil, groups: [String] = [], referralCode: String? = nil,
                ownCode: String? = nil, at: Date = Self.at(2026, 1, 1)) throws -> Committed<EnrollmentOutcome> {
        try service.enroll(Enrollment(key: "enroll-\(id)", member: MemberID(rawValue: id), branch: "br-tehran-1", operatorID: "op-1",
                                      at: at, name: "Member \(id)", birthday: birthday, customerGroups: groups,
                                      referralCode: referralCode, ownReferralCode: ownCode, card: CardID(rawValue: "card-\(id)")))
    }

    func purchase(_ key: String, _ member: String, at: Date = Self.at(2026, 11, 24, 10), lines: [(String, Int64)],
                  voucher: String? = nil, credit: Int64? = nil, gift: Int64? = nil) -> PurchaseRequest {
        PurchaseRequest(key: key, member: MemberID(rawValue: member), branch: "br-tehran-1", operatorID: "op-1", at: at,
                        lines: lines.map { PurchaseLine(productGroup: $0.0, amount: Rial($0.1)) }, voucherCode: voucher,
                        payWithCredit: credit.map(Rial.init), payWithGiftCredit: gift.map(Rial.init))
    }

    func cleanUp() { try? FileManager.default.removeItem(at: directory) }
}

extension LoyaltyError {
    /// The refusal's code, or the store error's.
    var code: String {
        switch self {
        case .refused(let r): r.code
        case .store(let e): "store:\(e.code)"
        }
    }
}
