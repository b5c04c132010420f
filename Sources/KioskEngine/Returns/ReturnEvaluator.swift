import Foundation
import KioskCore

extension LoyaltyEngine {
    /// Evaluates a return against the purchase's stored outcome.
    ///
    /// Each award is taken back in proportion to what is returned, line by line (a line's points
    /// by its own rate and window; an offer's benefit by the lines the offer covered; cashback,
    /// coins and tier spend by the net amount), cumulatively over every return of the purchase,
    /// rounding down, in the member's favour: a partial return never takes back more than its
    /// exact share, and because each share is "owed by now minus taken so far" and the return
    /// that completes the purchase owes the whole award, the partial returns of a purchase add up
    /// to exactly what was awarded. Awards already spent are handled by the program's
    /// `returns.spentAwardPolicy`.
    ///
    /// - Parameter referrer: the referrer's state, when the purchase paid a referral reward.
    public func processReturn(_ request: ReturnRequest, purchase: PurchaseOutcome, purchaseLots: [String: LotID],
                              history: ReturnHistory, member: MemberState, referrer: MemberState? = nil) throws(Refusal) -> ReturnOutcome {
        guard request.member == purchase.member, member.memberID == purchase.member else {
            throw Refusal("return.wrong-member", "the purchase \(request.purchaseKey) belongs to another member")
        }
        if let days = program.returns?.windowDays, request.at > calendar.endOfDay(days, after: purchase.at) {
            throw Refusal("return.too-late", "returns are accepted for \(days) days after the purchase")
        }
        guard !request.lines.isEmpty else { throw Refusal("return.empty", "a return needs at least one line") }
        var returned = history.returnedGross
        for line in request.lines {
            guard purchase.lines.indices.contains(line.line) else {
                throw Refusal("return.unknown-line", "the purchase has no line \(line.line)")
            }
            guard line.amount.amount > 0 else { throw Refusal("return.bad-amount", "a returned amount must be greater than 0") }
            let (sum, overflow) = returned[line.line].addingReportingOverflow(line.amount.amount)
            returned[line.line] = sum
            guard !overflow, returned[line.line] <= purchase.lines[line.line].gross.amount else {
                throw Refusal("return.more-than-bought",
                              "line \(line.line): returning \(returned[line.line]) Rial in all is more than the \(purchase.lines[line.line].gross.amount) Rial bought")
            }
        }
        let lines = purchase.lines
        let full = zip(returned, lines).allSatisfy { $0 == $1.gross.amount }
        var taken = history.taken
        /// The share of `total` owed by now, by `weights` (one per line), minus what earlier
        /// returns took: rounded down for what is taken back from the member, up for what is
        /// given back to them (`roundUp`), so that either way the rounding is in their favour.
        func share(_ name: String, _ total: Int64, _ weights: [Int64], roundUp: Bool = false) -> Int64 {
            guard total > 0 else { return 0 }
            let all = weights.reduce(0, +)
            let scaled = roundUp ? Allocation.ceilScaled : Allocation.floorScaled
            let owed: Int64
            if full {
                owed = total
            } else if all > 0 {
                let returnedWeight = lines.indices.reduce(Int64(0)) {
                    $0 + scaled(weights[$1], returned[$1], lines[$1].gross.amount)
                }
                owed = min(total, scaled(total, returnedWeight, all))
            } else {
                owed = 0
            }
            let now = max(0, owed - (taken[name] ?? 0))
            taken[name] = (taken[name] ?? 0) + now
            return now
        }
        let net = lines.map(\.net.amount)
        func covered(_ groups: [String]?) -> [Int64] {
            lines.map { groups?.contains($0.productGroup) ?? true ? $0.gross.amount : 0 }
        }
        // Points: the rate share by each line's weight, offers by their lines, the bonus by net.
        var points = share("points.rate", purchase.points.base + purchase.points.windows + purchase.points.tier, lines.map(\.pointsWeight))
        for offer in purchase.appliedOffers where offer.extraPoints > 0 {
            points += share("points.offer:\(offer.offer)", offer.extraPoints, covered(offer.productGroups))
        }
        points += share("points.birthday", purchase.points.birthday, net)
        var coins = share("coins.rate", purchase.coins - purchase.appliedOffers.reduce(0) { $0 + $1.extraCoins }, net)
        for offer in purchase.appliedOffers where offer.extraCoins > 0 {
            coins += share("coins.offer:\(offer.offer)", offer.extraCoins, covered(offer.productGroups))
        }
        var credit = share("credit.cashback", purchase.cashback.amount, net)
        for offer in purchase.appliedOffers where offer.extraCredit.amount > 0 {
            credit += share("credit.offer:\(offer.offer)", offer.extraCredit.amount, covered(offer.productGroups))
        }
        let tierDelta = share("tier", purchase.tierDelta, net)
        var raffles: [String: Int64] = [:]
        for (raffle, entries) in purchase.raffleEntries.sorted(by: { $0.key < $1.key }) {
            let groups = program.raffles?.first { $0.id == raffle }?.productGroups
            let n = share("raffle:\(raffle)", entries, lines.indices.map { groups?.contains(lines[$0].productGroup) ?? true ? net[$0] : 0 })
            if n > 0 { raffles[raffle] = n }
        }

        // Money back: what was paid for the returned part, to gift credit first, then credit,
        // then cash (stored value is never turned into cash).
        let refundOwed = full ? purchase.due.amount
            : lines.indices.reduce(Int64(0)) { $0 + Allocation.floorScaled(net[$1], returned[$1], lines[$1].gross.amount) }
        let refundedBefore = (taken["refund.gift_credit"] ?? 0) + (taken["refund.credit"] ?? 0) + (taken["refund.cash"] ?? 0)
        var refundNow = max(0, refundOwed - refundedBefore)
        let toGift = min(refundNow, purchase.paidWithGiftCredit.amount - (taken["refund.gift_credit"] ?? 0))
        refundNow -= toGift
        let toCredit = min(refundNow, purchase.paidWithCredit.amount - (taken["refund.credit"] ?? 0))
        let toCash = refundNow - toCredit
        taken["refund.gift_credit", default: 0] += toGift
        taken["refund.credit", default: 0] += toCredit
        taken["refund.cash", default: 0] += toCash

        var postings: [Posting] = []
        // Points spent as a discount come back in proportion (rounded up), into the lots they
        // were spent from, latest-expiring first, with their own expiry.
        let pointsBefore = taken["refund.points"] ?? 0
        let pointsBack = share("refund.points", purchase.pointsRedeemed ?? 0, net, roundUp: true)
        postings += refundPostings(purchase, account: .points, reason: "spend.points", before: pointsBefore, now: pointsBack,
                                   member: member.memberID)
        // Refunds go back into the lots they were paid from, latest-expiring first.
        postings += refundPostings(purchase, account: .giftCredit, reason: nil, before: (taken["refund.gift_credit"] ?? 0) - toGift,
                                   now: toGift, member: member.memberID)
        postings += refundPostings(purchase, account: .credit, reason: nil, before: (taken["refund.credit"] ?? 0) - toCredit,
                                   now: toCredit, member: member.memberID)

        // Reversals: from the award's own lot first, then the member's other lots, then the policy.
        var lots = LotBook.apply(postings, to: member.lots, member: member.memberID, at: request.at)
        var shortfall: [String: Int64] = [:]
        for (account, amount) in [(Account.points, points), (.coins, coins), (.credit, credit)] where amount > 0 {
            let (taken, short) = takeBack(amount, of: account, ownLot: purchaseLots[account.rawValue], member: member, lots: &lots,
                                          at: request.at, reason: "return.\(account.rawValue)")
            postings += taken
            if short > 0 { shortfall[account.rawValue] = short }
        }
        // The referrer's first-purchase reward goes back with a full return, the same way.
        var referrerShortfall: [String: Int64] = [:]
        if full, let referral = purchase.referral, (taken["referral"] ?? 0) == 0 {
            let referrerState = referrer ?? MemberState(memberID: referral.referrer, enrolledAt: purchase.at)
            var referrerLots = referrerState.lots
            for (account, amount, name) in [(Account.points, referral.points, "referral-points"), (.coins, referral.coins, "referral-coins"),
                                            (.credit, referral.credit.amount, "referral-credit")] where amount > 0 {
                let (back, short) = takeBack(amount, of: account, ownLot: LoyaltyEngine.lot(request.purchaseKey, name), member: referrerState,
                                             lots: &referrerLots, at: request.at, reason: "return.referral")
                postings += back
                if short > 0 { referrerShortfall[account.rawValue] = short }
            }
            taken["referral"] = 1
        }

        // Tier: the spend leaves the window; a tier this purchase gave is taken back.
        var tierAfter = member.tier
        if let tiers = program.tiers, tierDelta > 0 {
            let reached = tiers.tier(for: member.tierWindowTotal - tierDelta)?.name
            let floor = max(tiers.rank(of: reached) ?? -1, tiers.rank(of: purchase.tierBefore) ?? -1)
            if let current = tiers.rank(of: member.tier), floor < current, floor >= 0 {
                tierAfter = tiers.levels[floor].name
            }
        }
        var newHistory = history
        newHistory.returnedGross = returned
        newHistory.taken = taken
        return ReturnOutcome(
            programVersion: program.version, purchaseKey: request.purchaseKey, refundToGiftCredit: Rial(toGift),
            refundToCredit: Rial(toCredit), refundInCash: Rial(toCash), pointsReversed: points, coinsReversed: coins,
            creditReversed: Rial(credit), pointsGivenBack: pointsBack > 0 ? pointsBack : nil, shortfall: shortfall, referrerShortfall: referrerShortfall, tierDeltaReversed: tierDelta,
            raffleEntriesReversed: raffles, visitsDelta: full ? -1 : 0, fullyReturned: full,
            tierBefore: member.tier, tierAfter: tierAfter, history: newHistory, postings: postings)
    }

