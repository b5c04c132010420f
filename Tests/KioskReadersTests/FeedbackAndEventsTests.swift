import Foundation
import KioskCards
import KioskPCSC
import KioskReaders
import KioskVirtualCard
import Synchronization
import Testing
import VirtualCardRig

extension ReaderIntegrationTests {
/// Reader feedback commands and the raw status-change sequence.
@Suite struct FeedbackAndEventsTests {
    let rig: TestPCSCD

    init() throws { rig = try TestPCSCD.shared() }

    @Test func readersWithoutFeedbackGetNoFeedbackCommand() async throws {
        let harness = try ServiceHarness(Fixture.configuration(), rig: rig)
        defer { harness.stop() }
        #expect(await harness.waitForReaders())
        let connection = try rig.insert(Fixture.tokenCard())
        defer { connection.remove() }
        _ = try #require(await harness.tap())
        #expect(!connection.commands.contains { $0.starts(with: [0xFF, 0x00, 0x40]) })
    }

    @Test(arguments: [(true, ReaderFeedback.Signal.accepted), (false, .refused)])
    func anACR122GetsTheLEDAndBuzzerPseudoAPDU(goodCard: Bool, signal: ReaderFeedback.Signal) async throws {
        let harness = try ServiceHarness(Fixture.configuration(feedback: [("Virtual PCD*", .acr122)]), rig: rig)
        defer { harness.stop() }
        #expect(await harness.waitForReaders())
        let card: any VirtualCard = goodCard ? Fixture.tokenCard() : UIDOnlyCard(uid: [1, 2, 3, 4])
        let connection = try rig.insert(card)
        defer { connection.remove() }
        _ = try #require(await harness.tap())
        #expect(connection.commands.last == ReaderFeedback.acr122Command(signal))
    }

    @Test func anACR122GivesFeedbackOnEveryTap() async throws {
        let harness = try ServiceHarness(Fixture.configuration(feedback: [("Virtual PCD*", .acr122)]), rig: rig)
        defer { harness.stop() }
        #expect(await harness.waitForReaders())
        let member = ACR122Reader(Fixture.tokenCard())
        let first = try rig.insert(member)
        let accepted = try #require(await harness.tap(1))
        #expect(accepted.feedback == .given(.accepted))
        #expect(member.feedback == [ReaderFeedback.acr122Command(.accepted)], "the reader, not the card, took the LED command")
        first.remove()
        let stranger = ACR122Reader(UIDOnlyCard(uid: [1, 2, 3, 4]))
        let second = try rig.insert(stranger)
        defer { second.remove() }
        let refused = try #require(await harness.tap(2))
        #expect(refused.feedback == .given(.refused))
        #expect(stranger.feedback == [ReaderFeedback.acr122Command(.refused)])
        #expect(!harness.all.contains { if case .feedbackUnavailable = $0 { true } else { false } })
    }

    @Test func theFeedbackFollowsTheVerdictNotTheIdentification() async throws {
        // The readers identify the card; the kiosk's verdict (here: blocked) refuses it.
        var configuration = Fixture.configuration(feedback: [("Virtual PCD*", .acr122)])
        let judged = Mutex<[String]>([])
        configuration.judge = { tap in
            judged.withLock { $0.append(tap.identification) }
            return .refused
        }
        let harness = try ServiceHarness(configuration, rig: rig)
        defer { harness.stop() }
        #expect(await harness.waitForReaders())
        let reader = ACR122Reader(Fixture.tokenCard())
        let connection = try rig.insert(reader)
        defer { connection.remove() }
        let tap = try #require(await harness.tap())
        #expect(tap.outcome == .identified(.memberToken("member-42", card: CardCredential.uidCardID(Fixture.uid))))
        #expect(tap.feedback == .given(.refused))
        #expect(reader.feedback == [ReaderFeedback.acr122Command(.refused)], "never the accepted beep")
        #expect(judged.withLock { $0 } == [tap.identification], "judged once, for this tap, before the feedback")
    }

    @Test func aReaderThatRefusesItsLEDCommandIsReportedOnceAndGetsNoMore() async throws {
        // Named as an ACR122U, but the LED command reaches the card (a reader that is not one).
        let harness = try ServiceHarness(Fixture.configuration(feedback: [("Virtual PCD*", .acr122)]), rig: rig)
        defer { harness.stop() }
        #expect(await harness.waitForReaders())
        let reader = try rig.readerNames()[0]
        let first = try rig.insert(Fixture.tokenCard())
        let tap = try #require(await harness.tap(1))
        guard case .unsupported? = tap.feedback else {
            Issue.record("feedback \(String(describing: tap.feedback))")
            return
        }
        #expect(await harness.wait { $0.contains { if case .feedbackUnavailable(reader, _) = $0 { true } else { false } } })
        first.remove()
        let second = try rig.insert(Fixture.tokenCard())
        defer { second.remove() }
        let next = try #require(await harness.tap(2))
        #expect(next.outcome == tap.outcome, "feedback never changes the tap")
        #expect(next.feedback == nil)
        #expect(!second.commands.contains { $0.starts(with: [0xFF, 0x00, 0x40]) }, "no LED command after the refusal")
        #expect(harness.all.filter { if case .feedbackUnavailable = $0 { true } else { false } }.count == 1)
    }

