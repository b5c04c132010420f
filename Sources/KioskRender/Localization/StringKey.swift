/// The name of each string on the screens (the configuration uses these names).
public enum StringKey: String, Sendable, CaseIterable, Codable {
    case idleTitle = "idle.title", idleSubtitle = "idle.subtitle"
    case welcomeGreeting = "welcome.greeting", tierProgress = "welcome.tier-progress", tierTop = "welcome.tier-top"
    case points = "balance.points", credit = "balance.credit", giftCredit = "balance.gift-credit", coins = "balance.coins"
    case expiring = "welcome.expiring", nothingExpiring = "welcome.nothing-expiring"
    case offersWaiting = "welcome.offers-waiting", spinsWaiting = "welcome.spins-waiting", appliedOffer = "welcome.applied-offer"
    case wheelTitle = "wheel.title", wheelSpinning = "wheel.spinning", wheelWin = "wheel.win", wheelNothing = "wheel.nothing"
    case prizeTitle = "prize.title", prizeClaim = "prize.claim", prizeVerify = "prize.verify"
    case receiptAccepted = "receipt.accepted", receiptEarned = "receipt.earned", receiptAmount = "receipt.amount"
    case receiptNumber = "receipt.number", receiptRefused = "receipt.refused"
    case receiptAlreadyClaimed = "receipt.already-claimed", receiptExpired = "receipt.expired"
    case receiptInvalid = "receipt.invalid", receiptOtherStore = "receipt.other-store"
    case validUntilLabel = "valid-until-label"
    case voucherTitle = "voucher.title", voucherCode = "voucher.code", voucherValidUntil = "voucher.valid-until"
    case catalogueTitle = "catalogue.title", catalogueCost = "catalogue.cost", catalogueEmpty = "catalogue.empty"
    case catalogueCannotAfford = "catalogue.cannot-afford", catalogueBalance = "catalogue.balance"
    case pinTitle = "pin.title", pinPrompt = "pin.prompt", pinWrong = "pin.wrong"
    case enrollTitle = "enroll.title", enrollStep = "enroll.step"
    case enrollCard = "enroll.card", enrollPhone = "enroll.phone", enrollName = "enroll.name", enrollDone = "enroll.done"
    case unknownTitle = "refusal.unknown.title", unknownBody = "refusal.unknown.body"
    case clonedTitle = "refusal.cloned.title", clonedBody = "refusal.cloned.body"
    case blockedTitle = "refusal.blocked.title", blockedBody = "refusal.blocked.body"
    case offlineTitle = "offline.title", offlineBody = "offline.body", offlineSince = "offline.since"
    case diagTitle = "diag.title", diagNoPersonalData = "diag.no-personal-data"
    case pinDigits = "pin.digits"

