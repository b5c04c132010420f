import Foundation
import KioskCore
import KioskEngine
import KioskLoyalty
import KioskReceipts
import KioskSession
import KioskStore
import Logging

/// Carries out what the session asks of the engine and the store, through the store's async
/// boundary. Every operation's idempotency key comes from what triggered it (the card and the
/// instant of the tap, the receipt's own id), so an operation retried after a crash or a timeout
/// never pays or draws twice.
public struct Operations: Sendable {
    /// The program served, replaced by `reloadProgram` between two sessions.
    public let active: ActiveProgram
    public var loyalty: LoyaltyService { active.loyalty }
    public var mapper: ScreenMapper { active.mapper }
    public let gate: StoreGate
    public let receipts: ReceiptVerifier?
    public let branch: BranchID
    /// Writes member tokens at enrollment (nil without `cards.token_key`: no enrollment).
    public let tokens: TokenWriter?
    /// What a member may spend in credit here before the central has acknowledged it (nil: no
    /// limit; `central.offline_credit_limit_toman`).
    public let offlineCredit: OfflineCreditLimit?
    let logger: Logger

    public init(active: ActiveProgram, gate: StoreGate, receipts: ReceiptVerifier?, branch: BranchID,
                tokens: TokenWriter? = nil, offlineCredit: OfflineCreditLimit? = nil, logger: Logger) {
        self.tokens = tokens
        self.offlineCredit = offlineCredit
        self.active = active
        self.gate = gate
        self.receipts = receipts
        self.branch = branch
        self.logger = logger
    }

    /// Serves the program `source` gives now, if it is another one, through the store's queue.
    /// A program that does not load leaves the served one in place, said in the log; the kiosk
    /// goes on.
    @discardableResult
    public func reloadProgram(from source: ProgramSource, at now: Date) async -> ActiveProgram.Reload? {
        do {
            let reload = try await gate.run { [active] in try active.reload(from: source, at: now) }
            switch reload {
            case .replaced(let from, let to):
                logger.notice("program reloaded", metadata: ["version": "\(to)", "was": "\(from)"])
            case .unchanged(let version):
                logger.info("program unchanged (the same version); give a changed program a new version",
                            metadata: ["version": "\(version)"])
            }
            return reload
        } catch {
            logger.error("the program could not be reloaded; the one served stays", metadata: [
                "version": "\(loyalty.program.version)", "error": "\(error)"])
            return nil
        }
    }

    public func perform(_ request: SessionRequest) async -> SessionResult {
        do {
            if case .prepareNewCard(let reader, let card, let newCard) = request {
                return try await prepareNewCard(reader: reader, card: card, newCard)
            }
            if case .replaceCard(let member, let reader, let card, let newCard, let staff, let at) = request {
                return try await replaceCard(member: member, reader: reader, card: card, newCard, staff: staff, at: at)
            }
            return try await gate.run { [self] in try performNow(request) }
        } catch let error as LoyaltyError {
            let refusal = Self.refusal(error)
            if case .failed = refusal {
                logger.error("operation failed", metadata: ["operation": "\(request.kind)", "error": "\(error)"])
            } else {
                logger.notice("operation refused", metadata: ["operation": "\(request.kind)", "reason": "\(error)"])
            }
            return .refused(refusal)
        } catch {
            logger.error("operation failed", metadata: ["operation": "\(request.kind)", "error": "\(error)"])
            return .refused(.failed("\(error)"))
        }
    }

    /// The spin's idempotency key: the card (or the member) and the millisecond of the tap that
    /// asked for it.
    public static func spinKey(member: MemberID, card: CardID?, at: Date) -> String {
        customerKey("spin", member: member, card: card, at: at)
    }

