import Foundation
import Testing
@testable import KioskInput

/// The wedge source against umockdev: fake sysfs devices, their key events replayed from evemu
/// files through the real open/EVIOCGRAB/poll/read path.
@Suite(.serialized, .enabled(if: Umockdev.available, "umockdev-run is not installed"))
struct EvdevUmockdevTests {
    static let scanner = Umockdev.inputDevice(event: 5, vendor: "05e0", product: "1200", name: "Symbol Bar Code Scanner")
    static let keyboard = Umockdev.inputDevice(event: 6, vendor: "046d", product: "c31c", name: "Logitech USB Keyboard", usbPort: 2)

    func scans(_ lines: [[String: Any]]) -> [String] {
        lines.filter { $0["event"] as? String == "scan" }.compactMap { $0["text"] as? String }
    }

    @Test func discoveryReadsNameAndIdsFromSysfs() throws {
        var u = try Umockdev()
        try u.device(Self.scanner + "\n" + Self.keyboard)
        let lines = try u.probe(["discover"])
        #expect(lines.count == 2)
        #expect(lines.first?["name"] as? String == "Symbol Bar Code Scanner")
        #expect(lines.first?["usb"] as? String == "05e0:1200")
        #expect(lines.first?["keyboard"] as? Bool == true)
        #expect(lines.last?["node"] as? String == "/dev/input/event6")
    }

    @Test func aWedgeScannerTypingAnEAN13GivesOneScanAndTheKeyboardIsNotTaken() throws {
        var u = try Umockdev()
        try u.device(Self.scanner + "\n" + Self.keyboard)
        var k = KeySequence(start: .milliseconds(300))
        k.type("5901234123457")
        k.enter()
        try u.events("/dev/input/event5", k.evemu)
        let lines = try u.probe(["service", "--wedge-usb", "05e0:1200", "--events", "1", "--timeout", "10"])
        #expect(scans(lines) == ["5901234123457"])
        #expect(lines.first { $0["event"] as? String == "scan" }?["meaning"] as? String == "EAN-13 5901234123457 (GTIN 05901234123457)")
        let added = lines.filter { $0["event"] as? String == "added" }.compactMap { $0["device"] as? String }
        #expect(added == ["/dev/input/event5"])
    }

    @Test func aGS1CodeWithGSAsAltNumpadArrivesWithItsSeparator() throws {
        var u = try Umockdev()
        try u.device(Self.scanner)
        var k = KeySequence(start: .milliseconds(300))
        k.type("]C10109521234543213" + "10ABC")
        k.altNumpad("0029")
        k.type("17261231")
        k.enter()
        try u.events("/dev/input/event5", k.evemu)
        let lines = try u.probe(["service", "--wedge-name", "*Bar Code*", "--events", "1", "--timeout", "10"])
        let scan = lines.first { $0["event"] as? String == "scan" }
        #expect(scan?["hex"] as? String == Array(("]C10109521234543213" + "10ABC\u{1D}17261231").utf8).map { String(format: "%02x", $0) }.joined())
        #expect(scan?["meaning"] as? String == "GS1 (01)09521234543213(10)ABC(17)261231")
    }

    @Test func aMemberQRTypedByTheScannerKeepsItsCase() throws {
        var u = try Umockdev()
        try u.device(Self.scanner)
        let token = "KM1.M-1001.-.AbCdEfGhIjKlMnOpQrStUv"
        var k = KeySequence(start: .milliseconds(300))
        k.type("]Q1https://kiosk.club/m?t=" + token)
        k.enter()
        try u.events("/dev/input/event5", k.evemu)
        let lines = try u.probe(["service", "--wedge-usb", "05e0:1200", "--events", "1", "--timeout", "10"])
        #expect(scans(lines) == ["]Q1https://kiosk.club/m?t=" + token])
        // The probe has no key: the token is recognised and refused as not configured.
        #expect(lines.first { $0["event"] as? String == "scan" }?["meaning"] as? String == "refused: member.notConfigured: no member token key configured")
    }

    @Test func aScanWhileAPersonTypesOnASharedKeyboardIsTheOnlyScan() throws {
        var u = try Umockdev()
        try u.device(Self.keyboard)
        var k = KeySequence(start: .milliseconds(300), gap: .milliseconds(120))
        k.type("hello")
        k.enter()
        var scan = KeySequence(start: k.time + .milliseconds(200), gap: .milliseconds(5))
        scan.type("96385074")
        scan.enter()
        var typing = KeySequence(start: scan.time + .milliseconds(200), gap: .milliseconds(90))
        typing.type("12345678")
        typing.enter()
        var all = k
        all.events += scan.events + typing.events
        try u.events("/dev/input/event6", all.evemu)
        let lines = try u.probe(["service", "--wedge-usb", "046d:c31c", "--shared", "--events", "2", "--timeout", "6"])
        #expect(scans(lines) == ["96385074"])
        #expect(lines.contains { $0["event"] as? String == "added" && ($0["description"] as? String)?.contains("not grabbed") == true })
        let discarded = lines.filter { $0["event"] as? String == "discarded" }.compactMap { $0["reason"] as? String }
        #expect(discarded.allSatisfy { $0 == "typing" } && !discarded.isEmpty)
        #expect(!lines.contains { ($0["text"] as? String)?.contains("hello") == true })
    }

    @Test func thePersianLayoutScannerStillYieldsTheCode() throws {
        var u = try Umockdev()
        try u.device(Self.scanner)
        var k = KeySequence(start: .milliseconds(300))
        k.type("5901234123457")
        k.enter()
        try u.events("/dev/input/event5", k.evemu)
        let lines = try u.probe(["service", "--wedge-usb", "05e0:1200", "--layout", "fa", "--events", "1", "--timeout", "10"])
        #expect(scans(lines) == ["۵۹۰۱۲۳۴۱۲۳۴۵۷"])
        #expect(lines.first { $0["event"] as? String == "scan" }?["meaning"] as? String == "EAN-13 5901234123457 (GTIN 05901234123457)")
    }