    /// Each string's standard text in Persian and in English, side by side.
    static let standard: [StringKey: (persian: String, english: String)] = [
        .idleTitle: ("کارت خود را نزدیک کنید", "Tap your card"),
        .idleSubtitle: ("با هر خرید امتیاز بگیرید", "Members earn points on every purchase"),
        .welcomeGreeting: ("{name} عزیز، خوش آمدید", "Welcome, {name}"),
        .tierProgress: ("{amount} تا سطح {tier}", "{amount} more to {tier}"),
        .tierTop: ("شما در بالاترین سطح هستید", "You are at the top tier"),
        .points: ("امتیاز", "Points"),
        .credit: ("اعتبار", "Credit"),
        .giftCredit: ("اعتبار هدیه", "Gift credit"),
        .coins: ("سکه", "Coins"),
        .expiring: ("{amount} در تاریخ {date} منقضی می‌شود", "{amount} expire on {date}"),
        .nothingExpiring: ("چیزی به‌زودی منقضی نمی‌شود", "Nothing expires soon"),
        .offersWaiting: ("{count} پیشنهاد در انتظار شما", "Offers waiting: {count}"),
        .spinsWaiting: ("{count} چرخش رایگان", "Free spins: {count}"),
        .appliedOffer: ("{offer}: {reason}", "{offer}: {reason}"),
        .wheelTitle: ("گردونه‌ی شانس", "Spin the wheel"),
        .wheelSpinning: ("موفق باشید!", "Good luck!"),
        .wheelWin: ("برنده شدید: {prize}", "You won {prize}!"),
        .wheelNothing: ("این بار نه؛ دفعه‌ی بعد شانس با شماست!", "Not this time. Better luck on your next visit!"),
        .prizeTitle: ("جایزه‌ی شما", "Your prize"),
        .prizeClaim: ("این صفحه را به صندوق نشان دهید", "Show this screen at the counter"),
        .prizeVerify: ("درستی قرعه را بررسی کنید", "Check the draw was fair"),
        .receiptAccepted: ("رسید پذیرفته شد", "Receipt accepted"),
        .receiptEarned: ("{points} امتیاز گرفتید", "You earned {points} points"),
        .receiptAmount: ("مبلغ خرید", "Purchase"),
        .receiptNumber: ("شماره‌ی رسید", "Receipt"),
        .receiptRefused: ("رسید پذیرفته نشد", "Receipt not accepted"),
        .receiptAlreadyClaimed: ("این رسید قبلاً ثبت شده است", "This receipt was already claimed"),
        .receiptExpired: ("مهلت ثبت این رسید گذشته است", "This receipt is too old to claim"),
        .receiptInvalid: ("این رسید تأیید نشد", "This receipt could not be verified"),
        .receiptOtherStore: ("این رسید مال فروشگاه دیگری است", "This receipt is from another store"),
        .validUntilLabel: ("معتبر تا", "Valid until"),
        .voucherTitle: ("کوپن شما", "Your voucher"),
        .voucherCode: ("کد", "Code"),
        .voucherValidUntil: ("معتبر تا {date}", "Valid until {date}"),
        .catalogueTitle: ("فهرست هدایا", "Gift catalogue"),
        .catalogueCost: ("{points} امتیاز", "{points} points"),
        .catalogueEmpty: ("فعلاً هدیه‌ای موجود نیست", "No gifts available right now"),
        .catalogueCannotAfford: ("امتیاز هنوز کافی نیست", "Not enough points yet"),
        .catalogueBalance: ("امتیاز شما: {points}", "You have {points} points"),
        .pinTitle: ("رمز کارکنان", "Staff PIN"),
        .pinPrompt: ("رمز خود را وارد کنید", "Enter your PIN"),
        .pinWrong: ("رمز اشتباه است، دوباره تلاش کنید", "Wrong PIN, try again"),
        .enrollTitle: ("عضویت در باشگاه", "Join the club"),
        .enrollStep: ("مرحله‌ی {step} از {total}", "Step {step} of {total}"),
        .enrollCard: ("کارت جدید را نزدیک کنید", "Tap the new card"),
        .enrollPhone: ("شماره‌ی تلفن همراه را وارد کنید", "Enter the mobile number"),
        .enrollName: ("نام عضو را وارد کنید", "Enter the member's name"),
        .enrollDone: ("به باشگاه خوش آمدید!", "Welcome to the club!"),
        .unknownTitle: ("کارت شناخته نشد", "Card not recognised"),
        .unknownBody: ("برای عضویت به صندوق مراجعه کنید", "Ask at the counter to join the club"),
        .clonedTitle: ("این کارت قابل استفاده نیست", "This card cannot be used"),
        .clonedBody: ("کارت از بررسی امنیتی رد شد. لطفاً به کارکنان مراجعه کنید.", "The card failed its security check. Please see a member of staff."),
        .blockedTitle: ("این کارت مسدود است", "This card is blocked"),
        .blockedBody: ("لطفاً با کارکنان فروشگاه صحبت کنید", "Please speak to a member of staff"),
        .offlineTitle: ("کار در حالت آفلاین", "Working offline"),
        .offlineBody: ("امتیازهای شما محفوظ است و پس از برقراری اتصال همگام می‌شود", "Your points are safe and will sync when the connection returns"),
        .offlineSince: ("آفلاین از {time}", "Offline since {time}"),
        .diagTitle: ("عیب‌یابی", "Diagnostics"),
        .diagNoPersonalData: ("در این صفحه هیچ داده‌ی شخصی عضو نشان داده نمی‌شود", "No member data is shown on this screen"),
        .pinDigits: ("{count} از {total} رقم", "{count} of {total} digits"),
    ]

    static var persian: [StringKey: String] { standard.mapValues(\.persian) }
    static var english: [StringKey: String] { standard.mapValues(\.english) }
}
