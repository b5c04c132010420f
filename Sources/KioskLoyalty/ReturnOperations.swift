import Foundation
import GRDB
import KioskCore
import KioskEngine
import KioskStore

extension LoyaltyService {
    /// The lots a return of `purchase` can touch: those the purchase spent from and awarded
    /// (refunds and reversals go to them first), and, per account, the lots in spending order that
    /// cover what it awarded (a reversal takes back at most that, from the member's other lots when
    /// the award's own lot is spent). Nothing else of the member's lots is read.
    public static func lotsTouched(byReturnOf purchase: PurchaseOutcome, at: Date) -> LotSelection {
        var awarded: [Account: Int64] = [:]
        var named = Set<LotID>()
        for p in purchase.postings where p.member == purchase.member {
            if let lot = p.lot { named.insert(lot) }
            if p.amount > 0 && p.reason?.hasPrefix("award.") == true { awarded[p.account, default: 0] += p.amount }
        }
        for (account, settled) in purchase.debtSettled { if let account = Account(rawValue: account) { awarded[account, default: 0] += settled } }
        return LotSelection(covering: awarded, named: named, at: at)
    }

    /// The referrer's lots a full return can take their reward back from.
    static func lotsTouched(byReferralOf referral: ReferralPayout, purchaseKey: String, at: Date) -> LotSelection {
        LotSelection(covering: [.points: referral.points, .coins: referral.coins, .credit: referral.credit.amount].filter { $0.value > 0 },
                     named: Set(["referral-points", "referral-coins", "referral-credit"].map { LotID(rawValue: "\(purchaseKey)/\($0)") }), at: at)
    }

    /// Records a return of (part of) a purchase: refunds into the stored value it was paid
    /// with, and takes back the awards in proportion (see `LoyaltyEngine.processReturn`).
    @discardableResult
    public func returnPurchase(_ request: ReturnRequest) throws(LoyaltyError) -> Committed<ReturnOutcome> {
        let requestData = try Self.encode(request)
        if let done = try previous(request.key, request: requestData, as: ReturnOutcome.self) { return done }
        return try recordingRefusal(request.key, request: requestData, at: request.at) { () throws(LoyaltyError) -> Committed<ReturnOutcome> in
        try retryingStale { () throws(LoyaltyError) -> Committed<ReturnOutcome> in
            let stored = try storing { () throws(StoreError) in try store.loyaltyPurchase(request.purchaseKey) }
            let historyData = try storing { () throws(StoreError) in try store.returnHistory(ofPurchase: request.purchaseKey) }
            guard let stored else { throw .refused(Refusal("return.unknown-purchase", "no purchase \(request.purchaseKey)")) }
            let purchase: PurchaseOutcome
            let history: ReturnHistory
            do {
                purchase = try Self.decoder.decode(PurchaseOutcome.self, from: stored.outcome)
                history = try historyData.map { try Self.decoder.decode(ReturnHistory.self, from: $0) } ?? ReturnHistory(lines: purchase.lines.count)
            } catch {
                throw .store(StoreError(.corrupt, "the purchase \(request.purchaseKey) cannot be read: \(error)"))
            }
            if history.returnedGross == purchase.lines.map(\.gross.amount) {
                throw .refused(Refusal("return.more-than-bought", "the purchase \(request.purchaseKey) was already returned in full"))
            }
            let member = try state(of: request.member, at: request.at, lots: Self.lotsTouched(byReturnOf: purchase, at: request.at))
            var lots: [String: LotID] = [:]
            for p in purchase.postings where p.member == purchase.member && p.amount > 0 && p.reason?.hasPrefix("award.") == true {
                if let lot = p.lot { lots[p.account.rawValue] = lot }
            }
            var referrer: MemberState?
            if let referral = purchase.referral {
                referrer = try? state(of: referral.referrer, at: request.at, lots: Self.lotsTouched(byReferralOf: referral, purchaseKey: request.purchaseKey, at: request.at))
            }
            let outcome = try refusing { () throws(Refusal) in
                try engine.processReturn(request, purchase: purchase, purchaseLots: lots, history: history, member: member, referrer: referrer)
            }
            let clamp = (program.returns?.spentAwardPolicy ?? .allowNegative) == .clampAndRecordDebt
            return try commit(Operation(
                kind: "return", key: request.key, member: request.member, branch: request.branch, operatorID: request.operatorID,
                at: request.at, request: requestData, outcome: outcome, postings: outcome.postings, eventType: "return.recorded",
                also: { db, tx, _ in
                    try KioskStore.recordReturn(key: request.key, purchaseKey: request.purchaseKey, previousHistory: historyData,
                                                history: try Self.encoder.encode(outcome.history), fullyReturned: outcome.fullyReturned,
                                                transaction: tx, at: request.at, in: db)
                    try KioskStore.recordVisit(request.member, delta: outcome.visitsDelta, transaction: tx, at: request.at, in: db)
                    try KioskStore.recordTierActivity(request.member, amount: -outcome.tierDeltaReversed, transaction: tx, at: request.at, in: db)
                    try KioskStore.setTier(request.member, from: member.tier, to: outcome.tierAfter, transaction: tx, at: request.at, in: db)
                    for (raffle, entries) in outcome.raffleEntriesReversed.sorted(by: { $0.key < $1.key }) {
                        try KioskStore.addRaffleEntries(raffle, member: request.member, entries: -entries, transaction: tx, at: request.at, in: db)
                    }
                    if clamp {
                        for (account, amount) in outcome.shortfall.sorted(by: { $0.key < $1.key }) {
                            if let account = Account(rawValue: account) {
                                try KioskStore.addDebt(request.member, account: account, amount: amount, transaction: tx, at: request.at, in: db)
                            }
                        }
                        if let referrer = purchase.referral?.referrer {
                            for (account, amount) in outcome.referrerShortfall.sorted(by: { $0.key < $1.key }) {
                                if let account = Account(rawValue: account) {
                                    try KioskStore.addDebt(referrer, account: account, amount: amount, transaction: tx, at: request.at, in: db)
                                }
                            }
                        }
                    }
                    if outcome.fullyReturned, let voucher = purchase.voucher {
                        try KioskStore.releaseVoucher(code: voucher.code, in: db)
                    }
                    if outcome.fullyReturned, purchase.referral != nil || purchase.commission != nil {
                        // The first purchase is undone: its rewards go back and will be paid at the next one.
                        try KioskStore.resetFirstPurchase(request.member, in: db)
                        if let commission = purchase.commission {
                            try KioskStore.recordCommission(operatorID: commission.operatorID, member: commission.member,
                                                            amount: -commission.amount.amount, transaction: tx, at: request.at, in: db)
                        }
                    }
                }))
        }
        }
    }
}
