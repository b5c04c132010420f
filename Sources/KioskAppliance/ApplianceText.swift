import KioskCore
import KioskRender
import KioskSession

/// The lines the appliance composes for screens whose data is free text (a prize that is
/// nothing, a receipt waiting for a card, a refusal without a screen of its own), in both locales.
/// Numbers arrive already written in the locale's digits.
/// Which keys work on a staff screen, said at its foot.
enum StaffHint: Equatable {
    case sessionMenu, menu, entry, card, result
}

enum ApplianceText: Equatable {
    case nothingWon, nothingWonDetail, nothingSegment
    case points(String), coins(String)
    case receiptWaiting(String)
    case voucherUnusable(VoucherUnusable)
    case refusal(Refusal)
    case action(StaffAction)
    case purchaseAmount
    case working
    /// The name a member enrolled without one is greeted by.
    case unnamedMember
    case role(Role)
    case diagnosticsItem(DiagnosticsView.Item)
    /// The counter flows' prompts and outcomes (names and amounts arrive already written).
    case identifyMember
    case replaceIdentify
    case replaceTapNewCard(String)
    case cardReplaced(String)
    case account(Account)
    case adjustAdd, adjustDeduct
    case adjustAmount(Account, deduct: Bool)
    case chooseAction, whichBalance, addOrDeduct, whyAdjust, whichGift
    case hint(StaffHint)
    case adjustmentReason(String)
    case balanceAdjusted(String, member: String)
    case noGiftsWaiting(String)
    case giftHandedOut(String)
    case voucherScan
    case voucherAmount(String)
    case voucherRedeemed(String, String)
    case whichPurchase
    case giftOffered(title: String, cost: String)
    case giftRequested(cost: String)
    case noPurchaseToReturn(String)
    case purchaseLine(date: String, subtotal: String, left: String?)
    case returnAmount(String)
    case returnRecorded(refund: String, points: String)

