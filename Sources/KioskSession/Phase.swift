import Foundation
import KioskCore

/// Where the session is. Customer phases first, then staff phases.
enum Phase: Sendable, Equatable {
    case idle
    case welcome(Welcome)
    case awaitingSpin(RequestID, MemberView, since: Date)
    case wheel(MemberView, SpinOutcome, startedAt: Date)
    /// A result screen (prize, receipt, voucher, refusal) until `until`.
    case showing(until: Date, member: MemberView?)
    case receiptWaiting(ReceiptRef, until: Date)
    /// A gift's link scanned and looked up: the member's card tapped before `until` asks for it.
    case giftOffered(GiftOfferView, until: Date)
    case awaitingCustomer(RequestID, CustomerWait, since: Date)
    case pinEntry(PinEntry)
    case verifyingPIN(RequestID, StaffView, since: Date)
    case staff(StaffSession)
    case awaitingStaff(RequestID, StaffSession, since: Date)

    var isStaff: Bool {
        switch self {
        case .pinEntry, .verifyingPIN, .staff, .awaitingStaff: true
        default: false
        }
    }

    /// The keypad is taken from the PIN prompt until the staff session ends (menus, phone numbers
    /// and amounts are typed on it); customers never type.
    var wantsKeypad: Bool { isStaff }
}

struct Welcome: Sendable, Equatable {
    var member: MemberView
    var card: CardID?
    var reader: String?
    var shownAt: Date
    var liftedAt: Date?
    var spinUntil: Date?
}

enum CustomerWait: Sendable, Equatable {
    case receiptClaim(MemberView)
    case voucherLookup
    case giftLookup
    case giftRequest(MemberView, GiftOfferView)
}

struct PinEntry: Sendable, Equatable {
    var staff: StaffView
    var card: CardID?
    var digits: [UInt8]
    var message: Refusal?
    var lastActivity: Date
}

struct StaffSession: Sendable, Equatable {
    var staff: StaffView
    var card: CardID?
    var step: Step
    var lastActivity: Date

    enum Step: Sendable, Equatable {
        case menu
        /// The technician's screen: the read under way (if any) and when to read again.
        case diagnostics(pending: RequestID?, next: Date, shown: DiagnosticsView?)
        case enrollTap
        case enrollWriting(card: CardID)
        case enrollContact(member: MemberID, card: CardID, typed: String)
        case purchaseIdentify
        case purchaseAmount(MemberView, typed: String)
        /// Balance adjustment (managers): the member, then the account, add or deduct, the
        /// amount, the reason.
        case adjustIdentify
        case adjustAccount(MemberView)
        case adjustDirection(MemberView, Account)
        case adjustAmount(MemberView, Account, deduct: Bool, typed: String)
        case adjustReason(MemberView, Account, amount: Int64)
        /// Handing out a gift: the member, their pending requests (read), the one handed out.
        case giftIdentify
        case giftPick(MemberView, [GiftView])
        case giftHanding(MemberView, GiftView)
        /// Replacing a card: the member (a card, their QR or a typed phone), then the new card.
        case replaceIdentify(typed: String)
        case replaceTap(MemberView)
        case replaceWriting(MemberView, card: CardID)
        /// Redeeming a voucher: the member, the voucher scanned (looked up), the purchase amount.
        case voucherIdentify
        case voucherScan(MemberView)
        case voucherAmount(MemberView, VoucherView, typed: String)
        /// Recording a return: the member, their purchases with something left (read), the one
        /// picked, the amount (nothing typed: all that is left).
        case returnIdentify
        case returnPick(MemberView, [PurchaseView])
        case returnAmount(MemberView, PurchaseView, typed: String)
        /// A step's outcome, shown until `until` or the next key, then the menu.
        case result(StaffStep, until: Date)

        func awaitsDiagnostics(_ request: RequestID) -> Bool {
            if case .diagnostics(let pending, _, _) = self { pending == request } else { false }
        }
    }
}
