import Foundation
import KioskCore
import KioskEngine
import KioskReceipts
import KioskStore

extension LoyaltyService {
    /// Claims a till receipt for `member`: the payload's signature is verified (`verifier`: the
    /// tills' public keys, and the old HMAC key during the transition), the claim rules are
    /// checked at `now` (see docs/receipts.md), and the receipt is committed as an ordinary
    /// purchase (its branch, lines and instant of issue; no operator, voucher or credit payment)
    /// under the key `receipt:<branch>:<pos>:<receipt id>`, so that points, coins, cashback, offers and
    /// visits apply exactly as for a purchase recorded by staff.
    ///
    /// A receipt is claimed once, ever: the same member scanning it again gets the first outcome
    /// (replayed, nothing written); another member is refused with `receipt.alreadyClaimed`.
    /// Every refusal writes nothing.
    @discardableResult
    public func claimReceipt(_ payload: String, member: MemberID, verifier: ReceiptVerifier, now: Date,
                             policy: ReceiptClaimPolicy = ReceiptClaimPolicy()) throws(LoyaltyError) -> Committed<PurchaseOutcome> {
        let receipt: Receipt
        do {
            receipt = try policy.verify(payload, verifier: verifier, now: Int64(now.timeIntervalSince1970.rounded(.down)))
        } catch {
            throw .refused(Refusal(error.code, error.description))
        }
        let request = Self.purchaseRequest(for: receipt, member: member)
        // A claim committed before the branch was part of the key, at this receipt's branch, stands:
        // its member gets it replayed, anyone else is refused, and it is never claimed again.
        let legacyKey = try Self.key(receipt.legacyClaimKey)
        let legacy: OperationOwner?
        do { legacy = try store.operationOwner(forKey: legacyKey) } catch { throw .store(error) }
        if let legacy, legacy.branch.rawValue == receipt.branch {
            guard legacy.member == member, legacy.kind == "purchase" else { throw Self.alreadyClaimed(receipt) }
            var old = request
            old.key = receipt.legacyClaimKey
            do { return try purchase(old) } catch {
                if case .store(let e) = error, e.code == .idempotencyConflict { throw Self.alreadyClaimed(receipt) }
                throw error
            }
        }
        let claimKey = try Self.key(request.key)
        let owner: OperationOwner?
        do { owner = try store.operationOwner(forKey: claimKey) } catch { throw .store(error) }
        if let owner, owner.member != member || owner.kind != "purchase" {
            throw Self.alreadyClaimed(receipt)
        }
        do {
            return try purchase(request)
        } catch {
            // Another member's claim committed between the read above and this commit.
            if case .store(let e) = error, e.code == .idempotencyConflict { throw Self.alreadyClaimed(receipt) }
            throw error
        }
    }

    /// The purchase a receipt claim commits for `member`.
    public static func purchaseRequest(for receipt: Receipt, member: MemberID) -> PurchaseRequest {
        PurchaseRequest(key: receipt.claimKey, member: member, branch: BranchID(rawValue: receipt.branch), operatorID: nil,
                        at: receipt.issuedDate,
                        lines: receipt.lines.map { PurchaseLine(productGroup: $0.productGroup, amount: Rial($0.amount)) })
    }

    static func alreadyClaimed(_ receipt: Receipt) -> LoyaltyError {
        .refused(Refusal("receipt.alreadyClaimed", "receipt \(receipt.receiptID) of \(receipt.pos) has already been claimed"))
    }
}