    /// Postings that put `now` of what the purchase spent from `account` back into the lots it
    /// was spent from, latest-expiring first, after the `before` that earlier returns put back:
    /// the cumulative amounts are allocated over the lots, so no lot ever gets back more than
    /// was spent from it, however many partial returns there are.
    func refundPostings(_ purchase: PurchaseOutcome, account: Account, reason: String?, before: Int64, now: Int64,
                        member: MemberID) -> [Posting] {
        guard now > 0 else { return [] }
        let spends = purchase.postings.filter {
            $0.member == member && $0.account == account && $0.amount < 0 && (reason == nil || $0.reason == reason)
        }
        var postings: [Posting] = []
        var skip = before, left = now
        for spend in spends.reversed() where left > 0 {
            var room = -spend.amount
            let skipped = min(skip, room)
            skip -= skipped
            room -= skipped
            let back = min(left, room)
            guard back > 0 else { continue }
            postings.append(Posting(member: member, account: account, amount: back, lot: spend.lot, reason: "refund.\(account.rawValue)"))
            left -= back
        }
        return postings
    }

    /// Takes `amount` of `account` back from a member: from the award's own lot first, then from
    /// their other lots in spending order; what is left (spent already) is the shortfall, posted
    /// outside any lot under `allowNegative` (the balance goes below zero) and only returned
    /// under `clampAndRecordDebt` (the caller records it as a debt).
    func takeBack(_ amount: Int64, of account: Account, ownLot: LotID?, member: MemberState, lots: inout [Lot], at: Date,
                  reason: String) -> (postings: [Posting], shortfall: Int64) {
        var postings: [Posting] = []
        var left = amount
        if let ownLot, let lot = lots.first(where: { $0.id == ownLot }), lot.remaining > 0 {
            let take = min(left, lot.remaining)
            let own = Posting(member: member.memberID, account: account, amount: -take, lot: ownLot, reason: reason)
            postings.append(own)
            lots = LotBook.apply([own], to: lots, member: member.memberID, at: at)
            left -= take
        }
        let available = LotBook.available(lots, account, at: at) + min(0, member.unlotted[account] ?? 0)
        let fromOthers = min(left, max(0, available))
        if fromOthers > 0, let draws = LotBook.draw(fromOthers, of: account, from: lots, at: at, member: member.memberID) {
            postings += draws.map { var p = $0; p.reason = reason; return p }
            lots = LotBook.apply(draws, to: lots, member: member.memberID, at: at)
            left -= fromOthers
        }
        if left > 0, (program.returns?.spentAwardPolicy ?? .allowNegative) == .allowNegative {
            postings.append(Posting(member: member.memberID, account: account, amount: -left, lot: nil, reason: "\(reason).negative"))
        }
        return (postings, left)
    }
}
