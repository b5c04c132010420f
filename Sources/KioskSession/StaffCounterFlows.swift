import Foundation
import KioskCore

/// The staff flows at the counter beside enrollment and purchases: a manager adjusting a
/// balance, a gift handed out, a lost or broken card replaced. Each step is a prompt; Cancel goes
/// back to the menu from any of them, and nothing is committed before the last key.
extension Session {
    /// The accounts a manager adjusts, in menu order.
    static let adjustableAccounts: [Account] = [.points, .credit, .coins]

    /// A card or member QR presented during a counter flow; false when the step does not take it.
    mutating func counterPresented(_ presentation: Presentation, session: inout StaffSession, now: Date,
                                   into effects: inout [SessionEffect]) -> Bool {
        switch (session.step, presentation.identity) {
        case (.adjustIdentify, .member(let member)):
            accept(presentation, into: &effects)
            session.step = .adjustAccount(member)
            session.lastActivity = now
            phase = .staff(session)
            show(.staffStep(session.staff, .adjustAccount(member, accounts: Self.adjustableAccounts)), into: &effects)
        case (.giftIdentify, .member(let member)):
            accept(presentation, into: &effects)
            session.step = .giftPick(member, [])
            session.lastActivity = now
            awaitAnswer(.pendingGifts(member: member.id), session: session, now: now, into: &effects)
        case (.returnIdentify, .member(let member)):
            accept(presentation, into: &effects)
            session.step = .returnPick(member, [])
            session.lastActivity = now
            awaitAnswer(.returnablePurchases(member: member.id), session: session, now: now, into: &effects)
        case (.voucherIdentify, .member(let member)):
            accept(presentation, into: &effects)
            session.step = .voucherScan(member)
            session.lastActivity = now
            phase = .staff(session)
            show(.staffStep(session.staff, .voucherScan(member)), into: &effects)
        case (.replaceIdentify, .member(let member)):
            accept(presentation, into: &effects)
            session.step = .replaceTap(member)
            session.lastActivity = now
            phase = .staff(session)
            show(.staffStep(session.staff, .replaceTapNewCard(member)), into: &effects)
        case (.replaceTap(let member), .unknown):
            // The new card is on a reader, blank (a token is written to it) or self-identifying.
            guard let reader = presentation.reader else { return false }
            guard let card = presentation.card, let newCard = presentation.newCard else {
                effects.append(.feedback(reader: reader, .refused))
                showResult(.refused(.cardNotEnrollable), in: &session, now: now, into: &effects)
                return true
            }
            accept(presentation, into: &effects)
            session.step = .replaceWriting(member, card: card)
            session.lastActivity = now
            let request = newRequest()
            phase = .awaitingStaff(request, session, since: now)
            effects.append(.perform(request, .replaceCard(member: member.id, reader: reader, card: card, newCard, staff: session.staff.id, at: now)))
            show(.staffStep(session.staff, .replaceWritingToken(member)), into: &effects)
        case (.replaceTap, .member), (.replaceTap, .staff):
            if let reader = presentation.reader { effects.append(.feedback(reader: reader, .refused)) }
            showResult(.refused(.cardAlreadyEnrolled), in: &session, now: now, into: &effects)
        default:
            return false
        }
        return true
    }

