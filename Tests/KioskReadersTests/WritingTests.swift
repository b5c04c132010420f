import Foundation
import KioskCards
import KioskCore
import KioskPCSC
import KioskReaders
import KioskVirtualCard
import Testing
import VirtualCardRig

extension ReaderIntegrationTests {
/// Enrollment: writing member tokens to blank cards through the real pcscd.
@Suite struct WritingTests {
    let rig: TestPCSCD

    init() throws { rig = try TestPCSCD.shared() }

    /// Connects to the card in the first virtual reader once pcscd sees it.
    func connect() async throws -> (PCSCCard, [UInt8]) {
        let reader = try rig.readerNames()[0]
        let context = try PCSCContext()
        let deadline = Date().addingTimeInterval(10)
        while Date() < deadline {
            if let state = try? context.statusChange([ReaderState(reader: reader)], timeoutMilliseconds: 0).first,
               state.eventState.contains(.present) {
                return (try context.connect(reader), state.atr)
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        throw RigError.environment("no card in \(reader)")
    }

    @Test(arguments: [false, true])
    func aTokenWrittenToABlankNTAGReadsBackAndIdentifies(lock: Bool) async throws {
        let blank = NTAGCard(model: .ntag213, uid: Fixture.uid, message: nil)
        let inserted = try rig.insert(blank)
        let (card, atr) = try await connect()
        let message = MemberToken(member: "new-member", boundUID: Fixture.uid, issued: Fixture.issued).ndefMessage(key: Fixture.tokenKey)
        let written = try CardWriter(lockNTAG: lock).write(message, atr: atr, card: card)
        #expect(written.uid == Fixture.uid)
        #expect(written.locked == lock)
        #expect(try Type2TLV.message(in: blank.dataArea) == message)
        #expect((blank.capabilityContainer[3] == 0x0F) == lock)
        try card.disconnect()
        inserted.remove()
        // Presented again, the card identifies its new member.
        let harness = try ServiceHarness(Fixture.configuration(), rig: rig)
        defer { harness.stop() }
        #expect(await harness.waitForReaders())
        let again = try rig.insert(blank)
        defer { again.remove() }
        let tap = try #require(await harness.tap())
        #expect(tap.outcome == .identified(.memberToken("new-member", card: CardCredential.uidCardID(Fixture.uid))))
        if lock {
            let (card, atr) = try await connect()
            #expect(throws: CardWriter.WriteError.notWritable) { try CardWriter().write(message, atr: atr, card: card) }
        }
    }

    @Test(arguments: [2, 4, 8])
    func aCardPulledMidWriteIsReportedAndKeepsNoHalfMessage(pulledAt: Int) async throws {
        let blank = NTAGCard(model: .ntag215, uid: Fixture.uid, message: nil)
        let inserted = try rig.insert(PulledCard(blank, pulledAtCommand: pulledAt))
        let (card, atr) = try await connect()
        let message = NDEFMessage(records: [.external(MemberToken.ndefType, Array(String(repeating: "x", count: 120).utf8))])
        #expect(throws: CardWriter.WriteError.cardLeft) { try CardWriter().write(message, atr: atr, card: card) }
        #expect(inserted.waitUntilRemoved(timeout: 5))
        // Page 4 (the TLV length) is written last: the tag still reads as empty.
        #expect(try Type2TLV.scan(blank.dataArea, capacity: blank.model.dataAreaSize) == .message(offset: 2, length: 0))
    }

    @Test func aTokenWrittenToAType4TagReadsBack() async throws {
        let tag = Type4Card(uid: Fixture.uid, message: nil, fileSize: 512)
        let inserted = try rig.insert(tag)
        defer { inserted.remove() }
        let (card, atr) = try await connect()
        let message = MemberToken(member: "t4-member", boundUID: nil, issued: Fixture.issued).ndefMessage(key: Fixture.tokenKey)
        let written = try CardWriter().write(message, atr: atr, card: card)
        #expect(written.kind == .iso14443_4)
        #expect(tag.message == message)
    }

    @Test func aMessageTooLargeForTheTagIsRefusedBeforeWriting() async throws {
        let blank = NTAGCard(model: .ntag213, uid: Fixture.uid, message: nil)
        let inserted = try rig.insert(blank)
        defer { inserted.remove() }
        let (card, atr) = try await connect()
        let message = NDEFMessage(records: [.external("a:b", [UInt8](repeating: 1, count: 300))])
        #expect(throws: CardWriter.WriteError.self) { try CardWriter().write(message, atr: atr, card: card) }
        #expect(!inserted.commands.contains { $0.starts(with: [0xFF, 0xD6]) }, "nothing was written")
    }
}
}
