import Foundation
import KioskCards
import KioskCore
import KioskPCSC
import KioskReaders
import KioskTestSupport
import KioskVirtualCard
import Testing
import VirtualCardRig

extension ReaderIntegrationTests {
/// What real readers do to a kiosk: garbage, pulled cards, busy readers, pcscd restarts.
@Suite struct ResilienceTests {
    let rig: TestPCSCD

    init() throws { rig = try TestPCSCD.shared() }

    @Test(arguments: GarbageCard.Style.allCases)
    func garbageAnswersEndTheTapAndTheNextCardStillWorks(style: GarbageCard.Style) async throws {
        let harness = try ServiceHarness(Fixture.configuration(acceptBareUID: true), rig: rig)
        defer { harness.stop() }
        #expect(await harness.waitForReaders())
        let garbage = try rig.insert(GarbageCard(style: style))
        let tap = try #require(await harness.tap(1))
        switch (style, tap.outcome) {
        case (.brokenTLV, .refused(.badNDEF)), (.brokenNDEF, .refused(.badNDEF)):
            break
        case (.random, .failed(.garbage)), (.oneByte, .failed(.garbage)), (.noDiagnosis, .failed(.garbage)):
            break
        default:
            Issue.record("\(style): unexpected outcome \(tap.outcome)")
        }
        garbage.remove()
        let good = try rig.insert(Fixture.tokenCard())
        defer { good.remove() }
        let next = try #require(await harness.tap(2))
        #expect(next.outcome == .identified(.memberToken("member-42", card: CardCredential.uidCardID(Fixture.uid))))
    }

    @Test(arguments: [1, 2, 3])
    func aCardPulledMidReadIsNoIdentificationAndTheNextTapWorks(pulledAt: Int) async throws {
        let harness = try ServiceHarness(Fixture.configuration(), rig: rig)
        defer { harness.stop() }
        #expect(await harness.waitForReaders())
        let pulled = try rig.insert(PulledCard(Fixture.tokenCard(), pulledAtCommand: pulledAt))
        let tap = try #require(await harness.tap(1))
        #expect(tap.outcome == .failed(.cardLeft))
        #expect(pulled.waitUntilRemoved(timeout: 5))
        let good = try rig.insert(Fixture.tokenCard())
        defer { good.remove() }
        let next = try #require(await harness.tap(2))
        #expect(next.outcome == .identified(.memberToken("member-42", card: CardCredential.uidCardID(Fixture.uid))))
    }

    @Test func aCardThatNeverAnswersTimesOutOnceWhileTheOtherReaderGoesOnAndItsReaderComesBack() async throws {
        let names = try rig.readerNames()
        let member = TapOutcome.identified(.memberToken("member-42", card: CardCredential.uidCardID(Fixture.uid)))
        var configuration = Fixture.configuration()
        configuration.cardTimeout = .milliseconds(800)
        let harness = try ServiceHarness(configuration, rig: rig)
        defer { harness.stop() }
        #expect(await harness.waitForReaders())

        // Reader 0: a card that takes the first APDU and never answers; vpcd waits for ever.
        let silent = try rig.insert(SilentCard(Fixture.tokenCard(), silentAtCommand: 1))
        defer { silent.remove() }
        let stuck = try #require(await harness.tap(1))
        #expect(stuck.reader == names[0])
        #expect(stuck.outcome == .failed(.noAnswer(within: .milliseconds(800))))
        // Measured by the service from pcscd's card-present event (the test's own polling can be
        // starved by other suites on a loaded machine; `tap(1)` above waited at most 10 s).
        let elapsed = try #require(stuck.elapsed)
        #expect(elapsed >= .milliseconds(800), "not given up before the deadline")
        #expect(elapsed < .seconds(3), "the deadline (0.8 s) plus a generous margin")
        #expect(silent.commands.count == 1, "the card got the first command and is holding the reader")

        // Reader 1 is served while reader 0 is still stuck in its driver.
        let good = try rig.insert(Fixture.tokenCard(), reader: 1)
        let other = try #require(await harness.tap(2))
        #expect(other.reader == names[1])
        #expect(other.outcome == member)
        #expect(silent.isInserted, "reader 0 was still stuck while reader 1 was read")
        good.remove()

        // The silent card leaves: the stuck call returns, its late result is dropped, and the
        // next card on reader 0 is read normally.
        silent.remove()
        #expect(silent.waitUntilRemoved(timeout: 5))
        let next = try rig.insert(Fixture.tokenCard())
        defer { next.remove() }
        let after = try #require(await harness.tap(3))
        #expect(after.reader == names[0])
        #expect(after.outcome == member)
        let onReader0 = harness.taps.filter { $0.reader == names[0] }.map(\.outcome)
        #expect(onReader0 == [.failed(.noAnswer(within: .milliseconds(800))), member], "one tap per presentation, none from the abandoned read")
    }

