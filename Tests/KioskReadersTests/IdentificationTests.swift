import Foundation
import KioskCards
import KioskCore
import KioskPCSC
import KioskReaders
import KioskVirtualCard
import Testing
import VirtualCardRig

/// Cards of every kind, presented to the real pcscd through vpcd, identified by the service.
extension ReaderIntegrationTests {
@Suite struct IdentificationTests {
    let rig: TestPCSCD

    init() throws { rig = try TestPCSCD.shared() }

    @Test(arguments: NTAGModel.allCases)
    func anNTAGWithASignedTokenIdentifiesItsMember(model: NTAGModel) async throws {
        let harness = try ServiceHarness(Fixture.configuration(), rig: rig)
        defer { harness.stop() }
        #expect(await harness.waitForReaders())
        let card = Fixture.tokenCard(model)
        let connection = try rig.insert(card)
        defer { connection.remove() }
        let tap = try #require(await harness.tap())
        #expect(tap.kind == .ultralightOrNTAG)
        #expect(tap.outcome == .identified(.memberToken("member-42", card: CardCredential.uidCardID(Fixture.uid))))
        #expect(tap.uid == Fixture.uid)
        // Identification sent exactly what the card answered: page 0-3, then the data area.
        let reads = connection.commands.filter { $0.starts(with: [0xFF, 0xB0]) }.count
        #expect(tap.apdus == reads)
        // Pages 0-3, then the 85-byte TLV of a bound KM2 token in six reads of 16 bytes.
        #expect(tap.apdus <= 7)
        #expect(!connection.commands.contains { $0.starts(with: [0xFF, 0xCA]) }, "the UID comes from page 0, no GET UID")
    }

    @Test func aCardLeftOnTheReaderIsOneTapAndPresentingItAgainIsANewOne() async throws {
        let harness = try ServiceHarness(Fixture.configuration(), rig: rig)
        defer { harness.stop() }
        #expect(await harness.waitForReaders())
        let card = Fixture.tokenCard()
        let first = try rig.insert(card)
        #expect(await harness.tap(1) != nil)
        // Left on the reader for a while: still one tap.
        try await Task.sleep(for: .seconds(2))
        #expect(harness.taps.count == 1)
        first.remove()
        #expect(await harness.wait { $0.contains(.cardRemoved(harness.taps[0].reader)) })
        let second = try rig.insert(card)
        defer { second.remove() }
        let again = try #require(await harness.tap(2))
        #expect(again.outcome == harness.taps[0].outcome)
        try await Task.sleep(for: .seconds(1))
        #expect(harness.taps.count == 2)
    }

    @Test func anUnboundTokenInAMemberURLIdentifiesWithoutReadingTheUID() async throws {
        let harness = try ServiceHarness(Fixture.configuration(), rig: rig)
        defer { harness.stop() }
        #expect(await harness.waitForReaders())
        let token = MemberToken(member: "m-url", boundUID: nil, issued: Fixture.issued).signed(with: Fixture.tokenKey)
        let card = Type4Card(uid: Fixture.uid, message: NDEFMessage(records: [.uri("https://club.example/m?t=" + token)]))
        let connection = try rig.insert(card)
        defer { connection.remove() }
        let tap = try #require(await harness.tap())
        #expect(tap.outcome == .identified(.memberToken("m-url", card: "token:m-url")))
        #expect(tap.apdus == 3, "select application, select file, one read")
        #expect(connection.commands.count == 3)
    }

    @Test func aTokenSignedWithAnotherKeyIsRefused() async throws {
        let harness = try ServiceHarness(Fixture.configuration(), rig: rig)
        defer { harness.stop() }
        #expect(await harness.waitForReaders())
        let forged = MemberToken(member: "m-1", boundUID: nil, issued: Fixture.issued).ndefMessage(key: try MemberTokenKey(id: "k1", Array("a-forger-key-that-is-long-enough".utf8)))
        let connection = try rig.insert(NTAGCard(model: .ntag213, uid: Fixture.uid, message: forged))
        defer { connection.remove() }
        let tap = try #require(await harness.tap())
        #expect(tap.outcome == .refused(.badToken(.badSignature)))
    }

