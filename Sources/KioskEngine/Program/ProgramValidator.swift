import Foundation
import KioskCore

/// Checks everything in a decoded program that JSON decoding cannot: references to product
/// groups, customer groups, card groups, branches, tiers, templates and catalogue items; weights;
/// tier thresholds that overlap; dates that do not exist; limits that make no sense.
///
/// Every reference is looked up in a set made once, so validation is linear in the program's size.
/// Every number is bounded (the bounds are listed in `docs/program.md`): a program that passes
/// cannot make the engine overflow or the calendar trap, whatever purchase it meets.
struct ProgramValidator {
    let program: Program
    private(set) var issues: [ProgramError.Issue] = []
    private let productGroups: Set<String>
    private let customerGroups: Set<String>
    private let cardGroups: Set<String>
    private let branches: Set<String>?
    private let tierNames: Set<String>
    private let catalogueItems: Set<String>
    private let voucherTemplates: Set<String>

    /// The longest period in days a program may name (expiry, windows, reminders): 100 years.
    static let maxDays = 36_525
    /// The longest `version` string, in characters.
    static let maxVersionLength = 64
    /// The largest count a program may name (points, coins, entries, weights, stock, limits).
    static let maxCount: Int64 = 1_000_000_000_000
    /// The largest amount in Rial a program may name (10^13 Rial = 10^12 Toman).
    static let maxRial: Int64 = 10_000_000_000_000

    init(_ program: Program) {
        self.program = program
        productGroups = Set(program.productGroups)
        customerGroups = Set(program.customerGroups ?? [])
        cardGroups = Set(program.cardGroups ?? [])
        branches = program.branches.map(Set.init)
        tierNames = Set(program.tiers?.levels.map(\.name) ?? [])
        catalogueItems = Set((program.catalogue ?? []).map(\.id))
        voucherTemplates = Set((program.vouchers?.templates ?? []).map(\.code))
    }

    func validate() -> [ProgramError.Issue] {
        var v = self
        v.run()
        return v.issues
    }

    private mutating func fail(_ path: String, _ problem: String) { issues.append(.init(path, problem)) }

    private mutating func run() {
        if program.format != Program.currentFormat {
            fail("format", "this kiosk reads program format \(Program.currentFormat), not \(program.format)")
        }
        if program.version.trimmingCharacters(in: .whitespaces).isEmpty { fail("version", "must not be empty") }
        if program.version.count > Self.maxVersionLength {
            fail("version", "is \(program.version.count) characters long; at most \(Self.maxVersionLength)")
        }
        if TimeZone(identifier: program.timeZoneIdentifier) == nil {
            fail("timeZone", "unknown time zone \"\(program.timeZoneIdentifier)\"")
        }
        unique(program.productGroups, "productGroups")
        unique(program.customerGroups ?? [], "customerGroups")
        unique(program.cardGroups ?? [], "cardGroups")
        unique(program.branches ?? [], "branches")
        checkPoints()
        checkTiers()
        if let cashback = program.cashback {
            percent(cashback.percent, "cashback.percent", max: 100)
            expiry(cashback.expiry, "cashback.expiry")
        }
        if let coins = program.coins {
            rate(coins.rate, "coins.rate")
            expiry(coins.expiry, "coins.expiry")
            behaviour(coins.behaviour, "coins.behaviour")
            pointValue(coins.value, "coins.value")
        }
        checkGiftCredit()
        checkCatalogue()
        checkVouchers()
        checkOffers()
        checkWheel()
        checkRaffles()
        if let referral = program.referral {
            for (value, name) in [(referral.referrerPoints, "referrerPoints"), (referral.referrerCoins, "referrerCoins"),
                                  (referral.referrerCredit?.amount, "referrerCredit"), (referral.refereePoints, "refereePoints")] {
                count(value, "referral.\(name)")
            }
        }
        if let commission = program.staffCommission { rial(commission.perEnrollment, "staffCommission.perEnrollment") }
        if let days = program.returns?.windowDays { self.days(days, "returns.windowDays", min: 0) }
        if let days = program.reminders?.daysBefore { self.days(days, "reminders.daysBefore", min: 1) }
    }