    @Test func aOneShotReadOfASilentCardConcludesThatItDidNotAnswer() async throws {
        let names = try rig.readerNames()
        let silent = try rig.insert(SilentCard(UIDOnlyCard(uid: [0x01, 0x02, 0x03, 0x04]), silentAtCommand: 1))
        defer { silent.remove() }
        try rig.waitUntilPresent(reader: 0)
        let reading = CardReading(policy: IdentificationPolicy(acceptBareUID: true, counters: nil))
        let started = ContinuousClock.now
        let tap = reading.readOnce(Presentation(reader: names[0], atr: silent.card.atr), timeout: .milliseconds(500))
        #expect(tap.outcome == .failed(.noAnswer(within: .milliseconds(500))))
        #expect(ContinuousClock.now - started < .seconds(3))
        silent.remove()
        #expect(silent.waitUntilRemoved(timeout: 5))

        // The same one-shot read of a card that answers identifies it.
        let good = try rig.insert(UIDOnlyCard(uid: [0x01, 0x02, 0x03, 0x04]))
        defer { good.remove() }
        try rig.waitUntilPresent(reader: 0)
        let read = reading.readOnce(Presentation(reader: names[0], atr: good.card.atr), timeout: .seconds(5))
        #expect(read.outcome == .identified(.bareUID([0x01, 0x02, 0x03, 0x04], card: CardCredential.uidCardID([0x01, 0x02, 0x03, 0x04]))))
    }

    @Test func aReadTheWatchdogGaveUpOnSendsTheCardNothing() async throws {
        // An abandoned worker whose connect returns late (it waited on a stuck reader) may reach
        // the next card presented there: that card must be left to the read that is wanted.
        let names = try rig.readerNames()
        let next = try rig.insert(Fixture.sunCard(counter: 40))
        defer { next.remove() }
        try rig.waitUntilPresent(reader: 0)
        var context: PCSCContext?
        let presentation = Presentation(reader: names[0], atr: next.card.atr)
        let abandoned = CardReading(policy: Fixture.configuration().policy).read(presentation, context: &context, isWanted: { false })
        #expect(abandoned == .abandoned)
        #expect(next.commands.isEmpty, "no APDU reached the card")
        let wanted = CardReading(policy: Fixture.configuration().policy).read(presentation, context: &context, isWanted: { true })
        guard case .tap(let read) = wanted, case .identified(.sun(_, let counter, _)) = read.outcome else {
            Issue.record("the wanted read concluded \(wanted)")
            return
        }
        #expect(counter == 41, "the card was read once, by the wanted read")
    }

    @Test func kioskDiagCardConcludesThatASilentCardDidNotAnswerAndExits75() async throws {
        let names = try rig.readerNames()
        let home = NSTemporaryDirectory() + "kiosk-diag-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: home) }
        let config = home + "/kiosk.toml"
        try "[readers]\ncard_timeout_ms = 500\n".write(toFile: config, atomically: true, encoding: .utf8)
        let silent = try rig.insert(SilentCard(UIDOnlyCard(uid: [0x01, 0x02, 0x03, 0x04]), silentAtCommand: 1))
        defer { silent.remove() }
        try rig.waitUntilPresent(reader: 0)

        let process = Process()
        process.executableURL = URL(fileURLWithPath: try ProductLocator.executable("kiosk"))
        process.arguments = ["diag", "card", "--config", config, "--reader", names[0], "--wait", "5"]
        process.environment = ["HOME": home, "PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"]
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle(forWritingAtPath: "/dev/null")
        try process.run()
        // A hang (in the read, or at exit with the stuck thread) fails here instead of hanging the suite.
        let deadline = Date().addingTimeInterval(15)
        while process.isRunning, Date() < deadline { try await Task.sleep(for: .milliseconds(50)) }
        guard !process.isRunning else {
            process.terminate()
            Issue.record("kiosk diag card still running 15 s after a 0.5 s card timeout")
            return
        }
        let stdout = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(process.terminationStatus == 75)
        #expect(stdout.contains("why: card did not answer within 500 ms"), "stdout: \(stdout)")
        #expect(stdout.contains("result: failed"))
    }

