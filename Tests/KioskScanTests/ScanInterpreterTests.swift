import KioskCards
import KioskCore
import KioskEngine
import KioskReceipts
import Testing
@testable import KioskScan

@Suite struct ScanInterpreterTests {
    let scan = Fixtures.interpreter

    // MARK: members

    @Test func aMemberTokenIdentifiesTheMemberAsATapWould() {
        let meaning = scan.interpret(Fixtures.token())
        #expect(meaning == .member(Fixtures.member(), link: false))
        guard case .member(let token, _) = meaning else { return }
        #expect(token.member == "M-1001" && token.keyID == "k1" && token.issued == Fixtures.issued)
    }

    @Test func aMemberLinkCarriesTheSameToken() {
        let meaning = scan.interpret("https://kiosk.club/m?x=1&t=\(Fixtures.token())")
        #expect(meaning == .member(Fixtures.member(), link: true))
    }

    @Test func aTokenSignedWithAnotherKeyOrAlteredIsRefused() {
        #expect(scan.interpret(Fixtures.token(key: Fixtures.otherMemberKey)) == .refused(ScanError(.memberToken, "member token signature does not verify")))
        let forged = Fixtures.token().replacingOccurrences(of: "M-1001", with: "M-1002")
        #expect(scan.interpret(forged) == .refused(ScanError(.memberToken, "member token signature does not verify")))
        #expect(scan.interpret("KM1.M-1.-.short") == .refused(ScanError(.memberToken, "malformed member token: not KM2.<key id>.<member>.<uid>.<issued>.<mac>")), "the old format is refused with a reason")
    }

    @Test func aTokenBoundToACardIsRefusedFromAScanThatHasNoCard() {
        #expect(scan.interpret(Fixtures.token(uid: [0x04, 0xDE, 0x5F, 0x1E, 0xAC, 0xC0, 0x40])) == .refused(ScanError(.memberToken, "member token is bound to another card")))
    }

    @Test func withoutAKeyAMemberTokenIsRefusedAsNotConfigured() {
        #expect(ScanInterpreter().interpret(Fixtures.token()) == .refused(ScanError(.memberNotConfigured, "no member token key configured")))
    }

    @Test func capsLockAndATerminatorDoNotSpoilAToken() {
        let inverted = ScanInterpreter.swappingCase(Fixtures.token()) + "\r\n"
        #expect(inverted.hasPrefix("km2."))
        #expect(scan.interpret(inverted) == .member(Fixtures.member(), link: false))
        let link = ScanInterpreter.swappingCase("https://kiosk.club/m?t=\(Fixtures.token())")
        #expect(scan.interpret(link) == .member(Fixtures.member(), link: true))
    }

    // MARK: enrollment

    @Test func anEnrollmentLinkGivesItsCampaignAndReferral() {
        #expect(scan.interpret("https://kiosk.club/join?src=spring-flyer&ref=ALI-22") == .enrollment(EnrollmentLink(source: "spring-flyer", referralCode: "ALI-22")))
        #expect(scan.interpret("HTTP://kiosk.club/fa/JOIN") == .enrollment(EnrollmentLink(source: nil, referralCode: nil)))
        #expect(scan.interpret("https://kiosk.club/join?ref=a%20b") == .refused(ScanError(.enrollment, "bad referral code in enrollment link")))
        #expect(scan.interpret("https://kiosk.club/about") == .text("https://kiosk.club/about"))
    }

    @Test func aGiftLinkNamesExactlyOneCatalogueItem() {
        #expect(scan.interpret("https://kiosk.club/gift?item=mug") == .gift(GiftLink(item: "mug")))
        #expect(scan.interpret("HTTPS://kiosk.club/fa/GIFT?ITEM=cinema-2&utm=x") == .gift(GiftLink(item: "cinema-2")))
        let bad = ScanError(.gift, "a gift link names exactly one item of 1 to 64 letters, digits, _ or -")
        #expect(scan.interpret("https://kiosk.club/gift") == .refused(bad))
        #expect(scan.interpret("https://kiosk.club/gift?item=mug&item=cup") == .refused(bad))
        #expect(scan.interpret("https://kiosk.club/gift?item=a%20b") == .refused(bad))
        #expect(scan.interpret("https://kiosk.club/gift?item=" + String(repeating: "x", count: 65)) == .refused(bad))
    }

