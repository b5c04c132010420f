import KioskCore

/// Finds every offer that applies to a purchase, values each in Rial, and chooses by the
/// program's policy: the single most valuable (`best`) or all of them within the caps (`stack`).
enum OfferEvaluator {
    /// - Parameter pointsOnGross: the points the purchase's lines of the given groups (nil: all)
    ///   earn at the base and group rates on their gross amounts; used by `extraPoints` percent.
    static func evaluate(_ rules: OfferRules?, program: Program, context: ConditionContext,
                         pointsOnGross: ([String]?) -> Int64) throws(MoneyError) -> (DecisionRecord, [AppliedOffer]) {
        guard let rules, !rules.list.isEmpty else { return (DecisionRecord(policy: rules?.policy ?? .best), []) }
        var decisions: [OfferDecision] = []
        decisions.reserveCapacity(rules.list.count)
        var pointsCache: [[String]?: Int64] = [:]
        let cachedPoints: ([String]?) -> Int64 = { groups in
            if let known = pointsCache[groups] { return known }
            let value = pointsOnGross(groups)
            pointsCache[groups] = value
            return value
        }
        var candidates: [(index: Int, applied: AppliedOffer)] = []
        let subtotal = context.request.subtotal
        for offer in rules.list {
            let (holds, reasons) = offer.when?.evaluate(context) ?? (true, [])
            var decision = OfferDecision(offer: offer.id, title: offer.title, kind: offer.benefit.kind, qualified: holds,
                                         reasons: reasons, value: .zero, applied: false, note: nil)
            let benefit = try value(of: offer.benefit, program: program, request: context.request, pointsOnGross: cachedPoints)
            decision.value = benefit.value
            var applied = benefit
            applied.offer = offer.id
            if holds {
                if benefit.value.amount > 0 {
                    candidates.append((decisions.count, applied))
                } else {
                    decision.note = "worth nothing on this purchase"
                }
            }
            decisions.append(decision)
        }
        var record = DecisionRecord(policy: rules.policy)
        var chosen: [AppliedOffer] = []
        switch rules.policy {
        case .best:
            // The most valuable; on a tie the first listed (candidates are in list order).
            var bestPosition: Int?
            for (position, c) in candidates.enumerated()
            where bestPosition.map({ c.applied.value > candidates[$0].applied.value }) ?? true {
                bestPosition = position
            }
            if let bestPosition {
                let winner = candidates[bestPosition]
                chosen = [winner.applied]
                decisions[winner.index].applied = true
                record.winner = winner.applied.offer
                for c in candidates where c.index != winner.index {
                    decisions[c.index].note = "a more valuable offer won (\(winner.applied.offer))"
                }
            }
        case .stack:
            let ordered = candidates.enumerated().sorted {
                $0.element.applied.value != $1.element.applied.value
                    ? $0.element.applied.value > $1.element.applied.value : $0.offset < $1.offset
            }.map(\.element)
            var capLeft: Rial? = nil
            if let cap = rules.stackCap { capLeft = try cap.of(subtotal) }
            for c in ordered {
                if let max = rules.stackMaxOffers, chosen.count >= max {
                    decisions[c.index].note = "the stack already has its \(max) offers"
                    continue
                }
                var applied = c.applied
                if let left = capLeft, applied.value > left {
                    let trimmable = left.amount > 0 && applied.kind != .extraPoints && applied.kind != .extraCoins
                    guard trimmable else {
                        decisions[c.index].note = "over the stack cap"
                        continue
                    }
                    if applied.kind == .extraCreditPercent { applied.extraCredit = left } else { applied.discount = left }
                    applied.value = left
                    decisions[c.index].note = "trimmed to the stack cap"
                }
                if let left = capLeft { capLeft = try left.subtracting(applied.value) }
                decisions[c.index].applied = true
                chosen.append(applied)
            }
        }
        if rules.list.count > DecisionRecord.fullRecordLimit {
            // Compact: qualifying offers in full, the others counted by what failed.
            var counts: [String: Int] = [:]
            for (offer, decision) in zip(rules.list, decisions) where !decision.qualified {
                counts[offer.when?.failingKind(context) ?? "when", default: 0] += 1
            }
            record.considered = decisions.filter(\.qualified)
            record.notQualified = counts
        } else {
            record.considered = decisions
        }
        record.applied = chosen.map(\.offer)
        return (record, chosen)
    }

    /// What a benefit is worth on this purchase. Every percentage is of the gross amount of the
    /// lines it covers; `maxRial` caps the value.
    static func value(of benefit: OfferBenefit, program: Program, request: PurchaseRequest,
                      pointsOnGross: ([String]?) -> Int64) throws(MoneyError) -> AppliedOffer {
        // Summed in place: this runs for every offer of every purchase (no array per offer).
        var covered: Int64 = 0
        for line in request.lines where benefit.productGroups?.contains(line.productGroup) ?? true { covered += line.amount.amount }
        let base = Rial(covered)
        var out = AppliedOffer(offer: "", kind: benefit.kind, discount: .zero, extraCredit: .zero, extraPoints: 0,
                               extraCoins: 0, productGroups: benefit.productGroups, value: .zero)
        func capped(_ r: Rial) -> Rial { benefit.maxRial.map { min($0, r) } ?? r }
        switch benefit.kind {
        case .discountPercent:
            out.discount = capped(try (benefit.percent ?? .zero).of(base))
            out.value = out.discount
        case .discountAmount:
            out.discount = capped(min(benefit.amount ?? .zero, base))
            out.value = out.discount
        case .extraCreditPercent:
            out.extraCredit = capped(try (benefit.percent ?? .zero).of(base))
            out.value = out.extraCredit
        case .extraPoints:
            guard base.amount > 0 else { break }
            var points = benefit.points ?? 0
            if let p = benefit.percent { points += p.of(count: pointsOnGross(benefit.productGroups)) }
            var value = Rial.zero
            if let v = program.points.value { value = try Rial(points).scaled(by: v.rial, over: v.points) }
            if let max = benefit.maxRial, value > max, let v = program.points.value, v.rial > 0 {
                // Trim the points so that they are worth at most maxRial.
                points = max.amount * v.points / v.rial
                value = try Rial(points).scaled(by: v.rial, over: v.points)
            }
            out.extraPoints = points
            out.value = value
        case .extraCoins:
            guard base.amount > 0 else { break }
            out.extraCoins = benefit.coins ?? 0
            if let v = program.coins?.value { out.value = try Rial(out.extraCoins).scaled(by: v.rial, over: v.points) }
        }
        return out
    }
}

