import Foundation
import KioskCentralAPI

/// The once-only keys an outbox event used, and the postings that undo what each gave, as the
/// central needs them to settle two kiosks that both decided alone (offline, or the central did
/// not answer in time). Pure: the event's id, type and body in.
///
/// - A receipt claim is committed under the key `receipt:<pos>:<receipt id>` (see
///   `LoyaltyService.claimReceipt`): its key is the event id, and losing it undoes every posting
///   the purchase made (points, coins, cashback).
/// - A purchase that applied a single-use voucher names it in `voucher.code`: losing it takes the
///   voucher's discount back from the member's credit.
public enum EventClaims {
    public struct Claim: Sendable, Hashable {
        public enum Kind: String, Sendable, Hashable { case receipt, voucher }
        public var kind: Kind
        public var key: String
        public var reversal: [Posting]

        public init(kind: Kind, key: String, reversal: [Posting]) {
            self.kind = kind
            self.key = key
            self.reversal = reversal
        }
    }

    public struct Posting: Sendable, Hashable {
        public var account: String
        public var amount: Int64

        public init(account: String, amount: Int64) {
            self.account = account
            self.amount = amount
        }
    }

    public static func claims(eventID: String, type: String, payload: Data) -> [Claim] {
        guard type == "purchase.recorded", let body = try? JSONReader.object(payload) else { return [] }
        return claims(eventID: eventID, type: type, body: body)
    }

    /// The claims of a body already read. A `purchase.recorded` body whose `postings` or
    /// `voucher` is not of the engine's shape claims nothing (as when it was decoded as
    /// `PurchaseBody`, which such a body failed).
    public static func claims(eventID: String, type: String, body: JSONObject) -> [Claim] {
        guard type == "purchase.recorded", let purchase = PurchaseBody(body) else { return [] }
        var claims: [Claim] = []
        if eventID.hasPrefix("receipt:") {
            let reversal = purchase.postings?.compactMap { p -> Posting? in
                p.amount == 0 ? nil : Posting(account: p.account, amount: -p.amount)
            } ?? []
            claims.append(Claim(kind: .receipt, key: eventID, reversal: reversal))
        }
        if let voucher = purchase.voucher {
            let reversal = voucher.discount > 0 ? [Posting(account: "credit", amount: -voucher.discount)] : []
            claims.append(Claim(kind: .voucher, key: voucher.code, reversal: reversal))
        }
        return claims
    }

    /// The parts of a `purchase.recorded` body (the engine's `PurchaseOutcome`) that matter here:
    /// nil when either is there but not of that shape (`null` counts as absent).
    private struct PurchaseBody {
        var postings: [(account: String, amount: Int64)]?
        var voucher: (code: String, discount: Int64)?

        init?(_ body: JSONObject) {
            switch body["postings"] {
            case nil, .null?: postings = nil
            case .array(let list)?:
                var read: [(account: String, amount: Int64)] = []
                for element in list {
                    guard case .object(let posting) = element, case .string(let account)? = posting["account"],
                          let amount = Self.integer(posting["amount"]) else { return nil }
                    read.append((account, amount))
                }
                postings = read
            default: return nil
            }
            switch body["voucher"] {
            case nil, .null?: voucher = nil
            case .object(let object)?:
                guard case .string(let code)? = object["code"], let discount = Self.integer(object["discount"]) else { return nil }
                voucher = (code, discount)
            default: return nil
            }
        }

        /// An Int64 as JSONDecoder reads one: an integer, or a number that is exactly one.
        static func integer(_ value: JSONValue?) -> Int64? {
            switch value {
            case .integer(let v)?: v
            case .number(let v)?: Int64(exactly: v)
            default: nil
            }
        }
    }
}
