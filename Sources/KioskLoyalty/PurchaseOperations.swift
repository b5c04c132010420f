import Foundation
import GRDB
import KioskCore
import KioskEngine
import KioskStore

extension LoyaltyService {
    /// Records a purchase: the engine's decision (offers, voucher, payments, awards, tier, visit,
    /// raffle entries, referral, commission) committed in one transaction. A retry with the same
    /// key returns the first outcome and writes nothing.
    @discardableResult
    public func purchase(_ request: PurchaseRequest) throws(LoyaltyError) -> Committed<PurchaseOutcome> {
        let requestData = try Self.encode(request)
        if let done = try previous(request.key, request: requestData, as: PurchaseOutcome.self) { return done }
        return try recordingRefusal(request.key, request: requestData, at: request.at) { () throws(LoyaltyError) -> Committed<PurchaseOutcome> in
        try retryingStale { () throws(LoyaltyError) -> Committed<PurchaseOutcome> in
            let member = try state(of: request.member, at: request.at, lots: Self.lotsSpent(by: request))
            let voucher = try voucherContext(request.voucherCode, member: request.member)
            let outcome = try refusing { () throws(Refusal) in try engine.purchase(request, member: member, voucher: voucher) }
            let voucherData = try voucher.map { v throws(LoyaltyError) in try Self.encode(v.definition) }
            return try commit(Operation(
                kind: "purchase", key: request.key, member: request.member, branch: request.branch, operatorID: request.operatorID,
                at: request.at, request: requestData, outcome: outcome, postings: outcome.postings, eventType: "purchase.recorded",
                also: { db, tx, _ in
                    try KioskStore.recordPurchase(key: request.key, member: request.member, transaction: tx, at: request.at, in: db)
                    try KioskStore.markPurchased(request.member, birthdayBonusYear: outcome.birthdayBonusYear, in: db)
                    // Offers on the visit count were decided on `member.visits`: a purchase or a
                    // return committed since then makes this decision stale (retried afresh).
                    try KioskStore.guardVisits(request.member, expected: member.visits, in: db)
                    try KioskStore.recordVisit(request.member, delta: 1, transaction: tx, at: request.at, in: db)
                    try KioskStore.recordTierActivity(request.member, amount: outcome.tierDelta, transaction: tx, at: request.at, in: db)
                    try KioskStore.setTier(request.member, from: member.tier, to: outcome.tierAfter, transaction: tx, at: request.at, in: db)
                    for (raffle, entries) in outcome.raffleEntries.sorted(by: { $0.key < $1.key }) {
                        try KioskStore.addRaffleEntries(raffle, member: request.member, entries: entries, transaction: tx, at: request.at, in: db)
                    }
                    if let applied = outcome.voucher, let voucher, let voucherData {
                        try KioskStore.redeemVoucher(code: applied.code, definition: voucherData, maxUses: voucher.totalLimit,
                                                     perMemberLimit: voucher.definition.perMemberLimit, member: request.member,
                                                     transaction: tx, at: request.at, in: db)
                    }
                    for (account, settled) in outcome.debtSettled.sorted(by: { $0.key < $1.key }) {
                        if let account = Account(rawValue: account) {
                            try KioskStore.addDebt(request.member, account: account, amount: -settled, transaction: tx, at: request.at, in: db)
                        }
                    }
                    if let item = outcome.voucher?.giftItem {
                        // A gift voucher: the item leaves the stock and waits to be handed over.
                        try KioskStore.takeStock(item, in: db)
                        let gift = CatalogueOutcome(item: item, costCoins: 0, costCredit: .zero, status: "pending", postings: [])
                        try KioskStore.recordCatalogueRequest(key: "\(request.key)/gift", member: request.member, item: item,
                                                              outcome: try Self.encoder.encode(gift), transaction: tx, at: request.at, in: db)
                    }
                    if let commission = outcome.commission {
                        try KioskStore.recordCommission(operatorID: commission.operatorID, member: commission.member,
                                                        amount: commission.amount.amount, transaction: tx, at: request.at, in: db)
                    }
                }))
        }
        }
    }

    /// The lots a purchase can spend from: credit and points up to what it asks to pay or redeem,
    /// in spending order, and every gift credit lot when it pays with gift credit (which lots are
    /// eligible depends on their restrictions). Nothing else of the member's lots is read, so a
    /// purchase costs the same however many lots the member has collected.
    public static func lotsSpent(by request: PurchaseRequest) -> LotSelection {
        var covering: [Account: Int64] = [:]
        if let credit = request.payWithCredit, credit.amount > 0 { covering[.credit] = credit.amount }
        if let points = request.redeemPoints, points > 0 { covering[.points] = points }
        let gift = (request.payWithGiftCredit?.amount ?? 0) > 0
        return LotSelection(whole: gift ? [.giftCredit] : [], covering: covering, at: request.at)
    }

    /// The voucher a code names: a generated code in the store, or a shared code of the program.
    func voucherContext(_ code: String?, member: MemberID) throws(LoyaltyError) -> VoucherContext? {
        guard let code else { return nil }
        do {
            if let (stored, mine) = try store.voucher(code, member: member), stored.template != nil {
                let definition = try Self.decoder.decode(VoucherDefinition.self, from: stored.definition)
                var context = VoucherContext(code: stored.code, definition: definition, usesTotal: stored.uses, usesByMember: mine,
                                             issuedTo: stored.issuedTo, validFrom: stored.validFrom, validUntil: stored.validUntil)
                context.definition.totalLimit = stored.maxUses
                return context
            }
            guard let shared = program.vouchers?.codes?.first(where: { $0.code.uppercased() == code.uppercased() }) else { return nil }
            let mine = try store.voucher(shared.code, member: member)?.usesByMember ?? 0
            return VoucherContext(code: shared.code, definition: shared, usesTotal: try store.voucherUses(shared.code), usesByMember: mine)
        } catch let error as StoreError {
            throw .store(error)
        } catch {
            throw .store(StoreError(.corrupt, "voucher \(code) cannot be read: \(error)"))
        }
    }
}
