import Foundation
import KioskCore
import KioskEngine

/// libFuzzer's entry point: any bytes are either a program or a `ProgramError` with at least one
/// issue; a program that loads then decides a purchase and a return of half of it, which must
/// not trap (a refusal is fine). A crash, a hang (libFuzzer's -timeout) or an empty refusal is a
/// finding.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzProgramLoader(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    let data = Data(bytes: start, count: count)
    let program: Program
    do {
        program = try ProgramLoader.load(data)
    } catch {
        if error.issues.isEmpty { fatalError("a refusal without an issue") }
        return 0
    }
    let engine = LoyaltyEngine(program: program)
    let at = Date(timeIntervalSince1970: 1_795_000_000)
    let member = MemberState(memberID: MemberID(rawValue: "m-1"), enrolledAt: at.addingTimeInterval(-86_400 * 400),
                             birthday: LocalDate.parse("1990-11-24"), tier: program.tiers?.levels.first?.name)
    let lines = program.productGroups.prefix(3).map { PurchaseLine(productGroup: $0, amount: Rial(8_765_000)) }
    let request = PurchaseRequest(key: "p-1", member: member.memberID, branch: BranchID(rawValue: program.branches?.first ?? "b"),
                                  at: at, lines: lines, voucherCode: nil, payWithCredit: nil, payWithGiftCredit: nil)
    guard let purchase = try? engine.purchase(request, member: member) else { return 0 }
    var after = member
    after.lots = LotBook.apply(purchase.postings, to: member.lots, member: member.memberID, at: at)
    let returned = ReturnRequest(key: "r-1", member: member.memberID, branch: request.branch, at: at.addingTimeInterval(86_400),
                                 purchaseKey: "p-1", lines: purchase.lines.indices.map { ReturnLine(line: $0, amount: Rial(4_382_500)) })
    _ = try? engine.processReturn(returned, purchase: purchase, purchaseLots: [:], history: ReturnHistory(lines: lines.count), member: after)
    return 0
}
