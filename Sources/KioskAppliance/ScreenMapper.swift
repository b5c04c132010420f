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
        case .giftOffered(let gift):
            return (.idle(IdleData(message: text(.giftOffered(title: gift.title, cost: amount(gift.cost, gift.account))))), 0)
        case .giftRequested(_, let gift):
            return (.prize(PrizeData(prize: gift.title, detail: text(.giftRequested(cost: amount(gift.cost, gift.account))))), 0)
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
            return (.staff(StaffData(heading: text(.role(staff.role)), title: text(.chooseAction), detail: staff.displayName,
                                     options: actions.map { text(.action($0)) }, hint: text(.hint(.sessionMenu)))), 0)
        case .staffStep(let staff, let step):
            return (self.staffStep(step, staff: staff), 0)
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
        case .unreadableCard, .staffCardLocked, .noSpinAvailable, .voucherUnknown, .cardAlreadyEnrolled, .cardNotEnrollable, .tokenNotWritten, .unusableScan, .failed,
             .memberNotFound, .insufficientBalance, .giftNotPending, .notAllowed, .voucherNotUsable, .returnRefused,
             .giftUnknown, .giftUnavailable, .giftTooDear, .offlineCreditLimit:
            .refusal(RefusalData(kind: .notice, message: text(.refusal(refusal))))
        }
    }

    func staffStep(_ step: StaffStep, staff: StaffView) -> Screen {
        switch step {
        case .enrollTapBlankCard: return .enrollment(EnrollmentData(step: .card))
        case .enrollWritingToken: return .enrollment(EnrollmentData(step: .card))
        case .enrollContact(let typed): return .enrollment(EnrollmentData(step: .phone, entry: locale.digits(typed)))
        case .enrolled: return .enrollment(EnrollmentData(step: .done))
        case .purchaseRecorded(_, let points): return .receipt(ReceiptData(outcome: .accepted, pointsEarned: points))
        default: return .staff(staffData(step, staff: staff))
        }
    }

    /// A staff step on the staff screen: the action in the header, the member it is for, the
    /// prompt, what is typed, the menu, and the keys that work.
    func staffData(_ step: StaffStep, staff: StaffView) -> StaffData {
        let adjusting = text(.action(.adjustBalance)), gifts = text(.action(.redeemGift)), replacing = text(.action(.replaceCard))
        switch step {
        case .purchaseAmount(let member, let typed):
            return StaffData(heading: text(.action(.recordPurchase)), title: text(.purchaseAmount), detail: name(member),
                             entry: locale.digits(typed), hint: text(.hint(.entry)))
        case .identifyMember(let action):
            return StaffData(heading: text(.action(action)), title: text(.identifyMember), hint: text(.hint(.card)))
        case .replaceIdentify(let typed):
            return StaffData(heading: replacing, title: text(.replaceIdentify), entry: locale.digits(typed), hint: text(.hint(.entry)))
        case .replaceTapNewCard(let member):
            return StaffData(heading: replacing, title: text(.replaceTapNewCard(name(member))), hint: text(.hint(.card)))
        case .replaceWritingToken(let member):
            return StaffData(heading: replacing, title: text(.working), detail: name(member))
        case .cardReplaced(let member):
            return StaffData(heading: replacing, title: text(.cardReplaced(name(member))), tone: .success, hint: text(.hint(.result)))
        case .adjustAccount(let member, let accounts):
            return StaffData(heading: adjusting, title: text(.whichBalance), detail: name(member),
                             options: accounts.map { text(.account($0)) + " — " + balance(member.balances, $0) }, hint: text(.hint(.menu)))
        case .adjustDirection(let member, let account):
            return StaffData(heading: adjusting, title: text(.addOrDeduct), detail: name(member) + " — " + balance(member.balances, account),
                             options: [text(.adjustAdd) + " " + text(.account(account)), text(.adjustDeduct) + " " + text(.account(account))],
                             hint: text(.hint(.menu)))
        case .adjustAmount(let member, let account, let deduct, let typed):
            return StaffData(heading: adjusting, title: text(.adjustAmount(account, deduct: deduct)),
                             detail: name(member) + " — " + balance(member.balances, account), entry: locale.digits(typed),
                             hint: text(.hint(.entry)))
        case .adjustReason(let member, let reasons):
            return StaffData(heading: adjusting, title: text(.whyAdjust), detail: name(member),
                             options: reasons.map { text(.adjustmentReason($0)) }, hint: text(.hint(.menu)))
        case .balanceAdjusted(let member, let account, let adjusted):
            return StaffData(heading: adjusting, title: text(.balanceAdjusted((adjusted > 0 ? "+" : "") + amount(adjusted, account), member: name(member))),
                             tone: .success, hint: text(.hint(.result)))
        case .giftList(let member, let list):
            if list.isEmpty {
                return StaffData(heading: gifts, title: text(.noGiftsWaiting(name(member))), tone: .refused, hint: text(.hint(.result)))
            }
            return StaffData(heading: gifts, title: text(.whichGift), detail: name(member), options: list.map(\.title), hint: text(.hint(.menu)))
        case .giftHandedOut(let member, let title):
            return StaffData(heading: gifts, title: text(.giftHandedOut(title)), detail: name(member), tone: .success, hint: text(.hint(.result)))
        case .voucherScan(let member):
            return StaffData(heading: text(.action(.redeemVoucher)), title: text(.voucherScan), detail: name(member), hint: text(.hint(.card)))
        case .voucherAmount(let member, let voucher, let typed):
            return StaffData(heading: text(.action(.redeemVoucher)), title: text(.voucherAmount(voucher.summary)), detail: name(member),
                             entry: locale.digits(typed), hint: text(.hint(.entry)))
        case .voucherRedeemed(let member, let discount, let points):
            return StaffData(heading: text(.action(.redeemVoucher)), title: text(.voucherRedeemed(locale.toman(discount), text(.points(locale.number(points))))),
                             detail: name(member), tone: .success, hint: text(.hint(.result)))
        case .returnList(let member, let purchases):
            let heading = text(.action(.recordReturn))
            if purchases.isEmpty {
                return StaffData(heading: heading, title: text(.noPurchaseToReturn(name(member))), tone: .refused, hint: text(.hint(.result)))
            }
            return StaffData(heading: heading, title: text(.whichPurchase), detail: name(member), options: purchases.map { purchase in
                text(.purchaseLine(date: locale.date(calendarDate(purchase.at)), subtotal: locale.toman(purchase.subtotal),
                                   left: purchase.left == purchase.subtotal ? nil : locale.toman(purchase.left)))
            }, hint: text(.hint(.menu)))
        case .returnAmount(let member, let purchase, let typed):
            return StaffData(heading: text(.action(.recordReturn)), title: text(.returnAmount(locale.toman(purchase.left))),
                             detail: name(member), entry: locale.digits(typed), hint: text(.hint(.entry)))
        case .returnRecorded(let member, let refund, let points):
            return StaffData(heading: text(.action(.recordReturn)),
                             title: text(.returnRecorded(refund: locale.toman(refund), points: text(.points(locale.number(points))))),
                             detail: name(member), tone: .success, hint: text(.hint(.result)))
        case .refused(let refusal):
            return StaffData(heading: staff.displayName, title: text(.refusal(refusal)), tone: .refused, hint: text(.hint(.result)))
        case .enrollTapBlankCard, .enrollWritingToken, .enrollContact, .enrolled, .purchaseRecorded:
            // Drawn on screens of their own (`staffStep`); here only for completeness.
            return StaffData(heading: staff.displayName, title: text(.working))
        }
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