    func performNow(_ request: SessionRequest) throws -> SessionResult {
        switch request {
        case .spin(let member, let card, let at):
            var random = SystemRandom()
            let committed = try loyalty.spin(key: Self.spinKey(member: member, card: card, at: at), member: member, branch: branch,
                                             at: at, random: &random)
            logger.info("spin committed", metadata: ["member": "\(member)", "segment": "\(committed.outcome.segment)",
                                                     "replayed": "\(committed.replayed)"])
            return .spun(outcome(committed.outcome))
        case .claimReceipt(let member, let receipt, let at):
            guard let receipts else { return .refused(.receiptNotClaimable("this kiosk has no receipt keys")) }
            let committed = try loyalty.claimReceipt(receipt.payload, member: member, verifier: receipts, now: at)
            // The same member scanning it again replays the first claim (its key is the receipt's):
            // to the customer that is a receipt already claimed, and nothing is added.
            if committed.replayed { return .refused(.receiptAlreadyClaimed) }
            return .receiptClaimed(points: committed.outcome.points.total)
        case .lookUpVoucher(let code, let at):
            return try voucher(code, at: at)
        case .recordPurchase(let member, let amount, let staff, let at):
            let key = Self.staffKey("kiosk-purchase", staff, at)
            let committed = try loyalty.purchase(PurchaseRequest(key: key, member: member, branch: branch, operatorID: staff, at: at,
                                                                 lines: [PurchaseLine(productGroup: kioskProductGroup, amount: amount)]))
            return .purchaseRecorded(points: committed.outcome.points.total)
        case .verifyPIN(let staff, let pin):
            let stored: String?
            do { stored = try loyalty.store.pinHash(of: staff) } catch { throw LoyaltyError.store(error) }
            return .pinChecked(correct: stored.map { StaffPIN.verify(pin, against: $0) } ?? false)
        case .enroll(let enrollment):
            let committed = try loyalty.enroll(KioskLoyalty.Enrollment(
                key: "kiosk-enroll:\(enrollment.member.rawValue)", member: enrollment.member, branch: branch, operatorID: enrollment.staff,
                at: enrollment.at, phone: enrollment.phone, referralCode: enrollment.referralCode, source: enrollment.source ?? "kiosk",
                card: enrollment.card))
            logger.info("member enrolled", metadata: ["member": "\(enrollment.member)", "staff": "\(enrollment.staff)",
                                                      "replayed": "\(committed.replayed)"])
            return .enrolled(enrollment.member)
        case .prepareNewCard:
            return .refused(.failed("a token is written off the store's queue"))  // perform(_:) takes it
        case .readDiagnostics:
            return .diagnostics(diagnostics(at: Date()))
        case .adjustBalance(let member, let account, let amount, let reason, let staff, let at):
            // Managers only: the session offers it to them alone, and the store is asked again.
            let role: Role?
            do { role = try loyalty.store.role(of: staff) } catch { throw LoyaltyError.store(error) }
            guard role == .manager else { return .refused(.notAllowed) }
            let committed = try loyalty.adjustBalance(amount, of: account, reason: reason, key: Self.staffKey("kiosk-adjust", staff, at),
                                                      member: member, branch: branch, operatorID: staff, at: at)
            logger.info("balance adjusted", metadata: ["member": "\(member)", "account": "\(account.rawValue)", "amount": "\(amount)",
                                                       "reason": "\(reason)", "staff": "\(staff)", "replayed": "\(committed.replayed)"])
            return .balanceAdjusted
        case .pendingGifts(let member):
            let pending: [PendingGift]
            do { pending = try loyalty.store.pendingGifts(of: member) } catch { throw LoyaltyError.store(error) }
            let catalogue = loyalty.program.catalogue ?? []
            return .pendingGifts(pending.map { gift in
                GiftView(request: gift.key, title: catalogue.first { $0.id == gift.item }?.title ?? gift.item, requestedAt: gift.requestedAt)
            })
        case .fulfilGift(let member, let gift, let staff, let at):
            let committed = try loyalty.fulfilGift(request: gift, member: member, key: Self.staffKey("kiosk-gift", staff, at), branch: branch,
                                                   operatorID: staff, at: at)
            logger.info("gift handed out", metadata: ["member": "\(member)", "item": "\(committed.outcome.item)", "staff": "\(staff)",
                                                      "replayed": "\(committed.replayed)"])
            return .giftFulfilled
        case .findMember(let phone):
            let found: MemberID?
            do { found = try loyalty.store.member(byPhone: phone) } catch { throw LoyaltyError.store(error) }
            guard let found else { return .refused(.memberNotFound) }
            return .memberFound(try MemberViews(active: active).view(of: found, at: Date()))
        case .replaceCard:
            return .refused(.failed("a token is written off the store's queue"))  // perform(_:) takes it
        case .redeemVoucher(let member, let code, let amount, let staff, let at):
            let committed = try loyalty.purchase(PurchaseRequest(
                key: Self.staffKey("kiosk-voucher", staff, at), member: member, branch: branch, operatorID: staff, at: at,
                lines: [PurchaseLine(productGroup: kioskProductGroup, amount: amount)], voucherCode: code))
            return .voucherRedeemed(discount: committed.outcome.voucher?.discount ?? .zero, points: committed.outcome.points.total)
        case .lookUpGift(let item, let at):
            return try giftOffer(item, at: at)
        case .requestGift(let member, let item, let card, let at):
            let committed: Committed<CatalogueOutcome>
            switch requestGift(item, member: member, card: card, at: at) {
            case .success(let done): committed = done
            case .failure(let error):
                guard case .refused(let refusal) = error, refusal.code == "credit.offline-limit", let offlineCredit else { throw error }
                let awaiting: Rial
                do { awaiting = try loyalty.store.moneySpentAwaitingCentral(by: member) } catch { throw LoyaltyError.store(error) }
                logger.notice("gift refused by the offline credit limit", metadata: ["member": "\(member)", "item": "\(item)"])
                return .refused(.offlineCreditLimit(remaining: Rial(max(0, offlineCredit.limit(for: member).amount - awaiting.amount))))
            }
            logger.info("gift requested", metadata: ["member": "\(member)", "item": "\(item)", "replayed": "\(committed.replayed)"])
            return .giftRequested
        case .returnablePurchases(let member):
            return .returnablePurchases(try loyalty.returnablePurchases(of: member).map {
                PurchaseView(key: $0.key, at: $0.at, subtotal: $0.subtotal, left: $0.left)
            })
        case .recordReturn(let member, let purchase, let amount, let staff, let at):
            let committed = try loyalty.returnAmount(amount, ofPurchase: purchase, key: Self.staffKey("kiosk-return", staff, at), member: member,
                                                     branch: branch, operatorID: staff, at: at)
            let outcome = committed.outcome
            logger.info("return recorded", metadata: ["member": "\(member)", "purchase": "\(purchase)", "staff": "\(staff)",
                                                      "replayed": "\(committed.replayed)"])
            return .returnRecorded(refund: Rial(outcome.refundToGiftCredit.amount + outcome.refundToCredit.amount + outcome.refundInCash.amount),
                                   points: outcome.pointsReversed)
        }
    }

