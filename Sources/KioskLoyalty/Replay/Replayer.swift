import Foundation
import KioskCore
import KioskEngine
import KioskStore

/// Applies a stream of events to a store through the loyalty service, in order, and reports
/// each event's outcome (or refusal) and every member's balances and tier at the end. The
/// random source is given: seeded, the report is reproducible.
///
/// A replay can be killed and run again on the same store: it ends where one uninterrupted run
/// ends. Every event is decided once: a committed one is returned by its idempotency key, a
/// refused one is recorded under its key (`loyalty_refusals`) and reported again with the same
/// refusal, never decided afresh against a store that already holds later events. With a
/// `seed`, each event's random draws come from the seed and the event's key, not from a stream
/// position, so a resumed replay draws what the uninterrupted one drew.
public struct Replayer<Random: RandomSource> {
    public let service: LoyaltyService
    public var random: Random
    /// When set, every draw (spins, generated voucher codes, raffle draws) comes from
    /// `SeededRandom(seed:key:)` for its event's key instead of `random`.
    public let seed: UInt64?
    /// The replay's clock: the last `at` seen, moved by `time` events.
    public private(set) var now: Date
    public var keepEvents: Bool
    private var results: [ReplayResult] = []
    private var counts: [String: Int] = [:]
    private var refusals = 0
    private var knownBranches: Set<String> = []
    private var knownOperators: Set<String> = []

    public init(service: LoyaltyService, random: Random, seed: UInt64? = nil, start: Date, keepEvents: Bool = true) throws(LoyaltyError) {
        self.service = service
        self.random = random
        self.seed = seed
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
            refusals += 1
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
        var resolved = event
        resolved.at = at
        let request = try LoyaltyService.encode(resolved)
        // A refusal the replay recorded for this very event (a malformed or incomplete one) is
        // given again; a refusal the loyalty service recorded under the key (with its own form of
        // the request) is given again by the service, which also refuses another request under
        // that key as a conflict.
        let earlier = try storing({ () throws(StoreError) in try service.store.recordedRefusal(key: key) })
        if let earlier, earlier.request == request {
            refusals += 1
            record(ReplayResult(line: number, type: event.type, key: key, at: at, ok: false, replayed: true,
                                refusal: ReplayResult.RefusalReport(code: earlier.code, message: earlier.message)))
            return
        }
        let refusal: ReplayResult.RefusalReport
        do {
            let (outcome, replayed) = try perform(event, key: key, at: at, branch: branch)
            record(ReplayResult(line: number, type: event.type, key: key, at: at, ok: true, replayed: replayed, outcome: outcome))
            return
        } catch {
            switch error {
            case .refused(let r):
                refusal = .init(code: r.code, message: r.message)
            case .store(let storeError) where [.idempotencyConflict, .notFound, .constraint].contains(storeError.code):
                refusal = .init(code: "store.\(storeError.code)", message: storeError.message)
            case .store:
                throw error
            }
        }
        if let earlier, earlier.code == refusal.code, earlier.message == refusal.message {
            // The service gave the refusal it had recorded under the key.
            refusals += 1
            record(ReplayResult(line: number, type: event.type, key: key, at: at, ok: false, replayed: true, refusal: refusal))
            return
        }
        // Recorded before it is reported: a rerun gives this refusal again.
        try storing { () throws(StoreError) in
            try service.store.recordRefusal(key: key, request: request, code: refusal.code, message: refusal.message, at: at)
        }
        refusals += 1
        record(ReplayResult(line: number, type: event.type, key: key, at: at, ok: false, refusal: refusal))
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
                lines: purchaseLines, voucherCode: e.voucher, payWithCredit: e.payWithCredit, payWithGiftCredit: e.payWithGiftCredit,
                redeemPoints: e.redeemPoints))
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
            let member = try need(e.member, "member", e.type)
            let r: Committed<SpinOutcome>
            if let seed {
                var keyed = SeededRandom(seed: seed, key: key)
                r = try service.spin(key: key, member: member, branch: branch, at: at, random: &keyed)
            } else {
                r = try service.spin(key: key, member: member, branch: branch, at: at, random: &random)
            }
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
            let template = try need(e.template, "template", e.type), member = try need(e.member, "member", e.type)
            let r: Committed<IssuedVoucher>
            if let seed {
                var keyed = SeededRandom(seed: seed, key: key)
                r = try service.issueVoucher(template: template, key: key, member: member, branch: branch, operatorID: e.operator,
                                             at: at, random: &keyed)
            } else {
                r = try service.issueVoucher(template: template, key: key, member: member, branch: branch, operatorID: e.operator,
                                             at: at, random: &random)
            }
            return (AnyEncodable(r.outcome), r.replayed)
        case "convert-points":
            let r = try service.convertPoints(try need(e.points, "points", e.type), to: try need(e.to, "to", e.type), key: key,
                                              member: try need(e.member, "member", e.type), branch: branch, operatorID: e.operator, at: at)
            return (AnyEncodable(r.outcome), r.replayed)
        case "sweep":
            return (AnyEncodable(try service.sweep(at: at, keyPrefix: key, branch: branch)), nil)
        case "expiring":
            return (AnyEncodable(try service.expiringSoon(within: e.within ?? 30, at: at)), nil)
        case "raffle-draw":
            let raffle = try need(e.raffle, "raffle", e.type)
            let r: Committed<RaffleDrawOutcome>
            if let seed {
                var keyed = SeededRandom(seed: seed, key: key)
                r = try service.drawRaffle(raffle, winners: e.winners ?? 1, key: key, branch: branch, at: at, random: &keyed)
            } else {
                r = try service.drawRaffle(raffle, winners: e.winners ?? 1, key: key, branch: branch, at: at, random: &random)
            }
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
