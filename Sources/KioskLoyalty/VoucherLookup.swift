import Foundation
import KioskCore
import KioskEngine

/// A voucher as a customer scanning it sees it: what it is, whether it can be used at the time of
/// the scan and, when not, why.
public struct VoucherLookup: Sendable, Hashable {
    public var code: String
    /// Its template (a generated code) or its program definition (a shared code).
    public var definition: VoucherDefinition
    /// The start of its last valid day in the program's time zone; nil when it does not expire.
    public var lastValidDay: Date?
    /// Why it cannot be used at the time asked: expired, not yet valid, used up. Nil when it can
    /// (who may use it and on what purchase is decided at the purchase).
    public var unavailable: Refusal?

    public var usable: Bool { unavailable == nil }
}

extension LoyaltyService {
    /// The voucher a scanned code names, a generated code in the store or a shared code of the
    /// program (which enters the store only at its first redemption), checked at `instant` as
    /// the engine checks it at a purchase. Nil for a code neither knows.
    public func lookUpVoucher(_ code: String, at instant: Date) throws(LoyaltyError) -> VoucherLookup? {
        // No member: the lookup is anonymous; only the per-member count depends on one.
        guard let context = try voucherContext(code, member: MemberID(rawValue: "-")) else { return nil }
        var unavailable: Refusal?
        do { try engine.checkAvailable(context, at: instant) } catch { unavailable = error }
        return VoucherLookup(code: context.code, definition: context.definition, lastValidDay: engine.lastValidDay(context),
                             unavailable: unavailable)
    }
}