    // MARK: - Sections

    private mutating func checkPoints() {
        let points = program.points
        rate(points.base, "points.base")
        var seen = Set<String>()
        for (i, group) in (points.groups ?? []).enumerated() {
            let path = "points.groups[\(i)]"
            productGroup(group.productGroup, "\(path).productGroup")
            if !seen.insert(group.productGroup).inserted {
                fail("\(path).productGroup", "product group \"\(group.productGroup)\" has two rates")
            }
            rate(group.rate, "\(path).rate")
        }
        var ids = Set<String>()
        for (i, window) in (points.windows ?? []).enumerated() {
            let path = "points.windows[\(i)]"
            if !ids.insert(window.id).inserted { fail("\(path).id", "duplicate window id \"\(window.id)\"") }
            if window.multiplier.basisPoints <= 0 || window.multiplier > .whole(10_000) {
                fail("\(path).multiplier", "must be greater than 0% and at most 10000%")
            }
            for (j, day) in (window.weekdays ?? []).enumerated() where !(1...7).contains(day) {
                fail("\(path).weekdays[\(j)]", "\(day) is not an ISO weekday (1 = Monday … 7 = Sunday)")
            }
            if (window.from == nil) != (window.until == nil) {
                fail(path, "give both \"from\" and \"until\", or neither")
            } else if let from = window.from, from == window.until {
                fail("\(path).until", "the window is empty (from = until)")
            }
            for (j, date) in (window.dates ?? []).enumerated() { festival(date, "\(path).dates[\(j)]") }
            for (j, group) in (window.productGroups ?? []).enumerated() { productGroup(group, "\(path).productGroups[\(j)]") }
        }
        for (name, value) in [("welcome", points.welcome), ("birthday", points.birthday)] {
            count(value, "points.\(name)")
        }
        behaviour(points.behaviour, "points.behaviour")
        expiry(points.expiry, "points.expiry")
        pointValue(points.value, "points.value")
        if let redemption = points.redemption {
            pointValue(redemption.rate, "points.redemption.rate")
            if redemption.rate.rial == 0 { fail("points.redemption.rate.rial", "must be at least 1") }
            percent(redemption.maxShare, "points.redemption.maxShare", max: 100, positive: true)
            if let min = redemption.minShare {
                percent(min, "points.redemption.minShare", max: 100)
                if min > redemption.maxShare { fail("points.redemption.minShare", "is above maxShare") }
            }
        }
        if let conversion = points.conversion {
            if conversion.credit == nil && conversion.coins == nil { fail("points.conversion", "give credit, coins or both") }
            if let credit = conversion.credit {
                pointValue(credit, "points.conversion.credit")
                if credit.rial == 0 { fail("points.conversion.credit.rial", "must be at least 1") }
            }
            if let coins = conversion.coins {
                count(coins.points, "points.conversion.coins.points", min: 1)
                count(coins.coins, "points.conversion.coins.coins", min: 1)
            }
            if let minimum = conversion.minimumPoints { count(minimum, "points.conversion.minimumPoints", min: 1) }
        }
    }

    private mutating func checkTiers() {
        guard let tiers = program.tiers else { return }
        days(tiers.windowDays, "tiers.windowDays", min: 1)
        if tiers.levels.isEmpty { fail("tiers.levels", "must list at least one tier") }
        if let first = tiers.levels.first, first.threshold != 0 {
            fail("tiers.levels[0].threshold", "the lowest tier must start at 0, not \(first.threshold)")
        }
        var names = Set<String>()
        for (i, level) in tiers.levels.enumerated() {
            let path = "tiers.levels[\(i)]"
            if level.name.isEmpty { fail("\(path).name", "must not be empty") }
            if !names.insert(level.name).inserted { fail("\(path).name", "duplicate tier \"\(level.name)\"") }
            if level.threshold < 0 || level.threshold > Self.maxRial {
                fail("\(path).threshold", "must be between 0 and \(Self.maxRial)")
            }
            if i > 0, level.threshold <= tiers.levels[i - 1].threshold {
                fail("\(path).threshold", "tiers overlap: \(level.threshold) is not above the previous tier's threshold \(tiers.levels[i - 1].threshold)")
            }
            if let m = level.pointsMultiplier, m.basisPoints <= 0 || m > .whole(10_000) {
                fail("\(path).pointsMultiplier", "must be greater than 0% and at most 10000%")
            }
            if let c = level.extraCashback { percent(c, "\(path).extraCashback", max: 100) }
        }
    }

