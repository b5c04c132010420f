import Foundation
import KioskCore

extension LoyaltyEngine {
    /// Evaluates a purchase: offers (with the decision record), voucher, payments from gift
    /// credit and credit, and the awards (points, coins, cashback, offer credit), visits, tier,
    /// raffle entries, referral and commission. The order is documented in `docs/program.md`:
    ///
    /// 1. offer discounts, each a percentage of the gross amount of the lines it covers (offers
    ///    are valued and chosen on the gross amounts);
    /// 2. the voucher, a percentage of the gross subtotal (or a fixed amount), at most what is
    ///    left to pay;
    /// 3. points spent as a discount (`redeemPoints`, exactly, between the program's minimum and
    ///    maximum share of what is left to pay), soonest-expiring lots first;
    /// 4. gift credit, at most `payWithGiftCredit`, only on the lines and at the branches its
    ///    grants allow (never a refusal: what it cannot pay is left to the next steps);
    /// 5. wallet credit;
    /// 6. the rest in cash.
    ///
    /// Awards, the offers' extra credit and extra points by percent included, are computed on the
    /// net amounts (after offer discounts and the voucher), whatever pays them.
    public func purchase(_ request: PurchaseRequest, member: MemberState,
                         voucher: VoucherContext? = nil) throws(Refusal) -> PurchaseOutcome {
        do {
            return try evaluatePurchase(request, member: member, voucher: voucher)
        } catch let error as Refusal {
            throw error
        } catch let error as MoneyError {
            throw error.refusal
        } catch {
            throw Refusal("internal", "\(error)")
        }
    }

    /// The largest line a purchase may have: 10^15 Rial, far beyond any real purchase and far
    /// enough from the 64-bit limit that no percentage or sum can overflow.
    static let maximumLineAmount: Int64 = 1_000_000_000_000_000

