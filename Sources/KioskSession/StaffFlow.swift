import Foundation
import KioskCore

extension Session {
    mutating func staffPresented(_ presentation: Presentation, now: Date, into effects: inout [SessionEffect]) {
        guard let current = phase.staffView else { return }
        if case .staff(let staff) = presentation.identity, staff.id == current.id {
            // The staff card again: the session ends (whatever step it was in).
            accept(presentation, into: &effects)
            effects.append(.audit(SessionAudit(staff: staff.id, role: staff.role, action: "staff.logout", at: now)))
            goIdle(into: &effects)
            return
        }
        guard case .staff(var session) = phase else {
            if let reader = presentation.reader { effects.append(.feedback(reader: reader, .refused)) }
            return
        }
        switch (session.step, presentation.identity) {
        case (.enrollTap, .unknown):
            // A card on a reader (a scanned code is no card): blank, or one that identifies itself.
            guard let reader = presentation.reader else { return }
            guard let card = presentation.card, let newCard = presentation.newCard else {
                effects.append(.feedback(reader: reader, .refused))
                showResult(.refused(.cardNotEnrollable), in: &session, now: now, into: &effects)
                return
            }
            accept(presentation, into: &effects)
            session.step = .enrollWriting(card: card)
            session.lastActivity = now
            let request = newRequest()
            phase = .awaitingStaff(request, session, since: now)
            effects.append(.perform(request, .prepareNewCard(reader: reader, card: card, newCard)))
            show(.staffStep(session.staff, .enrollWritingToken), into: &effects)
        case (.enrollTap, .member):
            if let reader = presentation.reader { effects.append(.feedback(reader: reader, .refused)) }
            showResult(.refused(.cardAlreadyEnrolled), in: &session, now: now, into: &effects)
        case (.purchaseIdentify, .member(let member)):
            accept(presentation, into: &effects)
            session.step = .purchaseAmount(member, typed: "")
            session.lastActivity = now
            phase = .staff(session)
            show(.staffStep(session.staff, .purchaseAmount(member, typed: "")), into: &effects)
        default:
            if counterPresented(presentation, session: &session, now: now, into: &effects) { return }
            if let reader = presentation.reader { effects.append(.feedback(reader: reader, .refused)) }
        }
    }

    mutating func staffScanned(_ scan: ScanInput, now: Date, into effects: inout [SessionEffect]) {
        guard case .staff(var session) = phase else { return }
        if case .voucherScan = session.step, case .voucher(let code) = scan {
            // Looked up first: staff see what it gives (or why it cannot be used) before the amount.
            session.lastActivity = now
            awaitAnswer(.lookUpVoucher(code: code, at: now), session: session, now: now, into: &effects)
            return
        }
        guard case .enrollContact(let member, let card, _) = session.step,
              case .enrollmentLink(let source, let referral) = scan else { return }
        session.lastActivity = now
        enroll(Enrollment(member: member, card: card, phone: nil, source: source, referralCode: referral,
                          staff: session.staff.id, at: now), session: session, now: now, into: &effects)
    }

    mutating func keyed(_ key: KeypadKey, now: Date, into effects: inout [SessionEffect]) {
        switch phase {
        case .pinEntry(var entry):
            entry.lastActivity = now
            switch key {
            case .digit(let digit) where digit <= 9:
                if entry.digits.count < settings.pinLength.upperBound { entry.digits.append(digit) }
            case .digit: return
            case .backspace: if !entry.digits.isEmpty { entry.digits.removeLast() }
            case .cancel:
                goIdle(into: &effects)
                return
            case .enter:
                guard settings.pinLength.contains(entry.digits.count) else { return }
                let request = newRequest()
                phase = .verifyingPIN(request, entry.staff, since: now)
                effects.append(.perform(request, .verifyPIN(staff: entry.staff.id, pin: PIN(digits: entry.digits))))
                show(.working, into: &effects)
                return
            }
            phase = .pinEntry(entry)
            show(.pinEntry(staffName: entry.staff.displayName, digitsTyped: entry.digits.count, message: entry.message), into: &effects)
        case .staff(var session):
            session.lastActivity = now
            staffKeyed(key, session: &session, now: now, into: &effects)
        default:
            return
        }
    }

