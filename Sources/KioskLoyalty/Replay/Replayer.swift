import Foundation
import KioskCore
import KioskEngine
import KioskStore

/// Applies a stream of events to a store through the loyalty service, in order, and reports
/// each event's outcome (or refusal) and every member's balances and tier at the end. The
/// random source is given: seeded, the report is reproducible.
public struct Replayer<Random: RandomSource> {
    public let service: LoyaltyService
    public var random: Random
    /// The replay's clock: the last `at` seen, moved by `time` events.
    public private(set) var now: Date
    public var keepEvents: Bool
    private var results: [ReplayResult] = []
    private var counts: [String: Int] = [:]
    private var refusals = 0
    private var knownBranches: Set<String> = []
    private var knownOperators: Set<String> = []

    public init(service: LoyaltyService, random: Random, start: Date, keepEvents: Bool = true) throws(LoyaltyError) {
        self.service = service
        self.random = random
        self.keepEvents = keepEvents
        now = start
        for branch in service.program.branches ?? [] { try ensureBranch(BranchID(rawValue: branch)) }
    }

    public var defaultBranch: BranchID { BranchID(rawValue: service.program.branches?.first ?? "main") }

    static var decoder: JSONDecoder {
        let d = JSONDecoder()
        d.dateDecodingStrategy = .iso8601
        return d
    }

    /// Replays one line of the events file (line numbers from 1). Blank lines and lines that
    /// start with `#` are skipped.
    public mutating func apply(line: String, number: Int) throws(LoyaltyError) {
        let trimmed = line.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty, !trimmed.hasPrefix("#") else { return }
        let event: ReplayEvent
        do { event = try Self.decoder.decode(ReplayEvent.self, from: Data(trimmed.utf8)) } catch {
            record(ReplayResult(line: number, type: "?", key: "line-\(number)", at: now, ok: false,
                                refusal: .init(code: "event.malformed", message: "line \(number) is not an event: \(Self.describe(error))")))
            return
        }
        try apply(event, number: number)
    }

    public mutating func apply(_ event: ReplayEvent, number: Int) throws(LoyaltyError) {
        if let at = event.at { now = at }
        let key = event.key ?? "line-\(number)"
        let at = now
        let branch = event.branch ?? defaultBranch
        try ensureBranch(branch)
        if let op = event.operator { try ensureOperator(op, branch: branch) }
        counts[event.type, default: 0] += 1
        do {
            let (outcome, replayed) = try perform(event, key: key, at: at, branch: branch)
            record(ReplayResult(line: number, type: event.type, key: key, at: at, ok: true, replayed: replayed, outcome: outcome))
        } catch {
            switch error {
            case .refused(let refusal):
                refusals += 1
                record(ReplayResult(line: number, type: event.type, key: key, at: at, ok: false,
                                    refusal: .init(code: refusal.code, message: refusal.message)))
            case .store(let storeError) where [.idempotencyConflict, .notFound, .constraint].contains(storeError.code):
                refusals += 1
                record(ReplayResult(line: number, type: event.type, key: key, at: at, ok: false,
                                    refusal: .init(code: "store.\(storeError.code)", message: storeError.message)))
            case .store:
                throw error
            }
        }
    }

    private mutating func record(_ result: ReplayResult) {
        if keepEvents { results.append(result) }
    }

    private func need<T>(_ value: T?, _ field: String, _ type: String) throws(LoyaltyError) -> T {
        guard let value else { throw .refused(Refusal("event.missing-field", "a \(type) event needs \"\(field)\"")) }
        return value
    }