    // MARK: receipts

    @Test func aSignedReceiptIsReadThroughTheReceiptsParser() {
        #expect(scan.interpret(Fixtures.receiptPayload + "\r") == .receipt(Fixtures.receipt))
        #expect(scan.interpret(ScanInterpreter.swappingCase(Fixtures.receiptPayload)) == .receipt(Fixtures.receipt))
    }

    /// What a claim is made with: the payload as verified, not the bytes as the scanner sent them.
    @Test func theReceiptPayloadIsTheVerifiedTextNotTheBytesAsSent() {
        let payload = Fixtures.receiptPayload
        #expect(scan.receiptPayload(Array(("]Q1" + payload + "\r\n").utf8)) == payload, "AIM identifier and terminators off")
        #expect(scan.receiptPayload(Array(ScanInterpreter.swappingCase(payload).utf8)) == payload, "Caps Lock undone")
        #expect(scan.receiptPayload(Array(payload.utf8), symbology: SymbologyIdentifier.split(Array("]Q1".utf8)[...]).0) == payload)
        #expect(scan.receiptPayload(Array("]E04006381333931".utf8)) == nil, "a product code is no receipt")
        #expect(scan.receiptPayload([0xFF, 0xFE]) == nil)
    }

    @Test func anHMACReceiptIsReadOnlyDuringItsTransition() {
        let kr1 = Fixtures.kr1Payload
        #expect(kr1.hasPrefix("KR1."))
        #expect(scan.interpret(kr1, now: Fixtures.kr1AcceptedUntil - 1) == .receipt(Fixtures.receipt))
        #expect(scan.interpret(kr1, now: Fixtures.kr1AcceptedUntil) == .refused(ScanError(.receipt, ReceiptError.retiredFormat(until: Fixtures.kr1AcceptedUntil).description)))
        guard case .refused(let error) = scan.interpret(kr1) else { Issue.record("a KR1 receipt read with no time"); return }
        #expect(error.code == .receipt, "without the time a KR1 receipt counts as retired")
    }

    @Test func aTamperedOrForeignReceiptIsRefusedWithTheParsersReason() {
        var payload = Array(Fixtures.receiptPayload.utf8)
        payload[10] = payload[10] == UInt8(ascii: "A") ? UInt8(ascii: "B") : UInt8(ascii: "A")
        guard case .refused(let error) = scan.interpret(payload) else { Issue.record("accepted"); return }
        #expect(error.code == .receipt)
        #expect(ScanInterpreter(memberKeys: Fixtures.memberKeys).interpret(Fixtures.receiptPayload) == .refused(ScanError(.receiptNotConfigured, "no receipt key configured")))
    }

    // MARK: vouchers

    @Test func everyCodeTheEngineGeneratesReadsAsAVoucher() {
        var random = SeededRandom(seed: 11)
        for _ in 0..<2_000 {
            let code = LoyaltyEngine.newVoucherCode(&random)
            #expect(scan.interpret(code) == .voucher(try! VoucherCode(code)))
            #expect(scan.interpret(code.lowercased()) == .voucher(try! VoucherCode(code)))
        }
    }

    @Test func codesOutsideTheVoucherAlphabetAreNotVouchers() {
        #expect(throws: ScanError.self) { try VoucherCode("ABCDEFGHI0") }
        #expect(throws: ScanError.self) { try VoucherCode("ABCDEFGHJ") }
        #expect(scan.interpret("WELCOME10") == .text("WELCOME10"))
    }

    // MARK: products and GS1

