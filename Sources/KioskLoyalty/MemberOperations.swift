import Foundation
import GRDB
import KioskCore
import KioskEngine
import KioskStore

/// A member to enroll, with their first card.
public struct Enrollment: Sendable, Hashable, Codable {
    public var key: String
    public var member: MemberID
    public var branch: BranchID
    public var operatorID: OperatorID?
    public var at: Date
    public var name: String?
    public var phone: String?
    /// `YYYY-MM-DD`.
    public var birthday: String?
    public var anniversary: String?
    public var customerGroups: [String]
    /// The referral code of the member who invited them.
    public var referralCode: String?
    /// This member's own referral code.
    public var ownReferralCode: String?
    public var source: String?
    public var card: CardID?
    public var cardGroup: String?

    public init(key: String, member: MemberID, branch: BranchID, operatorID: OperatorID? = nil, at: Date, name: String? = nil,
                phone: String? = nil, birthday: String? = nil, anniversary: String? = nil, customerGroups: [String] = [],
                referralCode: String? = nil, ownReferralCode: String? = nil, source: String? = nil, card: CardID? = nil,
                cardGroup: String? = nil) {
        self.key = key
        self.member = member
        self.branch = branch
        self.operatorID = operatorID
        self.at = at
        self.name = name
        self.phone = phone
        self.birthday = birthday
        self.anniversary = anniversary
        self.customerGroups = customerGroups
        self.referralCode = referralCode
        self.ownReferralCode = ownReferralCode
        self.source = source
        self.card = card
        self.cardGroup = cardGroup
    }
}

extension LoyaltyService {
    /// Enrolls a member: their rows, their card, the welcome points, the referral and the
    /// commission as the program says, in one transaction.
    @discardableResult
    public func enroll(_ enrollment: Enrollment) throws(LoyaltyError) -> Committed<EnrollmentOutcome> {
        let requestData = try Self.encode(enrollment)
        if let done = try previous(enrollment.key, request: requestData, as: EnrollmentOutcome.self) { return done }
        if let b = enrollment.birthday, LocalDate.parse(b) == nil {
            throw .refused(Refusal("enroll.bad-date", "birthday \(b) is not a date YYYY-MM-DD"))
        }
        if let c = enrollment.cardGroup, !(program.cardGroups ?? []).contains(c) {
            throw .refused(Refusal("enroll.unknown-card-group", "unknown card group \"\(c)\""))
        }
        var referrer: MemberID?
        if let code = enrollment.referralCode {
            referrer = try storing { () throws(StoreError) in try store.member(byReferralCode: code) }
            if referrer == nil { throw .refused(Refusal("enroll.unknown-referral-code", "no member has the referral code \(code)")) }
        }
        let request = EnrollmentRequest(key: enrollment.key, member: enrollment.member, branch: enrollment.branch,
                                        operatorID: enrollment.operatorID, at: enrollment.at, referredBy: referrer,
                                        customerGroups: enrollment.customerGroups)
        let outcome = try refusing { () throws(Refusal) in try engine.enroll(request) }
        let newMember = NewMember(id: enrollment.member,
                                  personal: MemberPersonal(name: enrollment.name, phone: enrollment.phone, birthday: enrollment.birthday,
                                                           anniversary: enrollment.anniversary),
                                  branchID: enrollment.branch, enrolledBy: enrollment.operatorID, source: enrollment.source,
                                  referralCode: enrollment.ownReferralCode, referredBy: referrer, customerGroups: enrollment.customerGroups)
        let at = enrollment.at
        let entries = (program.raffles ?? []).compactMap { r -> (String, Int64)? in
            guard referrer != nil, let n = r.entriesPerReferral else { return nil }
            let day = engine.calendar.localDate(at)
            if let from = r.from, day < from { return nil }
            if let until = r.until, day > until { return nil }
            return (r.id, n)
        }
        return try commit(Operation(
            kind: "enroll", key: enrollment.key, member: enrollment.member, branch: enrollment.branch, operatorID: enrollment.operatorID,
            at: at, request: requestData, outcome: outcome, postings: outcome.postings, eventType: "member.joined",
            also: { db, tx, _ in
                try KioskStore.insert(newMember, at: at, in: db)
                if let card = enrollment.card {
                    try KioskStore.insert(CardBinding(cardID: card, memberID: enrollment.member, kind: "card", cardGroup: enrollment.cardGroup), at: at, in: db)
                }
                try KioskStore.ensureLoyaltyMember(enrollment.member, in: db)
                try KioskStore.setTier(enrollment.member, from: nil, to: outcome.tier, transaction: tx, at: at, in: db)
                if let commission = outcome.commission {
                    try KioskStore.recordCommission(operatorID: commission.operatorID, member: commission.member,
                                                    amount: commission.amount.amount, transaction: tx, at: at, in: db)
                }
                if let referrer {
                    for (raffle, n) in entries { try KioskStore.addRaffleEntries(raffle, member: referrer, entries: n, transaction: tx, at: at, in: db) }
                }
            }, createsMember: true))
    }

