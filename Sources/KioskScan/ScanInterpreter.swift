import KioskCards
import KioskReceipts

/// Reads what a scan means. Total: every input gives a `ScanMeaning` (at worst `.refused` or
/// `.text`), never a crash, never a hang (work is linear in the input, capped at `maxBytes`).
/// Pure: the keys are inputs, no clock is read (the time, for the end of the KR1 receipt
/// transition, is an argument; the receipt's claim window is the claim's).
public struct ScanInterpreter: Sendable {
    /// Longer scans are refused unread (`scan.tooLong`); a QR code holds at most 2,953 bytes.
    public static let maxBytes = 4_096

    /// The member-token keys (two during a rotation), as the readers use them.
    public var memberKeys: MemberTokenKeyring?
    /// The tills' public keys, and the KR1 HMAC key while its transition lasts.
    public var receipts: ReceiptVerifier?

    public init(memberKeys: MemberTokenKeyring? = nil, receipts: ReceiptVerifier? = nil) {
        self.memberKeys = memberKeys
        self.receipts = receipts
    }

    /// The meaning of a scan's bytes. `symbology` is the AIM identifier the source reported (a
    /// HID POS scanner sends it apart from the data); when nil, a leading `]Xm` in the data is
    /// taken as one. `now` (seconds since 1970) decides whether a KR1 receipt is still inside its
    /// transition period; without it a KR1 receipt is refused as retired.
    public func interpret(_ bytes: [UInt8], symbology: SymbologyIdentifier? = nil, now: Int64? = nil) -> ScanMeaning {
        guard bytes.count <= Self.maxBytes else { return .refused(ScanError(.tooLong, "more than \(Self.maxBytes) bytes")) }
        let (aim, data) = Self.body(bytes, symbology: symbology)
        guard !data.isEmpty else { return .refused(ScanError(.empty, "no data")) }
        if aim?.isGS1 == true || data.first == GS1ElementString.gs {
            do { return .gs1(try GS1ElementString(data: data)) } catch { return .refused(error) }
        }
        guard let text = String(validating: data, as: UTF8.self) else {
            return .refused(ScanError(.notText, "not UTF-8 text"))
        }
        let normalised = PersianNormalisation.asciiDigits(text)
        if let meaning = classify(normalised, aim: aim, now: now) { return meaning }
        // A scanner set up for the Persian keyboard layout: the same keys read as US keystrokes.
        if let us = PersianLayout.asUSKeystrokes(normalised), let meaning = classify(us, aim: aim, now: now) {
            if case .refused = meaning {} else { return meaning }
        }
        return .text(normalised)
    }

    /// The scan's symbology and its data: the AIM identifier taken off (unless the source gave
    /// it), and the terminators a scanner appends (CR, LF, Tab, NUL), which are not data.
    private static func body(_ bytes: [UInt8], symbology: SymbologyIdentifier?) -> (SymbologyIdentifier?, ArraySlice<UInt8>) {
        var data = bytes[...]
        var aim = symbology
        if aim == nil { (aim, data) = SymbologyIdentifier.split(data) }
        while let last = data.last, last == 0x0D || last == 0x0A || last == 0x09 || last == 0x00 { data = data.dropLast() }
        return (aim, data)
    }

    /// The receipt payload a scan carries, as `interpret` verified it (AIM identifier and
    /// terminators off, Persian digits, Caps Lock and the Persian keyboard layout undone): the
    /// text to claim the receipt with. Nil when the scan is no receipt.
    public func receiptPayload(_ bytes: [UInt8], symbology: SymbologyIdentifier? = nil) -> String? {
        guard bytes.count <= Self.maxBytes else { return nil }
        let (_, data) = Self.body(bytes, symbology: symbology)
        guard let text = String(validating: data, as: UTF8.self) else { return nil }
        let normalised = PersianNormalisation.asciiDigits(text)
        for candidate in [normalised, PersianLayout.asUSKeystrokes(normalised)].compactMap({ $0 }) {
            let head = Self.matches(candidate[...].utf8.prefix(4), Self.receiptHeadBytes)
            if head.matched { return head.inverted ? Self.swappingCase(candidate) : candidate }
        }
        return nil
    }

    /// Convenience for text (tests, `kiosk sim scan`).
    public func interpret(_ text: String, symbology: SymbologyIdentifier? = nil, now: Int64? = nil) -> ScanMeaning {
        interpret(Array(text.utf8), symbology: symbology, now: now)
    }

