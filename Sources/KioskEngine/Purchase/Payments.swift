import Foundation
import KioskCore

/// Paying part of a purchase from stored value.
extension LoyaltyEngine {
    /// Pays **at most** `wanted` Rial from gift credit: each grant (soonest-expiring first) pays
    /// only for the lines of its product groups, only at its branches, never more than is due.
    /// `wanted` is a maximum, never a reason to refuse the purchase: what the grants cannot pay
    /// here is left to wallet credit and cash, and `paid` (the outcome's `paidWithGiftCredit`)
    /// says what they paid.
    func payFromGiftCredit(_ wanted: Int64, due: Int64, net: [Int64], request: PurchaseRequest,
                           member: MemberState) -> (paid: Int64, postings: [Posting]) {
        let wanted = min(wanted, due)
        guard wanted > 0 else { return (0, []) }
        var unpaid = net
        var paid: Int64 = 0
        var postings: [Posting] = []
        for lot in LotBook.spendable(member.lots, .giftCredit, at: request.at) where paid < wanted {
            if let branches = lot.restrictions?.branches, !branches.contains(request.branch.rawValue) { continue }
            var take: Int64 = 0
            for i in unpaid.indices where unpaid[i] > 0 {
                if let groups = lot.restrictions?.productGroups, !groups.contains(request.lines[i].productGroup) { continue }
                let t = min(unpaid[i], lot.remaining - take, wanted - paid - take)
                guard t > 0 else { continue }
                unpaid[i] -= t
                take += t
            }
            if take > 0 {
                postings.append(Posting(member: member.memberID, account: .giftCredit, amount: -take, lot: lot.id, reason: "spend.gift_credit"))
                paid += take
            }
        }
        return (paid, postings)
    }

    /// Pays `wanted` Rial from wallet credit, soonest-expiring lot first, lots that never expire
    /// last. Refused beyond what is left to pay or what the member has.
    func payFromCredit(_ wanted: Int64, left: Int64, request: PurchaseRequest,
                       member: MemberState) throws(Refusal) -> (paid: Int64, postings: [Posting]) {
        guard wanted > 0 else { return (0, []) }
        guard wanted <= left else {
            throw Refusal("payment.more-than-due", "credit of \(wanted) Rial is more than the \(left) Rial left to pay")
        }
        let available = LotBook.available(member.lots, .credit, at: request.at) + min(0, member.unlotted[.credit] ?? 0)
        guard wanted <= available,
              let draws = LotBook.draw(wanted, of: .credit, from: member.lots, at: request.at, member: member.memberID) else {
            throw Refusal("payment.credit-insufficient", "the member has \(max(0, available)) Rial of credit, not \(wanted)")
        }
        return (wanted, draws.map { var p = $0; p.reason = "spend.credit"; return p })
    }
}