    @Test func aUIDOnlyCardIsRefusedUnlessBareUIDsAreAccepted() async throws {
        let uid = Hex.bytes("A1B2C3D4")!
        do {
            let harness = try ServiceHarness(Fixture.configuration(acceptBareUID: false), rig: rig)
            defer { harness.stop() }
            #expect(await harness.waitForReaders())
            let connection = try rig.insert(UIDOnlyCard(uid: uid))
            let tap = try #require(await harness.tap())
            #expect(tap.kind == .mifareClassic)
            #expect(tap.outcome == .refused(.bareUIDNotAccepted))
            #expect(tap.apdus == 1)
            connection.remove()
            connection.waitUntilRemoved(timeout: 5)
        }
        let harness = try ServiceHarness(Fixture.configuration(acceptBareUID: true), rig: rig)
        defer { harness.stop() }
        #expect(await harness.waitForReaders())
        let connection = try rig.insert(UIDOnlyCard(uid: uid))
        defer { connection.remove() }
        let tap = try #require(await harness.tap())
        #expect(tap.outcome == .identified(.bareUID(uid, card: "uid:A1B2C3D4")))
    }

    @Test func anISO7816ContactCardIsRefusedWithoutAnAPDU() async throws {
        let harness = try ServiceHarness(Fixture.configuration(acceptBareUID: true), rig: rig)
        defer { harness.stop() }
        #expect(await harness.waitForReaders())
        let connection = try rig.insert(ISO7816Card())
        defer { connection.remove() }
        let tap = try #require(await harness.tap())
        #expect(tap.kind == .iso7816Contact)
        #expect(tap.outcome == .refused(.unsupportedCard(.iso7816Contact)))
        #expect(tap.apdus == 0)
        #expect(connection.commands.isEmpty)
    }

    @Test func aBlankNTAGIsABareUID() async throws {
        let harness = try ServiceHarness(Fixture.configuration(acceptBareUID: true), rig: rig)
        defer { harness.stop() }
        #expect(await harness.waitForReaders())
        let connection = try rig.insert(NTAGCard(model: .ntag213, uid: Fixture.uid, message: nil))
        defer { connection.remove() }
        let tap = try #require(await harness.tap())
        #expect(tap.outcome == .identified(.bareUID(Fixture.uid, card: CardCredential.uidCardID(Fixture.uid))))
        #expect(tap.apdus == 2)
    }
}
}

extension ReaderIntegrationTests {
/// The Type 4 paths other than the shortest one.
@Suite struct Type4PathTests {
    let rig: TestPCSCD

    init() throws { rig = try TestPCSCD.shared() }

    @Test func anNDEFFileWithAnotherIDIsFoundThroughTheCapabilityContainer() async throws {
        let harness = try ServiceHarness(Fixture.configuration(), rig: rig)
        defer { harness.stop() }
        #expect(await harness.waitForReaders())
        let message = MemberToken(member: "m-cc", boundUID: nil, issued: Fixture.issued).ndefMessage(key: Fixture.tokenKey)
        let connection = try rig.insert(Type4Card(uid: Fixture.uid, message: message, ndefFileID: 0xE105))
        defer { connection.remove() }
        let tap = try #require(await harness.tap())
        #expect(tap.outcome == .identified(.memberToken("m-cc", card: "token:m-cc")))
        #expect(tap.apdus == 6, "select app, select E104 (fails), select CC, read CC, select E105, read")
    }

