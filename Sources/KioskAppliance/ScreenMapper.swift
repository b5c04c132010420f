import Foundation
import KioskCore
import KioskEngine
import KioskRender
import KioskSession

/// The session's screens as the renderer draws them, in the kiosk's locale: balances and tiers
/// from the member's view, the wheel's segments from the program (labelled in the locale from
/// their prizes), dates in the program's time zone.
public struct ScreenMapper: Sendable {
    public let locale: DisplayLocale
    public let wheel: WheelRules?
    public let timeZone: TimeZone
    public let pinLength: Int

    public init(locale: DisplayLocale, wheel: WheelRules?, timeZone: TimeZone, pinLength: Int = 6) {
        self.locale = locale
        self.wheel = wheel
        self.timeZone = timeZone
        self.pinLength = pinLength
    }

    /// The same mapper for another program's wheel.
    public func with(wheel: WheelRules?) -> ScreenMapper {
        ScreenMapper(locale: locale, wheel: wheel, timeZone: timeZone, pinLength: pinLength)
    }

    /// The frame's screen and the time into it (the wheel's animation time).
    public func screen(_ screen: SessionScreen) -> (Screen, time: Double) {
        switch screen {
        case .idle(let offline):
            return (offline ? .offline(OfflineData()) : .idle(IdleData()), 0)
        case .welcome(let member, _, _), .spinning(let member):
            return (.welcome(welcome(member)), 0)
        case .wheel(let outcome, let elapsed, _):
            return (.wheel(wheelData(outcome)), elapsed)
        case .prize(let outcome):
            return (.prize(PrizeData(prize: outcome.won ? outcome.prize : text(.nothingWon),
                                     detail: outcome.won ? nil : text(.nothingWonDetail),
                                     audit: outcome.auditRecord.isEmpty ? nil : outcome.auditRecord)), 0)
        case .receiptWaitingForCard(let receipt):
            return (.idle(IdleData(message: text(.receiptWaiting(locale.toman(receipt.amount))))), 0)
        case .receiptClaimed(_, let points):
            return (.receipt(ReceiptData(outcome: .accepted, pointsEarned: points)), 0)
        case .voucher(let voucher):
            return (.voucher(VoucherData(title: voucher.summary, code: voucher.code,
                                         value: voucher.unusable.map { text(.voucherUnusable($0)) } ?? "",
                                         validUntil: voucher.lastValidDay.map(calendarDate))), 0)
        case .refusal(let refusal):
            return (self.refusal(refusal), 0)
        case .pinEntry(_, let typed, let message):
            return (.pin(PinData(entered: min(typed, max(pinLength, typed)), length: max(pinLength, typed),
                                 wrongAttempt: message != nil)), 0)
        case .staffMenu(let staff, let actions):
            return (.diagnostics(DiagnosticsData(rows: [DiagnosticsData.Row(label: staff.displayName, value: staff.role.rawValue)]
                + actions.enumerated().map { DiagnosticsData.Row(label: locale.number($0.offset + 1), value: text(.action($0.element))) })), 0)
        case .staffStep(_, let step):
            return (self.staffStep(step), 0)
        case .diagnostics(let staff, let view):
            return (.diagnostics(DiagnosticsData(rows: [DiagnosticsData.Row(label: staff.displayName, value: text(.role(staff.role)))]
                + (view?.rows ?? []).map { DiagnosticsData.Row(label: text(.diagnosticsItem($0.item)), value: $0.value, ok: $0.ok) })), 0)
        case .working:
            return (.idle(IdleData(message: text(.working))), 0)
        }
    }

    func welcome(_ member: MemberView) -> WelcomeData {
        let balances = member.balances
        let progress = Int64(member.tierProgressPerMille ?? (member.nextTier == nil ? 1000 : 0))
        return WelcomeData(name: member.displayName.isEmpty ? text(.unnamedMember) : member.displayName,
                           tier: WelcomeData.Tier(name: member.tier ?? "", progress: progress, target: 1000, next: member.nextTier),
                           points: balances.points, credit: balances.credit, giftCredit: balances.giftCredit, coins: balances.coins,
                           freeSpins: member.spin?.freeSpins ?? 0,
                           appliedOffer: member.lastOffer.map { WelcomeData.AppliedOffer(title: $0, reason: "") })
    }

    func wheelData(_ outcome: KioskSession.SpinOutcome) -> WheelData {
        let segments: [WheelData.Segment]
        if let wheel, wheel.segments.count == outcome.segmentCount {
            segments = wheel.segments.map(segment)
        } else {
            // The program changed since the spin: the wheel still lands on the drawn segment.
            segments = (0..<max(outcome.segmentCount, 2)).map {
                $0 == outcome.segment ? WheelData.Segment(label: outcome.prize, icon: "gift", isNothing: !outcome.won)
                                      : WheelData.Segment(label: "", icon: "none", isNothing: true)
            }
        }
        return WheelData(segments: segments, drawn: min(outcome.segment, segments.count - 1), seed: Self.seed(outcome.auditRecord))
    }

    /// A segment labelled in the kiosk's locale from its prize; the program's own label where
    /// the prize has no amount to say (a voucher, a gift).
    func segment(_ segment: WheelRules.Segment) -> WheelData.Segment {
        let prize = segment.prize
        let label = segment.label ?? segment.id
        switch prize.kind {
        case .nothing: return WheelData.Segment(label: text(.nothingSegment), icon: "none", isNothing: true)
        case .points: return WheelData.Segment(label: prize.amount.map { text(.points(locale.number($0))) } ?? label, icon: "coin")
        case .coins: return WheelData.Segment(label: prize.amount.map { text(.coins(locale.number($0))) } ?? label, icon: "coin")
        case .credit, .giftCredit:
            return WheelData.Segment(label: prize.amount.map { locale.toman(Rial($0)) } ?? label, icon: "gift")
        case .voucher: return WheelData.Segment(label: label, icon: "percent")
        case .catalogueGift: return WheelData.Segment(label: label, icon: "gift")
        }
    }