    @Test func escapeCommandsTheDriverRefusesDisableFeedbackOnThatReader() async throws {
        // vpcd implements no escape commands, as libccid without ifdDriverOptions 0x0001.
        let harness = try ServiceHarness(Fixture.configuration(feedback: [("Virtual PCD*", .acr1252)]), rig: rig)
        defer { harness.stop() }
        #expect(await harness.waitForReaders())
        let first = try rig.insert(Fixture.tokenCard())
        let tap = try #require(await harness.tap(1))
        #expect(tap.outcome == .identified(.memberToken("member-42", card: CardCredential.uidCardID(Fixture.uid))))
        guard case .unsupported? = tap.feedback else {
            Issue.record("feedback \(String(describing: tap.feedback))")
            return
        }
        first.remove()
        let second = try rig.insert(Fixture.tokenCard())
        defer { second.remove() }
        #expect(try #require(await harness.tap(2)).feedback == nil)
        #expect(harness.all.filter { if case .feedbackUnavailable = $0 { true } else { false } }.count == 1)
    }

    @Test func theServiceRunsUntilItsTaskIsCancelled() async throws {
        try rig.waitUntilEmpty(reader: 0)
        let service = ReaderService(configuration: Fixture.configuration())
        let log = EventLog()
        let task = Task { await service.run { log.append($0) } }
        let connection = try rig.insert(Fixture.tokenCard())
        defer { connection.remove() }
        let deadline = Date().addingTimeInterval(10)
        while !log.all.contains(where: { if case .tap = $0 { true } else { false } }), Date() < deadline {
            try await Task.sleep(for: .milliseconds(20))
        }
        #expect(log.all.contains { if case .tap(let tap) = $0 { tap.outcome == .identified(.memberToken("member-42", card: CardCredential.uidCardID(Fixture.uid))) } else { false } })
        task.cancel()
        await task.value
        let count = log.all.count
        connection.remove()
        try await Task.sleep(for: .seconds(1))
        #expect(log.all.count == count, "no events after the task ended")
    }

    @Test func feedbackWithoutACardGoesThroughADirectConnection() throws {
        try rig.waitUntilEmpty(reader: 1)
        let reader = try rig.readerNames()[1]
        let direct = try PCSCContext().connect(reader, share: .direct, protocols: [])
        defer { try? direct.disconnect() }
        #expect(try ReaderFeedback.giveWithoutCard(.accepted, model: .none, reader: direct).get() == false)
        // vpcd implements no escape commands: the attempt is a typed error, not a crash.
        #expect(throws: PCSCError.self) { try ReaderFeedback.giveWithoutCard(.accepted, model: .acr122, reader: direct).get() }
    }

    @Test func readerFeedbackIsDetectedFromTheName() {
        #expect(ReaderFeedback.model(forReader: "ACS ACR122U PICC Interface 00 00") == .acr122)
        #expect(ReaderFeedback.model(forReader: "ACS ACR1252 1S CL Reader [ACR1252 1S CL Reader PICC] 00 00") == .acr1252)
        #expect(ReaderFeedback.model(forReader: "Virtual PCD 00 00") == .none)
    }

    @Test func statusChangesReportReadersAndOnePresentationPerCard() async throws {
        try rig.waitUntilEmpty(reader: 0)
        let names = try rig.readerNames()
        let context = try PCSCContext()
        var iterator = ReaderStatusChanges(context: context).makeAsyncIterator()
        var seen: [ReaderEvent] = []
        while seen.filter({ if case .readerAdded = $0 { true } else { false } }).count < 2 {
            guard let event = try await iterator.next() else { break }
            seen.append(event)
        }
        #expect(seen.count == 2 && seen.contains(.readerAdded(names[0])) && seen.contains(.readerAdded(names[1])))
        let connection = try rig.insert(NTAGCard(model: .ntag213, uid: Fixture.uid, message: nil))
        #expect(try await iterator.next() == .cardPresented(reader: names[0], atr: VirtualATR.ultralight))
        connection.remove()
        #expect(try await iterator.next() == .cardRemoved(reader: names[0]))
    }
}
}

