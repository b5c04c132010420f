import Foundation
import KioskCore

extension LoyaltyEngine {
    /// Checks that a voucher can be redeemed with this purchase: validity window (program time
    /// zone, both days inclusive), the member it was issued to, minimum spend (on the gross
    /// subtotal), the per-member and total limits. The store enforces the limits again inside
    /// the committing transaction, so that two concurrent redemptions cannot both pass.
    public func checkVoucher(_ voucher: VoucherContext, request: PurchaseRequest, member: MemberState,
                             subtotal: Rial) throws(Refusal) -> VoucherDefinition {
        let v = voucher.definition
        let day = calendar.localDate(request.at)
        if let from = v.validFrom, day < from {
            throw Refusal("voucher.not-yet-valid", "voucher \(voucher.code) is valid from \(from)")
        }
        if let until = v.validUntil, day > until {
            throw Refusal("voucher.expired", "voucher \(voucher.code) expired on \(until)")
        }
        if let from = voucher.validFrom, request.at < from {
            throw Refusal("voucher.not-yet-valid", "voucher \(voucher.code) is not valid yet")
        }
        if let until = voucher.validUntil, request.at >= until {
            throw Refusal("voucher.expired", "voucher \(voucher.code) has expired")
        }
        if let owner = voucher.issuedTo, owner != member.memberID {
            throw Refusal("voucher.not-yours", "voucher \(voucher.code) was issued to another member")
        }
        if let min = v.minSpend, subtotal < min {
            throw Refusal("voucher.minimum-spend", "voucher \(voucher.code) needs a purchase of at least \(min.amount) Rial")
        }
        if let limit = v.perMemberLimit, voucher.usesByMember >= limit {
            throw Refusal("voucher.member-limit", "voucher \(voucher.code) was already used \(voucher.usesByMember) time(s) by this member (limit \(limit))")
        }
        if let limit = voucher.totalLimit, voucher.usesTotal >= limit {
            throw Refusal("voucher.exhausted", "voucher \(voucher.code) has been used up (limit \(limit))")
        }
        return v
    }
}
