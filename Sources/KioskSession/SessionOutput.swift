import Foundation
import KioskCore

/// What the session asks of the world after an input. The composition carries them out in order.
public enum SessionEffect: Sendable, Equatable {
    /// Show this screen now (it replaces the one shown).
    case show(SessionScreen)
    /// Give this reader its LED / buzzer signal: what the kiosk finally decided about the tap.
    case feedback(reader: String, Feedback)
    /// Run this operation (store, engine or a card write) and feed its result back as `.completed`.
    case perform(RequestID, SessionRequest)
    /// Take the PIN keypad (grabbed only while a PIN or a number is asked) or release it.
    case keypad(enabled: Bool)
    /// Write this entry to the audit log (every staff action and every refusal of staff).
    case audit(SessionAudit)
    /// Apply the configuration that changed; the session asks only when no one is mid-session.
    case applyConfiguration
}

public enum Feedback: String, Sendable, Equatable {
    case accepted
    case refused
}

/// Operations the session asks for. Each carries what it needs; idempotency keys are derived by
/// the composition from the request (the triggering tap's card and time), so a retried request
/// never pays twice.
public enum SessionRequest: Sendable, Equatable {
    case spin(member: MemberID, card: CardID?, at: Date)
    case claimReceipt(member: MemberID, receipt: ReceiptRef, at: Date)
    /// What a scanned voucher is worth and whether it can be used at `at` (the scan's time).
    case lookUpVoucher(code: String, at: Date)
    case verifyPIN(staff: OperatorID, pin: PIN)
    /// A new member for the card on `reader`: for a blank card, their signed member token written
    /// onto it and read back; a self-identifying card is taken as it is.
    case prepareNewCard(reader: String, card: CardID, NewCard)
    case enroll(Enrollment)
    case recordPurchase(member: MemberID, amount: Rial, staff: OperatorID, at: Date)
    /// The kiosk's own state for the technician's screen.
    case readDiagnostics
    /// A manager's adjustment of a balance: `amount` signed, in the account's unit (Rial for
    /// credit), with the reason picked.
    case adjustBalance(member: MemberID, account: Account, amount: Int64, reason: String, staff: OperatorID, at: Date)
    /// The member's gift requests waiting to be handed out.
    case pendingGifts(member: MemberID)
    case fulfilGift(member: MemberID, request: String, staff: OperatorID, at: Date)
    /// The member whose phone this is (a replacement for a lost card).
    case findMember(phone: String)
    /// The member's token written onto the blank card on `reader` (a self-identifying card is
    /// taken as it is), then the card bound to them and their old cards blocked.
    case replaceCard(member: MemberID, reader: String, card: CardID, NewCard, staff: OperatorID, at: Date)
    /// A purchase of `amount` with the voucher `code` applied (its discount decided by the engine).
    case redeemVoucher(member: MemberID, code: String, amount: Rial, staff: OperatorID, at: Date)
    /// What a catalogue item is and costs, and whether it is offered now (a customer scanned its link).
    case lookUpGift(item: String, at: Date)
    /// A customer's request for a catalogue gift, confirmed by their card (`card`, tapped `at`).
    case requestGift(member: MemberID, item: String, card: CardID?, at: Date)
    /// The member's latest purchases with something left to return.
    case returnablePurchases(member: MemberID)
    /// A return of `amount` (gross) of a purchase; nil returns everything left.
    case recordReturn(member: MemberID, purchase: String, amount: Rial?, staff: OperatorID, at: Date)
}

/// A catalogue gift as a customer is offered it at the kiosk.
public struct GiftOfferView: Sendable, Equatable {
    public var item: String
    public var title: String
    /// What it costs, in the account it is paid from (Rial for credit).
    public var account: Account
    public var cost: Int64

    public init(item: String, title: String, account: Account, cost: Int64) {
        self.item = item
        self.title = title
        self.account = account
        self.cost = cost
    }
}

/// A purchase staff can take a return of.
public struct PurchaseView: Sendable, Equatable {
    public var key: String
    public var at: Date
    public var subtotal: Rial
    /// What is left to return.
    public var left: Rial

    public init(key: String, at: Date, subtotal: Rial, left: Rial) {
        self.key = key
        self.at = at
        self.subtotal = subtotal
        self.left = left
    }
}

/// A gift request waiting to be handed out, as staff see it.
public struct GiftView: Sendable, Equatable {
    /// The request's key (what the hand-out names).
    public var request: String
    public var title: String
    public var requestedAt: Date