    /// A customer's gift request, under the offline credit limit.
    func requestGift(_ item: String, member: MemberID, card: CardID?, at: Date) -> Result<Committed<CatalogueOutcome>, LoyaltyError> {
        Result { () throws(LoyaltyError) in
            try loyalty.requestGift(item, key: Self.customerKey("gift", member: member, card: card, at: at), member: member,
                                    branch: branch, at: at, offlineCredit: offlineCredit)
        }
    }

    /// A catalogue item as a customer is offered it: refused when it is not in the catalogue, out
    /// of stock or outside its display window (the request checks all of it again, and the cost).
    func giftOffer(_ id: String, at: Date) throws -> SessionResult {
        guard let item = loyalty.program.catalogue?.first(where: { $0.id == id }) else { return .refused(.giftUnknown) }
        let day = loyalty.engine.calendar.localDate(at)
        if let from = item.displayFrom, day < from { return .refused(.giftUnavailable) }
        if let until = item.displayUntil, day > until { return .refused(.giftUnavailable) }
        let stock: [String: Int?]
        do { stock = try loyalty.store.catalogueStock() } catch { throw LoyaltyError.store(error) }
        if let left = stock[id] ?? nil, left <= 0 { return .refused(.giftUnavailable) }
        let (account, cost) = item.cost
        return .giftOffer(GiftOfferView(item: id, title: item.title, account: account, cost: cost))
    }