    private mutating func checkGiftCredit() {
        guard let gift = program.giftCredit else { return }
        var ids = Set<String>()
        for (i, occasion) in gift.occasions.enumerated() {
            let path = "giftCredit.occasions[\(i)]"
            if !ids.insert(occasion.id).inserted { fail("\(path).id", "duplicate occasion \"\(occasion.id)\"") }
            rial(occasion.amount, "\(path).amount", positive: true)
            expiry(occasion.expiry, "\(path).expiry")
            if occasion.kind == .holiday {
                if let date = occasion.date { festival(date, "\(path).date") } else { fail("\(path).date", "a holiday needs its date") }
            }
            for (j, g) in (occasion.productGroups ?? []).enumerated() { productGroup(g, "\(path).productGroups[\(j)]") }
            for (j, b) in (occasion.branches ?? []).enumerated() { branch(b, "\(path).branches[\(j)]") }
            for (j, g) in (occasion.customerGroups ?? []).enumerated() { customerGroup(g, "\(path).customerGroups[\(j)]") }
        }
    }

    private mutating func checkCatalogue() {
        var ids = Set<String>()
        for (i, item) in (program.catalogue ?? []).enumerated() {
            let path = "catalogue[\(i)]"
            if !ids.insert(item.id).inserted { fail("\(path).id", "duplicate item \"\(item.id)\"") }
            switch (item.costCoins, item.costCredit, item.costPoints) {
            case (let coins?, nil, nil): count(coins, "\(path).costCoins", min: 1)
            case (nil, let credit?, nil): rial(credit, "\(path).costCredit", positive: true)
            case (nil, nil, let points?): count(points, "\(path).costPoints", min: 1)
            default: fail(path, "give exactly one of costCoins, costCredit and costPoints")
            }
            if let stock = item.stock { count(Int64(stock), "\(path).stock") }
            if let from = item.displayFrom, let until = item.displayUntil, until < from {
                fail("\(path).displayUntil", "is before displayFrom")
            }
        }
    }

    private mutating func checkVouchers() {
        guard let vouchers = program.vouchers else { return }
        var codes = Set<String>()
        for (section, list) in [("codes", vouchers.codes ?? []), ("templates", vouchers.templates ?? [])] {
            for (i, voucher) in list.enumerated() {
                let path = "vouchers.\(section)[\(i)]"
                if voucher.code.isEmpty || voucher.code.contains(where: { $0.isWhitespace }) {
                    fail("\(path).code", "must be non-empty and without spaces")
                }
                if !codes.insert(voucher.code.uppercased()).inserted {
                    fail("\(path).code", "duplicate code \"\(voucher.code)\" (codes are case-insensitive)")
                }
                if section == "codes" && voucher.kind != .shared {
                    fail("\(path).kind", "codes listed in the program are shared; unique codes are made from templates")
                }
                if section == "templates" && voucher.kind != .unique { fail("\(path).kind", "templates make unique codes") }
                switch voucher.benefit {
                case .percent:
                    if let p = voucher.percent { percent(p, "\(path).percent", max: 100, positive: true) } else { fail("\(path).percent", "a percent voucher needs its percent") }
                case .amount:
                    if let amount = voucher.amount { rial(amount, "\(path).amount", positive: true) } else { fail("\(path).amount", "an amount voucher needs an amount greater than 0") }
                case .freeShipping:
                    if let fee = voucher.shippingFee { rial(fee, "\(path).shippingFee", positive: true) } else { fail("\(path).shippingFee", "a free-shipping voucher needs the fee it waives") }
                case .gift:
                    if let item = voucher.giftItem {
                        if !catalogueItems.contains(item) { fail("\(path).giftItem", "unknown catalogue item \"\(item)\"") }
                    } else { fail("\(path).giftItem", "a gift voucher names the catalogue item it gives") }
                }
                if let from = voucher.validFrom, let until = voucher.validUntil, until < from { fail("\(path).validUntil", "is before validFrom") }
                if let days = voucher.validDays { self.days(days, "\(path).validDays", min: 1) }
                if let limit = voucher.perMemberLimit { count(Int64(limit), "\(path).perMemberLimit", min: 1) }
                if let limit = voucher.totalLimit { count(Int64(limit), "\(path).totalLimit", min: 1) }
                if let min = voucher.minSpend { rial(min, "\(path).minSpend") }
                if let max = voucher.maxDiscount { rial(max, "\(path).maxDiscount", positive: true) }
            }
        }
    }

