@testable import KioskAppliance
import KioskCards
import KioskCore
import KioskReaders
import Testing

/// The pieces of enrollment the end-to-end test cannot vary: which taps count as a blank card,
/// and the member ids and UIDs a token is written with.
@Suite struct EnrollmentTests {
    static let uid: [UInt8] = [0x04, 0x5A, 0x11, 0x22, 0x33, 0x44, 0x55]

    func tap(_ outcome: TapOutcome, kind: CardKind = .ultralightOrNTAG, ndef: [NDEFRecord.Content] = [], uid: [UInt8]? = Self.uid) -> Tap {
        Tap(reader: "r", atr: [0x3B], kind: kind, uid: uid, ndef: ndef, outcome: outcome, apdus: 3)
    }

    @Test func onlyACardThatCarriesNothingButAUIDIsBlank() {
        #expect(Presentations.blankCard(tap(.refused(.noCredential))) == CardCredential.uidCardID(Self.uid))
        #expect(Presentations.blankCard(tap(.refused(.bareUIDNotAccepted))) == CardCredential.uidCardID(Self.uid))
        #expect(Presentations.blankCard(tap(.refused(.noCredential), kind: .iso14443_4)) == CardCredential.uidCardID(Self.uid))
        // Carrying another system's record: never called blank (enrollment would write over it).
        #expect(Presentations.blankCard(tap(.refused(.noCredential), ndef: [.uri("https://example.com/")])) == nil)
        // A forged or unreadable card, a card without a UID, a card that cannot take a token.
        #expect(Presentations.blankCard(tap(.refused(.badToken(.badSignature)))) == nil)
        #expect(Presentations.blankCard(tap(.failed(.cardLeft))) == nil)
        #expect(Presentations.blankCard(tap(.refused(.noCredential), uid: nil)) == nil)
        #expect(Presentations.blankCard(tap(.refused(.noCredential), kind: .mifareClassic)) == nil)
    }

    @Test func aBlankCardTakesATokenAndACardThatIdentifiesItselfIsTakenAsItIs() {
        let uidCard = CardCredential.uidCardID(Self.uid)
        // Blank, where bare UIDs are trusted or not: a token is written (the stronger credential).
        let trusted = tap(.identified(.bareUID(Self.uid, card: uidCard)))
        #expect(Presentations.newCard(trusted, verdict: .unknownCard(uidCard), blank: Presentations.blankCard(trusted)) == .blank)
        let untrusted = tap(.refused(.bareUIDNotAccepted))
        #expect(Presentations.newCard(untrusted, verdict: .refused("bare UID"), blank: Presentations.blankCard(untrusted)) == .blank)
        // A MIFARE Classic card whose bare UID is trusted, an NTAG 424 DNA: taken as they are.
        let classic = tap(.identified(.bareUID(Self.uid, card: uidCard)), kind: .mifareClassic)
        #expect(Presentations.blankCard(classic) == nil)
        #expect(Presentations.newCard(classic, verdict: .unknownCard(uidCard), blank: nil) == .selfIdentifying)
        let sunCard = CardID(rawValue: "ntag424:045A1122334455")
        let sun = tap(.identified(.sun(uid: Self.uid, counter: 7, card: sunCard)), kind: .iso14443_4, ndef: [.uri("https://club.example/t?p=1")])
        #expect(Presentations.newCard(sun, verdict: .unknownCard(sunCard), blank: Presentations.blankCard(sun)) == .selfIdentifying)
        // A MIFARE Classic card where bare UIDs are not trusted, another member's token, a known card.
        let classicUntrusted = tap(.refused(.bareUIDNotAccepted), kind: .mifareClassic)
        #expect(Presentations.newCard(classicUntrusted, verdict: .refused("bare UID"), blank: nil) == nil)
        let token = tap(.identified(.memberToken("m-far", card: uidCard)), ndef: [.uri("x")])
        #expect(Presentations.newCard(token, verdict: .notKnownHere("m-far", card: uidCard), blank: nil) == nil)
        #expect(Presentations.newCard(trusted, verdict: .member("m-ali", card: uidCard, boundHere: true), blank: uidCard) == nil)
    }

    @Test func newMemberIDsAreValidInATokenAndDoNotRepeat() {
        let ids = (0..<1_000).map { _ in TokenWriter.newMemberID().rawValue }
        #expect(Set(ids).count == ids.count)
        #expect(ids.allSatisfy { MemberToken.isValidMemberID($0) && $0.hasPrefix("m-") && $0.count == 18 })
    }

    @Test func aTokenIsBoundOnlyToACardIdThatNamesAUID() {
        #expect(TokenWriter.uid(of: CardCredential.uidCardID(Self.uid)) == Self.uid)
        #expect(TokenWriter.uid(of: CardID(rawValue: "qr:m-ali")) == nil)
        #expect(TokenWriter.uid(of: CardID(rawValue: "uid:zz")) == nil)
    }
}
