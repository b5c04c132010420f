import KioskCore

/// A prize the member won (at the wheel or from an offer).
public struct PrizeData: Sendable, Equatable, Codable {
    public var prize: String
    public var detail: String?
    public var validUntil: CalendarDate?
    /// The spin's audit record (JSON), shown as a QR code that `kiosk engine verify-spin` checks.
    public var audit: String?

    public init(prize: String, detail: String? = nil, validUntil: CalendarDate? = nil, audit: String? = nil) {
        self.prize = prize; self.detail = detail; self.validUntil = validUntil; self.audit = audit
    }

    public static let sample = PrizeData(prize: "هدیه‌ی ویژه: یک شیشه عسل طبیعی", detail: "کد تحویل: G-4821",
                                         validUntil: CalendarDate(year: 2026, month: 10, day: 1))
    public static let sampleEnglish = PrizeData(prize: "Special gift: a jar of natural honey", detail: "Pickup code: G-4821",
                                                validUntil: CalendarDate(year: 2026, month: 10, day: 1))
}

enum PrizeScreen {
    static func draw(_ data: PrizeData, _ c: inout DrawContext) {
        var rows: [(String, String)] = []
        if let date = data.validUntil { rows.append((c.s(.validUntilLabel), c.locale.date(date))) }
        let code = data.audit.flatMap { try? QRCode($0) }
        // A quarter of the short side, in whole pixels per module, and never under two (a phone's
        // camera needs them); the side is exactly the modules' with their quiet zone.
        let side = code.map { code in
            let modules = Double(code.size + 8)
            return max(2, (min(c.width, c.height) * 0.26 / modules).rounded(.down)) * modules
        } ?? 0
        // Landscape: in the bottom corner on the side the text ends (left in Persian), the footer
        // kept clear of it. Portrait: centred above the footer, the message above both.
        let u = c.u
        let portrait = c.height > c.width
        MessageLayout.draw(&c, symbol: .gift, color: c.brand.accent, title: data.prize, body: data.detail, rows: rows,
                           footer: c.s(.prizeClaim), footerInset: side == 0 || portrait ? 0 : side + 24 * u,
                           bottomReserve: side == 0 || !portrait ? 0 : side + 36 * u)
        guard let code else { return }
        let x = portrait ? ((c.width - side) / 2).rounded(.down) : c.locale.isRTL ? 20 * u : c.width - 20 * u - side
        let y = portrait ? c.height - 56 * u - side : c.height - 16 * u - side
        c.canvas.draw(code, x: Int(x), y: Int(y), side: Int(side))
        let caption = portrait ? Box(x: 40 * u, y: y - 24 * u, width: c.width - 80 * u, height: 22 * u)
                               : Box(x: max(0, x - 20 * u), y: y - 24 * u, width: side + 40 * u, height: 22 * u)
        c.text(c.s(.prizeVerify), size: 13, in: caption, align: .center, color: c.brand.mutedText)
    }
}

/// The result of claiming a till receipt.
public struct ReceiptData: Sendable, Equatable, Codable {
    public enum Outcome: String, Sendable, Codable { case accepted, alreadyClaimed, expired, invalid, otherStore }
    public var outcome: Outcome
    public var receiptNumber: String?
    public var amount: Rial?
    public var pointsEarned: Int64?

    public init(outcome: Outcome, receiptNumber: String? = nil, amount: Rial? = nil, pointsEarned: Int64? = nil) {
        self.outcome = outcome; self.receiptNumber = receiptNumber; self.amount = amount; self.pointsEarned = pointsEarned
    }

    public static let sample = ReceiptData(outcome: .accepted, receiptNumber: "1405-0624-0173", amount: Rial(18_453_000),
                                           pointsEarned: 184)
}