    /// The idempotency key of a staff operation: what it is, who did it and the millisecond of
    /// the key that committed it (a retry of that same request is the same key).
    static func staffKey(_ kind: String, _ staff: OperatorID, _ at: Date) -> String {
        "\(kind):\(staff.rawValue):\(millisecond(at))"
    }

    /// The idempotency key of a customer's operation: what it is, the card (or the member, for a
    /// scanned member code) and the millisecond of the tap that asked for it.
    static func customerKey(_ kind: String, member: MemberID, card: CardID?, at: Date) -> String {
        "\(kind):\(card?.rawValue ?? member.rawValue):\(millisecond(at))"
    }

    static func millisecond(_ at: Date) -> Int64 { Int64((at.timeIntervalSince1970 * 1000).rounded(.down)) }

    /// A replacement card: the member's own token written to the blank card and read back, then
    /// the card bound to them and their old cards blocked, in one operation. A card the store
    /// knows already is never written.
    func replaceCard(member: MemberID, reader: String, card: CardID, _ newCard: NewCard, staff: OperatorID, at: Date) async throws -> SessionResult {
        if let refused = try await prepare(newCard, member: member, reader: reader, card: card, at: at) { return .refused(refused) }
        let committed = try await gate.run { [self] in
            try loyalty.replaceCard(member: member, with: card, key: Self.staffKey("kiosk-replace", staff, at), branch: branch,
                                    operatorID: staff, at: at)
        }
        logger.info("card replaced", metadata: ["member": "\(member)", "blocked": "\(committed.outcome.blocked.count)",
                                                "staff": "\(staff)", "replayed": "\(committed.replayed)"])
        return .cardReplaced
    }

    /// The technician's rows: nothing of any member, and nothing slower than a count (it is read
    /// every two seconds while shown; `kiosk diag` checks the store's integrity).
    func diagnostics(at now: Date) -> DiagnosticsView {
        let store = loyalty.store
        var rows: [DiagnosticsView.Row] = [
            .init(.version, "kiosk \(BuildInfo.version)"),
            .init(.program, loyalty.program.version),
        ]
        let bytes = (try? FileManager.default.attributesOfItem(atPath: store.path)[.size] as? Int) ?? nil
        do {
            let pending = try store.outboxPending()
            rows.append(.init(.store, bytes.map { String(format: "%.1f MiB", Double($0) / 1_048_576) } ?? "open", ok: true))
            rows.append(.init(.outbox, "\(pending) waiting"))
        } catch {
            rows.append(.init(.store, "\(error.code)", ok: false))
        }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = mapper.timeZone
        formatter.dateFormat = "yyyy-MM-dd HH:mm:ss"
        rows.append(.init(.clock, "\(formatter.string(from: now)) \(mapper.timeZone.identifier)"))
        return DiagnosticsView(rows: rows)
    }

    /// Enrollment's first step: a new member id and the card made theirs (`prepare`).
    func prepareNewCard(reader: String, card: CardID, _ newCard: NewCard) async throws -> SessionResult {
        let member = TokenWriter.newMemberID()
        if let refused = try await prepare(newCard, member: member, reader: reader, card: card, at: Date()) { return .refused(refused) }
        return .cardPrepared(member: member)
    }