    mutating func counterKeyed(_ key: KeypadKey, session: inout StaffSession, now: Date, into effects: inout [SessionEffect]) {
        if case .cancel = key {
            // Nothing is under way that Cancel could cut short: a step awaiting an answer is not
            // in `.staff`, and its keys never reach here.
            backToMenu(&session, into: &effects)
            return
        }
        let staff = session.staff
        switch session.step {
        case .adjustAccount(let member):
            guard let index = menuIndex(key, count: Self.adjustableAccounts.count) else { return }
            let account = Self.adjustableAccounts[index]
            session.step = .adjustDirection(member, account)
            show(.staffStep(staff, .adjustDirection(member, account)), into: &effects)
        case .adjustDirection(let member, let account):
            guard let index = menuIndex(key, count: 2) else { return }
            session.step = .adjustAmount(member, account, deduct: index == 1, typed: "")
            show(.staffStep(staff, .adjustAmount(member, account, deduct: index == 1, typed: "")), into: &effects)
        case .adjustAmount(let member, let account, let deduct, let typed):
            switch amountKey(key, typed: typed) {
            case .typed(let shown):
                session.step = .adjustAmount(member, account, deduct: deduct, typed: shown)
                show(.staffStep(staff, .adjustAmount(member, account, deduct: deduct, typed: shown)), into: &effects)
            case .entered(let typedAmount):
                // Credit is typed in Toman and adjusted in Rial; points and coins as they are.
                let amount = (account == .credit ? typedAmount * 10 : typedAmount) * (deduct ? -1 : 1)
                session.step = .adjustReason(member, account, amount: amount)
                show(.staffStep(staff, .adjustReason(member, reasons: settings.adjustmentReasons)), into: &effects)
            case .ignored, .enteredNothing:
                return
            }
        case .adjustReason(let member, let account, let amount):
            guard let index = menuIndex(key, count: settings.adjustmentReasons.count) else { return }
            awaitAnswer(.adjustBalance(member: member.id, account: account, amount: amount, reason: settings.adjustmentReasons[index],
                                 staff: staff.id, at: now), session: session, now: now, into: &effects)
            return
        case .giftPick(let member, let gifts):
            if gifts.isEmpty {
                if case .enter = key { backToMenu(&session, into: &effects) }
                return
            }
            guard let index = menuIndex(key, count: gifts.count) else { return }
            session.step = .giftHanding(member, gifts[index])
            awaitAnswer(.fulfilGift(member: member.id, request: gifts[index].request, staff: staff.id, at: now), session: session, now: now,
                  into: &effects)
            return
        case .returnPick(let member, let purchases):
            if purchases.isEmpty {
                if case .enter = key { backToMenu(&session, into: &effects) }
                return
            }
            guard let index = menuIndex(key, count: purchases.count) else { return }
            session.step = .returnAmount(member, purchases[index], typed: "")
            show(.staffStep(staff, .returnAmount(member, purchases[index], typed: "")), into: &effects)
        case .returnAmount(let member, let purchase, let typed):
            switch amountKey(key, typed: typed) {
            case .typed(let shown):
                session.step = .returnAmount(member, purchase, typed: shown)
                show(.staffStep(staff, .returnAmount(member, purchase, typed: shown)), into: &effects)
            case .entered(let toman):
                // Typed in Toman; never more than is left.
                guard toman * 10 <= purchase.left.amount else { return }
                awaitAnswer(.recordReturn(member: member.id, purchase: purchase.key, amount: Rial(toman * 10), staff: staff.id, at: now),
                            session: session, now: now, into: &effects)
                return
            case .enteredNothing:
                // Nothing typed: all that is left.
                awaitAnswer(.recordReturn(member: member.id, purchase: purchase.key, amount: nil, staff: staff.id, at: now),
                            session: session, now: now, into: &effects)
                return
            case .ignored:
                return
            }
        case .voucherAmount(let member, let voucher, let typed):
            switch amountKey(key, typed: typed) {
            case .typed(let shown):
                session.step = .voucherAmount(member, voucher, typed: shown)
                show(.staffStep(staff, .voucherAmount(member, voucher, typed: shown)), into: &effects)
            case .entered(let toman):
                // Typed in Toman, as a purchase is.
                awaitAnswer(.redeemVoucher(member: member.id, code: voucher.code, amount: Rial(toman * 10), staff: staff.id, at: now),
                            session: session, now: now, into: &effects)
                return
            case .ignored, .enteredNothing:
                return
            }
        case .replaceIdentify(let typed):
            var shown = typed
            switch key {
            case .digit(let digit) where digit <= 9 && typed.count < 11:
                shown = typed + String(digit)
            case .backspace where !typed.isEmpty:
                shown = String(typed.dropLast())
            case .enter where PhoneNumber.isPlausible(typed):
                awaitAnswer(.findMember(phone: typed), session: session, now: now, into: &effects)
                return
            default:
                return
            }
            session.step = .replaceIdentify(typed: shown)
            show(.staffStep(staff, .replaceIdentify(typed: shown)), into: &effects)
        default:
            // Steps that wait for a card (or for an answer) take Cancel only.
            return
        }
        phase = .staff(session)
    }