enum ReceiptScreen {
    static func draw(_ data: ReceiptData, _ c: inout DrawContext) {
        var rows: [(String, String)] = []
        if let number = data.receiptNumber { rows.append((c.s(.receiptNumber), c.locale.digits(number))) }
        if let amount = data.amount { rows.append((c.s(.receiptAmount), c.locale.toman(amount))) }
        switch data.outcome {
        case .accepted:
            let body = data.pointsEarned.map { c.s(.receiptEarned, ["points": c.locale.number($0)]) }
            MessageLayout.draw(&c, symbol: .check, color: c.brand.success, title: c.s(.receiptAccepted), body: body, rows: rows)
        default:
            let reason: StringKey = switch data.outcome {
            case .alreadyClaimed: .receiptAlreadyClaimed
            case .expired: .receiptExpired
            case .otherStore: .receiptOtherStore
            default: .receiptInvalid
            }
            MessageLayout.draw(&c, symbol: .cross, color: c.brand.danger, title: c.s(.receiptRefused), body: c.s(reason), rows: rows)
        }
    }
}

/// A voucher the member holds.
public struct VoucherData: Sendable, Equatable, Codable {
    public var title: String
    public var code: String
    public var value: String
    /// Its last valid day; nil for a voucher that does not expire (no "valid until" line).
    public var validUntil: CalendarDate?

    public init(title: String, code: String, value: String, validUntil: CalendarDate?) {
        self.title = title; self.code = code; self.value = value; self.validUntil = validUntil
    }

    public static let sample = VoucherData(title: "۱۰٪ تخفیف لبنیات", code: "KX7-29QD", value: "تا سقف ۲۰۰٬۰۰۰ تومان",
                                           validUntil: CalendarDate(year: 2026, month: 9, day: 30))
    public static let sampleEnglish = VoucherData(title: "10% off dairy", code: "KX7-29QD", value: "up to 200,000 Toman",
                                                  validUntil: CalendarDate(year: 2026, month: 9, day: 30))
}

enum VoucherScreen {
    static func draw(_ data: VoucherData, _ c: inout DrawContext) {
        MessageLayout.draw(&c, header: c.s(.voucherTitle), symbol: .ticket, color: c.brand.primary, title: data.title,
                           body: data.value, rows: [(c.s(.voucherCode), data.code)],
                           footer: data.validUntil.map { c.s(.voucherValidUntil, ["date": c.locale.date($0)]) })
    }
}

/// A card the kiosk refuses.
public struct RefusalData: Sendable, Equatable, Codable {
    /// `notice`: what the kiosk could not do for the customer (no coins to spin, a code it cannot
    /// use, a failure), said in `message`, with what to do next.
    public enum Kind: String, Sendable, Codable { case unknown, cloned, blocked, notice }
    public var kind: Kind
    /// The notice's sentence (`notice` only).
    public var message: String?
    public init(kind: Kind, message: String? = nil) {
        self.kind = kind
        self.message = message
    }
}

enum RefusalScreen {
    static func draw(_ data: RefusalData, _ c: inout DrawContext) {
        switch data.kind {
        case .unknown:
            MessageLayout.draw(&c, symbol: .card, color: c.brand.primary, title: c.s(.unknownTitle), body: c.s(.unknownBody))
        case .cloned:
            MessageLayout.draw(&c, symbol: .exclamation, color: c.brand.danger, title: c.s(.clonedTitle), body: c.s(.clonedBody))
        case .blocked:
            MessageLayout.draw(&c, symbol: .lock, color: c.brand.danger, title: c.s(.blockedTitle), body: c.s(.blockedBody))
        case .notice:
            MessageLayout.draw(&c, symbol: .exclamation, color: c.brand.accent, title: data.message ?? "", body: c.s(.idleTitle))
        }
    }
}

/// The kiosk cannot reach the central service; taps still work.
public struct OfflineData: Sendable, Equatable, Codable {
    /// Since when, as a local time of day ("14:05").
    public var since: String?
    public init(since: String? = nil) { self.since = since }
    public static let sample = OfflineData(since: "14:05")
}

enum OfflineScreen {
    static func draw(_ data: OfflineData, _ c: inout DrawContext) {
        MessageLayout.draw(&c, symbol: .cloud, color: Color(hex: "#5C6B7E")!, title: c.s(.offlineTitle), body: c.s(.offlineBody),
                           footer: data.since.map { c.s(.offlineSince, ["time": c.locale.digits($0)]) })
    }
}