    private func evaluatePurchase(_ request: PurchaseRequest, member: MemberState, voucher: VoucherContext?) throws -> PurchaseOutcome {
        guard request.member == member.memberID else {
            throw Refusal("purchase.wrong-member", "the purchase is for \(request.member), the state for \(member.memberID)")
        }
        guard !request.lines.isEmpty else { throw Refusal("purchase.empty", "a purchase needs at least one line") }
        guard request.lines.count <= 1_000 else { throw Refusal("purchase.too-many-lines", "a purchase has at most 1,000 lines") }
        for (i, line) in request.lines.enumerated() {
            guard line.amount.amount > 0 else {
                throw Refusal("purchase.bad-amount", "line \(i + 1): the amount must be greater than 0")
            }
            guard line.amount.amount <= Self.maximumLineAmount else {
                throw Refusal("purchase.bad-amount", "line \(i + 1): \(line.amount.amount) Rial is more than a kiosk accepts")
            }
            guard program.productGroups.contains(line.productGroup) else {
                throw Refusal("purchase.unknown-product-group", "line \(i + 1): unknown product group \"\(line.productGroup)\"")
            }
        }
        var subtotal = Rial.zero
        for line in request.lines { subtotal = try subtotal.adding(line.amount) }
        let context = ConditionContext(member: member, request: request, calendar: calendar, visits: member.visits + 1)

        // 1. Offers.
        // The closure captures the rates, not the engine: capturing `self` copied the whole engine
        // (the program and every array in it, retained and released) on each call.
        let rates = rates, baseRate = program.points.base
        let (chosen, applied) = try OfferEvaluator.evaluate(program.offers, program: program, context: context) { groups in
            var points: Int64 = 0
            for line in request.lines where groups?.contains(line.productGroup) ?? true {
                points += (rates[line.productGroup] ?? baseRate).award(for: line.amount)
            }
            return points
        }
        var net = request.lines.map(\.amount.amount)
        var appliedOffers = applied
        var offerDiscount: Int64 = 0
        for (k, offer) in appliedOffers.enumerated() where offer.discount.amount > 0 {
            let covered = request.lines.indices.filter { offer.productGroups?.contains(request.lines[$0].productGroup) ?? true }
            let capacity = covered.reduce(0) { $0 + net[$1] }
            let amount = min(offer.discount.amount, capacity)
            let parts = Allocation.proportional(amount, over: covered.map { net[$0] })
            for (j, i) in covered.enumerated() { net[i] -= parts[j] }
            offerDiscount += amount
            appliedOffers[k].discount = Rial(amount)
        }

        // 2. Voucher.
        var appliedVoucher: AppliedVoucher?
        if let code = request.voucherCode {
            guard let voucher, voucher.code.uppercased() == code.uppercased() else {
                throw Refusal("voucher.unknown", "unknown voucher code \(code)")
            }
            let v = try checkVoucher(voucher, request: request, member: member, subtotal: subtotal)
            var discount: Int64 = 0
            let left = net.reduce(0, +)
            switch v.benefit {
            case .percent:
                discount = try (v.percent ?? .zero).of(subtotal).amount
            case .amount:
                discount = v.amount?.amount ?? 0
            case .freeShipping, .gift:
                discount = 0
            }
            if let max = v.maxDiscount { discount = min(discount, max.amount) }
            discount = min(discount, left)
            let parts = Allocation.proportional(discount, over: net)
            for i in net.indices { net[i] -= parts[i] }
            appliedVoucher = AppliedVoucher(code: voucher.code, benefit: v.benefit, discount: Rial(discount),
                                            shippingWaived: v.benefit == .freeShipping ? v.shippingFee : nil,
                                            giftItem: v.benefit == .gift ? v.giftItem : nil)
        }
        // 3. Points spent as a discount, on what is left after the offers and the voucher.
        var postings: [Posting] = []
        var pointsSpent: (points: Int64, discount: Int64)?
        if let wanted = request.redeemPoints {
            let spent = try spendPoints(wanted, bill: net.reduce(0, +), request: request, member: member)
            let parts = Allocation.proportional(spent.discount, over: net)
            for i in net.indices { net[i] -= parts[i] }
            postings += spent.postings
            pointsSpent = (wanted, spent.discount)
        }
        let due = net.reduce(0, +)

        // Offer awards on the net amounts, like every other award.
        var decision = chosen
        try awardOffersOnNet(&appliedOffers, decision: &decision, request: request, net: net) { groups in
            var points: Int64 = 0
            for (i, line) in request.lines.enumerated() where groups?.contains(line.productGroup) ?? true {
                points += (rates[line.productGroup] ?? baseRate).award(for: Rial(net[i]))
            }
            return points
        }

        // 3. Gift credit, where its limits allow; 4. wallet credit.
        let gift = payFromGiftCredit(request.payWithGiftCredit?.amount ?? 0, due: due, net: net, request: request, member: member)
        postings += gift.postings
        let paidGift = gift.paid
        let credit = try payFromCredit(request.payWithCredit?.amount ?? 0, left: due - paidGift, request: request, member: member)
        postings += credit.postings
        let paidCredit = credit.paid

        // Awards on the net amounts.
        let tierLevel = program.tiers?.levels.first { $0.name == member.tier }
        var points = PointsBreakdown()
        let earned = earnedPoints(request: request, net: net, tierMultiplier: tierLevel?.pointsMultiplier)
        points.base = earned.base
        points.windows = earned.windowed - earned.base
        points.tier = earned.tiered - earned.windowed
        points.offers = appliedOffers.reduce(0) { $0 + $1.extraPoints }
        var birthdayYear: Int?
        if let bonus = program.points.birthday, bonus > 0, let birthday = member.birthday {
            let year = calendar.localDate(request.at).year
            if member.lastBirthdayBonusYear != year,
               calendar.isWithin(anniversary: birthday, daysBefore: 0, daysAfter: 6, of: request.at) {
                points.birthday = bonus
                birthdayYear = year
            }
        }
        let coins = (program.coins?.rate.award(for: Rial(due)) ?? 0) + appliedOffers.reduce(0) { $0 + $1.extraCoins }
        var cashbackPercent = program.cashback?.percent ?? .zero
        if let extra = tierLevel?.extraCashback { cashbackPercent = Percent(basisPoints: cashbackPercent.basisPoints + extra.basisPoints) }
        let cashback = try cashbackPercent.of(Rial(due))
        let offerCredit = appliedOffers.reduce(Int64(0)) { $0 + $1.extraCredit.amount }

        var debtSettled: [String: Int64] = [:]
        func award(_ account: Account, _ amount: Int64, _ name: String, _ rule: ExpiryRule?) {
            var amount = amount
            if let debt = member.debts[account], debt > 0, amount > 0 {
                let settle = min(debt, amount)
                debtSettled[account.rawValue] = settle
                amount -= settle
            }
            guard amount > 0 else { return }
            postings.append(Posting(member: member.memberID, account: account, amount: amount,
                                    lot: Self.lot(request.key, name), expiresAt: expiry(rule, from: request.at),
                                    reason: "award.\(account.rawValue)"))
        }
        award(.points, points.total, "points", program.points.expiry)
        award(.coins, coins, "coins", program.coins?.expiry)
        award(.credit, cashback.amount + offerCredit, "credit", program.cashback?.expiry)

        // Tier: upgrade at once, downgrade only at evaluation.
        var tierAfter = member.tier
        var tierDelta: Int64 = 0
        if let tiers = program.tiers {
            tierDelta = tiers.basis == .spend ? due : points.total
            let reached = tiers.tier(for: member.tierWindowTotal + tierDelta)?.name
            if (tiers.rank(of: reached) ?? -1) > (tiers.rank(of: member.tier) ?? -1) { tierAfter = reached }
        }

        // Raffle entries.
        var raffleEntries: [String: Int64] = [:]
        let day = calendar.localDate(request.at)
        for raffle in program.raffles ?? [] {
            guard let per = raffle.entryPerRial, per.amount > 0 else { continue }
            if let from = raffle.from, day < from { continue }
            if let until = raffle.until, day > until { continue }
            let base = request.lines.indices.filter { raffle.productGroups?.contains(request.lines[$0].productGroup) ?? true }
                .reduce(0) { $0 + net[$1] }
            let entries = base / per.amount
            if entries > 0 { raffleEntries[raffle.id] = entries }
        }

        // Referral and commission on the first purchase.
        var referral: ReferralPayout?
        if !member.hasPurchased, let referrer = member.referredBy, let rules = program.referral, rules.when == .firstPurchase {
            let payout = ReferralPayout(referrer: referrer, points: rules.referrerPoints ?? 0, coins: rules.referrerCoins ?? 0,
                                        credit: rules.referrerCredit ?? .zero)
            postings += referralPostings(payout, key: request.key, at: request.at)
            referral = payout
        }
        var commission: Commission?
        if !member.hasPurchased, let rules = program.staffCommission, rules.onFirstPurchase == true,
           let enroller = member.enrolledBy, rules.perEnrollment.amount > 0 {
            commission = Commission(operatorID: enroller, amount: rules.perEnrollment, member: member.memberID)
        }

        var notifications = ["transaction"]
        if !appliedOffers.isEmpty { notifications.append("offer.applied") }
        if coins > 0 { notifications.append("coins.earned") }
        if paidGift > 0 || paidCredit > 0 { notifications.append("credit.spent") }
        if pointsSpent != nil { notifications.append("points.spent") }
        if appliedVoucher != nil { notifications.append("voucher.used") }
        if tierAfter != member.tier { notifications.append("tier.upgraded") }

        let lineOutcomes = request.lines.indices.map { i in
            LineOutcome(productGroup: request.lines[i].productGroup, gross: request.lines[i].amount,
                        discount: Rial(request.lines[i].amount.amount - net[i]), net: Rial(net[i]),
                        pointsWeight: pointsWeight(line: request.lines[i], net: net[i], at: request.at))
        }
        return PurchaseOutcome(
            programVersion: program.version, member: member.memberID, branch: request.branch, at: request.at,
            subtotal: subtotal, lines: lineOutcomes, offerDiscount: Rial(offerDiscount), voucher: appliedVoucher,
            pointsRedeemed: pointsSpent?.points, pointsDiscount: pointsSpent.map { Rial($0.discount) },
            due: Rial(due), paidWithGiftCredit: Rial(paidGift), paidWithCredit: Rial(paidCredit),
            paidInCash: Rial(due - paidGift - paidCredit), points: points, coins: coins, cashback: cashback,
            offerCredit: Rial(offerCredit), decision: decision, appliedOffers: appliedOffers,
            visitsAfter: member.visits + 1, tierBefore: member.tier, tierAfter: tierAfter, tierDelta: tierDelta,
            raffleEntries: raffleEntries, referral: referral, commission: commission, birthdayBonusYear: birthdayYear,
            debtSettled: debtSettled, notifications: notifications, postings: postings)
    }
}
