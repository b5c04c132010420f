import KioskCards
import KioskReceipts

/// What a scan means to the kiosk.
public enum ScanMeaning: Sendable, Equatable {
    /// A member, identified by a signed member token exactly as a card tap would: the token
    /// itself (`KM2.…`) or a member link carrying it (`https://…?t=KM2.…`).
    case member(MemberToken, link: Bool)
    /// An enrollment link: the campaign source and the referral code it carries.
    case enrollment(EnrollmentLink)
    /// A catalogue gift's link: the item a member asks for.
    case gift(GiftLink)
    /// A till receipt whose signature verifies (the claim rules — window, once only — are the
    /// claim's, `docs/receipts.md`).
    case receipt(Receipt)
    /// A voucher code in the engine's format.
    case voucher(VoucherCode)
    /// A product's EAN/UPC code.
    case product(RetailCode)
    /// A GS1 element string.
    case gs1(GS1ElementString)
    /// Text the kiosk has no meaning for (a shared voucher code, a URL, a phone number, …), with
    /// Persian and Arabic-Indic digits read as ASCII.
    case text(String)
    /// A code the kiosk recognised and refused: a forged token, a bad check digit, …
    case refused(ScanError)

    /// One line for logs and `kiosk diag scanners`: what the scan is and whether it is valid,
    /// never a token's MAC or a receipt's signature.
    /// The kind of code, one word, for logs and reports (never its data).
    public var kind: String {
        switch self {
        case .member: "member"
        case .enrollment: "enrollment"
        case .gift: "gift"
        case .receipt: "receipt"
        case .voucher: "voucher"
        case .product: "product"
        case .gs1: "gs1"
        case .text: "text"
        case .refused: "refused"
        }
    }

    public var summary: String {
        switch self {
        case .member(let token, let link):
            "member \(token.member.rawValue) (valid \(link ? "member link" : "member token")\(token.boundUID == nil ? "" : ", bound to a card"))"
        case .enrollment(let e): "enrollment link (source \(e.source ?? "none"), referral \(e.referralCode ?? "none"))"
        case .gift(let g): "gift link (item \(g.item))"
        case .receipt(let r): "receipt \(r.pos)/\(r.receiptID) (valid signature, branch \(r.branch), total \(r.total) Rial)"
        case .voucher(let v): "voucher \(v.code)"
        case .product(let p): "\(p.kind.rawValue) \(p.digits) (GTIN \(p.gtin))"
        case .gs1(let g): "GS1 \(g.humanReadable)"
        case .text(let t): "text of \(t.count) characters"
        case .refused(let e): "refused: \(e)"
        }
    }
}