    public init(request: String, title: String, requestedAt: Date) {
        self.request = request
        self.title = title
        self.requestedAt = requestedAt
    }
}

/// A new member, as the staff enrollment flow gathered it.
public struct Enrollment: Sendable, Equatable {
    public var member: MemberID
    public var card: CardID
    public var phone: String?
    public var source: String?
    public var referralCode: String?
    public var staff: OperatorID
    public var at: Date

    public init(member: MemberID, card: CardID, phone: String?, source: String?, referralCode: String?,
                staff: OperatorID, at: Date) {
        self.member = member
        self.card = card
        self.phone = phone
        self.source = source
        self.referralCode = referralCode
        self.staff = staff
        self.at = at
    }
}

/// A PIN as typed: its digits are never printed, logged or compared by `==` in the open.
public struct PIN: Sendable, Equatable, CustomStringConvertible, CustomDebugStringConvertible {
    public let digits: [UInt8]
    public init(digits: [UInt8]) { self.digits = digits }
    public var description: String { "PIN(\(digits.count) digits)" }
    public var debugDescription: String { description }
}

/// The results the composition feeds back.
public enum SessionResult: Sendable, Equatable {
    case spun(SpinOutcome)
    case receiptClaimed(points: Int64)
    case voucher(VoucherView)
    case pinChecked(correct: Bool)
    /// The new card is ready for this new member (their token written, or the card taken as it is).
    case cardPrepared(member: MemberID)
    case enrolled(MemberID)
    case purchaseRecorded(points: Int64)
    case diagnostics(DiagnosticsView)
    case balanceAdjusted
    case pendingGifts([GiftView])
    case giftFulfilled
    case memberFound(MemberView)
    case cardReplaced
    case voucherRedeemed(discount: Rial, points: Int64)
    case returnablePurchases([PurchaseView])
    case giftOffer(GiftOfferView)
    case giftRequested
    /// `refund`: what goes back to the member (cash, credit, gift credit); `points`: taken back.
    case returnRecorded(refund: Rial, points: Int64)
    /// The operation was refused (a typed reason the screen can say).
    case refused(Refusal)
}

/// One line of the audit log.
public struct SessionAudit: Sendable, Equatable {
    public var staff: OperatorID?
    public var role: Role?
    public var action: String
    public var subject: String?
    public var at: Date

    public init(staff: OperatorID?, role: Role?, action: String, subject: String? = nil, at: Date) {
        self.staff = staff
        self.role = role
        self.action = action
        self.subject = subject
        self.at = at
    }
}

/// Why something was refused, as the screen says it.
public enum Refusal: Sendable, Equatable {
    case unknownCard
    case blockedCard
    case clonedCard
    case unreadableCard
    case staffCardLocked(until: Date)
    case wrongPIN(triesLeft: Int)
    case noSpinAvailable
    case receiptForged
    case receiptAlreadyClaimed
    case receiptNotClaimable(String)
    case voucherUnknown
    case cardAlreadyEnrolled
    /// The card can become no one's: it carries another system's data, or takes no token and its
    /// bare UID is not trusted here (`readers.accept_bare_uid`).
    case cardNotEnrollable
    /// Enrollment: the member token could not be written to the card (why, for staff); nothing
    /// was enrolled.
    case tokenNotWritten(String)
    case unusableScan
    /// No member (or more than one) has the phone typed.
    case memberNotFound
    /// A deduction beyond what the member has.
    case insufficientBalance
    /// The gift is not waiting for this member (handed out, cancelled, or another's).
    case giftNotPending
    /// The staff member's role does not allow the action.
    case notAllowed
    /// The voucher is known but cannot be used now (expired, not yet valid, used up, not this
    /// member's, the purchase too small).
    case voucherNotUsable(VoucherUnusable)
    /// The gift is not in the catalogue.
    case giftUnknown
    /// The gift is not offered now (out of stock, or outside its display window).
    case giftUnavailable
    /// The member's balance does not cover the gift.
    case giftTooDear
    /// A spend of credit beyond what the member may spend here before the central has
    /// acknowledged their earlier spends (`remaining`: what they may still spend now).
    case offlineCreditLimit(remaining: Rial)
    /// The return was refused (too late, more than was bought…): why, for staff.
    case returnRefused(String)
    /// The store or a device failed, or did not answer in time; nothing was committed that the
    /// member can see (a late result is still shown).
    case failed(String)
}