    /// Makes `card` ready to be bound to `member`: a blank card gets their token, written and read
    /// back; a self-identifying card (its bare UID trusted here, a SUN card) is taken as it is,
    /// nothing written. A card the store knows already (a member's, a staff card) is refused.
    func prepare(_ newCard: NewCard, member: MemberID, reader: String, card: CardID, at: Date) async throws -> KioskSession.Refusal? {
        switch newCard {
        case .blank:
            return try await writeToken(member: member, reader: reader, card: card, at: at)
        case .selfIdentifying:
            if try await isKnown(card) { return .cardAlreadyEnrolled }
            logger.info("card taken as it is (it identifies itself; nothing written)", metadata: ["member": "\(member)", "reader": "\(reader)"])
            return nil
        }
    }

    /// Whether the store binds `card` to a member or a staff member already.
    func isKnown(_ card: CardID) async throws -> Bool {
        try await gate.run { [self] () throws -> Bool in
            try loyalty.store.member(byCard: card) != nil || loyalty.store.staff(byCard: card) != nil
        }
    }

    /// Writes `member`'s token to the blank `card` on `reader` and reads it back; the refusal to
    /// show when it is not written. A card the store knows already (a member's, a staff card) is
    /// never written.
    func writeToken(member: MemberID, reader: String, card: CardID, at: Date) async throws -> KioskSession.Refusal? {
        guard let tokens else { return .tokenNotWritten("this kiosk has no member-token key (cards.token_key)") }
        if try await isKnown(card) { return .cardAlreadyEnrolled }
        do {
            let written = try await tokens.write(member: member, card: card, reader: reader, at: at)
            logger.info("member token written", metadata: ["member": "\(member)", "reader": "\(reader)", "bytes": "\(written.bytes)",
                                                          "locked": "\(written.locked)"])
            return nil
        } catch {
            logger.notice("member token not written", metadata: ["reader": "\(reader)", "reason": "\(error)"])
            return .tokenNotWritten(error.description)
        }
    }

    /// The product group of a purchase staff record at the kiosk by its amount alone.
    var kioskProductGroup: String { loyalty.program.productGroups.first ?? "general" }

    func outcome(_ spun: KioskEngine.SpinOutcome) -> KioskSession.SpinOutcome {
        let audit = (try? Self.auditEncoder.encode(spun.audit)).map { String(decoding: $0, as: UTF8.self) } ?? ""
        return outcome(segment: spun.segment, label: spun.label, won: spun.prize.kind != .nothing, audit: audit)
    }

    func outcome(segment id: String, label: String?, won: Bool, audit: String) -> KioskSession.SpinOutcome {
        let segments = loyalty.program.wheel?.segments ?? []
        let index = segments.firstIndex { $0.id == id } ?? 0
        let shown = segments.indices.contains(index) ? mapper.segment(segments[index]).label : (label ?? id)
        return KioskSession.SpinOutcome(segment: index, segmentCount: max(segments.count, 2), prize: shown, won: won, auditRecord: audit)
    }

    /// A spin committed within `window` before `now` (its animation cut short by a restart), with
    /// its member, to show its result again: the same prize, never a second draw.
    public func spinToRestore(now: Date, window: TimeInterval, members: MemberViews) async -> (MemberView, KioskSession.SpinOutcome)? {
        do {
            return try await gate.run { [self] () -> (MemberView, KioskSession.SpinOutcome)? in
                guard let spin = try loyalty.store.lastSpin(since: now.addingTimeInterval(-window)) else { return nil }
                let segment = loyalty.program.wheel?.segments.first { $0.id == spin.segment }
                let view = try members.view(of: spin.memberID, at: now)
                return (view, outcome(segment: spin.segment, label: segment?.label, won: segment.map { $0.prize.kind != .nothing } ?? false,
                                      audit: String(decoding: spin.audit, as: UTF8.self)))
            }
        } catch {
            logger.error("the last spin could not be read back", metadata: ["error": "\(error)"])
            return nil
        }
    }

    /// A scanned voucher as of `at`, checked as the engine checks it at a purchase: a generated
    /// code or a shared code of the program, its validity window and its total limit.
    func voucher(_ code: String, at: Date) throws -> SessionResult {
        guard let found = try loyalty.lookUpVoucher(code, at: at) else { return .refused(.voucherUnknown) }
        return .voucher(VoucherView(code: found.code, summary: summary(found.definition), lastValidDay: found.lastValidDay,
                                    unusable: found.unavailable.map(Self.unusable)))
    }

