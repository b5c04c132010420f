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
        #expect(tap.apdus <= 6)
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
        let token = MemberToken(member: "m-url", boundUID: nil).signed(with: Fixture.tokenKey)
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
        let forged = MemberToken(member: "m-1", boundUID: nil).ndefMessage(key: try MemberTokenKey(Array("a-forger-key-that-is-long-enough".utf8)))
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
        let message = MemberToken(member: "m-cc", boundUID: nil).ndefMessage(key: Fixture.tokenKey)
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
        let token = MemberToken(member: "m-long", boundUID: Fixture.uid).signed(with: Fixture.tokenKey)
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