    private mutating func perform(_ e: ReplayEvent, key: String, at: Date, branch: BranchID) throws(LoyaltyError) -> (AnyEncodable?, Bool?) {
        switch e.type {
        case "enroll":
            let r = try service.enroll(Enrollment(
                key: key, member: try need(e.member, "member", e.type), branch: branch, operatorID: e.operator, at: at,
                name: e.name, phone: e.phone, birthday: e.birthday, anniversary: e.anniversary, customerGroups: e.groups ?? [],
                referralCode: e.referralCode, ownReferralCode: e.ownReferralCode, source: e.source, card: e.card, cardGroup: e.cardGroup))
            return (AnyEncodable(r.outcome), r.replayed)
        case "purchase":
            let lines = try need(e.lines, "lines", e.type)
            var purchaseLines: [PurchaseLine] = []
            for line in lines { purchaseLines.append(PurchaseLine(productGroup: try need(line.group, "lines[].group", e.type), amount: line.amount, sku: line.sku)) }
            let r = try service.purchase(PurchaseRequest(
                key: key, member: try need(e.member, "member", e.type), branch: branch, operatorID: e.operator, at: at,
                lines: purchaseLines, voucherCode: e.voucher, payWithCredit: e.payWithCredit, payWithGiftCredit: e.payWithGiftCredit))
            return (AnyEncodable(r.outcome), r.replayed)
        case "return":
            let lines = try need(e.lines, "lines", e.type)
            var returnLines: [ReturnLine] = []
            for line in lines { returnLines.append(ReturnLine(line: try need(line.line, "lines[].line", e.type), amount: line.amount)) }
            let r = try service.returnPurchase(ReturnRequest(
                key: key, member: try need(e.member, "member", e.type), branch: branch, operatorID: e.operator, at: at,
                purchaseKey: try need(e.purchase, "purchase", e.type), lines: returnLines))
            return (AnyEncodable(r.outcome), r.replayed)
        case "spin":
            let r = try service.spin(key: key, member: try need(e.member, "member", e.type), branch: branch, at: at, random: &random)
            return (AnyEncodable(r.outcome), r.replayed)
        case "gift-credit":
            let r = try service.grantGiftCredit(occasion: try need(e.occasion, "occasion", e.type), key: key,
                                                member: try need(e.member, "member", e.type), branch: branch, operatorID: e.operator, at: at)
            return (AnyEncodable(r.outcome), r.replayed)
        case "gift-request":
            let r = try service.requestGift(try need(e.item, "item", e.type), key: key, member: try need(e.member, "member", e.type),
                                            branch: branch, at: at)
            return (AnyEncodable(r.outcome), r.replayed)
        case "gift-cancel":
            let r = try service.cancelGift(request: try need(e.request, "request", e.type), key: key, branch: branch,
                                           operatorID: e.operator, at: at)
            return (AnyEncodable(r.outcome), r.replayed)
        case "behaviour":
            let r = try service.behaviour(try need(e.behaviour, "behaviour", e.type), key: key, member: try need(e.member, "member", e.type),
                                          branch: branch, at: at)
            return (AnyEncodable(r.outcome), r.replayed)
        case "voucher-issue":
            let r = try service.issueVoucher(template: try need(e.template, "template", e.type), key: key,
                                             member: try need(e.member, "member", e.type), branch: branch, operatorID: e.operator,
                                             at: at, random: &random)
            return (AnyEncodable(r.outcome), r.replayed)
        case "sweep":
            return (AnyEncodable(try service.sweep(at: at, keyPrefix: key, branch: branch)), nil)
        case "expiring":
            return (AnyEncodable(try service.expiringSoon(within: e.within ?? 30, at: at)), nil)
        case "raffle-draw":
            let r = try service.drawRaffle(try need(e.raffle, "raffle", e.type), winners: e.winners ?? 1, key: key, branch: branch,
                                           at: at, random: &random)
            return (AnyEncodable(r.outcome), r.replayed)
        case "time":
            now = at.addingTimeInterval(TimeInterval((e.advanceDays ?? 0) * 86_400 + (e.advanceHours ?? 0) * 3_600))
            return (AnyEncodable(["now": now]), nil)
        default:
            throw .refused(Refusal("event.unknown-type", "unknown event type \"\(e.type)\"; see docs/replay.md"))
        }
    }

    private mutating func ensureBranch(_ branch: BranchID) throws(LoyaltyError) {
        guard !knownBranches.contains(branch.rawValue) else { return }
        try storing { () throws(StoreError) in try service.store.upsertBranch(branch, name: branch.rawValue, at: now) }
        knownBranches.insert(branch.rawValue)
    }

    private mutating func ensureOperator(_ op: OperatorID, branch: BranchID) throws(LoyaltyError) {
        guard !knownOperators.contains(op.rawValue) else { return }
        try storing { () throws(StoreError) in
            try service.store.upsertOperator(op, displayName: op.rawValue, role: .cashier, pinHash: nil, branchID: branch, at: now)
        }
        knownOperators.insert(op.rawValue)
    }

    /// The report: the events (when kept), counts, and every member's balances and tier.
    public func report(seed: UInt64?) throws(LoyaltyError) -> ReplayReport {
        var members: [MemberSummary] = []
        for id in try storing({ () throws(StoreError) in try service.store.memberIDs() }) {
            let balances = try storing { () throws(StoreError) in try service.store.balances(of: id) }
            let ledger = try storing { () throws(StoreError) in try service.store.ledgerBalances(of: id) }
            let windowStart = service.engine.calendar.days(service.program.tiers?.windowDays ?? 365, before: now)
            let record = try storing { () throws(StoreError) in try service.store.loyaltyMember(id, tierWindowStart: windowStart) }
            members.append(MemberSummary(member: id, points: balances.points, credit: balances.credit.amount,
                                         giftCredit: balances.giftCredit.amount, coins: balances.coins, tier: record?.tier,
                                         visits: record?.visits ?? 0, ledgerMatches: balances == ledger))
        }
        var raffles: [String: [String: Int64]] = [:]
        for raffle in service.program.raffles ?? [] {
            let entries = try storing { () throws(StoreError) in try service.store.raffleEntries(raffle.id) }
            raffles[raffle.id] = Dictionary(uniqueKeysWithValues: entries.map { ($0.key.rawValue, $0.value) })
        }
        return ReplayReport(program: service.program.version, seed: seed, events: keepEvents ? results : nil, counts: counts,
                            refusals: refusals, members: members, raffles: raffles)
    }

    static func describe(_ error: any Error) -> String {
        guard let e = error as? DecodingError else { return "\(error)" }
        switch e {
        case .keyNotFound(let key, _): return "\"\(key.stringValue)\" is missing"
        case .typeMismatch(_, let c), .valueNotFound(_, let c), .dataCorrupted(let c):
            let path = c.codingPath.map(\.stringValue).joined(separator: ".")
            return (path.isEmpty ? "" : "\(path): ") + c.debugDescription
        @unknown default: return "\(e)"
        }
    }
}