    private mutating func checkOffers() {
        guard let offers = program.offers else { return }
        if offers.policy == .best && (offers.stackCap != nil || offers.stackMaxOffers != nil) {
            fail("offers.policy", "stackCap and stackMaxOffers apply only to the \"stack\" policy")
        }
        if let cap = offers.stackCap { percent(cap, "offers.stackCap", max: 100) }
        if let max = offers.stackMaxOffers { count(Int64(max), "offers.stackMaxOffers", min: 1) }
        var ids = Set<String>()
        for (i, offer) in offers.list.enumerated() {
            let path = "offers.list[\(i)]"
            if !ids.insert(offer.id).inserted { fail("\(path).id", "duplicate offer \"\(offer.id)\"") }
            if let when = offer.when { condition(when, "\(path).when") }
            let b = offer.benefit, bp = "\(path).benefit"
            switch b.kind {
            case .discountPercent, .extraCreditPercent:
                if let p = b.percent { percent(p, "\(bp).percent", max: 100, positive: true) } else { fail("\(bp).percent", "\(b.kind.rawValue) needs a percent") }
            case .discountAmount:
                if let amount = b.amount { rial(amount, "\(bp).amount", positive: true) } else { fail("\(bp).amount", "discountAmount needs an amount greater than 0") }
            case .extraPoints:
                if b.percent == nil && b.points == nil { fail(bp, "extraPoints needs a percent or points") }
                if let pts = b.points { count(pts, "\(bp).points", min: 1) }
                if let p = b.percent { percent(p, "\(bp).percent", max: 10_000, positive: true) }
                if program.points.value == nil {
                    fail(bp, "an offer of points needs points.value to compare it with other offers in Rial")
                }
            case .extraCoins:
                if let coins = b.coins { count(coins, "\(bp).coins", min: 1) } else { fail("\(bp).coins", "extraCoins needs coins greater than 0") }
                if program.coins?.value == nil { fail(bp, "an offer of coins needs coins.value to compare it with other offers in Rial") }
            }
            for (j, g) in (b.productGroups ?? []).enumerated() { productGroup(g, "\(bp).productGroups[\(j)]") }
            if let max = b.maxRial { rial(max, "\(bp).maxRial", positive: true) }
        }
    }