    /// A counter flow's answer; false when it is not one.
    mutating func counterCompleted(_ result: SessionResult, session: inout StaffSession, now: Date,
                                   into effects: inout [SessionEffect]) -> Bool {
        let staff = session.staff
        switch (session.step, result) {
        case (.adjustReason(let member, let account, let amount), .balanceAdjusted):
            effects.append(.audit(SessionAudit(staff: staff.id, role: staff.role, action: "staff.adjust_balance",
                                               subject: member.id.rawValue, at: now)))
            showResult(.balanceAdjusted(member, account, amount: amount), in: &session, now: now, into: &effects)
        case (.giftPick(let member, _), .pendingGifts(let gifts)):
            session.step = .giftPick(member, Array(gifts.prefix(9)))
            session.lastActivity = now
            phase = .staff(session)
            show(.staffStep(staff, .giftList(member, Array(gifts.prefix(9)))), into: &effects)
        case (.giftHanding(let member, let gift), .giftFulfilled):
            effects.append(.audit(SessionAudit(staff: staff.id, role: staff.role, action: "staff.redeem_gift",
                                               subject: member.id.rawValue, at: now)))
            showResult(.giftHandedOut(member, gift.title), in: &session, now: now, into: &effects)
        case (.voucherScan(let member), .voucher(let voucher)):
            if let unusable = voucher.unusable {
                showResult(.refused(.voucherNotUsable(unusable)), in: &session, now: now, into: &effects)
            } else {
                session.step = .voucherAmount(member, voucher, typed: "")
                session.lastActivity = now
                phase = .staff(session)
                show(.staffStep(staff, .voucherAmount(member, voucher, typed: "")), into: &effects)
            }
        case (.returnPick(let member, _), .returnablePurchases(let purchases)):
            session.step = .returnPick(member, Array(purchases.prefix(9)))
            session.lastActivity = now
            phase = .staff(session)
            show(.staffStep(staff, .returnList(member, Array(purchases.prefix(9)))), into: &effects)
        case (.returnAmount(let member, _, _), .returnRecorded(let refund, let points)):
            effects.append(.audit(SessionAudit(staff: staff.id, role: staff.role, action: "staff.record_return",
                                               subject: member.id.rawValue, at: now)))
            showResult(.returnRecorded(member, refund: refund, points: points), in: &session, now: now, into: &effects)
        case (.voucherAmount(let member, _, _), .voucherRedeemed(let discount, let points)):
            effects.append(.audit(SessionAudit(staff: staff.id, role: staff.role, action: "staff.redeem_voucher",
                                               subject: member.id.rawValue, at: now)))
            showResult(.voucherRedeemed(member, discount: discount, points: points), in: &session, now: now, into: &effects)
        case (.replaceIdentify, .memberFound(let member)):
            session.step = .replaceTap(member)
            session.lastActivity = now
            phase = .staff(session)
            show(.staffStep(staff, .replaceTapNewCard(member)), into: &effects)
        case (.replaceWriting(let member, _), .cardReplaced):
            effects.append(.audit(SessionAudit(staff: staff.id, role: staff.role, action: "staff.replace_card",
                                               subject: member.id.rawValue, at: now)))
            showResult(.cardReplaced(member), in: &session, now: now, into: &effects)
        default:
            return false
        }
        return true
    }

    /// Asks for `request` and waits in the session's current step.
    mutating func awaitAnswer(_ request: SessionRequest, session: StaffSession, now: Date, into effects: inout [SessionEffect]) {
        let id = newRequest()
        phase = .awaitingStaff(id, session, since: now)
        effects.append(.perform(id, request))
        show(.working, into: &effects)
    }

    /// What a key does to an amount being typed: a digit (at most 12, no leading zero) or
    /// Backspace changes it, Enter submits it (or nothing, when nothing is typed).
    enum AmountKey: Equatable {
        case typed(String)
        case entered(Int64)
        case enteredNothing
        case ignored
    }

    func amountKey(_ key: KeypadKey, typed: String) -> AmountKey {
        switch key {
        case .digit(let digit) where digit <= 9 && typed.count < 12 && !(typed.isEmpty && digit == 0): .typed(typed + String(digit))
        case .backspace where !typed.isEmpty: .typed(String(typed.dropLast()))
        case .enter: Int64(typed).map { $0 > 0 ? .entered($0) : .ignored } ?? .enteredNothing
        default: .ignored
        }
    }

    /// The menu entry a digit key picks (1 is the first), if there is one.
    func menuIndex(_ key: KeypadKey, count: Int) -> Int? {
        guard case .digit(let digit) = key, digit >= 1, Int(digit) <= count else { return nil }
        return Int(digit) - 1
    }
}
