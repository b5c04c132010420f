import Foundation
import KioskCards
import KioskPCSC
import KioskReaders
import KioskVirtualCard
import Testing
import VirtualCardRig

extension ReaderIntegrationTests {
/// A USB reader unplugged and plugged back, as udev reports it to pcscd (a umockdev testbed
/// plays the USB device; see kiosk/dev/hotplug).
@Suite struct HotplugTests {
    let rig: TestPCSCD

    init() throws { rig = try TestPCSCD.shared() }

    static func configuration() -> ReaderService.Configuration {
        // The USB reader is taken for an ACR122U; its card answers the LED command itself, so
        // the reader is found to refuse feedback, which it is asked for again once plugged again.
        var configuration = Fixture.configuration(feedback: [(HotplugPCSCD.readerPrefix + "*", .acr122)])
        configuration.readers = ReaderNameFilter(allow: ["Virtual PCD*", HotplugPCSCD.readerPrefix + "*"], ignore: ["* 00 01"])
        return configuration
    }

    static let member = TapOutcome.identified(.memberToken("member-42", card: CardCredential.uidCardID(Fixture.uid)))

    @Test func aReaderUnpluggedAndPluggedBackIsDroppedThenServedAgain() async throws {
        try await rig.withHotplugDaemon { hotplug in
            let usb = try #require(hotplug.readerNames().first, "pcscd lists the hot-plugged reader")
            let fixed = try rig.readerNames()[0]
            let harness = try ServiceHarness(Self.configuration(), rig: rig)
            defer { harness.stop() }
            #expect(await harness.wait { $0.contains(.readerAdded(usb)) && $0.contains(.readerAdded(fixed)) })

            // A tap on the USB reader works.
            let first = try hotplug.insert(Fixture.tokenCard())
            let tap = try #require(await harness.tap(1))
            #expect(tap.reader == usb)
            #expect(tap.outcome == Self.member)
            guard case .unsupported? = tap.feedback else { Issue.record("feedback \(String(describing: tap.feedback))"); return }

            // Unplugged with the card still on it: the reader is reported gone, the card with it.
            try hotplug.unplug()
            #expect(await harness.wait { $0.contains(.readerRemoved(usb)) }, "the unplugged reader is reported removed")
            #expect(first.waitUntilRemoved(timeout: 5), "the driver let the card go with the reader")
            #expect(!harness.all.contains { if case .disconnected = $0 { true } else { false } },
                    "losing one reader is not losing pcscd")
            #expect(harness.taps.count == 1, "no tap from a reader going away")

            // The other reader is served meanwhile.
            let other = try rig.insert(Fixture.tokenCard())
            let otherTap = try #require(await harness.tap(2))
            #expect(otherTap.reader == fixed)
            #expect(otherTap.outcome == Self.member)
            other.remove()

            // Plugged back: the same reader is added again and its next tap works.
            try hotplug.plug()
            let added = await harness.wait { events in events.filter { $0 == .readerAdded(usb) }.count == 2 }
            #expect(added, "the reader plugged back is reported added")
            let again = try hotplug.insert(Fixture.tokenCard())
            defer { again.remove() }
            let last = try #require(await harness.tap(3))
            #expect(last.reader == usb)
            #expect(last.outcome == Self.member)
            #expect(harness.taps.count == 3)
            guard case .unsupported? = last.feedback else { Issue.record("feedback not tried anew: \(String(describing: last.feedback))"); return }
            #expect(await harness.wait { $0.filter { if case .feedbackUnavailable(usb, _) = $0 { true } else { false } }.count == 2 })
        }
    }

    @Test func aReaderPluggedInAfterStartIsPickedUp() async throws {
        try await rig.withHotplugDaemon { hotplug in
            try hotplug.unplug()
            #expect(hotplug.readerNames().isEmpty)
            let harness = try ServiceHarness(Self.configuration(), rig: rig)
            defer { harness.stop() }
            #expect(await harness.waitForReaders(1))
            try hotplug.plug()
            let usb = try #require(hotplug.readerNames().first)
            #expect(await harness.wait { $0.contains(.readerAdded(usb)) })
            let card = try hotplug.insert(Fixture.tokenCard())
            defer { card.remove() }
            let tap = try #require(await harness.tap(1))
            #expect(tap.reader == usb)
            #expect(tap.outcome == Self.member)
        }
    }
}
}
