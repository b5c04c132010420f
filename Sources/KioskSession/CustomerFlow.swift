import Foundation
import KioskCore

extension Session {
    mutating func presented(_ presentation: Presentation, now: Date, into effects: inout [SessionEffect]) {
        switch phase {
        case .awaitingSpin, .wheel, .awaitingCustomer:
            return  // busy: the spin or the claim finishes first; no feedback
        case .pinEntry, .verifyingPIN, .staff, .awaitingStaff:
            staffPresented(presentation, now: now, into: &effects)
            return
        case .idle, .welcome, .showing, .receiptWaiting, .giftOffered:
            break
        }
        switch presentation.identity {
        case .member(let member):
            accept(presentation, into: &effects)
            if case .receiptWaiting(let receipt, _) = phase {
                claim(receipt, for: member, now: now, into: &effects)
            } else if case .giftOffered(let gift, _) = phase {
                let request = newRequest()
                phase = .awaitingCustomer(request, .giftRequest(member, gift), since: now)
                effects.append(.perform(request, .requestGift(member: member.id, item: gift.item, card: presentation.card, at: presentation.at)))
                show(.welcome(member, spinUntil: nil, receiptHint: false), into: &effects)
            } else if case .welcome(let welcome) = phase, welcome.member.id == member.id,
                      welcome.card == presentation.card, let until = welcome.spinUntil, now <= until {
                let request = newRequest()
                phase = .awaitingSpin(request, member, since: now)
                effects.append(.perform(request, .spin(member: member.id, card: presentation.card, at: presentation.at)))
                show(.spinning(member), into: &effects)
            } else {
                greet(member, presentation: presentation, now: now, into: &effects)
            }
        case .staff(let staff):
            if let locked = pinFailures[staff.id]?.lockedUntil, locked > now {
                effects.append(.audit(SessionAudit(staff: staff.id, role: staff.role, action: "staff.locked_card_tapped", at: now)))
                refuse(.staffCardLocked(until: locked), reader: presentation.reader, now: now, into: &effects)
                return
            }
            accept(presentation, into: &effects)
            phase = .pinEntry(PinEntry(staff: staff, card: presentation.card, digits: [], message: nil, lastActivity: now))
            show(.pinEntry(staffName: staff.displayName, digitsTyped: 0, message: nil), into: &effects)
        case .unknown: refuse(.unknownCard, reader: presentation.reader, now: now, into: &effects)
        case .blocked: refuse(.blockedCard, reader: presentation.reader, now: now, into: &effects)
        case .cloned: refuse(.clonedCard, reader: presentation.reader, now: now, into: &effects)
        case .unreadable: refuse(.unreadableCard, reader: presentation.reader, now: now, into: &effects)
        }
    }

    mutating func greet(_ member: MemberView, presentation: Presentation, now: Date, into effects: inout [SessionEffect]) {
        let canSpin = member.spin.map { $0.freeSpins > 0 || member.balances.coins >= $0.costInCoins } ?? false
        let spinUntil = canSpin ? now + settings.spinConfirmWindow : nil
        phase = .welcome(Welcome(member: member, card: presentation.card, reader: presentation.reader,
                                 shownAt: now, liftedAt: nil, spinUntil: spinUntil))
        show(.welcome(member, spinUntil: spinUntil, receiptHint: true), into: &effects)
    }

    mutating func claim(_ receipt: ReceiptRef, for member: MemberView, now: Date, into effects: inout [SessionEffect]) {
        let request = newRequest()
        phase = .awaitingCustomer(request, .receiptClaim(member), since: now)
        effects.append(.perform(request, .claimReceipt(member: member.id, receipt: receipt, at: now)))
        // While the claim commits, the member keeps seeing their welcome (no hint to scan again).
        show(.welcome(member, spinUntil: nil, receiptHint: false), into: &effects)
    }

    mutating func lifted(reader: String, at: Date) {
        guard case .welcome(var welcome) = phase, welcome.reader == reader, welcome.liftedAt == nil else { return }
        welcome.liftedAt = at
        phase = .welcome(welcome)
    }

    mutating func scanned(_ scan: ScanInput, now: Date, into effects: inout [SessionEffect]) {
        switch phase {
        case .awaitingSpin, .wheel, .awaitingCustomer:
            return
        case .pinEntry, .verifyingPIN, .staff, .awaitingStaff:
            staffScanned(scan, now: now, into: &effects)
            return
        case .idle, .welcome, .showing, .receiptWaiting, .giftOffered:
            break
        }
        switch scan {
        case .receipt(let receipt):
            if case .welcome(let welcome) = phase {
                claim(receipt, for: welcome.member, now: now, into: &effects)
            } else {
                phase = .receiptWaiting(receipt, until: now + settings.receiptWaitsForCard)
                show(.receiptWaitingForCard(receipt), into: &effects)
            }
        case .forgedReceipt:
            refuse(.receiptForged, reader: nil, now: now, into: &effects)
        case .voucher(let code):
            let request = newRequest()
            phase = .awaitingCustomer(request, .voucherLookup, since: now)
            effects.append(.perform(request, .lookUpVoucher(code: code, at: now)))
        case .gift(let item):
            // Looked up first: the customer sees what it is and costs before their card asks for it.
            let request = newRequest()
            phase = .awaitingCustomer(request, .giftLookup, since: now)
            effects.append(.perform(request, .lookUpGift(item: item, at: now)))
        case .enrollmentLink, .product, .unusable:
            refuse(.unusableScan, reader: nil, now: now, into: &effects)
        }
    }

