import Foundation
import KioskCards
import KioskCore
import Testing

struct MemberTokenTests {
    let key = try! MemberTokenKey(Array("a-program-key-of-32-bytes-length".utf8))

    @Test func aSignedTokenVerifiesOnItsCard() throws {
        let uid = Hex.bytes("04A1B2C3D4E5F6")!
        let text = MemberToken(member: "m-123", boundUID: uid).signed(with: key)
        #expect(text.hasPrefix("KM1.m-123.04A1B2C3D4E5F6."))
        #expect(try MemberToken.verify(text, key: key, cardUID: uid).member == MemberID(rawValue: "m-123"))
    }

    @Test func aBoundTokenCopiedToAnotherCardIsRefused() {
        let text = MemberToken(member: "m-123", boundUID: Hex.bytes("04A1B2C3D4E5F6")!).signed(with: key)
        #expect(throws: MemberTokenError.wrongCard) { try MemberToken.verify(text, key: key, cardUID: Hex.bytes("04A1B2C3D4E5F7")!) }
    }

    @Test func anUnboundTokenVerifiesOnAnyCard() throws {
        let text = MemberToken(member: "m-9", boundUID: nil).signed(with: key)
        #expect(try MemberToken.verify(text, key: key, cardUID: nil).boundUID == nil)
    }

    @Test func tokensSignedWithAnotherKeyOrEditedAreRefused() throws {
        let other = try MemberTokenKey(Array("another-key-another-key-another!".utf8))
        let text = MemberToken(member: "m-1", boundUID: nil).signed(with: other)
        #expect(throws: MemberTokenError.badSignature) { try MemberToken.verify(text, key: key, cardUID: nil) }
        let edited = MemberToken(member: "m-1", boundUID: nil).signed(with: key).replacingOccurrences(of: "m-1", with: "m-2")
        #expect(throws: MemberTokenError.badSignature) { try MemberToken.verify(edited, key: key, cardUID: nil) }
    }

    @Test(arguments: ["", "KM1", "KM1.a.-", "KM2.a.-.AAAAAAAAAAAAAAAAAAAAAA", "KM1.a b.-.AAAAAAAAAAAAAAAAAAAAAA",
                      "KM1.a.XYZ.AAAAAAAAAAAAAAAAAAAAAA", "KM1.a.-.!!", "KM1.a.-.AAAAAAAAAAAAAAAAAAAAAB", "KM1.a.-.AAAA.x"])
    func malformedTokensAreTypedErrors(text: String) {
        #expect(throws: MemberTokenError.self) { try MemberToken.verify(text, key: key, cardUID: nil) }
    }

    @Test func shortKeysAreRefused() {
        #expect(throws: MemberTokenError.weakKey) { try MemberTokenKey([1, 2, 3]) }
    }
}
