import Foundation
import KioskCore
import KioskEngine
import KioskStore

/// A member's card replaced: the new card bound, every card they had before blocked.
public struct CardReplacementOutcome: Sendable, Hashable, Codable {
    public var member: MemberID
    public var card: CardID
    public var blocked: [CardID]
}

extension LoyaltyService {
    /// A manager's correction of a balance (`LoyaltyEngine.adjustBalance`), committed in one
    /// transaction with the manager in the audit log; idempotent by key, a refusal recorded
    /// under the key.
    @discardableResult
    public func adjustBalance(_ amount: Int64, of account: Account, reason: String, key: String, member: MemberID, branch: BranchID,
                              operatorID: OperatorID, at: Date) throws(LoyaltyError) -> Committed<BalanceAdjustmentOutcome> {
        struct Request: Codable { var amount: Int64; var account: Account; var reason: String; var member: MemberID; var at: Date }
        let requestData = try Self.encode(Request(amount: amount, account: account, reason: reason, member: member, at: at))
        if let done = try previous(key, request: requestData, as: BalanceAdjustmentOutcome.self) { return done }
        return try recordingRefusal(key, request: requestData, at: at) { () throws(LoyaltyError) -> Committed<BalanceAdjustmentOutcome> in
            try retryingStale { () throws(LoyaltyError) -> Committed<BalanceAdjustmentOutcome> in
                let covering = amount < 0 && amount != .min ? [account: -amount] : [:]
                let state = try state(of: member, at: at, lots: LotSelection(covering: covering, at: at))
                let outcome = try refusing { () throws(Refusal) in
                    try engine.adjustBalance(amount, of: account, reason: reason, key: key, member: state, at: at)
                }
                return try commit(Operation(
                    kind: "balance-adjustment", key: key, member: member, branch: branch, operatorID: operatorID, at: at,
                    request: requestData, outcome: outcome, postings: outcome.postings, eventType: "balance.adjusted",
                    also: { _, _, _ in }))
            }
        }
    }

    /// Hands out a pending gift request (`requestKey`, the key it was requested under): its
    /// status becomes fulfilled, naming this transaction. Nothing is paid again: the cost was
    /// taken at the request. Refused for an unknown request (`catalogue.unknown-request`), one of
    /// another member (`catalogue.not-this-member`: staff hand a gift to the member whose card
    /// they hold) and one that is not pending (`catalogue.not-pending`).
    @discardableResult
    public func fulfilGift(request requestKey: String, member: MemberID, key: String, branch: BranchID, operatorID: OperatorID,
                           at: Date) throws(LoyaltyError) -> Committed<CatalogueOutcome> {
        struct Request: Codable { var request: String; var member: MemberID; var at: Date }
        let requestData = try Self.encode(Request(request: requestKey, member: member, at: at))
        if let done = try previous(key, request: requestData, as: CatalogueOutcome.self) { return done }
        return try recordingRefusal(key, request: requestData, at: at) { () throws(LoyaltyError) -> Committed<CatalogueOutcome> in
            let stored = try storing { () throws(StoreError) in try store.catalogueRequest(requestKey) }
            guard let stored else { throw .refused(Refusal("catalogue.unknown-request", "no gift request \(requestKey)")) }
            guard stored.memberID == member else {
                throw .refused(Refusal("catalogue.not-this-member", "gift request \(requestKey) is another member's"))
            }
            guard stored.status == "pending" else {
                throw .refused(Refusal("catalogue.not-pending", "gift request \(requestKey) is \(stored.status)"))
            }
            _ = try state(of: member, at: at, lots: LotSelection(at: at))
            var outcome: CatalogueOutcome
            do { outcome = try Self.decoder.decode(CatalogueOutcome.self, from: stored.outcome) } catch {
                throw .store(StoreError(.corrupt, "gift request \(requestKey) cannot be read"))
            }
            outcome.status = "fulfilled"
            outcome.postings = []
            return try commit(Operation(
                kind: "gift-fulfilment", key: key, member: member, branch: branch, operatorID: operatorID, at: at,
                request: requestData, outcome: outcome, postings: [], eventType: "gift.fulfilled",
                also: { db, tx, _ in try KioskStore.fulfilCatalogueRequest(key: requestKey, transaction: tx, in: db) }))
        }
    }