    mutating func staffKeyed(_ key: KeypadKey, session: inout StaffSession, now: Date, into effects: inout [SessionEffect]) {
        switch session.step {
        case .menu:
            if case .cancel = key {
                effects.append(.audit(SessionAudit(staff: session.staff.id, role: session.staff.role, action: "staff.logout", at: now)))
                goIdle(into: &effects)
                return
            }
            let actions = session.staff.actions
            guard case .digit(let digit) = key, digit >= 1, Int(digit) <= actions.count else { return }
            begin(actions[Int(digit) - 1], session: &session, now: now, into: &effects)
        case .enrollContact(let member, let card, let typed):
            switch key {
            case .digit(let digit) where digit <= 9 && typed.count < 13:
                session.step = .enrollContact(member: member, card: card, typed: typed + String(digit))
            case .backspace where !typed.isEmpty:
                session.step = .enrollContact(member: member, card: card, typed: String(typed.dropLast()))
            case .cancel:
                backToMenu(&session, into: &effects)
                return
            case .enter where PhoneNumber.isPlausible(typed):
                enroll(Enrollment(member: member, card: card, phone: typed, source: nil, referralCode: nil,
                                  staff: session.staff.id, at: now), session: session, now: now, into: &effects)
                return
            default:
                return
            }
            phase = .staff(session)
            if case .enrollContact(_, _, let shown) = session.step {
                show(.staffStep(session.staff, .enrollContact(typed: shown)), into: &effects)
            }
        case .purchaseAmount(let member, let typed):
            switch amountKey(key, typed: typed) {
            case .typed(let shown):
                session.step = .purchaseAmount(member, typed: shown)
                phase = .staff(session)
                show(.staffStep(session.staff, .purchaseAmount(member, typed: shown)), into: &effects)
            case .entered(let toman):
                // Typed in Toman; committed in Rial. Twelve digits at most: far from overflow.
                let request = newRequest()
                phase = .awaitingStaff(request, session, since: now)
                effects.append(.perform(request, .recordPurchase(member: member.id, amount: Rial(toman * 10),
                                                                 staff: session.staff.id, at: now)))
                show(.working, into: &effects)
            case .ignored, .enteredNothing:
                return
            }
        case .result:
            backToMenu(&session, into: &effects)
        case .diagnostics, .enrollTap, .enrollWriting, .purchaseIdentify:
            if case .cancel = key { backToMenu(&session, into: &effects) }
        case .adjustIdentify, .adjustAccount, .adjustDirection, .adjustAmount, .adjustReason,
             .giftIdentify, .giftPick, .giftHanding, .replaceIdentify, .replaceTap, .replaceWriting,
             .voucherIdentify, .voucherScan, .voucherAmount, .returnIdentify, .returnPick, .returnAmount:
            counterKeyed(key, session: &session, now: now, into: &effects)
        }
    }