    @Test func aReaderHeldByAnotherProcessIsRetriedUntilItIsFree() async throws {
        try rig.waitUntilEmpty(reader: 0)
        try rig.waitUntilEmpty(reader: 1)
        let reader = try rig.readerNames()[0]
        // Another program holds the card exclusively before the service starts.
        let connection = try rig.insert(Fixture.tokenCard())
        defer { connection.remove() }
        let other = try PCSCContext()
        var holder: PCSCCard?
        let deadline = Date().addingTimeInterval(5)
        while holder == nil, Date() < deadline {
            holder = try? other.connect(reader, share: .exclusive)
            if holder == nil { try await Task.sleep(for: .milliseconds(20)) }
        }
        let held = try #require(holder)
        let harness = ServiceHarness(Fixture.configuration())
        defer { harness.stop() }
        #expect(await harness.wait { $0.contains(.readerBusy(reader)) })
        try await Task.sleep(for: .milliseconds(600))
        #expect(harness.taps.isEmpty, "no tap while the reader is held")
        try held.disconnect()
        let tap = try #require(await harness.tap(1))
        #expect(tap.outcome == .identified(.memberToken("member-42", card: CardCredential.uidCardID(Fixture.uid))))
        #expect(harness.taps.count == 1)
    }

    @Test(arguments: [false, true])
    func theServiceComesBackAfterPCSCDRestarts(hard: Bool) async throws {
        let harness = try ServiceHarness(Fixture.configuration(), rig: rig)
        defer { harness.stop() }
        #expect(await harness.waitForReaders())
        let oldPid = rig.pid
        try rig.stopDaemon(hard: hard)
        #expect(await harness.wait { $0.contains { if case .disconnected = $0 { true } else { false } } })
        #expect(await harness.wait { $0.filter { if case .readerRemoved = $0 { true } else { false } }.count >= 2 },
                "the readers are reported gone with pcscd")
        try rig.startDaemon()
        try rig.waitForReaders()
        #expect(rig.pid != oldPid)
        #expect(await harness.wait { events in
            events.filter { $0 == .connected }.count >= 2 && events.filter { if case .readerAdded = $0 { true } else { false } }.count >= 4
        })
        let connection = try rig.insert(Fixture.tokenCard())
        defer { connection.remove() }
        let tap = try #require(await harness.tap(1))
        #expect(tap.outcome == .identified(.memberToken("member-42", card: CardCredential.uidCardID(Fixture.uid))))
    }

    @Test func ignoredReadersGiveNoTaps() async throws {
        let names = try rig.readerNames()
        // The second slot plays a SAM slot the configuration ignores.
        let harness = try ServiceHarness(Fixture.configuration(ignore: ["* 00 01"]), rig: rig)
        defer { harness.stop() }
        #expect(await harness.waitForReaders(1))
        #expect(!harness.all.contains(.readerAdded(names[1])))
        let sam = try rig.insert(Fixture.tokenCard(member: "in-the-sam-slot"), reader: 1)
        defer { sam.remove() }
        try await Task.sleep(for: .seconds(1))
        let contactless = try rig.insert(Fixture.tokenCard())
        defer { contactless.remove() }
        let tap = try #require(await harness.tap(1))
        #expect(tap.reader == names[0])
        try await Task.sleep(for: .milliseconds(500))
        #expect(harness.taps.count == 1)
        #expect(sam.commands.isEmpty)
    }

    @Test func readerNameFiltersFollowTheConfiguration() {
        let filter = ReaderNameFilter(allow: ["ACS ACR122U*", "Identiv*"], ignore: ["*SAM*"])
        #expect(filter.includes("ACS ACR122U PICC Interface 00 00"))
        #expect(!filter.includes("ACS ACR1252 1S CL Reader [ACR1252 1S CL Reader SAM] 00 01"))
        #expect(!filter.includes("Virtual PCD 00 00"))
        #expect(!filter.includes("\\\\?PnP?\\Notification"))
        #expect(ReaderNameFilter(allow: [], ignore: []).includes("Anything 00 00"))
    }
}
}
