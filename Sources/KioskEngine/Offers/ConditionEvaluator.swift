import Foundation
import KioskCore

/// What a condition is evaluated against.
struct ConditionContext {
    let member: MemberState
    let request: PurchaseRequest
    let calendar: ProgramCalendar
    /// Visits counting this purchase.
    let visits: Int64
    /// Computed once per purchase, not once per offer.
    let subtotal: Rial
    let today: LocalDate
    let birthdayOffset: Int?
    let anniversaryOffset: Int?

    init(member: MemberState, request: PurchaseRequest, calendar: ProgramCalendar, visits: Int64) {
        self.member = member
        self.request = request
        self.calendar = calendar
        self.visits = visits
        subtotal = request.subtotal
        today = calendar.localDate(request.at)
        birthdayOffset = member.birthday.map { calendar.dayOffset(to: $0, from: request.at) }
        anniversaryOffset = member.anniversary.map { calendar.dayOffset(to: $0, from: request.at) }
    }
}

extension Condition {
    /// The kind of the first condition that fails (its key: `visitsMoreThan`, `tier`, …; `any`
    /// and `not` for those as a whole), or nil when the condition holds: how a compact decision
    /// record counts the offers that did not qualify.
    func failingKind(_ context: ConditionContext) -> String? {
        switch self {
        case .all(let list):
            for c in list { if let kind = c.failingKind(context) { return kind } }
            return nil
        case .any:
            return evaluate(context).holds ? nil : "any"
        case .not:
            return evaluate(context).holds ? nil : "not"
        default:
            guard !evaluate(context).holds else { return nil }
            switch self {
            case .visitsMoreThan: return "visitsMoreThan"
            case .purchaseMoreThan: return "purchaseMoreThan"
            case .purchaseAtLeast: return "purchaseAtLeast"
            case .birthday: return "birthday"
            case .anniversary: return "anniversary"
            case .tier: return "tier"
            case .customerGroup: return "customerGroup"
            case .cardGroup: return "cardGroup"
            case .productGroup: return "productGroup"
            case .branch: return "branch"
            case .dateRange: return "dateRange"
            case .all, .any, .not: return nil
            }
        }
    }

    /// Whether the condition holds, and if not, why (sentences for the decision record).
    func evaluate(_ context: ConditionContext) -> (holds: Bool, reasons: [String]) {
        switch self {
        case .all(let list):
            var reasons: [String] = []
            for c in list {
                let r = c.evaluate(context)
                if !r.holds { reasons += r.reasons }
            }
            return (reasons.isEmpty, reasons)
        case .any(let list):
            var reasons: [String] = []
            for c in list {
                let r = c.evaluate(context)
                if r.holds { return (true, []) }
                reasons += r.reasons
            }
            return (false, ["none of the alternatives holds: " + reasons.joined(separator: "; ")])
        case .not(let c):
            let r = c.evaluate(context)
            return r.holds ? (false, ["an excluding condition holds"]) : (true, [])
        case .visitsMoreThan(let n):
            return context.visits > n ? (true, []) : (false, ["visits \(context.visits) are not more than \(n)"])
        case .purchaseMoreThan(let min):
            let s = context.subtotal
            return s > min ? (true, []) : (false, ["purchase \(s.amount) Rial is not more than \(min.amount) Rial"])
        case .purchaseAtLeast(let min):
            let s = context.subtotal
            return s >= min ? (true, []) : (false, ["purchase \(s.amount) Rial is less than \(min.amount) Rial"])
        case .birthday(let window):
            guard let offset = context.birthdayOffset else { return (false, ["the member's birthday is unknown"]) }
            let ok = (-(window.daysAfter ?? 0)...(window.daysBefore ?? 0)).contains(offset)
            return ok ? (true, []) : (false, ["not the member's birthday"])
        case .anniversary(let window):
            guard let offset = context.anniversaryOffset else { return (false, ["the member's anniversary is unknown"]) }
            let ok = (-(window.daysAfter ?? 0)...(window.daysBefore ?? 0)).contains(offset)
            return ok ? (true, []) : (false, ["not the member's anniversary"])
        case .tier(let names):
            guard let tier = context.member.tier, names.contains(tier) else {
                return (false, ["tier \(context.member.tier ?? "none") is not one of \(names.joined(separator: ", "))"])
            }
            return (true, [])
        case .customerGroup(let names):
            return context.member.customerGroups.contains(where: names.contains)
                ? (true, []) : (false, ["the member is in none of the customer groups \(names.joined(separator: ", "))"])
        case .cardGroup(let names):
            return context.member.cardGroups.contains(where: names.contains)
                ? (true, []) : (false, ["the member has no card of the groups \(names.joined(separator: ", "))"])
        case .productGroup(let names):
            return context.request.lines.contains(where: { names.contains($0.productGroup) })
                ? (true, []) : (false, ["no line of the product groups \(names.joined(separator: ", "))"])
        case .branch(let names):
            return names.contains(context.request.branch.rawValue)
                ? (true, []) : (false, ["branch \(context.request.branch) is not one of \(names.joined(separator: ", "))"])
        case .dateRange(let range):
            let day = context.today
            if let from = range.from, day < from { return (false, ["\(day) is before \(from)"]) }
            if let until = range.until, day > until { return (false, ["\(day) is after \(until)"]) }
            return (true, [])
        }
    }
}