    mutating func begin(_ action: StaffAction, session: inout StaffSession, now: Date, into effects: inout [SessionEffect]) {
        effects.append(.audit(SessionAudit(staff: session.staff.id, role: session.staff.role,
                                           action: "staff.begin." + action.rawValue, at: now)))
        switch action {
        case .enroll:
            session.step = .enrollTap
            phase = .staff(session)
            show(.staffStep(session.staff, .enrollTapBlankCard), into: &effects)
        case .recordPurchase: startCounterFlow(.purchaseIdentify, .identifyMember(.recordPurchase), session: &session, into: &effects)
        case .diagnostics:
            let request = newRequest()
            session.step = .diagnostics(pending: request, next: now + settings.diagnosticsRefresh, shown: nil)
            phase = .staff(session)
            effects.append(.perform(request, .readDiagnostics))
            show(.diagnostics(session.staff, nil), into: &effects)
        case .adjustBalance:
            // The menu offers it to managers only; the role is checked again here and by the
            // composition before anything is committed.
            guard session.staff.role == .manager else {
                showResult(.refused(.notAllowed), in: &session, now: now, into: &effects)
                return
            }
            startCounterFlow(.adjustIdentify, .identifyMember(.adjustBalance), session: &session, into: &effects)
        case .redeemGift: startCounterFlow(.giftIdentify, .identifyMember(.redeemGift), session: &session, into: &effects)
        case .replaceCard: startCounterFlow(.replaceIdentify(typed: ""), .replaceIdentify(typed: ""), session: &session, into: &effects)
        case .redeemVoucher: startCounterFlow(.voucherIdentify, .identifyMember(.redeemVoucher), session: &session, into: &effects)
        case .recordReturn: startCounterFlow(.returnIdentify, .identifyMember(.recordReturn), session: &session, into: &effects)
        }
    }

    mutating func startCounterFlow(_ step: StaffSession.Step, _ shown: StaffStep, session: inout StaffSession,
                                   into effects: inout [SessionEffect]) {
        session.step = step
        phase = .staff(session)
        show(.staffStep(session.staff, shown), into: &effects)
    }

    mutating func enroll(_ enrollment: Enrollment, session: StaffSession, now: Date, into effects: inout [SessionEffect]) {
        let request = newRequest()
        phase = .awaitingStaff(request, session, since: now)
        effects.append(.perform(request, .enroll(enrollment)))
        show(.working, into: &effects)
    }

    mutating func staffTicked(now: Date, into effects: inout [SessionEffect]) {
        switch phase {
        case .pinEntry(let entry):
            if now >= entry.lastActivity + settings.staffIdleTimeout { goIdle(into: &effects) }
        case .verifyingPIN(_, let staff, let since):
            if now >= since + settings.operationTimeout {
                phase = .pinEntry(PinEntry(staff: staff, card: nil, digits: [], message: .failed("no answer in time"), lastActivity: now))
                show(.pinEntry(staffName: staff.displayName, digitsTyped: 0, message: .failed("no answer in time")), into: &effects)
            }
        case .staff(var session):
            if now >= session.lastActivity + settings.staffIdleTimeout {
                effects.append(.audit(SessionAudit(staff: session.staff.id, role: session.staff.role, action: "staff.timeout", at: now)))
                goIdle(into: &effects)
            } else if case .result(_, let until) = session.step, now >= until {
                backToMenu(&session, into: &effects)
            } else if case .diagnostics(let pending, let next, let shown) = session.step,
                      now >= next + (pending == nil ? 0 : settings.operationTimeout) {
                // Read again (a read that never answered is given up and asked anew).
                let request = newRequest()
                session.step = .diagnostics(pending: request, next: now + settings.diagnosticsRefresh, shown: shown)
                phase = .staff(session)
                effects.append(.perform(request, .readDiagnostics))
            }
        case .awaitingStaff(_, var session, let since):
            if now >= since + settings.operationTimeout {
                showResult(.refused(.failed("no answer in time")), in: &session, now: now, into: &effects)
            }
        default:
            return
        }
    }

