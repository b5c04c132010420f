import Foundation
import KioskCore

public struct CatalogueOutcome: Sendable, Hashable, Codable {
    public var item: String
    public var costCoins: Int64
    public var costCredit: Rial
    /// The price in points (absent in outcomes stored before points could pay).
    public var costPoints: Int64?
    /// `pending` after a request, `cancelled` after a cancellation.
    public var status: String
    public var postings: [Posting]

    public init(item: String, costCoins: Int64, costCredit: Rial, costPoints: Int64? = nil, status: String, postings: [Posting]) {
        self.item = item
        self.costCoins = costCoins
        self.costCredit = costCredit
        self.costPoints = costPoints
        self.status = status
        self.postings = postings
    }
}

extension LoyaltyEngine {
    /// A gift request: checks the display window and the stock, deducts the cost (coins or
    /// credit, soonest-expiring lots first). The store takes one from the stock in the same
    /// transaction and records a pending fulfilment.
    public func requestGift(_ itemID: String, key: String, member: MemberState, at: Date, stockLeft: Int?) throws(Refusal) -> CatalogueOutcome {
        guard let item = program.catalogue?.first(where: { $0.id == itemID }) else {
            throw Refusal("catalogue.unknown-item", "unknown catalogue item \"\(itemID)\"")
        }
        let day = calendar.localDate(at)
        if let from = item.displayFrom, day < from { throw Refusal("catalogue.not-shown", "\(item.title) is offered from \(from)") }
        if let until = item.displayUntil, day > until { throw Refusal("catalogue.not-shown", "\(item.title) was offered until \(until)") }
        if let left = stockLeft, left <= 0 { throw Refusal("catalogue.out-of-stock", "\(item.title) is out of stock") }
        let (account, cost) = item.cost
        let available = LotBook.available(member.lots, account, at: at) + min(0, member.unlotted[account] ?? 0)
        guard cost <= available, let draws = LotBook.draw(cost, of: account, from: member.lots, at: at, member: member.memberID) else {
            throw Refusal("catalogue.insufficient", "\(item.title) costs \(cost) \(account.rawValue); the member has \(max(0, available))")
        }
        return CatalogueOutcome(item: itemID, costCoins: item.costCoins ?? 0, costCredit: item.costCredit ?? .zero, costPoints: item.costPoints,
                                status: "pending", postings: draws.map { var p = $0; p.reason = "spend.catalogue"; return p })
    }

    /// Cancels a pending gift request: the cost goes back into the lots it was taken from (the
    /// store puts the item back in stock).
    public func cancelGift(_ request: CatalogueOutcome) throws(Refusal) -> CatalogueOutcome {
        guard request.status == "pending" else { throw Refusal("catalogue.not-pending", "the request is not pending") }
        var out = request
        out.status = "cancelled"
        out.postings = request.postings.map { var p = $0; p.amount = -p.amount; p.reason = "refund.catalogue"; return p }
        return out
    }
}

extension CatalogueItem {
    /// What the item costs, and from which account: coins, credit (Rial) or points.
    public var cost: (account: Account, amount: Int64) {
        if let coins = costCoins { return (.coins, coins) }
        if let points = costPoints { return (.points, points) }
        return (.credit, costCredit?.amount ?? 0)
    }
}