    func text(_ locale: DisplayLocale) -> String {
        let fa = locale == .faIR
        switch self {
        case .nothingWon: return fa ? "این بار پوچ" : "No prize this time"
        case .nothingWonDetail: return fa ? "دفعه‌ی بعد شانس با شماست" : "Better luck next time"
        case .nothingSegment: return fa ? "پوچ" : "No prize"
        case .points(let n): return fa ? "\(n) امتیاز" : "\(n) points"
        case .coins(let n): return fa ? "\(n) سکه" : "\(n) coins"
        case .receiptWaiting(let amount):
            return fa ? "رسید \(amount) — برای ثبت، کارت خود را بزنید" : "Receipt of \(amount): tap your card to claim it"
        case .voucherUnusable(.expired): return fa ? "این کوپن منقضی شده است" : "This voucher has expired"
        case .voucherUnusable(.notYetValid): return fa ? "این کوپن هنوز فعال نشده است" : "This voucher is not valid yet"
        case .voucherUnusable(.usedUp): return fa ? "این کوپن قبلاً استفاده شده است" : "This voucher has been used up"
        case .voucherUnusable(.notThisMember): return fa ? "این کوپن متعلق به عضو دیگری است" : "This voucher belongs to another member"
        case .voucherUnusable(.belowMinimumSpend): return fa ? "مبلغ خرید کمتر از حداقل این کوپن است" : "The purchase is below this voucher's minimum"
        case .giftOffered(let title, let cost):
            return fa ? "\(title) به بهای \(cost) — برای درخواست، کارت خود را بزنید" : "\(title) for \(cost): tap your card to ask for it"
        case .giftRequested(let cost):
            return fa ? "درخواست شد؛ \(cost) پرداخت شد. هدیه را از کارکنان بگیرید" : "Requested; \(cost) paid. Collect it from staff"
        case .whichPurchase: return fa ? "کدام خرید مرجوع می‌شود؟" : "Which purchase is returned?"
        case .noPurchaseToReturn(let name): return fa ? "خریدی از \(name) برای مرجوعی نیست" : "\(name) has no purchase to return"
        case .purchaseLine(let date, let subtotal, let left):
            guard let left else { return "\(date) — \(subtotal)" }
            return fa ? "\(date) — \(subtotal) (مانده \(left))" : "\(date) — \(subtotal) (\(left) left)"
        case .returnAmount(let left):
            return fa ? "مبلغ مرجوعی (تومان)؛ تأیید بدون عدد: همه‌ی \(left)" : "Amount returned (Toman); Enter alone: all \(left)"
        case .returnRecorded(let refund, let points):
            return fa ? "مرجوعی ثبت شد: \(refund) بازگشت، \(points) کسر" : "Return recorded: \(refund) back, \(points) taken back"
        case .voucherScan: return fa ? "کوپن را اسکن کنید" : "Scan the voucher"
        case .voucherAmount(let summary): return fa ? "مبلغ خرید (تومان) با کوپن «\(summary)»" : "Purchase amount (Toman) with \(summary)"
        case .voucherRedeemed(let discount, let points):
            return fa ? "کوپن اعمال شد: \(discount) تخفیف، \(points)" : "Voucher applied: \(discount) off, \(points)"
        case .refusal(let refusal): return Self.refusal(refusal, fa: fa)
        case .action(let action): return Self.action(action, fa: fa)
        case .purchaseAmount: return fa ? "مبلغ خرید (تومان)" : "Purchase amount (Toman)"
        case .working: return fa ? "لطفاً صبر کنید…" : "Please wait…"
        case .unnamedMember: return fa ? "عضو باشگاه" : "club member"
        case .role(let role):
            switch role {
            case .cashier: return fa ? "صندوقدار" : "Cashier"
            case .enroller: return fa ? "ثبت‌نام‌کننده" : "Enroller"
            case .manager: return fa ? "مدیر" : "Manager"
            case .technician: return fa ? "تکنسین" : "Technician"
            }
        case .identifyMember:
            return fa ? "کارت مشتری را بزنید یا کد QR او را اسکن کنید" : "Tap the member's card or scan their QR code"
        case .replaceIdentify:
            return fa ? "کارت یا QR مشتری را بزنید، یا شماره‌ی تلفن او را وارد کنید" : "Tap the member's card or scan their QR, or type their phone number"
        case .replaceTapNewCard(let name):
            return fa ? "کارت خام جدید \(name) را روی کارت‌خوان بگذارید" : "Place \(name)'s new blank card on the reader"
        case .cardReplaced(let name):
            return fa ? "کارت جدید \(name) فعال شد؛ کارت‌های قبلی مسدود شدند" : "\(name)'s new card is active; the old cards are blocked"
        case .account(let account):
            switch account {
            case .points: return fa ? "امتیاز" : "Points"
            case .credit: return fa ? "اعتبار کیف پول" : "Wallet credit"
            case .giftCredit: return fa ? "اعتبار هدیه" : "Gift credit"
            case .coins: return fa ? "سکه" : "Coins"
            }
        case .adjustAdd: return fa ? "افزودن" : "Add"
        case .adjustDeduct: return fa ? "کسر" : "Deduct"
        case .adjustAmount(let account, let deduct):
            let what = Self.adjustAmountLabel(account, fa: fa)
            return fa ? "\(deduct ? "کسر" : "افزودن") \(what)" : "\(deduct ? "Deduct" : "Add") \(what)"
        case .chooseAction: return fa ? "چه کاری انجام می‌دهید؟" : "What would you like to do?"
        case .whichBalance: return fa ? "کدام موجودی؟" : "Which balance?"
        case .addOrDeduct: return fa ? "افزودن یا کسر؟" : "Add or deduct?"
        case .whyAdjust: return fa ? "به چه دلیل؟" : "For what reason?"
        case .whichGift: return fa ? "کدام هدیه تحویل داده می‌شود؟" : "Which gift is handed out?"
        case .hint(let hint):
            switch hint {
            case .sessionMenu: return fa ? "عدد گزینه را بزنید · لغو یا کارت خودتان: پایان کار" : "Press the option's number · Cancel or your card: log out"
            case .menu: return fa ? "عدد گزینه را بزنید · لغو: بازگشت" : "Press the option's number · Cancel: back"
            case .entry: return fa ? "تأیید: ادامه · لغو: بازگشت" : "Enter: continue · Cancel: back"
            case .card: return fa ? "لغو: بازگشت" : "Cancel: back"
            case .result: return fa ? "هر کلید: بازگشت به منو" : "Any key: back to the menu"
            }
        case .adjustmentReason(let code):
            switch code {
            case "correction": return fa ? "اصلاح اشتباه" : "Correcting a mistake"
            case "goodwill": return fa ? "حسن نیت" : "Goodwill"
            case "complaint": return fa ? "رسیدگی به شکایت" : "Settling a complaint"
            default: return code
            }
        case .balanceAdjusted(let amount, let member):
            return fa ? "موجودی \(member) اصلاح شد: \(amount)" : "\(member)'s balance adjusted: \(amount)"
        case .noGiftsWaiting(let name):
            return fa ? "هدیه‌ای برای \(name) در انتظار تحویل نیست" : "No gift is waiting for \(name)"
        case .giftHandedOut(let title):
            return fa ? "تحویل داده شد: \(title)" : "Handed out: \(title)"
        case .diagnosticsItem(let item):
            switch item {
            case .version: return fa ? "نسخه" : "Version"
            case .program: return fa ? "برنامه‌ی وفاداری" : "Loyalty program"
            case .store: return fa ? "پایگاه داده" : "Database"
            case .outbox: return fa ? "صف ارسال" : "Outbox"
            case .clock: return fa ? "ساعت" : "Clock"
            }
        }
    }