    /// Replaces a member's card: `card` (blank, known to no one) is bound to them, with the card
    /// group of the card it replaces, and every card they had is blocked (`replaced`), in one
    /// transaction. Refused for a card already bound to anyone (`card.already-bound`).
    @discardableResult
    public func replaceCard(member: MemberID, with card: CardID, key: String, branch: BranchID, operatorID: OperatorID,
                            at: Date) throws(LoyaltyError) -> Committed<CardReplacementOutcome> {
        struct Request: Codable { var member: MemberID; var card: CardID; var at: Date }
        let requestData = try Self.encode(Request(member: member, card: card, at: at))
        if let done = try previous(key, request: requestData, as: CardReplacementOutcome.self) { return done }
        return try recordingRefusal(key, request: requestData, at: at) { () throws(LoyaltyError) -> Committed<CardReplacementOutcome> in
            _ = try state(of: member, at: at, lots: LotSelection(at: at))
            let (bound, old, group) = try storing { () throws(StoreError) -> (Bool, [CardID], String?) in
                let holder = try store.member(byCard: card)
                let staff = try store.staff(byCard: card)
                let old = try store.activeCards(of: member)
                var group: String?
                if let first = old.first { group = try store.member(byCard: first)?.cardGroup }
                return (holder != nil || staff != nil, old, group)
            }
            guard !bound else { throw .refused(Refusal("card.already-bound", "card \(card) is already bound")) }
            let outcome = CardReplacementOutcome(member: member, card: card, blocked: old)
            return try commit(Operation(
                kind: "card-replacement", key: key, member: member, branch: branch, operatorID: operatorID, at: at,
                request: requestData, outcome: outcome, postings: [], eventType: "card.replaced",
                also: { db, _, _ in
                    try KioskStore.insert(CardBinding(cardID: card, memberID: member, kind: "card", cardGroup: group), at: at, in: db)
                    for old in old { try KioskStore.blockCard(old, reason: "replaced", at: at, in: db) }
                }))
        }
    }
}

/// A purchase of a member's with something left to return.
public struct ReturnablePurchase: Sendable, Hashable {
    public var key: String
    public var at: Date
    /// What was bought (gross, before discounts).
    public var subtotal: Rial
    /// What is left to return (gross).
    public var left: Rial
}

extension LoyaltyService {
    /// A member's latest purchases (at most `limit` read, newest first) with something left to
    /// return.
    public func returnablePurchases(of member: MemberID, limit: Int = 9) throws(LoyaltyError) -> [ReturnablePurchase] {
        let rows = try storing { () throws(StoreError) in try store.recentPurchases(of: member, limit: limit) }
        var out: [ReturnablePurchase] = []
        for row in rows {
            let (purchase, history) = try decodePurchase(row.key, outcome: row.outcome, history: row.history)
            let bought = purchase.lines.reduce(Int64(0)) { $0 + $1.gross.amount }
            let returned = history.returnedGross.reduce(0, +)
            if bought > returned {
                out.append(ReturnablePurchase(key: row.key, at: row.at, subtotal: Rial(bought), left: Rial(bought - returned)))
            }
        }
        return out
    }

    /// Returns `amount` (gross) of a purchase, taken from its lines in order, each up to what is
    /// left of it; nil returns everything left. Refused beyond what is left (`return.more-than-bought`).
    @discardableResult
    public func returnAmount(_ amount: Rial?, ofPurchase purchaseKey: String, key: String, member: MemberID, branch: BranchID,
                             operatorID: OperatorID, at: Date) throws(LoyaltyError) -> Committed<ReturnOutcome> {
        let stored = try storing { () throws(StoreError) in try store.loyaltyPurchase(purchaseKey) }
        guard let stored else { throw .refused(Refusal("return.unknown-purchase", "no purchase \(purchaseKey)")) }
        let historyData = try storing { () throws(StoreError) in try store.returnHistory(ofPurchase: purchaseKey) }
        let (purchase, history) = try decodePurchase(purchaseKey, outcome: stored.outcome, history: historyData)
        var wanted = amount?.amount ?? Int64.max
        var lines: [ReturnLine] = []
        for (index, line) in purchase.lines.enumerated() where wanted > 0 {
            let left = line.gross.amount - (history.returnedGross.indices.contains(index) ? history.returnedGross[index] : 0)
            guard left > 0 else { continue }
            let take = min(left, wanted)
            lines.append(ReturnLine(line: index, amount: Rial(take)))
            wanted -= take
        }
        if let amount, wanted > 0 {
            throw .refused(Refusal("return.more-than-bought", "\(amount.amount) Rial is more than is left of purchase \(purchaseKey)"))
        }
        return try returnPurchase(ReturnRequest(key: key, member: member, branch: branch, operatorID: operatorID, at: at,
                                                purchaseKey: purchaseKey, lines: lines))
    }

    func decodePurchase(_ key: String, outcome: Data, history: Data?) throws(LoyaltyError) -> (PurchaseOutcome, ReturnHistory) {
        do {
            let purchase = try Self.decoder.decode(PurchaseOutcome.self, from: outcome)
            let past = try history.map { try Self.decoder.decode(ReturnHistory.self, from: $0) } ?? ReturnHistory(lines: purchase.lines.count)
            return (purchase, past)
        } catch {
            throw .store(StoreError(.corrupt, "purchase \(key) cannot be read: \(error)"))
        }
    }
}