    private mutating func checkWheel() {
        guard let wheel = program.wheel else { return }
        count(wheel.costCoins, "wheel.costCoins")
        if let cap = wheel.capPerDay { count(Int64(cap), "wheel.capPerDay", min: 1) }
        if let cap = wheel.capPerWeek { count(Int64(cap), "wheel.capPerWeek", min: 1) }
        if let day = wheel.capPerDay, let week = wheel.capPerWeek, week < day {
            fail("wheel.capPerWeek", "is lower than capPerDay (\(week) < \(day))")
        }
        if wheel.segments.isEmpty { fail("wheel.segments", "the wheel needs at least one segment") }
        var ids = Set<String>()
        var total: Int64 = 0
        for (i, segment) in wheel.segments.enumerated() {
            let path = "wheel.segments[\(i)]"
            if !ids.insert(segment.id).inserted { fail("\(path).id", "duplicate segment \"\(segment.id)\"") }
            count(segment.weight, "\(path).weight")
            let (sum, overflow) = total.addingReportingOverflow(max(0, segment.weight))
            if overflow { fail("\(path).weight", "the weights add up beyond the integer range") } else { total = sum }
            if let stock = segment.stock { count(Int64(stock), "\(path).stock") }
            if let budget = segment.budget { rial(budget, "\(path).budget") }
            let prize = segment.prize, pp = "\(path).prize"
            switch prize.kind {
            case .points, .coins, .credit, .giftCredit:
                if let amount = prize.amount { count(amount, "\(pp).amount", min: 1) } else { fail("\(pp).amount", "a \(prize.kind.rawValue) prize needs an amount greater than 0") }
            case .voucher:
                if let template = prize.voucherTemplate {
                    if !voucherTemplates.contains(template) {
                        fail("\(pp).voucherTemplate", "unknown voucher template \"\(template)\"")
                    }
                } else { fail("\(pp).voucherTemplate", "a voucher prize names its template") }
            case .catalogueGift:
                if let item = prize.item {
                    if !catalogueItems.contains(item) { fail("\(pp).item", "unknown catalogue item \"\(item)\"") }
                } else { fail("\(pp).item", "a catalogue prize names its item") }
            case .nothing:
                break
            }
            if segment.budget != nil && !(prize.kind == .credit || prize.kind == .giftCredit) {
                fail("\(path).budget", "a budget applies to credit and gift credit prizes; use stock for others")
            }
            expiry(prize.expiry, "\(pp).expiry")
        }
        if !wheel.segments.isEmpty && total == 0 { fail("wheel.segments", "the weights add up to 0: no segment can be drawn") }
    }

    private mutating func checkRaffles() {
        var ids = Set<String>()
        for (i, raffle) in (program.raffles ?? []).enumerated() {
            let path = "raffles[\(i)]"
            if !ids.insert(raffle.id).inserted { fail("\(path).id", "duplicate raffle \"\(raffle.id)\"") }
            if raffle.entryPerRial == nil && raffle.entriesPerReferral == nil {
                fail(path, "a raffle needs entryPerRial or entriesPerReferral")
            }
            if let per = raffle.entryPerRial { rial(per, "\(path).entryPerRial", positive: true) }
            if let per = raffle.entriesPerReferral { count(per, "\(path).entriesPerReferral", min: 1) }
            for (j, g) in (raffle.productGroups ?? []).enumerated() { productGroup(g, "\(path).productGroups[\(j)]") }
            if let from = raffle.from, let until = raffle.until, until < from { fail("\(path).until", "is before from") }
        }
    }

    // MARK: - Pieces

    private mutating func condition(_ condition: Condition, _ path: String) {
        switch condition {
        case .all(let list), .any(let list):
            let key = if case .all = condition { "all" } else { "any" }
            if list.isEmpty { fail("\(path).\(key)", "must list at least one condition") }
            for (i, c) in list.enumerated() { self.condition(c, "\(path).\(key)[\(i)]") }
        case .not(let c):
            self.condition(c, "\(path).not")
        case .visitsMoreThan(let n):
            count(n, "\(path).visitsMoreThan")
        case .purchaseMoreThan(let r), .purchaseAtLeast(let r):
            if r.amount < 0 || r.amount > Self.maxRial { fail(path, "an amount must be between 0 and \(Self.maxRial)") }
        case .birthday(let w), .anniversary(let w):
            let key = if case .birthday = condition { "birthday" } else { "anniversary" }
            if (w.daysBefore ?? 0) < 0 || (w.daysAfter ?? 0) < 0 || (w.daysBefore ?? 0) > 31 || (w.daysAfter ?? 0) > 31 {
                fail("\(path).\(key)", "daysBefore and daysAfter must be between 0 and 31")
            }
        case .tier(let names):
            for (i, name) in names.enumerated() where !tierNames.contains(name) {
                fail("\(path).tier[\(i)]", "unknown tier \"\(name)\"")
            }
        case .customerGroup(let names):
            for (i, name) in names.enumerated() { customerGroup(name, "\(path).customerGroup[\(i)]") }
        case .cardGroup(let names):
            for (i, name) in names.enumerated() where !cardGroups.contains(name) {
                fail("\(path).cardGroup[\(i)]", "unknown card group \"\(name)\"")
            }
        case .productGroup(let names):
            for (i, name) in names.enumerated() { productGroup(name, "\(path).productGroup[\(i)]") }
        case .branch(let names):
            for (i, name) in names.enumerated() { branch(name, "\(path).branch[\(i)]") }
        case .dateRange(let range):
            if let from = range.from, let until = range.until, until < from { fail("\(path).dateRange.until", "is before from") }
        }
    }

