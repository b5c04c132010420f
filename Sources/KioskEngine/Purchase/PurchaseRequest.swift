import Foundation
import KioskCore

/// A purchase to evaluate: recorded by staff or claimed from a receipt.
public struct PurchaseRequest: Sendable, Hashable, Codable {
    /// The operation's idempotency key; lots created by the purchase are named after it.
    public var key: String
    public var member: MemberID
    public var branch: BranchID
    public var operatorID: OperatorID?
    public var at: Date
    public var lines: [PurchaseLine]
    /// A voucher code to redeem with the purchase.
    public var voucherCode: String?
    /// How much of the amount due to pay from wallet credit.
    public var payWithCredit: Rial?
    /// How much of the amount due to pay from gift credit (only where the grants' limits allow).
    public var payWithGiftCredit: Rial?
    /// How many points to spend as a discount (exactly; see `points.redemption`).
    public var redeemPoints: Int64?

    public init(key: String, member: MemberID, branch: BranchID, operatorID: OperatorID? = nil, at: Date,
                lines: [PurchaseLine], voucherCode: String? = nil, payWithCredit: Rial? = nil,
                payWithGiftCredit: Rial? = nil, redeemPoints: Int64? = nil) {
        self.key = key
        self.member = member
        self.branch = branch
        self.operatorID = operatorID
        self.at = at
        self.lines = lines
        self.voucherCode = voucherCode
        self.payWithCredit = payWithCredit
        self.payWithGiftCredit = payWithGiftCredit
        self.redeemPoints = redeemPoints
    }

    /// The gross subtotal: the sum of the lines.
    public var subtotal: Rial { Rial(lines.reduce(0) { $0 + $1.amount.amount }) }
}

/// A line of a purchase: an amount of one product group.
public struct PurchaseLine: Sendable, Hashable, Codable {
    public var productGroup: String
    /// The line's gross amount in Rial (price × quantity, before any discount).
    public var amount: Rial
    public var sku: String?

    public init(productGroup: String, amount: Rial, sku: String? = nil) {
        self.productGroup = productGroup
        self.amount = amount
        self.sku = sku
    }
}

/// A voucher as the store knows it at the moment of the purchase: its definition and its uses.
public struct VoucherContext: Sendable, Hashable, Codable {
    public var code: String
    public var definition: VoucherDefinition
    /// Uses so far, by everyone.
    public var usesTotal: Int
    /// Uses so far by this member.
    public var usesByMember: Int
    /// For a generated code: the member it was issued to (only they may use it).
    public var issuedTo: MemberID?
    /// For a generated code: its own validity (from its template's `validDays`).
    public var validFrom: Date?
    public var validUntil: Date?

    public init(code: String, definition: VoucherDefinition, usesTotal: Int, usesByMember: Int,
                issuedTo: MemberID? = nil, validFrom: Date? = nil, validUntil: Date? = nil) {
        self.code = code
        self.definition = definition
        self.usesTotal = usesTotal
        self.usesByMember = usesByMember
        self.issuedTo = issuedTo
        self.validFrom = validFrom
        self.validUntil = validUntil
    }

    /// The most uses the code allows in all; nil: unlimited.
    public var totalLimit: Int? { definition.totalLimit ?? (definition.kind == .unique ? 1 : nil) }
}

/// Why the engine refused an operation. A struct with an opaque code so that new reasons can be
/// added without breaking callers.
public struct Refusal: Error, Sendable, Hashable, Codable, CustomStringConvertible {
    /// A stable machine-readable reason, e.g. `voucher.exhausted`.
    public var code: String
    /// A sentence for people.
    public var message: String

    public init(_ code: String, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "\(message) [\(code)]" }
}