    /// Rewards a behaviour (`survey`, `visit`, `referral`); a visit (a tap) counts as a visit.
    @discardableResult
    public func behaviour(_ name: String, key: String, member: MemberID, branch: BranchID, at: Date) throws(LoyaltyError) -> Committed<BehaviourOutcome> {
        struct Request: Codable { var behaviour: String; var member: MemberID; var at: Date }
        let requestData = try Self.encode(Request(behaviour: name, member: member, at: at))
        if let done = try previous(key, request: requestData, as: BehaviourOutcome.self) { return done }
        return try recordingRefusal(key, request: requestData, at: at) { () throws(LoyaltyError) -> Committed<BehaviourOutcome> in
        _ = try state(of: member, at: at, lots: LotSelection(at: at))
        let outcome = try refusing { () throws(Refusal) in try engine.behaviour(name, key: key, member: member, at: at) }
        return try commit(Operation(
            kind: "behaviour", key: key, member: member, branch: branch, operatorID: nil, at: at,
            request: requestData, outcome: outcome, postings: outcome.postings,
            eventType: outcome.coins > 0 ? "coins.earned" : "behaviour.rewarded",
            also: { db, tx, _ in try KioskStore.recordVisit(member, delta: outcome.visitsDelta, transaction: tx, at: at, in: db) }))
        }
    }

    /// Grants an occasion's gift credit. A birthday, anniversary or holiday is granted at most
    /// once per member and year (in the program's time zone), by the sweep or by staff alike: a
    /// second grant is refused (`gift.already-granted`); apology and welcome grants are not limited.
    @discardableResult
    public func grantGiftCredit(occasion: String, key: String, member: MemberID, branch: BranchID, operatorID: OperatorID?,
                                at: Date) throws(LoyaltyError) -> Committed<GiftCreditGrantOutcome> {
        struct Request: Codable { var occasion: String; var member: MemberID; var at: Date }
        let requestData = try Self.encode(Request(occasion: occasion, member: member, at: at))
        if let done = try previous(key, request: requestData, as: GiftCreditGrantOutcome.self) { return done }
        return try recordingRefusal(key, request: requestData, at: at) { () throws(LoyaltyError) -> Committed<GiftCreditGrantOutcome> in
        // A grant spends nothing: no lot is read.
        let state = try state(of: member, at: at, lots: LotSelection(at: at))
        let outcome = try refusing { () throws(Refusal) in try engine.grantGiftCredit(occasion: occasion, key: key, member: state, at: at) }
        // A yearly occasion is granted once per member and year, whoever grants it: the store
        // holds the rule, in this transaction.
        let kind = program.giftCredit?.occasions.first { $0.id == occasion }?.kind
        let yearly = kind.map { [.birthday, .anniversary, .holiday].contains($0) } ?? false
        let year = engine.calendar.localDate(at).year
        return try commit(Operation(
            kind: "gift-credit", key: key, member: member, branch: branch, operatorID: operatorID, at: at,
            request: requestData, outcome: outcome,
            postings: outcome.postings, eventType: "gift_credit.granted",
            also: { db, tx, _ in
                if yearly { try KioskStore.recordOccasionGrant(occasion, member: member, year: year, transaction: tx, in: db) }
            }))
        }
    }

    /// The lots a catalogue request can spend: those of the item's cost account that cover it.
    func costCovered(_ itemID: String, at: Date) -> LotSelection {
        guard let item = program.catalogue?.first(where: { $0.id == itemID }) else { return LotSelection(at: at) }
        let (account, cost) = item.cost
        return LotSelection(covering: cost > 0 ? [account: cost] : [:], at: at)
    }

    /// Requests a catalogue gift: the cost and one of the stock, and a pending fulfilment. A gift
    /// paid in credit or gift credit is refused (`credit.offline-limit`) beyond `offlineCredit`:
    /// what the member may spend here before the central has acknowledged their earlier spends.
    /// A retry of a committed request is its first answer, whatever the limit says now.
    @discardableResult
    public func requestGift(_ item: String, key: String, member: MemberID, branch: BranchID, at: Date,
                            offlineCredit: OfflineCreditLimit? = nil) throws(LoyaltyError) -> Committed<CatalogueOutcome> {
        struct Request: Codable { var item: String; var member: MemberID; var at: Date }
        let requestData = try Self.encode(Request(item: item, member: member, at: at))
        if let done = try previous(key, request: requestData, as: CatalogueOutcome.self) { return done }
        return try recordingRefusal(key, request: requestData, at: at) { () throws(LoyaltyError) -> Committed<CatalogueOutcome> in
        try retryingStale { () throws(LoyaltyError) -> Committed<CatalogueOutcome> in
            if let offlineCredit, let (account, cost) = program.catalogue?.first(where: { $0.id == item })?.cost,
               account == .credit || account == .giftCredit, cost > 0 {
                let decision = try storing { () throws(StoreError) in try offlineCredit.check(member: member, wanted: Rial(cost), in: store) }
                if case .failure(let refusal) = decision {
                    throw LoyaltyError.refused(Refusal("credit.offline-limit", refusal.description))
                }
            }
            let state = try state(of: member, at: at, lots: costCovered(item, at: at))
            let stock = try storing { () throws(StoreError) in try store.catalogueStock() }
            let left: Int? = stock[item] ?? nil
            let outcome = try refusing { () throws(Refusal) in try engine.requestGift(item, key: key, member: state, at: at, stockLeft: left) }
            return try commit(Operation(
                kind: "gift-request", key: key, member: member, branch: branch, operatorID: nil, at: at,
                request: requestData, outcome: outcome, postings: outcome.postings,
                eventType: "gift.requested",
                also: { db, tx, encoded in
                    try KioskStore.takeStock(item, in: db)
                    try KioskStore.recordCatalogueRequest(key: key, member: member, item: item, outcome: encoded,
                                                          transaction: tx, at: at, in: db)
                }))
        }
        }
    }