    mutating func staffCompleted(_ result: SessionResult, now: Date, into effects: inout [SessionEffect]) {
        switch phase {
        case .verifyingPIN(_, let staff, _):
            guard case .pinChecked(let correct) = result else {
                goIdle(into: &effects)
                return
            }
            if correct {
                pinFailures[staff.id] = nil
                effects.append(.audit(SessionAudit(staff: staff.id, role: staff.role, action: "staff.login", at: now)))
                var session = StaffSession(staff: staff, card: nil, step: .menu, lastActivity: now)
                if staff.role == .technician {
                    begin(.diagnostics, session: &session, now: now, into: &effects)
                } else {
                    phase = .staff(session)
                    show(.staffMenu(staff, actions: staff.actions), into: &effects)
                }
                return
            }
            var failures = pinFailures[staff.id] ?? PinFailures(count: 0, lockedUntil: nil)
            failures.count += 1
            effects.append(.audit(SessionAudit(staff: staff.id, role: staff.role, action: "staff.wrong_pin", at: now)))
            if failures.count >= settings.pinAttempts {
                let until = now + settings.pinLockout
                pinFailures[staff.id] = PinFailures(count: 0, lockedUntil: until)
                effects.append(.audit(SessionAudit(staff: staff.id, role: staff.role, action: "staff.locked", at: now)))
                refuse(.staffCardLocked(until: until), reader: nil, now: now, into: &effects)
            } else {
                pinFailures[staff.id] = failures
                let message = Refusal.wrongPIN(triesLeft: settings.pinAttempts - failures.count)
                phase = .pinEntry(PinEntry(staff: staff, card: nil, digits: [], message: message, lastActivity: now))
                show(.pinEntry(staffName: staff.displayName, digitsTyped: 0, message: message), into: &effects)
            }
        case .awaitingStaff(_, var session, _):
            switch (session.step, result) {
            case (.enrollWriting(let card), .cardPrepared(let member)):
                session.step = .enrollContact(member: member, card: card, typed: "")
                session.lastActivity = now
                phase = .staff(session)
                show(.staffStep(session.staff, .enrollContact(typed: "")), into: &effects)
            case (.enrollContact, .enrolled(let member)):
                effects.append(.audit(SessionAudit(staff: session.staff.id, role: session.staff.role,
                                                   action: "staff.enroll", subject: member.rawValue, at: now)))
                showResult(.enrolled(member), in: &session, now: now, into: &effects)
            case (.purchaseAmount(let member, _), .purchaseRecorded(let points)):
                effects.append(.audit(SessionAudit(staff: session.staff.id, role: session.staff.role,
                                                   action: "staff.record_purchase", subject: member.id.rawValue, at: now)))
                showResult(.purchaseRecorded(member, points: points), in: &session, now: now, into: &effects)
            case (_, .refused(let refusal)):
                showResult(.refused(refusal), in: &session, now: now, into: &effects)
            case (_, _) where counterCompleted(result, session: &session, now: now, into: &effects):
                return
            default:
                showResult(.refused(.failed("unexpected answer")), in: &session, now: now, into: &effects)
            }
        default:
            return
        }
    }

    mutating func showResult(_ step: StaffStep, in session: inout StaffSession, now: Date, into effects: inout [SessionEffect]) {
        session.step = .result(step, until: now + settings.resultTimeout)
        session.lastActivity = now
        phase = .staff(session)
        show(.staffStep(session.staff, step), into: &effects)
    }

    mutating func backToMenu(_ session: inout StaffSession, into effects: inout [SessionEffect]) {
        session.step = .menu
        phase = .staff(session)
        show(.staffMenu(session.staff, actions: session.staff.actions), into: &effects)
    }
}

extension Phase {
    var staffView: StaffView? {
        switch self {
        case .pinEntry(let entry): entry.staff
        case .verifyingPIN(_, let staff, _): staff
        case .staff(let session), .awaitingStaff(_, let session, _): session.staff
        default: nil
        }
    }
}

/// Iranian phone numbers as typed on the keypad: a mobile 09xxxxxxxxx, or a landline with its
/// area code (0 and ten digits). Only a plausibility check: the central verifies by SMS.
enum PhoneNumber {
    static func isPlausible(_ digits: String) -> Bool {
        digits.count == 11 && digits.hasPrefix("0") && digits.allSatisfy(\.isASCII)
    }
}
