import Foundation
import KioskCards
import KioskCore
import Testing

struct MemberTokenTests {
    /// The documented known-answer vector (docs/cards.md): key 00 01 … 1F with id `k1`.
    static let vectorKey = try! MemberTokenKey(id: "k1", Array(0..<32))
    static let day = TokenDay(year: 2026, month: 12, day: 1)!
    let key = vectorKey
    var keys: MemberTokenKeyring { try! MemberTokenKeyring(current: key) }

    @Test func theKnownAnswerVector() throws {
        let uid = Hex.bytes("04A1B2C3D4E5F6")!
        let bound = MemberToken(member: "M-1001", boundUID: uid, issued: Self.day).signed(with: key)
        #expect(bound == "KM2.k1.M-1001.04A1B2C3D4E5F6.20261201.USuaHGt51ACMtRwXQmz-vg")
        let unbound = MemberToken(member: "M-1001", boundUID: nil, issued: Self.day).signed(with: key)
        #expect(unbound == "KM2.k1.M-1001.-.20261201.ZSZV_YzkDhAG4y45ZEvxMw")
        let verified = try MemberToken.verify(bound, keys: keys, cardUID: uid)
        #expect(verified.member == "M-1001" && verified.boundUID == uid && verified.issued == Self.day && verified.keyID == "k1")
    }

    @Test func aBoundTokenCopiedToAnotherCardIsRefused() {
        let text = MemberToken(member: "m-123", boundUID: Hex.bytes("04A1B2C3D4E5F6")!, issued: Self.day).signed(with: key)
        #expect(throws: MemberTokenError.wrongCard) { try MemberToken.verify(text, keys: keys, cardUID: Hex.bytes("04A1B2C3D4E5F7")!) }
    }

    @Test func anUnboundTokenVerifiesOnAnyCard() throws {
        let text = MemberToken(member: "m-9", boundUID: nil, issued: Self.day).signed(with: key)
        #expect(try MemberToken.verify(text, keys: keys, cardUID: nil).boundUID == nil)
    }

    @Test func tokensSignedWithAnotherKeyOrEditedAreRefused() throws {
        let other = try MemberTokenKey(id: "k1", Array(repeating: 7, count: 32))
        let text = MemberToken(member: "m-1", boundUID: nil, issued: Self.day).signed(with: other)
        #expect(throws: MemberTokenError.badSignature) { try MemberToken.verify(text, keys: keys, cardUID: nil) }
        let signed = MemberToken(member: "m-1", boundUID: nil, issued: Self.day).signed(with: key)
        for edited in [signed.replacingOccurrences(of: "m-1", with: "m-2"), signed.replacingOccurrences(of: "20261201", with: "20271201")] {
            #expect(throws: MemberTokenError.badSignature) { try MemberToken.verify(edited, keys: keys, cardUID: nil) }
        }
    }

    @Test func duringARotationBothKeysAreAcceptedAndARetiredKeyIsNot() throws {
        let next = try MemberTokenKey(id: "k2", Array(32..<64))
        let rotating = try MemberTokenKeyring(current: next, previous: key)
        let old = MemberToken(member: "m-1", boundUID: nil, issued: Self.day).signed(with: key)
        let new = MemberToken(member: "m-1", boundUID: nil, issued: Self.day).signed(with: next)
        #expect(new.hasPrefix("KM2.k2.m-1.-.20261201."))
        #expect(try MemberToken.verify(old, keys: rotating, cardUID: nil).keyID == "k1")
        #expect(try MemberToken.verify(new, keys: rotating, cardUID: nil).keyID == "k2")
        let retired = try MemberTokenKeyring(current: next)
        #expect(throws: MemberTokenError.unknownKey("k1")) { try MemberToken.verify(old, keys: retired, cardUID: nil) }
        #expect(throws: MemberTokenError.self) { try MemberTokenKeyring(current: next, previous: next) }
    }

    @Test func theLongestTokenFitsAnNTAG213() throws {
        let longest = MemberToken(member: MemberID(rawValue: String(repeating: "m", count: 64)), boundUID: Array(repeating: 0x04, count: 7),
                                  issued: TokenDay(year: 9999, month: 12, day: 31)!)
        let key4 = try MemberTokenKey(id: "abcd", Array(0..<32))
        let text = longest.signed(with: key4)
        #expect(text.utf8.count == MemberToken.maxLength)
        _ = try MemberToken.verify(text, keys: MemberTokenKeyring(current: key4), cardUID: Array(repeating: 0x04, count: 7))
        let plan = try Type2WritePlan(message: longest.ndefMessage(key: key4), dataAreaSize: NTAGModel.ntag213.dataAreaSize)
        #expect(plan.expectedDataArea.count <= NTAGModel.ntag213.dataAreaSize)
    }

    @Test(arguments: ["", "KM2", "KM1.a.-.AAAAAAAAAAAAAAAAAAAAAA", "KM2.k1.a.-.20261201", "KM2.k1.a b.-.20261201.AAAAAAAAAAAAAAAAAAAAAA",
                      "KM2.k1.a.XYZ.20261201.AAAAAAAAAAAAAAAAAAAAAA", "KM2.k1.a.04a1b2c3.20261201.AAAAAAAAAAAAAAAAAAAAAA",
                      "KM2.k1.a.-.20261301.AAAAAAAAAAAAAAAAAAAAAA", "KM2.k1.a.-.20260230.AAAAAAAAAAAAAAAAAAAAAA",
                      "KM2.k1.a.-.2026121.AAAAAAAAAAAAAAAAAAAAAA", "KM2.k1.a.-.20261201.!!", "KM2.k1.a.-.20261201.AAAAAAAAAAAAAAAAAAAAAB",
                      "KM2.toolong.a.-.20261201.AAAAAAAAAAAAAAAAAAAAAA", "KM2.k1.a.-.20261201.AAAA.x"])
    func malformedTokensAreTypedErrors(text: String) {
        #expect(throws: MemberTokenError.self) { try MemberToken.verify(text, keys: keys, cardUID: nil) }
    }

    @Test func keysMustBe32BytesWithAShortID() {
        #expect(throws: MemberTokenError.weakKey) { try MemberTokenKey(id: "k1", [1, 2, 3]) }
        #expect(throws: MemberTokenError.weakKey) { try MemberTokenKey(id: "k1", Array(repeating: 1, count: 33)) }
        #expect(throws: MemberTokenError.self) { try MemberTokenKey(id: "k-1", Array(0..<32)) }
        #expect(throws: MemberTokenError.self) { try MemberTokenKey(id: "", Array(0..<32)) }
    }

    @Test func issueDaysComeFromTheInstantGiven() {
        #expect(TokenDay(unixSeconds: 1_796_083_200)?.description == "20261201")   // 2026-12-01T00:00:00Z
        #expect(TokenDay(unixSeconds: 1_796_169_599)?.description == "20261201")
        #expect(TokenDay(unixSeconds: 951_782_400)?.description == "20000229")    // a leap day
        #expect(TokenDay("20240229") != nil && TokenDay("20230229") == nil && TokenDay("19991231") == nil)
    }
}