    mutating func ticked(now: Date, into effects: inout [SessionEffect]) {
        switch phase {
        case .idle:
            return
        case .welcome(let welcome):
            let readBy = welcome.shownAt + settings.minimumReadTime
            let liftedAndRead = welcome.liftedAt != nil && now >= max(readBy, welcome.spinUntil ?? readBy)
            if liftedAndRead || now >= welcome.shownAt + settings.welcomeTimeout { goIdle(into: &effects) }
        case .awaitingSpin(_, let member, let since):
            // The spin may still commit: its late result is shown (see `completed`).
            if now >= since + settings.operationTimeout {
                phase = .showing(until: now + settings.resultTimeout, member: member)
                show(.refusal(.failed("the spin did not answer in time")), into: &effects)
            }
        case .wheel(let member, let outcome, let startedAt):
            let elapsed = now.timeIntervalSince(startedAt)
            if elapsed >= settings.wheelAnimation {
                phase = .showing(until: now + settings.resultTimeout, member: member)
                show(.prize(outcome), into: &effects)
            } else {
                show(.wheel(outcome, elapsed: max(0, elapsed), duration: settings.wheelAnimation), into: &effects)
            }
        case .showing(let until, _), .receiptWaiting(_, let until), .giftOffered(_, let until):
            if now >= until { goIdle(into: &effects) }
        case .awaitingCustomer(_, _, let since):
            if now >= since + settings.operationTimeout {
                refuse(.failed("no answer in time"), reader: nil, now: now, into: &effects)
            }
        case .pinEntry, .verifyingPIN, .staff, .awaitingStaff:
            staffTicked(now: now, into: &effects)
        }
    }

    mutating func completed(_ request: RequestID, _ result: SessionResult, now: Date, into effects: inout [SessionEffect]) {
        switch phase {
        case .awaitingSpin(let awaited, let member, _) where awaited == request:
            switch result {
            case .spun(let outcome):
                phase = .wheel(member, outcome, startedAt: now)
                show(.wheel(outcome, elapsed: 0, duration: settings.wheelAnimation), into: &effects)
            case .refused(let refusal):
                refuse(refusal, reader: nil, now: now, into: &effects)
            default:
                refuse(.failed("unexpected answer"), reader: nil, now: now, into: &effects)
            }
        case .awaitingCustomer(let awaited, let wait, _) where awaited == request:
            switch (wait, result) {
            case (.receiptClaim(let member), .receiptClaimed(let points)):
                phase = .showing(until: now + settings.resultTimeout, member: member)
                show(.receiptClaimed(member, points: points), into: &effects)
            case (.voucherLookup, .voucher(let voucher)):
                phase = .showing(until: now + settings.resultTimeout, member: nil)
                show(.voucher(voucher), into: &effects)
            case (.giftLookup, .giftOffer(let gift)):
                phase = .giftOffered(gift, until: now + settings.receiptWaitsForCard)
                show(.giftOffered(gift), into: &effects)
            case (.giftRequest(let member, let gift), .giftRequested):
                phase = .showing(until: now + settings.resultTimeout, member: member)
                show(.giftRequested(member, gift), into: &effects)
            case (_, .refused(let refusal)):
                refuse(refusal, reader: nil, now: now, into: &effects)
            default:
                refuse(.failed("unexpected answer"), reader: nil, now: now, into: &effects)
            }
        case .verifyingPIN(let awaited, _, _) where awaited == request,
             .awaitingStaff(let awaited, _, _) where awaited == request:
            staffCompleted(result, now: now, into: &effects)
        case .staff(var session) where session.step.awaitsDiagnostics(request):
            guard case .diagnostics(_, let next, let shown) = session.step else { return }
            let view: DiagnosticsView? = if case .diagnostics(let view) = result { view } else { shown }
            session.step = .diagnostics(pending: nil, next: next, shown: view)
            phase = .staff(session)
            if view != shown { show(.diagnostics(session.staff, view), into: &effects) }
        default:
            // Late: its operation timed out. A committed spin is the member's prize: show it when
            // no one else is being served.
            if case .spun(let outcome) = result, !phase.isStaff, !phase.isBusyCustomer {
                phase = .showing(until: now + settings.resultTimeout, member: nil)
                show(.prize(outcome), into: &effects)
            }
        }
    }
}

extension Phase {
    var isBusyCustomer: Bool {
        switch self {
        case .awaitingSpin, .wheel, .awaitingCustomer, .welcome: true
        default: false
        }
    }
}
