import Crypto
import Foundation
import GRDB
import KioskCore
import KioskEngine
import KioskStore

extension LoyaltyService {
    /// Spins the wheel. The cost, the outcome and the audit record (with its SHA-256) commit in
    /// one transaction before anything is shown: a retry with the same key (an interrupted
    /// animation) returns the same outcome and never draws again. The caps, the stock and the
    /// budget are checked again inside the transaction.
    @discardableResult
    public func spin<R: RandomSource>(key: String, member: MemberID, branch: BranchID, at: Date,
                                      random: inout R) throws(LoyaltyError) -> Committed<SpinOutcome> {
        let requestData = try Self.encode(SpinRequest(member: member, at: at))
        if let done = try previous(key, request: requestData, as: SpinOutcome.self) { return done }
        return try recordingRefusal(key, request: requestData, at: at) { () throws(LoyaltyError) -> Committed<SpinOutcome> in
        guard let wheel = program.wheel else { throw .refused(Refusal("wheel.none", "the program has no wheel")) }
        // A spin spends only its cost in coins: only the coin lots that cover it are read.
        let state = try state(of: member, at: at, lots: LotSelection(covering: wheel.costCoins > 0 ? [.coins: wheel.costCoins] : [:], at: at))
        let dayStart = engine.calendar.startOfDay(at)
        let weekStart = engine.calendar.startOfWeek(at)
        let counts = try storing { () throws(StoreError) in try store.wheelState(member: member, dayStart: dayStart, weekStart: weekStart, until: at) }
        let stock = try storing { () throws(StoreError) in try store.catalogueStock() }
        var catalogueStock: [String: Int] = [:]
        for (item, left) in stock { if let left { catalogueStock[item] = left } }
        let wheelState = WheelState(spinsToday: counts.today, spinsThisWeek: counts.week, won: counts.won, spent: counts.spent,
                                    catalogueStock: catalogueStock)
        let outcome = try refusing { () throws(Refusal) in try engine.spin(key: key, member: state, at: at, state: wheelState, random: &random) }
        let segment = wheel.segments.first { $0.id == outcome.segment }!
        let audit = try Self.encode(outcome.audit)
        let sha = SHA256.hash(data: audit).map { String(format: "%02x", $0) }.joined()
        let prizeRial = (segment.prize.kind == .credit || segment.prize.kind == .giftCredit) ? (segment.prize.amount ?? 0) : 0
        var voucher: StoredVoucher?
        if let code = outcome.voucherCode, let template = program.vouchers?.templates?.first(where: { $0.code == segment.prize.voucherTemplate }) {
            voucher = StoredVoucher(code: code, template: template.code, definition: try Self.encode(template), issuedTo: member,
                                    validFrom: at, validUntil: template.validDays.map { engine.calendar.endOfDay($0, after: at) },
                                    uses: 0, maxUses: template.totalLimit ?? 1)
        }
        return try commit(Operation(
            kind: "spin", key: key, member: member, branch: branch, operatorID: nil, at: at,
            request: requestData, outcome: outcome, postings: outcome.postings,
            eventType: "wheel.spun",
            also: { db, tx, _ in
                try KioskStore.recordSpin(
                    SpinRecord(key: key, memberID: member, at: at, dayStart: dayStart, weekStart: weekStart, segment: outcome.segment,
                               prizeRial: prizeRial, audit: audit, auditSHA256: sha),
                    limits: SpinLimits(capPerDay: wheel.capPerDay, capPerWeek: wheel.capPerWeek, segmentStock: segment.stock,
                                       segmentBudget: segment.budget?.amount),
                    transaction: tx, in: db)
                if let voucher { try KioskStore.insertVoucher(voucher, transaction: tx, at: at, in: db) }
                if segment.prize.kind == .catalogueGift, let item = segment.prize.item {
                    try KioskStore.takeStock(item, in: db)
                    let gift = CatalogueOutcome(item: item, costCoins: 0, costCredit: .zero, status: "pending", postings: [])
                    try KioskStore.recordCatalogueRequest(key: key, member: member, item: item, outcome: try Self.encoder.encode(gift),
                                                          transaction: tx, at: at, in: db)
                }
            }))
        }
    }
}

/// A spin request as stored for idempotency.
struct SpinRequest: Codable {
    var member: MemberID
    var at: Date
}
