import KioskCore

extension LoyaltyEngine {
    /// Takes every applied offer that is an award (extra credit by percent, extra points by
    /// percent) on the **net** amounts of the lines it covers, after the offer discounts and the
    /// voucher, as points and cashback are: the customer earns on what they pay, and the business
    /// never pays credit on money it did not receive. Offers were valued and chosen on the gross
    /// amounts (their discounts are not known before they are chosen); an award is only ever
    /// lowered here (never above its value when chosen, so a trim to the stack cap holds).
    ///
    /// Each applied offer's decision gets its `base`: the Rial its percentage was taken on, and
    /// whether that is the gross or the net of its lines.
    func awardOffersOnNet(_ applied: inout [AppliedOffer], decision: inout DecisionRecord, request: PurchaseRequest,
                          net: [Int64], pointsOnNet: ([String]?) -> Int64) throws(MoneyError) {
        guard !applied.isEmpty else { return }
        let offers = program.offers?.list ?? []
        for k in applied.indices {
            let offer = applied[k]
            var base: Int64 = 0
            var gross: Int64 = 0
            for (i, line) in request.lines.enumerated() where offer.productGroups?.contains(line.productGroup) ?? true {
                base += net[i]
                gross += line.amount.amount
            }
            var onNet = false
            if let benefit = offers.first(where: { $0.id == offer.offer })?.benefit, let percent = benefit.percent {
                switch offer.kind {
                case .extraCreditPercent:
                    var credit = try percent.of(Rial(base))
                    if let max = benefit.maxRial { credit = min(credit, max) }
                    applied[k].extraCredit = min(offer.extraCredit, credit)
                    applied[k].value = applied[k].extraCredit
                    onNet = true
                case .extraPoints:
                    var points = (benefit.points ?? 0) + percent.of(count: pointsOnNet(benefit.productGroups))
                    if let value = program.points.value, value.rial > 0, let max = benefit.maxRial {
                        points = min(points, max.amount * value.points / value.rial)
                    }
                    if points < offer.extraPoints {
                        applied[k].extraPoints = points
                        if let value = program.points.value { applied[k].value = try Rial(points).scaled(by: value.rial, over: value.points) }
                    }
                    onNet = true
                default:
                    break
                }
            }
            if let d = decision.considered.firstIndex(where: { $0.offer == offer.offer }) {
                decision.considered[d].value = applied[k].value
                decision.considered[d].base = Rial(onNet ? base : gross)
                decision.considered[d].baseIs = onNet ? .net : .gross
            }
        }
    }
}