    /// Receipt formats: KR2 (Ed25519) and, during its transition, KR1 (HMAC).
    static let receiptHeads = ["KR2.", "KR1."]
    /// Member-token formats: KM2 (the current one); KM1 tokens are read so they are refused with
    /// a reason, not taken for text.
    static let memberHeads = ["KM2.", "KM1."]
    /// The heads as bytes, as sent and in lower case (made once, not per scan).
    private static let receiptHeadBytes = headBytes(receiptHeads)
    private static let memberHeadBytes = headBytes(memberHeads)

    private static func headBytes(_ heads: [String]) -> [(sent: [UInt8], lower: [UInt8])] {
        heads.map { (Array($0.utf8), Array($0.lowercased().utf8)) }
    }

    /// Whether `head` is one of `heads`, as sent or with its case inverted (Caps Lock).
    private static func matches(_ head: Substring.UTF8View, _ heads: [(sent: [UInt8], lower: [UInt8])]) -> (matched: Bool, inverted: Bool) {
        for candidate in heads {
            if head.elementsEqual(candidate.sent) { return (true, false) }
            if head.elementsEqual(candidate.lower) { return (true, true) }
        }
        return (false, false)
    }

    private func classify(_ text: String, aim: SymbologyIdentifier?, now: Int64?) -> ScanMeaning? {
        let head = text[...].utf8.prefix(4)
        let asReceipt = Self.matches(head, Self.receiptHeadBytes)
        if asReceipt.matched { return receipt(asReceipt.inverted ? Self.swappingCase(text) : text, now: now) }
        let asMember = Self.matches(head, Self.memberHeadBytes)
        if asMember.matched { return member(asMember.inverted ? Self.swappingCase(text) : text, link: false) }
        if let url = ScanURL(text) { return link(url, text: text) }
        if let first = text.utf8.first {
            if first == UInt8(ascii: "(") && text.utf8.dropFirst().first.map({ $0 >= 0x30 && $0 <= 0x39 }) == true {
                do { return .gs1(try GS1ElementString(humanReadable: text)) } catch { return .refused(error) }
            }
        }
        let utf8 = text.utf8
        if utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) {
            let isEAN = aim?.symbology == .eanUPC || aim?.symbology == .ean8
            guard isEAN || [8, 12, 13].contains(utf8.count) else { return nil }
            let hint: RetailCode.Kind? = switch (aim?.symbology, utf8.count) {
            case (.ean8?, 8): .ean8
            case (.eanUPC?, 8): .upcE
            default: nil
            }
            do { return .product(try RetailCode(text, kindHint: hint)) } catch {
                // Eight, twelve or thirteen digits from a symbology that is not EAN/UPC may be
                // just a number; from an EAN/UPC symbol a bad check digit is a misread.
                return isEAN || aim == nil ? .refused(error) : nil
            }
        }
        if utf8.count == VoucherCode.length, let voucher = try? VoucherCode(text) { return .voucher(voucher) }
        return nil
    }

    private func receipt(_ text: String, now: Int64?) -> ScanMeaning {
        guard let receipts else { return .refused(ScanError(.receiptNotConfigured, "no receipt key configured")) }
        do { return .receipt(try receipts.parse(text, now: now ?? .max)) } catch {
            return .refused(ScanError(.receipt, error.description))
        }
    }

    private func member(_ token: String, link: Bool) -> ScanMeaning {
        guard let memberKeys else { return .refused(ScanError(.memberNotConfigured, "no member token key configured")) }
        do { return .member(try MemberToken.verify(token, keys: memberKeys, cardUID: nil), link: link) } catch {
            return .refused(ScanError(.memberToken, error.description))
        }
    }

    private func link(_ url: ScanURL, text: String) -> ScanMeaning? {
        if let token = url.item(UInt8(ascii: "t")) {
            // An URL whose case the scanner inverted (Caps Lock): its token starts `km2.`.
            let inverted = Self.matches(token[...].utf8.prefix(4), Self.memberHeadBytes).inverted
            return member(inverted ? Self.swappingCase(token) : token, link: true)
        }
        do {
            if let enrollment = try EnrollmentLink.parse(url) { return .enrollment(enrollment) }
            if let gift = try GiftLink.parse(url) { return .gift(gift) }
        } catch {
            return .refused(error)
        }
        return nil
    }

    /// ASCII letters with their case swapped (what Caps Lock does to a wedge scanner's output).
    static func swappingCase(_ text: String) -> String {
        String(decoding: text.utf8.map { c in
            (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A) ? c ^ 0x20 : c
        }, as: UTF8.self)
    }
}