    /// Cancels a pending gift request: the cost back into its lots, the item back in stock.
    @discardableResult
    public func cancelGift(request requestKey: String, key: String, branch: BranchID, operatorID: OperatorID?, at: Date) throws(LoyaltyError) -> Committed<CatalogueOutcome> {
        struct Request: Codable { var request: String; var at: Date }
        let requestData = try Self.encode(Request(request: requestKey, at: at))
        if let done = try previous(key, request: requestData, as: CatalogueOutcome.self) { return done }
        return try recordingRefusal(key, request: requestData, at: at) { () throws(LoyaltyError) -> Committed<CatalogueOutcome> in
        let stored = try storing { () throws(StoreError) in try store.catalogueRequest(requestKey) }
        guard let stored else { throw .refused(Refusal("catalogue.unknown-request", "no gift request \(requestKey)")) }
        let original: CatalogueOutcome
        do { original = try Self.decoder.decode(CatalogueOutcome.self, from: stored.outcome) } catch {
            throw .store(StoreError(.corrupt, "gift request \(requestKey) cannot be read"))
        }
        var pending = original
        pending.status = stored.status
        let outcome = try refusing { () throws(Refusal) in try engine.cancelGift(pending) }
        return try commit(Operation(
            kind: "gift-cancel", key: key, member: stored.memberID, branch: branch, operatorID: operatorID, at: at,
            request: requestData, outcome: outcome, postings: outcome.postings,
            eventType: "gift.cancelled",
            also: { db, tx, _ in
                try KioskStore.cancelCatalogueRequest(key: requestKey, transaction: tx, in: db)
                try KioskStore.putBackStock(original.item, in: db)
            }))
        }
    }
}

extension LoyaltyService {
    /// Issues a unique voucher from a template to a member (staff, or the business): the code
    /// is generated from the random source given.
    @discardableResult
    public func issueVoucher<R: RandomSource>(template: String, key: String, member: MemberID, branch: BranchID, operatorID: OperatorID?,
                                              at: Date, random: inout R) throws(LoyaltyError) -> Committed<IssuedVoucher> {
        let requestData = try Self.encode(VoucherIssueRequest(template: template, member: member, at: at))
        if let done = try previous(key, request: requestData, as: IssuedVoucher.self) { return done }
        return try recordingRefusal(key, request: requestData, at: at) { () throws(LoyaltyError) -> Committed<IssuedVoucher> in
        guard let definition = program.vouchers?.templates?.first(where: { $0.code == template }) else {
            throw .refused(Refusal("voucher.unknown-template", "unknown voucher template \"\(template)\""))
        }
        _ = try state(of: member, at: at, lots: LotSelection(at: at))
        let code = LoyaltyEngine.newVoucherCode(&random)
        let validUntil = definition.validDays.map { engine.calendar.endOfDay($0, after: at) }
        let issued = IssuedVoucher(code: code, template: template, member: member, validUntil: validUntil, uses: definition.totalLimit ?? 1)
        let stored = StoredVoucher(code: code, template: template, definition: try Self.encode(definition), issuedTo: member,
                                   validFrom: at, validUntil: validUntil, uses: 0, maxUses: definition.totalLimit ?? 1)
        return try commit(Operation(
            kind: "voucher-issue", key: key, member: member, branch: branch, operatorID: operatorID, at: at,
            request: requestData, outcome: issued, postings: [], eventType: "voucher.issued",
            also: { db, tx, _ in try KioskStore.insertVoucher(stored, transaction: tx, at: at, in: db) }))
        }
    }
}

/// A voucher issued to a member.
public struct IssuedVoucher: Sendable, Hashable, Codable {
    public var code: String
    public var template: String
    public var member: MemberID
    public var validUntil: Date?
    public var uses: Int
}

/// A voucher issue as stored for idempotency.
struct VoucherIssueRequest: Codable {
    var template: String
    var member: MemberID
    var at: Date
}