    @Test func aLongNDEFFileIsReadInSeveralChunks() async throws {
        let harness = try ServiceHarness(Fixture.configuration(), rig: rig)
        defer { harness.stop() }
        #expect(await harness.waitForReaders())
        let token = MemberToken(member: "m-long", boundUID: Fixture.uid, issued: Fixture.issued).signed(with: Fixture.tokenKey)
        let message = NDEFMessage(records: [.text(String(repeating: "welcome ", count: 60)),
                                            .external(MemberToken.ndefType, Array(token.utf8))])
        let connection = try rig.insert(Type4Card(uid: Fixture.uid, message: message, fileSize: 1024))
        defer { connection.remove() }
        let tap = try #require(await harness.tap())
        #expect(tap.outcome == .identified(.memberToken("m-long", card: CardCredential.uidCardID(Fixture.uid))))
        #expect(tap.ndef.count == 2)
        let reads = connection.commands.filter { $0.starts(with: [0x00, 0xB0]) }.count
        #expect(reads == 1 + Int((Double(message.bytes.count + 2 - 128) / 240).rounded(.up)))
        #expect(connection.commands.contains { $0.starts(with: [0xFF, 0xCA]) }, "the bound token needs the UID")
    }

    @Test(arguments: [(false, UInt16(0x6D00)), (true, UInt16(0x6D00)), (true, UInt16(0x6A81))])
    func aType2CardWhoseREADIsRefusedIsKnownByItsUID(acceptBareUID: Bool, status: UInt16) async throws {
        let harness = try ServiceHarness(Fixture.configuration(acceptBareUID: acceptBareUID), rig: rig)
        defer { harness.stop() }
        #expect(await harness.waitForReaders())
        let connection = try rig.insert(ReadRefusingCard(Fixture.tokenCard(.ntag213), status: status))
        defer { connection.remove() }
        let tap = try #require(await harness.tap())
        #expect(tap.uid == Fixture.uid, "the UID is read and shown")
        #expect(tap.outcome == (acceptBareUID ? .identified(.bareUID(Fixture.uid, card: CardCredential.uidCardID(Fixture.uid)))
                                              : .refused(.bareUIDNotAccepted)))
        #expect(tap.apdus == 2, "the refused READ, then GET UID")
    }

    @Test func aType4CardAnsweringAFewBytesAtATimeIsRefusedWithinTheAPDUBound() async throws {
        let harness = try ServiceHarness(Fixture.configuration(), rig: rig)
        defer { harness.stop() }
        #expect(await harness.waitForReaders())
        let message = NDEFMessage(records: [.text(String(repeating: "x", count: 1_500))])
        let connection = try rig.insert(TrickleCard(Type4Card(uid: Fixture.uid, message: message, fileSize: 2_048), bytesPerRead: 2))
        defer { connection.remove() }
        let tap = try #require(await harness.tap())
        #expect(tap.outcome == .refused(.tooManyAPDUs(CardIdentifier.maxAPDUs)))
        #expect(tap.apdus == CardIdentifier.maxAPDUs)
        #expect(connection.commands.count == CardIdentifier.maxAPDUs, "not one APDU past the bound (the card would draw 700)")

        // The same message from a card that answers in full is read (1 + ⌈(1,506 − 128) / 240⌉ READs).
        connection.remove()
        connection.waitUntilRemoved(timeout: 5)
        #expect(await harness.wait { $0.filter { $0 == .cardRemoved(tap.reader) }.count >= 1 })
        let whole = try rig.insert(Type4Card(uid: Fixture.uid, message: message, fileSize: 2_048))
        defer { whole.remove() }
        let read = try #require(await harness.tap(2))
        #expect(read.apdus == 2 + 1 + 6 + 1, "select, select, 7 reads, GET UID for the bare-UID fallback")
        #expect(read.outcome == .refused(.bareUIDNotAccepted))
    }

    @Test func aDeviceWithoutTheNDEFApplicationFallsBackToItsUID() async throws {
        let harness = try ServiceHarness(Fixture.configuration(acceptBareUID: true), rig: rig)
        defer { harness.stop() }
        #expect(await harness.waitForReaders())
        let phoneUID = Hex.bytes("08A1B2C3")!
        let connection = try rig.insert(Type4Card(uid: phoneUID, message: nil, hasNDEFApplication: false))
        defer { connection.remove() }
        let tap = try #require(await harness.tap())
        #expect(tap.outcome == .identified(.bareUID(phoneUID, card: "uid:08A1B2C3")))
        #expect(tap.apdus == 2)
    }
}
}