    private mutating func unique(_ names: [String], _ path: String) {
        var seen = Set<String>()
        for (i, name) in names.enumerated() {
            if name.isEmpty { fail("\(path)[\(i)]", "must not be empty") }
            if !seen.insert(name).inserted { fail("\(path)[\(i)]", "duplicate \"\(name)\"") }
        }
    }

    private mutating func productGroup(_ name: String, _ path: String) {
        if !productGroups.contains(name) { fail(path, "unknown product group \"\(name)\"") }
    }

    private mutating func customerGroup(_ name: String, _ path: String) {
        if !customerGroups.contains(name) { fail(path, "unknown customer group \"\(name)\"") }
    }

    private mutating func branch(_ name: String, _ path: String) {
        if let branches, !branches.contains(name) { fail(path, "unknown branch \"\(name)\"") }
    }

    private mutating func rate(_ rate: RatePerRial, _ path: String) {
        if rate.units < 0 || rate.units > 1_000_000 { fail("\(path).units", "must be between 0 and 1,000,000") }
        if rate.perRial <= 0 || rate.perRial > 1_000_000_000_000 { fail("\(path).perRial", "must be between 1 and 1,000,000,000,000") }
    }

    private mutating func expiry(_ expiry: ExpiryRule?, _ path: String) {
        if let expiry, expiry.days < 1 { fail("\(path).days", "must be at least 1 (omit expiry for lots that never expire)") }
        if let expiry, expiry.days > Self.maxDays { fail("\(path).days", "must be at most \(Self.maxDays) (100 years)") }
    }

    private mutating func days(_ days: Int, _ path: String, min: Int) {
        if days < min || days > Self.maxDays { fail(path, "must be between \(min) and \(Self.maxDays) days") }
    }

    private mutating func count(_ value: Int64?, _ path: String, min: Int64 = 0) {
        guard let value else { return }
        if value < min || value > Self.maxCount { fail(path, "must be between \(min) and \(Self.maxCount)") }
    }

    private mutating func rial(_ amount: Rial, _ path: String, positive: Bool = false) {
        let min: Int64 = positive ? 1 : 0
        if amount.amount < min || amount.amount > Self.maxRial { fail(path, "must be between \(min) and \(Self.maxRial) Rial") }
    }

    private mutating func pointValue(_ value: PointsRules.PointValue?, _ path: String) {
        guard let value else { return }
        if value.rial < 0 || value.rial > Self.maxRial || value.points <= 0 || value.points > Self.maxCount {
            fail(path, "needs rial between 0 and \(Self.maxRial) and points between 1 and \(Self.maxCount)")
        }
    }

    private mutating func percent(_ p: Percent, _ path: String, max: Int64, positive: Bool = false) {
        if p.basisPoints > max * 100 { fail(path, "\(p) is more than \(max)%") }
        if positive && p.basisPoints == 0 { fail(path, "must be greater than 0%") }
    }

    private static let behaviours: Set<String> = ["referral", "survey", "visit"]

    private mutating func behaviour(_ map: [String: Int64]?, _ path: String) {
        for (key, value) in (map ?? [:]).sorted(by: { $0.key < $1.key }) {
            if !Self.behaviours.contains(key) { fail("\(path).\(key)", "unknown behaviour; known: referral, survey, visit") }
            count(value, "\(path).\(key)")
        }
    }

    private mutating func festival(_ date: FestivalDate, _ path: String) {
        guard (1...12).contains(date.month) else { fail("\(path).month", "\(date.month) is not a month (1–12)"); return }
        let maxDay: Int
        switch date.calendar {
        case .persian: maxDay = date.month <= 6 ? 31 : (date.month <= 11 ? 30 : 30)
        case .gregorian: maxDay = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][date.month - 1]
        }
        if !(1...maxDay).contains(date.day) {
            fail("\(path).day", "\(date.day) is not a day of month \(date.month) in the \(date.calendar.rawValue) calendar")
        }
    }
}