    func refusal(_ refusal: KioskSession.Refusal) -> Screen {
        switch refusal {
        case .unknownCard: .refusal(RefusalData(kind: .unknown))
        case .blockedCard: .refusal(RefusalData(kind: .blocked))
        case .clonedCard: .refusal(RefusalData(kind: .cloned))
        case .receiptForged: .receipt(ReceiptData(outcome: .invalid))
        case .receiptAlreadyClaimed: .receipt(ReceiptData(outcome: .alreadyClaimed))
        case .receiptNotClaimable: .receipt(ReceiptData(outcome: .expired))
        case .wrongPIN: .pin(PinData(entered: 0, length: pinLength, wrongAttempt: true))
        case .unreadableCard, .staffCardLocked, .noSpinAvailable, .voucherUnknown, .cardAlreadyEnrolled, .tokenNotWritten, .unusableScan, .failed,
             .memberNotFound, .insufficientBalance, .giftNotPending, .notAllowed:
            .idle(IdleData(message: text(.refusal(refusal))))
        }
    }

    func staffStep(_ step: StaffStep) -> Screen {
        switch step {
        case .enrollTapBlankCard: .enrollment(EnrollmentData(step: .card))
        case .enrollWritingToken: .enrollment(EnrollmentData(step: .card))
        case .enrollContact(let typed): .enrollment(EnrollmentData(step: .phone, entry: locale.digits(typed)))
        case .enrolled: .enrollment(EnrollmentData(step: .done))
        case .purchaseIdentifyMember: .idle(IdleData(message: text(.tapMemberCard)))
        case .purchaseAmount(_, let typed): .idle(IdleData(message: text(.purchaseAmount(locale.digits(typed)))))
        case .purchaseRecorded(_, let points): .receipt(ReceiptData(outcome: .accepted, pointsEarned: points))
        case .notAvailable(let action): .idle(IdleData(message: text(.notAvailable(action))))
        case .identifyMember: .idle(IdleData(message: text(.identifyMember)))
        case .replaceIdentify(let typed): .idle(IdleData(message: text(.replaceIdentify(locale.digits(typed)))))
        case .replaceTapNewCard(let member): .idle(IdleData(message: text(.replaceTapNewCard(name(member)))))
        case .replaceWritingToken: .enrollment(EnrollmentData(step: .card))
        case .cardReplaced(let member): .idle(IdleData(message: text(.cardReplaced(name(member)))))
        case .adjustAccount(let member, let accounts):
            menu(member, accounts.map { text(.account($0)) + " — " + balance(member.balances, $0) })
        case .adjustDirection(let member, let account):
            menu(member, [text(.adjustAdd) + " " + text(.account(account)), text(.adjustDeduct) + " " + text(.account(account))])
        case .adjustAmount(_, let account, let deduct, let typed):
            .idle(IdleData(message: text(.adjustAmount(account, deduct: deduct, locale.digits(typed)))))
        case .adjustReason(let member, let reasons): menu(member, reasons.map { text(.adjustmentReason($0)) })
        case .balanceAdjusted(let member, let account, let adjusted):
            .idle(IdleData(message: text(.balanceAdjusted((adjusted > 0 ? "+" : "") + amount(adjusted, account), member: name(member)))))
        case .giftList(let member, let gifts):
            gifts.isEmpty ? .idle(IdleData(message: text(.noGiftsWaiting(name(member))))) : menu(member, gifts.map(\.title))
        case .giftHandedOut(_, let title): .idle(IdleData(message: text(.giftHandedOut(title))))
        case .refused(let refusal): self.refusal(refusal)
        }
    }

    /// A numbered menu (keypad 1, 2, …) under the member's name, on the list screen.
    func menu(_ member: MemberView, _ entries: [String]) -> Screen {
        .diagnostics(DiagnosticsData(rows: [DiagnosticsData.Row(label: name(member), value: "")]
            + entries.enumerated().map { DiagnosticsData.Row(label: locale.number($0.offset + 1), value: $0.element) }))
    }

    func name(_ member: MemberView) -> String { member.displayName.isEmpty ? text(.unnamedMember) : member.displayName }

    /// An amount of an account in its unit: Toman for credit, a count for points and coins.
    func amount(_ amount: Int64, _ account: Account) -> String {
        switch account {
        case .credit, .giftCredit: locale.toman(Rial(amount))
        case .points: text(.points(locale.number(amount)))
        case .coins: text(.coins(locale.number(amount)))
        }
    }

    func balance(_ balances: Balances, _ account: Account) -> String {
        switch account {
        case .points: amount(balances.points, .points)
        case .credit: amount(balances.credit.amount, .credit)
        case .giftCredit: amount(balances.giftCredit.amount, .giftCredit)
        case .coins: amount(balances.coins, .coins)
        }
    }

    func calendarDate(_ date: Date) -> CalendarDate {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let parts = calendar.dateComponents([.year, .month, .day], from: min(date, Date(timeIntervalSince1970: 4_102_444_800)))
        return CalendarDate(year: parts.year ?? 2100, month: parts.month ?? 1, day: parts.day ?? 1)
    }

    /// The wheel's landing offset and confetti from the spin's audit record (the same record
    /// always draws the same frames).
    static func seed(_ audit: String) -> UInt64 {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in audit.utf8 { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 }
        return hash
    }

    func text(_ line: ApplianceText) -> String { line.text(locale) }
}
