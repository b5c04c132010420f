import Foundation
import KioskCore

/// The screen the session wants shown: a value the display renders (with the locale, branding
/// and the animation time). `offline` is drawn as a notice on every customer screen.
public enum SessionScreen: Sendable, Equatable {
    case idle(offline: Bool)
    /// A member greeted, with what they may do: `spinUntil` says until when a second tap spins.
    case welcome(MemberView, spinUntil: Date?, receiptHint: Bool)
    /// Waiting for the store to draw and commit a spin (a blink; no animation has started yet).
    case spinning(MemberView)
    /// The wheel, `elapsed` seconds into its animation, landing on `outcome.segment` at `duration`.
    case wheel(SpinOutcome, elapsed: TimeInterval, duration: TimeInterval)
    case prize(SpinOutcome)
    case receiptWaitingForCard(ReceiptRef)
    case receiptClaimed(MemberView?, points: Int64)
    /// A gift's link scanned: what it is and costs; the member's card confirms.
    case giftOffered(GiftOfferView)
    /// The gift is asked for: the member collects it from staff.
    case giftRequested(MemberView, GiftOfferView)
    case voucher(VoucherView)
    case refusal(Refusal)
    /// Staff PIN entry: how many digits are typed (shown masked), and why it is asked again.
    case pinEntry(staffName: String, digitsTyped: Int, message: Refusal?)
    case staffMenu(StaffView, actions: [StaffAction])
    case staffStep(StaffView, StaffStep)
    /// The technician's screen: the kiosk's own state (nil until first read), refreshed while it
    /// is shown; never member personal data.
    case diagnostics(StaffView, DiagnosticsView?)
    /// Working on an operation for staff.
    case working
}

/// The steps of the staff flows, each a prompt on screen.
public enum StaffStep: Sendable, Equatable {
    case enrollTapBlankCard
    case enrollWritingToken
    /// Scan the member's enrollment QR, or type their phone number and press Enter.
    case enrollContact(typed: String)
    case enrolled(MemberID)
    case purchaseAmount(MemberView, typed: String)
    case purchaseRecorded(MemberView, points: Int64)
    /// Tap the member's card or scan their QR code, for `action`.
    case identifyMember(StaffAction)
    /// As `identifyMember`, or type the member's phone number and press Enter.
    case replaceIdentify(typed: String)
    case replaceTapNewCard(MemberView)
    case replaceWritingToken(MemberView)
    case cardReplaced(MemberView)
    case adjustAccount(MemberView, accounts: [Account])
    case adjustDirection(MemberView, Account)
    case adjustAmount(MemberView, Account, deduct: Bool, typed: String)
    case adjustReason(MemberView, reasons: [String])
    /// `amount` signed, in the account's unit.
    case balanceAdjusted(MemberView, Account, amount: Int64)
    /// The member's pending gifts (keypad 1, 2, … hands one out); empty when none waits.
    case giftList(MemberView, [GiftView])
    case giftHandedOut(MemberView, String)
    case voucherScan(MemberView)
    case voucherAmount(MemberView, VoucherView, typed: String)
    case voucherRedeemed(MemberView, discount: Rial, points: Int64)
    /// The member's purchases with something left to return (keypad 1, 2, …); empty when none.
    case returnList(MemberView, [PurchaseView])
    /// The amount returned, typed in Toman; Enter with nothing typed returns all that is left.
    case returnAmount(MemberView, PurchaseView, typed: String)
    case returnRecorded(MemberView, refund: Rial, points: Int64)
    case refused(Refusal)
}