    /// What an amount is typed in for an account.
    static func adjustAmountLabel(_ account: Account, fa: Bool) -> String {
        switch account {
        case .points: fa ? "امتیاز" : "points"
        case .credit, .giftCredit: fa ? "اعتبار (تومان)" : "credit (Toman)"
        case .coins: fa ? "سکه" : "coins"
        }
    }

    static func refusal(_ refusal: Refusal, fa: Bool) -> String {
        switch refusal {
        case .memberNotFound: fa ? "عضوی با این شماره پیدا نشد" : "No member has this phone number"
        case .insufficientBalance: fa ? "موجودی برای این کسر کافی نیست" : "The balance is too low for this deduction"
        case .giftNotPending: fa ? "این هدیه در انتظار تحویل نیست" : "This gift is not waiting to be handed out"
        case .notAllowed: fa ? "این کار برای نقش شما مجاز نیست" : "Your role may not do this"
        case .voucherNotUsable(let why): ApplianceText.voucherUnusable(why).text(fa ? .faIR : .en)
        case .giftUnknown: fa ? "این هدیه در فهرست هدایا نیست" : "This gift is not in the catalogue"
        case .giftUnavailable: fa ? "این هدیه اکنون ارائه نمی‌شود" : "This gift is not offered now"
        case .giftTooDear: fa ? "موجودی شما برای این هدیه کافی نیست" : "Your balance does not cover this gift"
        case .offlineCreditLimit(let remaining):
            fa ? "تا تأیید مرکز، بیش از \(DisplayLocale.faIR.toman(remaining)) از اعتبارتان را نمی‌توانید خرج کنید"
                : "Until the central confirms your last spends, you can spend \(DisplayLocale.en.toman(remaining)) of credit here"
        case .returnRefused(let why): fa ? "مرجوعی ثبت نشد (\(why))" : "The return was not recorded (\(why))"
        case .unreadableCard: fa ? "کارت خوانده نشد؛ دوباره بزنید" : "The card could not be read; tap again"
        case .staffCardLocked: fa ? "این کارت کارمند موقتاً قفل است" : "This staff card is locked for now"
        case .noSpinAvailable: fa ? "سکه‌ی کافی برای چرخش ندارید" : "Not enough coins to spin"
        case .voucherUnknown: fa ? "این کوپن شناخته نشد" : "This voucher is not known"
        case .cardAlreadyEnrolled: fa ? "این کارت قبلاً ثبت شده است" : "This card is already enrolled"
        case .cardNotEnrollable:
            fa ? "این کارت را نمی‌توان ثبت کرد؛ یک کارت خام بزنید" : "This card cannot be enrolled; tap a blank card"
        case .tokenNotWritten(let why):
            fa ? "روی کارت نوشته نشد (\(why))؛ دوباره امتحان کنید" : "The card was not written (\(why)); try again"
        case .unusableScan: fa ? "این کد اینجا کاربردی ندارد" : "This code cannot be used here"
        case .failed: fa ? "مشکلی پیش آمد؛ لطفاً به کارکنان بگویید" : "Something went wrong; please ask staff"
        case .unknownCard: fa ? "کارت شناخته نشد؛ لطفاً به کارکنان بگویید" : "Card not known; please ask staff"
        case .blockedCard: fa ? "این کارت مسدود است" : "This card is blocked"
        case .clonedCard: fa ? "این کارت پذیرفته نشد" : "This card was not accepted"
        case .wrongPIN: fa ? "رمز اشتباه است" : "Wrong PIN"
        case .receiptForged: fa ? "رسید معتبر نیست" : "The receipt is not valid"
        case .receiptAlreadyClaimed: fa ? "این رسید قبلاً ثبت شده است" : "This receipt was already claimed"
        case .receiptNotClaimable: fa ? "این رسید قابل ثبت نیست" : "This receipt cannot be claimed"
        }
    }

    static func action(_ action: StaffAction, fa: Bool) -> String {
        switch action {
        case .enroll: fa ? "ثبت‌نام عضو" : "Enroll a member"
        case .replaceCard: fa ? "جایگزینی کارت" : "Replace a card"
        case .recordPurchase: fa ? "ثبت خرید" : "Record a purchase"
        case .recordReturn: fa ? "ثبت مرجوعی" : "Record a return"
        case .redeemVoucher: fa ? "استفاده از کوپن" : "Redeem a voucher"
        case .redeemGift: fa ? "تحویل هدیه" : "Hand out a gift"
        case .adjustBalance: fa ? "اصلاح موجودی" : "Adjust a balance"
        case .diagnostics: fa ? "عیب‌یابی" : "Diagnostics"
        }
    }
}