    @Test func aScanCutOffMidwayIsDiscardedNotDelivered() throws {
        // The scanner stops after seven digits (unplugged or jammed): no terminator ever comes.
        var u = try Umockdev()
        try u.device(Self.scanner)
        var k = KeySequence(start: .milliseconds(300))
        k.type("5901234")
        try u.events("/dev/input/event5", k.evemu)
        let lines = try u.probe(["service", "--wedge-usb", "05e0:1200", "--events", "1", "--timeout", "3"])
        #expect(scans(lines).isEmpty)
        #expect(lines.contains { $0["event"] as? String == "discarded" && $0["reason"] as? String == "incomplete" && $0["count"] as? Int == 7 })
    }

    @Test func aPINTypedOnTheKeypadMatchesAndIsNeverPrinted() throws {
        var u = try Umockdev()
        try u.device(Self.keyboard)
        var k = KeySequence(start: .milliseconds(300), gap: .milliseconds(150))
        k.type("48")
        k.tap(KeyCode.backspace)
        k.type("215")
        k.tap(79) // keypad 1
        k.tap(KeyCode.kpEnter)
        try u.events("/dev/input/event6", k.evemu)
        let lines = try u.probe(["pin", "/dev/input/event6", "42151", "--timeout", "10"])
        #expect(lines.count == 1)
        #expect(lines.first?["matches"] as? Bool == true)
        #expect(lines.first?["pin"] as? String == "PIN(5 digits)")
        #expect(lines.first?["progress"] as? [Int] == [1, 2, 1, 2, 3, 4, 5])
    }

    @Test func onlyTheScannerIsGrabbedAndItIsReleasedAfter() throws {
        var u = try Umockdev()
        let log = try u.spyOnGrabs()
        try u.device(Self.scanner + "\n" + Self.keyboard)
        var k = KeySequence(start: .milliseconds(300))
        k.type("5901234123457")
        k.enter()
        try u.events("/dev/input/event5", k.evemu)
        var typing = KeySequence(start: .milliseconds(300), gap: .milliseconds(150))
        typing.type("hello")
        try u.events("/dev/input/event6", typing.evemu)
        // The scanner is the rule's; the keyboard matches no rule.
        let lines = try u.probe(["service", "--wedge-usb", "05e0:1200", "--events", "1", "--timeout", "10"])
        #expect(scans(lines) == ["5901234123457"])
        let grabs = try String(contentsOfFile: log, encoding: .utf8).split(separator: "\n").map { $0.split(separator: " ")[1] }
        // One grab (the scanner's) and its release on stop; the keyboard is never grabbed.
        #expect(grabs == ["1", "0"])
    }

    @Test func theKeypadIsGrabbedOnlyWhileThePINIsAsked() throws {
        var u = try Umockdev()
        let log = try u.spyOnGrabs()
        try u.device(Self.keyboard)
        var k = KeySequence(start: .milliseconds(300), gap: .milliseconds(150))
        k.type("1234")
        k.enter()
        try u.events("/dev/input/event6", k.evemu)
        let lines = try u.probe(["pin", "/dev/input/event6", "1234", "--timeout", "10"])
        #expect(lines.first?["matches"] as? Bool == true)
        let grabs = try String(contentsOfFile: log, encoding: .utf8).split(separator: "\n").map { $0.split(separator: " ")[1] }
        #expect(grabs == ["1", "0"])
    }

    /// The keypad the kiosk's session reads key by key (`scanners.keypad` in `kiosk run`).
    @Test func theKeypadFeedGivesTheSessionsKeysOnlyWhileTakenAndGrabsItOnlyThen() throws {
        var u = try Umockdev()
        let log = try u.spyOnGrabs()
        try u.device(Self.keyboard)
        var k = KeySequence(start: .milliseconds(300), gap: .milliseconds(120))
        k.type("12")
        k.type("x")  // not a keypad key: dropped
        k.tap(KeyCode.backspace)
        k.tap(79)  // keypad 1
        k.tap(KeyCode.kpEnter)
        k.tap(KeyCode.esc)
        try u.events("/dev/input/event6", k.evemu)
        let lines = try u.probe(["keypad-feed", "/dev/input/event6", "--keys", "6", "--timeout", "10"])
        let line = try #require(lines.first)
        #expect(line["keys"] as? [String] == ["1", "2", "backspace", "1", "enter", "cancel"], "\(line)")
        #expect(line["problems"] as? [String] == [])
        #expect(line["grabbedBefore"] as? Bool == false, "not taken: not opened, not grabbed")
        #expect(line["grabbedWhileTaken"] as? Bool == true)
        #expect(line["grabbedAfter"] as? Bool == false, "given back: released")
        let grabs = try String(contentsOfFile: log, encoding: .utf8).split(separator: "\n").map { $0.split(separator: " ")[1] }
        #expect(grabs == ["1", "0"])
    }

    @Test func aKeypadThatIsNotThereIsReportedOnceAndGivesNoKeys() throws {
        let u = try Umockdev()
        let lines = try u.probe(["keypad-feed", "/dev/input/event9", "--keys", "1", "--timeout", "2.5"])
        let line = try #require(lines.first)
        #expect(line["keys"] as? [String] == [])
        let problems = try #require(line["problems"] as? [String])
        #expect(problems.count == 1 && problems[0].contains("/dev/input/event9"), "one report, however often it is tried: \(problems)")
    }
}
