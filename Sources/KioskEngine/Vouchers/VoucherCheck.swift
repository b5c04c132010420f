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
        try checkValidity(voucher, at: request.at)
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

    /// Checks what a voucher needs whoever presents it and whatever they buy: its validity window
    /// at `instant` and its total limit. The kiosk's voucher screen asks this with the time of the
    /// scan.
    public func checkAvailable(_ voucher: VoucherContext, at instant: Date) throws(Refusal) {
        try checkValidity(voucher, at: instant)
        if let limit = voucher.totalLimit, voucher.usesTotal >= limit {
            throw Refusal("voucher.exhausted", "voucher \(voucher.code) has been used up (limit \(limit))")
        }
    }

    /// The validity window at `instant`: the program's days (in its time zone, both inclusive)
    /// and a generated code's own window.
    func checkValidity(_ voucher: VoucherContext, at instant: Date) throws(Refusal) {
        let v = voucher.definition
        let day = calendar.localDate(instant)
        if let from = v.validFrom, day < from {
            throw Refusal("voucher.not-yet-valid", "voucher \(voucher.code) is valid from \(from)")
        }
        if let until = v.validUntil, day > until {
            throw Refusal("voucher.expired", "voucher \(voucher.code) expired on \(until)")
        }
        if let from = voucher.validFrom, instant < from {
            throw Refusal("voucher.not-yet-valid", "voucher \(voucher.code) is not valid yet")
        }
        if let until = voucher.validUntil, instant >= until {
            throw Refusal("voucher.expired", "voucher \(voucher.code) has expired")
        }
    }

    /// The start of the last day on which a voucher is valid (in the program's time zone), or nil
    /// when it does not expire: the day a screen shows after "valid until".
    public func lastValidDay(_ voucher: VoucherContext) -> Date? {
        let program = voucher.definition.validUntil.map { calendar.start(of: $0) }
        // A generated code's own end is exclusive (the midnight after its last day).
        let own = voucher.validUntil.map { calendar.startOfDay($0.addingTimeInterval(-1)) }
        switch (program, own) {
        case let (p?, o?): return min(p, o)
        case let (p, o): return p ?? o
        }
    }
}