    static func unusable(_ refusal: KioskEngine.Refusal) -> VoucherUnusable {
        switch refusal.code {
        case "voucher.not-yet-valid": .notYetValid
        case "voucher.exhausted": .usedUp
        default: .expired
        }
    }

    /// What a voucher gives, in the kiosk's locale.
    func summary(_ definition: VoucherDefinition) -> String {
        let locale = mapper.locale
        let fa = locale == .faIR
        switch definition.benefit {
        case .percent:
            let percent = locale.number((definition.percent?.basisPoints ?? 0) / 100)
            return fa ? "\(percent)٪ تخفیف" : "\(percent)% off"
        case .amount:
            let amount = locale.toman(definition.amount ?? .zero)
            return fa ? "\(amount) تخفیف" : "\(amount) off"
        case .freeShipping: return fa ? "ارسال رایگان" : "Free delivery"
        case .gift: return fa ? "هدیه" : "A gift"
        }
    }

    static let auditEncoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.dateEncodingStrategy = .iso8601
        return encoder
    }()

    static func refusal(_ error: LoyaltyError) -> KioskSession.Refusal {
        switch error {
        case .refused(let refusal):
            switch refusal.code {
            case let code where code.hasPrefix("wheel."): return .noSpinAvailable
            case "receipt.alreadyClaimed": return .receiptAlreadyClaimed
            case "receipt.badSignature", "receipt.unknownKey", "receipt.malformed", "receipt.totalMismatch", "receipt.weakKey":
                return .receiptForged
            case let code where code.hasPrefix("receipt."): return .receiptNotClaimable(refusal.message)
            case "member.blocked": return .blockedCard
            case "member.unknown": return .unknownCard
            case "adjust.insufficient": return .insufficientBalance
            case "catalogue.unknown-item": return .giftUnknown
            case "catalogue.not-shown", "catalogue.out-of-stock": return .giftUnavailable
            case "catalogue.insufficient": return .giftTooDear
            case "voucher.unknown": return .voucherUnknown
            case "voucher.expired": return .voucherNotUsable(.expired)
            case "voucher.not-yet-valid": return .voucherNotUsable(.notYetValid)
            case "voucher.exhausted", "voucher.member-limit": return .voucherNotUsable(.usedUp)
            case "voucher.not-yours": return .voucherNotUsable(.notThisMember)
            case "voucher.minimum-spend": return .voucherNotUsable(.belowMinimumSpend)
            case "catalogue.not-pending", "catalogue.unknown-request", "catalogue.not-this-member": return .giftNotPending
            case "card.already-bound": return .cardAlreadyEnrolled
            case let code where code.hasPrefix("return."): return .returnRefused(refusal.message)
            default: return .failed(refusal.code)
            }
        case .store(let error): return .failed(error.description)
        }
    }
}

extension SessionRequest {
    /// The operation's name for the log (never its data: a PIN stays out).
    var kind: String {
        switch self {
        case .spin: "spin"
        case .claimReceipt: "receipt-claim"
        case .lookUpVoucher: "voucher-lookup"
        case .readDiagnostics: "diagnostics"
        case .verifyPIN: "pin-check"
        case .prepareNewCard: "new-card"
        case .enroll: "enroll"
        case .recordPurchase: "purchase"
        case .adjustBalance: "balance-adjustment"
        case .pendingGifts: "pending-gifts"
        case .fulfilGift: "gift-fulfilment"
        case .findMember: "member-by-phone"
        case .replaceCard: "card-replacement"
        case .redeemVoucher: "voucher-purchase"
        case .returnablePurchases: "returnable-purchases"
        case .lookUpGift: "gift-lookup"
        case .requestGift: "gift-request"
        case .recordReturn: "return"
        }
    }
}