    @Test func digitsAreAProductCodeWithOrWithoutAnAIMIdentifier() {
        let ean = try! RetailCode("5901234123457")
        #expect(scan.interpret("5901234123457\n") == .product(ean))
        #expect(scan.interpret("]E05901234123457") == .product(ean))
        #expect(scan.interpret("]E496385074") == .product(try! RetailCode("96385074")))
        #expect(scan.interpret("]E001234565") == .product(try! RetailCode("01234565", kindHint: .upcE)))
        #expect(scan.interpret("5901234123458") == .refused(ScanError(.checkDigit, "EAN-13 check digit does not match")))
        // Twelve digits from a Code 128 symbol with a wrong check digit are just a number.
        #expect(scan.interpret("]C0123456789013") == .text("123456789013"))
    }

    @Test func aGS1SymbolIsReadAsAnElementString() throws {
        let expected = try GS1ElementString(humanReadable: "(01)09521234543213(10)ABC")
        #expect(scan.interpret("]C10109521234543213" + "10ABC") == .gs1(expected))
        #expect(scan.interpret("]Q3" + "0109521234543213" + "10ABC\r") == .gs1(expected))
        #expect(scan.interpret("\u{1D}0109521234543213" + "10ABC") == .gs1(expected))
        #expect(scan.interpret("(01)09521234543213(10)ABC") == .gs1(expected))
        #expect(scan.interpret(Array("0109521234543213".utf8), symbology: .gs1DataMatrix) == .gs1(try GS1ElementString(humanReadable: "(01)09521234543213")))
    }

    // MARK: Persian

    @Test func persianAndArabicIndicDigitsAreReadAsASCII() {
        let ean = try! RetailCode("5901234123457")
        #expect(scan.interpret("۵۹۰۱۲۳۴۱۲۳۴۵۷") == .product(ean))
        #expect(scan.interpret("٥٩٠١٢٣٤١٢٣٤٥٧") == .product(ean))
        #expect(scan.interpret("۰۹۱۲ ۱۲۳ ۴۵۶۷") == .text("0912 123 4567"))
        #expect(PersianNormalisation.persianLetters("كيى") == "کیی")
    }

    @Test func aCodeTypedThroughThePersianLayoutIsReadAsTheKeysPressed() {
        // "tq2mv8hnkg" on the Persian layout.
        let typed = "فض۲پر۸ادنل"
        #expect(PersianLayout.asUSKeystrokes(typed) == "tq2mv8hnkg")
        #expect(scan.interpret(typed) == .voucher(try! VoucherCode("TQ2MV8HNKG")))
        #expect(scan.interpret("سلام دوستان") == .text("سلام دوستان"))
    }

    // MARK: hostile input

    @Test func emptyOverlongAndNonTextScansAreRefusedWithTheirCode() {
        #expect(scan.interpret("") == .refused(ScanError(.empty, "no data")))
        #expect(scan.interpret("\r\n") == .refused(ScanError(.empty, "no data")))
        #expect(scan.interpret("]E0") == .refused(ScanError(.empty, "no data")))
        #expect(scan.interpret([UInt8](repeating: 0x41, count: 4_097)) == .refused(ScanError(.tooLong, "more than 4096 bytes")))
        #expect(scan.interpret([0xFF, 0xFE, 0x41]) == .refused(ScanError(.notText, "not UTF-8 text")))
    }

    @Test func theSummaryNeverShowsAMACOrSignature() {
        let token = Fixtures.token()
        let mac = String(token.split(separator: ".").last!)
        let summaries = [scan.interpret(token).summary, scan.interpret(Fixtures.receiptPayload).summary,
                         scan.interpret(Fixtures.token(key: Fixtures.otherMemberKey)).summary]
        for s in summaries { #expect(!s.contains(mac)) }
        #expect(!summaries[1].contains(String(Fixtures.receiptPayload.split(separator: ".").last!)))
        #expect(summaries[0] == "member M-1001 (valid member token)")
    }
}
