import Foundation
import GRDB
import KioskCards
import KioskCore
import KioskPCSC
import KioskReaders
import KioskStore
import KioskTestSupport
import KioskVirtualCard
import Testing
import VirtualCardRig

extension ReaderIntegrationTests {
/// The reader tools as a technician runs them: the built `kiosk` executable as a child process
/// against the rig's pcscd and vpcd readers (`diag readers`, `diag card`, `sim card`, `run`).
@Suite struct ToolsTests {
    let rig: TestPCSCD

    /// Starts once both virtual readers are empty (a card of the previous test must be gone).
    init() throws {
        rig = try TestPCSCD.shared()
        try rig.waitUntilEmpty(reader: 0)
        try rig.waitUntilEmpty(reader: 1)
    }

    static let memberUID = "04A1B2C3D4E5F6"
    static let sunUID = "04DE5F1EACC040"

    // MARK: diag (everything at once)

    struct DiagReport: Decodable {
        struct Check: Decodable { var name: String; var status: String; var detail: String }
        var summary: String
        var passed: Bool
        var checks: [Check]
    }

    @Test func diagSaysEverythingAtOnceWithoutMemberDataAndFailsOnADamagedStore() async throws {
        let kiosk = try KioskSandbox(rig: rig)
        let program = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .path + "/kiosk/programs"
        let replay = try await kiosk.run("engine", "replay", "--program", program + "/example.json", "--events", program + "/example-events.jsonl",
                                         "--db", kiosk.storePath, "--summary")
        #expect(replay.status == 0, "\(replay.stderr)")
        let card = try rig.insert(Fixture.tokenCard())
        defer { card.remove() }
        try await waitUntilPresent(reader: 0)
        let healthy = try await kiosk.run("diag", "--json")
        #expect(healthy.status == 0, "warnings only (no scanner, no framebuffer, no central): \(healthy.stdout)\(healthy.stderr)")
        let report = try healthy.json(DiagReport.self)
        #expect(report.passed)
        #expect(report.checks.map(\.name) == ["version", "configuration", "clock", "store", "outbox", "readers", "scanners", "display", "central"])
        let readers = try #require(report.checks.first { $0.name == "readers" })
        #expect(readers.status == "ok" && readers.detail.contains("(card present)"), "\(readers)")
        #expect(report.checks.first { $0.name == "store" }?.status == "ok")
        #expect(report.checks.first { $0.name == "outbox" }?.detail.hasPrefix("15 pending") == true, "\(report.checks)")
        #expect(!healthy.stdout.contains("Ali") && !healthy.stdout.contains("Mina") && !healthy.stdout.contains("member-42"),
                "no member data, and the card on the reader is not read")
        #expect(!healthy.stdout.contains(KioskSandbox.tokenKey))
        let text = try await kiosk.run("diag")
        #expect(text.status == 0 && text.stdout.contains("kiosk diag: 9 checks, all pass (3 warnings: scanners, display, central)"), "\(text.stdout)")
        // A damaged store: the summary names it and the exit status is 65.
        let handle = try FileHandle(forUpdating: URL(fileURLWithPath: kiosk.storePath))
        try handle.seek(toOffset: 8_192)
        try handle.write(contentsOf: Data(repeating: 0xA5, count: 16_384))
        try handle.close()
        let damaged = try await kiosk.run("diag")
        #expect(damaged.status == 65, "\(damaged.stdout)\(damaged.stderr)")
        #expect(damaged.stdout.contains("FAIL  store") && damaged.stdout.contains("checks fail: store"), "\(damaged.stdout)")
    }

    // MARK: diag readers

    @Test func diagReadersListsBothVirtualReadersAndTheCardOnTheFirst() async throws {
        let kiosk = try KioskSandbox(rig: rig)
        let names = try rig.readerNames()
        let empty = try await kiosk.run("diag", "readers", "--json")
        #expect(empty.status == 0)
        let before = try empty.json([ReaderLine].self)
        #expect(before.map(\.name) == Array(names.prefix(2)))
        #expect(before.allSatisfy { $0.used && flags($0.state).contains("empty") && !flags($0.state).contains("present") && $0.card == nil && $0.error == nil })

        let card = try rig.insert(Fixture.tokenCard())
        defer { card.remove() }
        try await waitUntilPresent(reader: 0)
        let result = try await kiosk.run("diag", "readers", "--json")
        #expect(result.status == 0)
        let readers = try result.json([ReaderLine].self)
        try #require(readers.count == 2)
        #expect(readers[0].name == names[0])
        #expect(flags(readers[0].state).contains("present") && !flags(readers[0].state).contains("empty"), "\(readers[0].state)")
        let tap = try #require(readers[0].card)
        #expect(tap.reader == names[0])
        #expect(tap.atr == Hex.string(VirtualATR.ultralight))
        #expect(tap.kind == "ntag21x")
        #expect(tap.uid == Self.memberUID)
        #expect(tap.ndef.count == 1 && tap.ndef[0].hasPrefix("External kiosk.club:member ("))
        #expect(tap.result == "identified")
        #expect(tap.credential == "member-token")
        #expect(tap.member == "member-42")
        #expect(tap.card == "uid:" + Self.memberUID)
        #expect(flags(readers[1].state).contains("empty") && readers[1].card == nil)
    }

    @Test func diagReadersSaysWhichReadersTheConfigurationIgnores() async throws {
        let kiosk = try KioskSandbox(rig: rig, ignore: ["* 00 01"])
        let result = try await kiosk.run("diag", "readers", "--json")
        #expect(result.status == 0)
        let readers = try result.json([ReaderLine].self)
        #expect(readers.map(\.used) == [true, false])
        let text = try await kiosk.run("diag", "readers")
        #expect(text.stdoutLines.filter { $0.hasSuffix("(ignored by configuration)") } == [readers[1].name + " (ignored by configuration)"])
    }

    @Test(arguments: [SIGINT, SIGTERM])
    func diagReadersWatchStreamsTapsAndRemovalsAndStopsCleanly(stop: Int32) async throws {
        let kiosk = try KioskSandbox(rig: rig)
        let names = try rig.readerNames()
        let watch = try kiosk.start(["diag", "readers", "--watch", "--json"])
        defer { watch.kill() }
        #expect(await watch.waitUntil { out, _ in WatchLine.parse(out).filter { $0.event == "reader-added" }.count >= 2 },
                "both readers announced: \(watch.stdout) \(watch.stderr)")
        let card = try rig.insert(Fixture.tokenCard(member: "member-77"))
        #expect(await watch.waitUntil { out, _ in WatchLine.parse(out).contains { $0.event == "tap" } })
        card.remove()
        #expect(await watch.waitUntil { out, _ in WatchLine.parse(out).contains { $0.event == "card-removed" } })
        watch.send(stop)
        let result = try #require(await watch.finish())
        #expect(result.status == 0, "stopped by signal \(stop): status \(String(describing: result.status)), signal \(String(describing: result.signal))")
        let lines = WatchLine.parse(result.stdout)
        #expect(lines.count == result.stdoutLines.count, "every line is JSON: \(result.stdout)")
        #expect(Set(lines.filter { $0.event == "reader-added" }.compactMap(\.reader)) == Set(names.prefix(2)))
        let taps = lines.filter { $0.event == "tap" }
        try #require(taps.count == 1, "one presentation, one tap: \(result.stdout)")
        #expect(taps[0].reader == names[0])
        #expect(taps[0].tap?.member == "member-77")
        #expect(taps[0].tap?.uid == Self.memberUID)
        let tapIndex = try #require(lines.firstIndex { $0.event == "tap" })
        let removedIndex = try #require(lines.firstIndex { $0.event == "card-removed" })
        #expect(tapIndex < removedIndex)
        #expect(lines[removedIndex].reader == names[0])
    }

    // MARK: diag card

    @Test func diagCardIdentifiesATokenSignedWithTheConfiguredKey() async throws {
        let kiosk = try KioskSandbox(rig: rig)
        let card = try rig.insert(Fixture.tokenCard())
        defer { card.remove() }
        let result = try await kiosk.run("diag", "card", "--json")
        #expect(result.status == 0, "\(result.stderr)")
        let report = try result.json(CardLine.self)
        #expect(report.result == "identified")
        #expect(report.credential == "member-token")
        #expect(report.member == "member-42")
        #expect(report.card == "uid:" + Self.memberUID)
        #expect(report.uid == Self.memberUID)
        #expect(report.kind == "ntag21x")
        #expect(report.reason == nil)
    }

    @Test func diagCardRefusesATokenSignedWithAnotherKey() async throws {
        let kiosk = try KioskSandbox(rig: rig)
        let otherKey = try MemberTokenKey(id: "k1", Array("another-program-key-fedcba987654".utf8))
        let uid = try #require(Hex.bytes(Self.memberUID))
        let forged = NTAGCard(model: .ntag215, uid: uid,
                              message: MemberToken(member: "member-42", boundUID: uid, issued: Fixture.issued).ndefMessage(key: otherKey))
        let card = try rig.insert(forged)
        defer { card.remove() }
        let result = try await kiosk.run("diag", "card", "--json")
        #expect(result.status == 65)
        let report = try result.json(CardLine.self)
        #expect(report.result == "refused")
        #expect(report.reason == "member token signature does not verify")
        #expect(report.member == nil && report.credential == nil)
    }

    @Test(arguments: [false, true])
    func diagCardTakesABareUIDOnlyWhereTheConfigurationAllowsIt(acceptBareUID: Bool) async throws {
        let kiosk = try KioskSandbox(rig: rig, acceptBareUID: acceptBareUID)
        let card = try rig.insert(UIDOnlyCard(uid: [0x04, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66]))
        defer { card.remove() }
        let result = try await kiosk.run("diag", "card", "--json")
        let report = try result.json(CardLine.self)
        #expect(report.uid == "04112233445566")
        #expect(report.kind == "mifare-classic")
        if acceptBareUID {
            #expect(result.status == 0)
            #expect(report.result == "identified" && report.credential == "bare-uid")
            #expect(report.card == "uid:04112233445566")
        } else {
            #expect(result.status == 65)
            #expect(report.result == "refused")
            #expect(report.reason == "bare UID not accepted (readers.accept_bare_uid is false)")
        }
    }

    @Test func diagCardVerifiesASUNCardAndRefusesACounterTheStoreHasSeen() async throws {
        let kiosk = try KioskSandbox(rig: rig)
        // The kiosk has accepted this card at counter 11 before.
        do {
            let store = try KioskStore(path: kiosk.storePath)
            #expect(try store.advanceSDMCounter(uid: Self.sunUID, to: 11, identification: "earlier-tap") == nil)
        }
        // Counter 11 again: a copied URL.
        let replayed = try rig.insert(Fixture.sunCard(counter: 10))
        let refused = try await kiosk.run("diag", "card", "--json")
        replayed.remove()
        #expect(refused.status == 65)
        let refusal = try refused.json(CardLine.self)
        #expect(refusal.kind == "iso14443-4")
        #expect(refusal.result == "refused")
        #expect(refusal.reason == "SDM counter 11 not above last seen 11: replayed")
        #expect(refusal.ndef.count == 1 && refusal.ndef[0].hasPrefix("URI https://club.example/t?picc_data="))

        // The next reading, counter 12: genuine and fresh, and diag records nothing.
        let fresh = try rig.insert(Fixture.sunCard(counter: 11))
        defer { fresh.remove() }
        let verified = try await kiosk.run("diag", "card", "--json")
        #expect(verified.status == 0, "\(verified.stderr)")
        let report = try verified.json(CardLine.self)
        #expect(report.result == "identified")
        #expect(report.credential == "ntag424-sun")
        #expect(report.counter == 12)
        #expect(report.card == "ntag424:" + Self.sunUID)
        #expect(report.uid == Self.sunUID)
        let store = try KioskStore(path: kiosk.storePath, mode: .readOnly)
        #expect(try store.sdmCounter(uid: Self.sunUID) == 11, "diag checks counters without recording them")
    }

    /// NXP AN12196's example card (all-zero keys, empty MAC input) through `kiosk diag card`:
    /// "SDMMAC does not verify" before the MAC layout became a setting; with the default it is
    /// identified, and `cards.sdm_mac_input = "picc-data"` (the other layout) refuses it.
    @Test(arguments: [nil, "empty", "picc-data"] as [String?])
    func diagCardVerifiesTheApplicationNoteExample(layout: String?) async throws {
        var kiosk = try KioskSandbox(rig: rig)
        let zeros = String(repeating: "0", count: 32)
        kiosk.environment["KIOSK_SDM_META_KEY"] = zeros
        kiosk.environment["KIOSK_SDM_FILE_KEY"] = zeros
        if let layout {
            var config = try String(contentsOfFile: kiosk.configurationPath, encoding: .utf8)
            config = config.replacingOccurrences(of: "[cards]\n", with: "[cards]\nsdm_mac_input = \"\(layout)\"\n")
            try kiosk.write("kiosk.toml", config)
        }
        let card = Type4Card(uid: Hex.bytes("04DE5F1EACC040")!, sun: .init(
            keys: .factory, baseURL: "https://choose.url.com/ntag424", counter: 60, padding: Hex.bytes("DA5CF60941")!))
        let connection = try rig.insert(card)
        defer { connection.remove() }
        let result = try await kiosk.run("diag", "card", "--json", "--reveal")
        // Once (a full run, 2026-12-02) its output was not JSON: say what it was if it happens again.
        let report = try #require(try? result.json(CardLine.self), "status \(result.status), stdout: \(result.stdout), stderr: \(result.stderr)")
        #expect(report.ndef == ["URI https://choose.url.com/ntag424?picc_data=EF963FF7828658A599F3041510671E88&cmac=94EED9EE65337086 (ntag424-sun)"])
        if layout == "picc-data" {
            #expect(result.status == 65)
            #expect(report.reason == "SDMMAC does not verify")
        } else {
            #expect(result.status == 0, "\(result.stderr)")
            #expect(report.result == "identified" && report.counter == 61 && report.uid == "04DE5F1EACC040")
        }
    }

    @Test func aSecondCardBatchWithItsOwnKeysAndLayoutIsVerifiedAfterTheFirst() async throws {
        let kiosk = try KioskSandbox(rig: rig)
        let zeros = String(repeating: "0", count: 32)
        for name in ["batch2-meta", "batch2-file"] {
            try kiosk.write(name, zeros + "\n")
            try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: kiosk.directory.file(name))
        }
        var config = try String(contentsOfFile: kiosk.configurationPath, encoding: .utf8)
        config += """
            [[cards.sdm_batches]]
            name = "an12196"
            meta_key_file = "batch2-meta"
            file_key_file = "batch2-file"
            mac_input = "empty"

            """
        try kiosk.write("kiosk.toml", config)
        // The sandbox's own batch first (its keys), then the application note's card.
        for (card, counter) in [(Fixture.sunCard(counter: 30), UInt32(31)),
                                (Type4Card(uid: Hex.bytes("04DE5F1EACC040")!, sun: .init(keys: .factory, baseURL: "https://choose.url.com/ntag424",
                                                                                           counter: 60, padding: Hex.bytes("DA5CF60941")!)), 61)] {
            let connection = try rig.insert(card)
            let result = try await kiosk.run("diag", "card", "--json")
            connection.remove()
            try await waitUntilEmpty(reader: 0, "the card was lifted")
            #expect(result.status == 0, "\(result.stdout) \(result.stderr)")
            #expect(try result.json(CardLine.self).counter == counter)
        }
    }

    @Test func diagCardHidesLiveCredentialsUnlessRevealed() async throws {
        let kiosk = try KioskSandbox(rig: rig)
        let card = Fixture.sunCard(counter: 20)
        let connection = try rig.insert(card)
        defer { connection.remove() }
        let hidden = try await kiosk.run("diag", "card")
        #expect(hidden.status == 0, "\(hidden.stderr)")
        guard case .uri(let url)? = try card.message?.records.first?.content() else {
            Issue.record("the card holds no URL")
            return
        }
        let sun = try SUNURL(url)
        for secret in [Hex.string(sun.piccData), Hex.string(sun.sdmmac), url] {
            #expect(!hidden.stdout.contains(secret) && !hidden.stderr.contains(secret), "diag printed \(secret)")
        }
        #expect(hidden.stdout.contains("ndef: URI https://club.example/t?picc_data=…&cmac=… (ntag424-sun, hidden; --reveal shows it)"), "\(hidden.stdout)")
        #expect(hidden.stdout.contains("UID \(Self.sunUID)"))
        #expect(hidden.stdout.contains("result: identified by ntag424-sun"))
        #expect(!hidden.stderr.contains("warning"))

        let revealed = try await kiosk.run("diag", "card", "--reveal")
        #expect(revealed.status == 0, "\(revealed.stderr)")
        guard case .uri(let next)? = try card.message?.records.first?.content() else { return }
        #expect(revealed.stdout.contains("ndef: URI \(next) (ntag424-sun)"), "\(revealed.stdout)")
        #expect(revealed.stderr.contains("kiosk: warning: --reveal prints the card's live credentials"), "\(revealed.stderr)")
    }

    @Test func diagCardHidesAMemberURLsToken() async throws {
        let kiosk = try KioskSandbox(rig: rig)
        let token = MemberToken(member: "member-7", boundUID: nil, issued: Fixture.issued).signed(with: Fixture.tokenKey)
        let connection = try rig.insert(Type4Card(uid: Fixture.uid, message: NDEFMessage(records: [.uri("https://club.example/m?t=" + token)])))
        defer { connection.remove() }
        let result = try await kiosk.run("diag", "card", "--json")
        #expect(result.status == 0, "\(result.stderr)")
        #expect(!result.stdout.contains(token), "\(result.stdout)")
        let report = try result.json(CardLine.self)
        #expect(report.ndef == ["URI https://club.example/m?t=… (member-url, hidden; --reveal shows it)"])
        #expect(report.member == "member-7")
    }

    @Test func diagCardShowsTheUIDOfACardWhoseREADIsRefused() async throws {
        let kiosk = try KioskSandbox(rig: rig)
        let connection = try rig.insert(ReadRefusingCard(Fixture.tokenCard(.ntag213)))
        defer { connection.remove() }
        let result = try await kiosk.run("diag", "card")
        #expect(result.status == 65)
        #expect(result.stdout.contains("UID \(Self.memberUID)"), "\(result.stdout)")
        #expect(result.stdout.contains("why: bare UID not accepted"), "\(result.stdout)")
    }

    @Test func diagCardWithoutACardSaysSoAndExits69() async throws {
        let kiosk = try KioskSandbox(rig: rig)
        let result = try await kiosk.run("diag", "card", "--json", "--wait", "1")
        #expect(result.status == 69)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.contains("kiosk: no card on Virtual PCD* within 1.0 s"), "\(result.stderr)")
    }

    @Test func diagCardReadsOnlyTheReaderNamedWithReader() async throws {
        let kiosk = try KioskSandbox(rig: rig)
        let names = try rig.readerNames()
        let second = try rig.insert(Fixture.tokenCard(member: "in-the-second-slot"), reader: 1)
        let result = try await kiosk.run("diag", "card", "--json", "--reader", names[1])
        second.remove()
        // Gone before the next look, or that look reads a card being pulled (seen under load).
        try await waitUntilEmpty(reader: 1, "the second card was lifted")
        #expect(result.status == 0, "\(result.stderr)")
        let report = try result.json(CardLine.self)
        #expect(report.reader == names[1])
        #expect(report.member == "in-the-second-slot")

        let first = try rig.insert(Fixture.tokenCard())
        defer { first.remove() }
        try await waitUntilPresent(reader: 0)
        let none = try await kiosk.run("diag", "card", "--json", "--reader", names[1], "--wait", "1")
        #expect(none.status == 69)
        #expect(none.stderr.contains("no card on \(names[1]) within 1.0 s"), "\(none.stderr)")
    }

    @Test func aReaderNameAsDiagReadersPrintsItSelectsThatReaderEvenWithBrackets() {
        // Names as pcscd gives them for an ACR1252U: the brackets are not a glob's character class.
        let picc = "ACS ACR1252 1S CL Reader [ACR1252 1S CL Reader PICC] 00 00"
        let sam = "ACS ACR1252 1S CL Reader [ACR1252 1S CL Reader SAM] 00 01"
        let filter = ReaderNameFilter(allow: [picc], ignore: [])
        #expect(filter.includes(picc))
        #expect(!filter.includes(sam))
        #expect(!ReaderNameFilter(allow: [], ignore: [sam]).includes(sam))
        #expect(ReaderNameFilter(allow: [], ignore: [sam]).includes(picc))
    }

    @Test func theDiagnosticsWithoutPCSCDSaySoAndExit69() async throws {
        var kiosk = try KioskSandbox(rig: rig)
        // libpcsclite's client looks for pcscd at this socket: nobody listens there.
        kiosk.environment["PCSCLITE_CSOCK_NAME"] = kiosk.directory.file("no-pcscd.comm")
        for command in [["diag", "card", "--json", "--wait", "1"], ["diag", "readers", "--json"]] {
            let result = try await kiosk.run(command)
            #expect(result.status == 69, "\(command)")
            #expect(result.stderr.hasPrefix("kiosk: pcscd is not reachable: "), "\(command): \(result.stderr)")
            #expect(result.stdout.isEmpty)
        }
        // The watch keeps trying, and says why it sees nothing.
        let watch = try kiosk.start(["diag", "readers", "--watch", "--json"])
        defer { watch.kill() }
        #expect(await watch.waitUntil { out, _ in WatchLine.parse(out).contains { $0.event == "pcscd-disconnected" } },
                "\(watch.stdout) \(watch.stderr)")
        watch.send(SIGINT)
        let result = try #require(await watch.finish())
        #expect(result.status == 0)
        #expect(!WatchLine.parse(result.stdout).contains { $0.event == "reader-added" })
    }

    // MARK: sim card

    @Test func simCardHoldsASignedTokenCardThatDiagReadsThenTakesItAway() async throws {
        let kiosk = try KioskSandbox(rig: rig)
        let sim = try kiosk.start(["sim", "card", "--kind", "ntag215", "--uid", "04112233445566", "--member", "m-mina", "--hold", "6"])
        defer { sim.kill() }
        #expect(await sim.waitUntil { out, _ in out.contains("card ntag215 04112233445566 on vpcd port \(rig.port)") },
                "the sim says what it plays while it plays it: \(sim.stdout) \(sim.stderr)")
        #expect(sim.process.isRunning, "the line came while the sim holds the card, not at its end")
        try await waitUntilPresent(reader: 0)
        let diag = try await kiosk.run("diag", "card", "--json")
        #expect(diag.status == 0, "\(diag.stderr)")
        let report = try diag.json(CardLine.self)
        #expect(report.kind == "ntag21x")
        #expect(report.uid == "04112233445566")
        #expect(report.credential == "member-token")
        #expect(report.member == "m-mina")
        #expect(report.card == "uid:04112233445566")

        let result = try #require(await sim.finish(timeout: 15))
        #expect(result.status == 0)
        let removed = try #require(result.stdoutLines.last)
        #expect(removed.hasPrefix("card removed after ") && !removed.hasPrefix("card removed after 0 "), "\(removed)")
        try await waitUntilEmpty(reader: 0, "the card leaves with the sim")
    }

    @Test(arguments: [SIGINT, SIGTERM])
    func simCardPlaysTheUIDItWasAskedForToAnyPCSCClient(stop: Int32) async throws {
        let kiosk = try KioskSandbox(rig: rig)
        let sim = try kiosk.start(["sim", "card", "--kind", "uid", "--uid", "0A0B0C0D", "--port", "\(rig.port)"])
        defer { sim.kill() }
        let names = try rig.readerNames()
        try await waitUntilPresent(reader: 0)
        let context = try PCSCContext()
        let card = try context.connect(names[0])
        #expect(try card.transmit([0xFF, 0xCA, 0x00, 0x00, 0x00]) == [0x0A, 0x0B, 0x0C, 0x0D, 0x90, 0x00])
        #expect(try card.status().atr == VirtualATR.mifareClassic1K)
        try card.disconnect()
        // Without --hold the card stays until the sim is stopped.
        try await Task.sleep(for: .milliseconds(300))
        #expect(sim.process.isRunning)
        sim.send(stop)
        let result = try #require(await sim.finish())
        #expect(result.status == 0, "stopped by signal \(stop): status \(String(describing: result.status)), signal \(String(describing: result.signal))")
        try await waitUntilEmpty(reader: 0, "the card leaves when the sim is stopped")
    }

    @Test func simCardPlaysAnNTAG424WhoseSUNTheConfiguredKeysVerify() async throws {
        let kiosk = try KioskSandbox(rig: rig)
        let sim = try kiosk.start(["sim", "card", "--kind", "ntag424", "--uid", Self.sunUID, "--counter", "7", "--hold", "6"])
        defer { sim.kill() }
        try await waitUntilPresent(reader: 0)
        let diag = try await kiosk.run("diag", "card", "--json")
        #expect(diag.status == 0, "\(diag.stderr)")
        let report = try diag.json(CardLine.self)
        #expect(report.kind == "iso14443-4")
        #expect(report.credential == "ntag424-sun")
        #expect(report.counter == 8)
        sim.send(SIGINT)
        _ = await sim.finish()
    }

    @Test(arguments: [["--kind", "uid", "--uid", "0A0B0C"], ["--kind", "ntag215", "--uid", "0A0B0C0D"], ["--kind", "tag9"]])
    func simCardRefusesACardItCannotPlayWithExit64(arguments: [String]) async throws {
        let kiosk = try KioskSandbox(rig: rig)
        let result = try await kiosk.run(["sim", "card"] + arguments + ["--hold", "1"])
        #expect(result.status == 64, "\(arguments): \(result.stderr)")
        #expect(result.stdout.isEmpty)
        try await Task.sleep(for: .milliseconds(200))
        #expect(try state(reader: 0).contains(.empty), "no card was played")
    }

    @Test func simCardCannotSignForAMemberWithoutTheTokenKey() async throws {
        let kiosk = try KioskSandbox(rig: rig)
        try kiosk.write("no-keys.toml", "[readers]\nallow = [\"Virtual PCD*\"]\n")
        let result = try await kiosk.run("sim", "card", "--kind", "ntag215", "--member", "m-mina", "--hold", "1",
                                         "--config", kiosk.directory.file("no-keys.toml"))
        #expect(result.status == 65)
        #expect(result.stderr.contains("--member needs cards.token_key"), "\(result.stderr)")
        #expect(try state(reader: 0).contains(.empty), "no card was played")
    }

    @Test func simCardWithoutVPCDExits69() async throws {
        let kiosk = try KioskSandbox(rig: rig)
        // Port 9: nothing listens there.
        let result = try await kiosk.run("sim", "card", "--kind", "uid", "--port", "9", "--hold", "1")
        #expect(result.status == 69)
        #expect(result.stderr.contains("cannot reach vpcd on port 9"), "\(result.stderr)")
    }

    // MARK: kiosk run

    @Test func runResolvesTapsToMemberIdsOnlyAndStopsOnSigterm() async throws {
        var kiosk = try KioskSandbox(rig: rig, acceptBareUID: true)
        kiosk.environment["JOURNAL_STREAM"] = "8:12345"
        try kiosk.write("members.csv", """
            member_id,name,phone,card_id
            M-1001,"Sara Ahmadi",09121234567,uid:\(Self.memberUID)

            """)
        let imported = try await kiosk.run("import", "members", kiosk.directory.file("members.csv"))
        #expect(imported.status == 0, "\(imported.stdout) \(imported.stderr)")

        let run = try kiosk.start(["run"])
        defer { run.kill() }
        #expect(await run.waitUntil(timeout: 30) { _, err in err.components(separatedBy: "reader added").count > 2 },
                "both readers in the log: \(run.stderr)")

        // M-1001's card, with a token signed for M-1001 and bound to its UID.
        let uid = try #require(Hex.bytes(Self.memberUID))
        let token = MemberToken(member: "M-1001", boundUID: uid, issued: Fixture.issued)
        let memberCard = try rig.insert(NTAGCard(model: .ntag215, uid: uid, message: token.ndefMessage(key: Fixture.tokenKey)))
        #expect(await run.waitUntil { _, err in err.contains("tap: ") }, "\(run.stderr)")
        memberCard.remove()

        // A card nobody has, tapped with the sim.
        let sim = try kiosk.start(["sim", "card", "--kind", "uid", "--uid", "04000000000001", "--hold", "20"])
        defer { sim.kill() }
        #expect(await run.waitUntil { _, err in err.components(separatedBy: "tap: ").count > 2 }, "\(run.stderr)")
        sim.send(SIGINT)
        _ = await sim.finish()

        // An NTAG 424 at counter 11, then a copy of the same reading.
        for _ in 0..<2 {
            let sun = try rig.insert(Fixture.sunCard(counter: 10))
            let taps = run.stderr.components(separatedBy: "tap: ").count
            #expect(await run.waitUntil { _, err in err.components(separatedBy: "tap: ").count > taps }, "\(run.stderr)")
            sun.remove()
        }

        run.send(SIGTERM)
        let result = try #require(await run.finish(timeout: 20))
        #expect(result.status == 0)
        let taps = result.stderrLines.filter { $0.contains("kiosk.readers: tap: ") }
        try #require(taps.count == 4, "\(result.stderr)")
        #expect(taps[0].hasPrefix("<6>kiosk.readers: tap: member identified "))
        #expect(taps[0].contains("member=M-1001") && taps[0].contains("card=uid:\(Self.memberUID)"), "\(taps[0])")
        #expect(taps[1].hasPrefix("<6>kiosk.readers: tap: card not enrolled "))
        #expect(taps[1].contains("card=uid:04000000000001") && !taps[1].contains("member="), "\(taps[1])")
        #expect(taps[2].hasPrefix("<6>kiosk.readers: tap: card not enrolled "), "a genuine SUN card nobody has: \(taps[2])")
        #expect(taps[2].contains("card=ntag424:\(Self.sunUID)"), "\(taps[2])")
        // The tap that consumed the counter is named in the store, in the same transaction.
        let use = try #require(try KioskStore(path: kiosk.storePath, mode: .readOnly).sdmCounterUse(uid: Self.sunUID))
        #expect(use.counter == 11)
        #expect(taps[2].contains("identification=\(use.identification ?? "none")"), "\(taps[2])")
        // A replayed SUN message is a cloned card, refused as such (the screen says so too).
        #expect(taps[3].hasPrefix("<5>kiosk.readers: tap: refused, a forged or replayed credential "), "\(taps[3])")
        #expect(taps[3].contains("SDM counter 11 not above last seen 11: replayed"), "\(taps[3])")
        #expect(result.stderrLines.contains { $0.hasPrefix("<6>kiosk: kiosk stopped") })
        // Ids only: no personal data, no keys, no token.
        for secret in ["Sara", "Ahmadi", "09121234567", KioskSandbox.tokenKey, KioskSandbox.sdmMetaKey, KioskSandbox.sdmFileKey,
                       "KM2.", token.signed(with: Fixture.tokenKey)] {
            #expect(!result.stderr.contains(secret), "the log shows \(secret)")
        }
    }

    @Test func diagReadersShowsAnACR122sFirmwareAndTestsItsFeedback() async throws {
        let kiosk = try KioskSandbox(rig: rig, readers: #"feedback_acr122 = ["Virtual PCD*"]"#)
        let reader = ACR122Reader(Fixture.tokenCard())
        let card = try rig.insert(reader)
        try await waitUntilPresent(reader: 0)
        let result = try await kiosk.run("diag", "readers", "--json", "--feedback")
        card.remove()
        #expect(result.status == 0, "\(result.stderr)")
        let first = try #require(try result.json([ReaderLine].self).first)
        #expect(first.feedback == "acr122")
        #expect(first.firmware == "ACR122U207")
        #expect(first.error == nil)
        #expect(first.card?.member == "member-42")
        #expect(reader.feedback == [ReaderFeedback.acr122Command(.accepted)], "the LED test reached the reader")

        // A reader that is not an ACR122U after all: the card answers the LED command.
        let plain = try rig.insert(Fixture.tokenCard())
        defer { plain.remove() }
        try await waitUntilPresent(reader: 0)
        let refused = try await kiosk.run("diag", "readers", "--json", "--feedback")
        let line = try #require(try refused.json([ReaderLine].self).first)
        #expect(line.error?.hasPrefix("feedback unsupported: the LED command was answered 6A81") == true, "\(String(describing: line.error))")
        #expect(line.card?.member == "member-42", "the card is still read")
    }

    @Test func runGivesABlockedMembersCardTheRefusedSignal() async throws {
        var kiosk = try KioskSandbox(rig: rig, readers: #"feedback_acr122 = ["Virtual PCD*"]"#)
        kiosk.environment["JOURNAL_STREAM"] = "8:12345"
        let blockedUID = "04B10C4ED00001"
        try kiosk.write("members.csv", """
            member_id,name,phone,card_id
            M-1001,"Sara Ahmadi",09121234567,uid:\(Self.memberUID)
            M-2002,"Reza Karimi",09127654321,uid:\(blockedUID)

            """)
        let imported = try await kiosk.run("import", "members", kiosk.directory.file("members.csv"))
        #expect(imported.status == 0, "\(imported.stdout) \(imported.stderr)")
        do {
            let store = try KioskStore(path: kiosk.storePath)
            let operation = BusinessOperation(
                idempotencyKey: try IdempotencyKey("block-M-2002"), kind: "card.block", memberID: "M-2002",
                branchID: "b-test", occurredAt: Date(), request: Data("block".utf8), result: Data(), postings: [],
                event: OutboxEvent(type: "card.blocked", payload: Data()))
            try store.commit(operation) { db in
                try KioskStore.blockCard(CardID(rawValue: "uid:" + blockedUID), reason: "lost", at: Date(), in: db)
            }
        }
        let run = try kiosk.start(["run"])
        defer { run.kill() }
        #expect(await run.waitUntil(timeout: 30) { _, err in err.components(separatedBy: "reader added").count > 2 }, "\(run.stderr)")
        var readers: [ACR122Reader] = []
        for (n, (member, uidHex)) in [("M-2002", blockedUID), ("M-1001", Self.memberUID)].enumerated() {
            let uid = try #require(Hex.bytes(uidHex))
            let reader = ACR122Reader(NTAGCard(model: .ntag215, uid: uid, message: MemberToken(member: MemberID(rawValue: member), boundUID: uid, issued: Fixture.issued)
                .ndefMessage(key: Fixture.tokenKey)))
            readers.append(reader)
            let card = try rig.insert(reader)
            #expect(await run.waitUntil { _, err in err.components(separatedBy: "tap: ").count > n + 1 }, "\(run.stderr)")
            card.remove()
            try await waitUntilEmpty(reader: 0, "the card was lifted")
        }
        run.send(SIGTERM)
        let result = try #require(await run.finish(timeout: 20))
        #expect(result.status == 0)
        #expect(readers[0].feedback == [ReaderFeedback.acr122Command(.refused)], "the blocked member hears the refusal")
        #expect(readers[1].feedback == [ReaderFeedback.acr122Command(.accepted)])
        let taps = result.stderrLines.filter { $0.contains("kiosk.readers: tap: ") }
        #expect(taps.first?.contains("tap: card or member blocked") == true, "\(taps)")
    }

    /// A staff PIN typed on the evdev keypad (`scanners.keypad`), `kiosk run` under umockdev with
    /// a fake keyboard whose keys are played from the moment the device is opened: the kiosk opens
    /// it only once the staff card asks for the PIN (opened earlier, the keys would be spent
    /// before the prompt and the login would not happen).
    @Test func aStaffPINTypedOnTheEvdevKeypadSignsTheCashierIn() async throws {
        var kiosk = try KioskSandbox(rig: rig, acceptBareUID: true)  // the staff card is known by its UID
        kiosk.environment["JOURNAL_STREAM"] = "8:12345"
        let added = try await kiosk.run(["staff", "add", "op-sara", "--name", "Sara", "--role", "cashier",
                                         "--card", "uid:04C0FFEE000001", "--pin-stdin"], stdin: "1234\n")
        #expect(added.status == 0, "\(added.stderr)")
        let configuration = try String(contentsOfFile: kiosk.configurationPath, encoding: .utf8)
        try kiosk.write("kiosk.toml", configuration + "[scanners]\nkeypad = \"/dev/input/event6\"\n")
        try kiosk.write("keypad.umockdev", UmockdevDevices.inputDevice(event: 6, vendor: "04d9", product: "1203", name: "USB Keypad", usbPort: 2))
        // 1, 2, 3, 4 on the number row, then Enter: from 0.5 s after the open, 0.15 s apart
        // (evemu: time, EV_KEY, code, value; each followed by SYN_REPORT).
        var events = ["# EVEMU 1.3"]
        for (n, code) in [2, 3, 4, 5, 28].enumerated() {
            for (value, offset) in [(1, 0), (0, 5_000)] {
                let micros = 500_000 + n * 150_000 + offset
                let stamp = "\(micros / 1_000_000).\(micros % 1_000_000)"
                events.append("E: \(stamp) 0001 \(String(format: "%04x", code)) \(String(format: "%04x", value))")
                events.append("E: \(stamp) 0000 0000 0000")
            }
        }
        try kiosk.write("pin.events", events.joined(separator: "\n") + "\n")
        let run = try KioskChild("/usr/bin/umockdev-run", [
            "-d", kiosk.directory.file("keypad.umockdev"), "-e", "/dev/input/event6=" + kiosk.directory.file("pin.events"),
            "--", try ProductLocator.executable("kiosk"), "run",
        ], environment: kiosk.environment)
        defer { run.kill() }
        #expect(await run.waitUntil(timeout: 30) { _, err in err.components(separatedBy: "reader added").count > 2 }, "\(run.stderr)")
        try await Task.sleep(for: .seconds(1.5))  // longer than the keys take: had the kiosk opened the keypad, they are spent
        let card = try rig.insert(UIDOnlyCard(uid: [0x04, 0xC0, 0xFF, 0xEE, 0x00, 0x00, 0x01]))
        defer { card.remove() }
        var readOnly = Configuration()
        readOnly.readonly = true
        let audit = try DatabaseQueue(path: kiosk.storePath, configuration: readOnly)
        var actions: [String] = []
        let deadline = Date().addingTimeInterval(20)
        while !actions.contains("staff.login") && Date() < deadline {
            actions = try await audit.read { db in
                try String.fetchAll(db, sql: "SELECT action FROM audit_log WHERE operator_id = 'op-sara' ORDER BY rowid")
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        #expect(actions.contains("staff.login"), "the PIN from the keypad signed Sara in: \(actions)\n\(run.stderr)")
        #expect(!actions.contains("staff.wrong_pin"))
        // umockdev-run waits for the kiosk, its child: the kiosk is the one stopped.
        let children = try FileManager.default.contentsOfDirectory(atPath: "/proc").compactMap(Int32.init).filter { pid in
            let stat = (try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8)) ?? ""
            let fields = stat.split(separator: ")").last?.split(separator: " ") ?? []
            return fields.count > 2 && Int32(fields[1]) == run.process.processIdentifier
        }
        #expect(children.count == 1, "\(children)")
        for child in children { kill(child, SIGTERM) }
        let result = try #require(await run.finish(timeout: 20))
        #expect(result.status == 0, "\(result.stderr)")
        #expect(!result.stderr.contains("1234"), "no PIN in the log")
        #expect(!result.stderr.contains("the PIN keypad cannot be read"), "\(result.stderr)")
    }

    /// `systemctl reload kiosk` (SIGHUP): the program file is read again and served from the
    /// next idle moment; a broken file leaves the served program in place and the kiosk running.
    @Test func sighupServesTheChangedProgramAndABrokenOneLeavesTheServedOneInPlace() async throws {
        let kiosk = try KioskSandbox(rig: rig)
        let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let example = try String(contentsOf: repository.appendingPathComponent("kiosk/programs/example.json"), encoding: .utf8)
        #expect(example.contains(#""version": "2026-11-a""#))
        try kiosk.write("program.json", example)
        let configuration = try String(contentsOfFile: kiosk.configurationPath, encoding: .utf8)
            .replacingOccurrences(of: "[kiosk]\n", with: "[kiosk]\nprogram = \"\(kiosk.directory.file("program.json"))\"\n")
        try kiosk.write("kiosk.toml", configuration)
        let run = try kiosk.start(["run"])
        defer { run.kill() }
        // Its services run (as when it says READY=1, after which systemd sends reloads).
        #expect(await run.waitUntil(timeout: 30) { _, err in err.contains("program=2026-11-a") && err.contains("reader added") }, "\(run.stderr)")

        // The same file again: nothing to replace.
        run.send(SIGHUP)
        #expect(await run.waitUntil { _, err in err.contains("program unchanged") }, "\(run.stderr)")
        try kiosk.write("program.json", example.replacingOccurrences(of: #""version": "2026-11-a""#, with: #""version": "2026-12-b""#))
        run.send(SIGHUP)
        #expect(await run.waitUntil { _, err in err.contains("program reloaded") }, "\(run.stderr)")
        let reloaded = run.stderrLines.first { $0.contains("program reloaded") } ?? ""
        #expect(reloaded.contains("version=2026-12-b") && reloaded.contains("was=2026-11-a"), "\(reloaded)")

        try kiosk.write("program.json", "{\"format\": 1, \"version\": ")
        run.send(SIGHUP)
        #expect(await run.waitUntil { _, err in err.contains("the program could not be reloaded") }, "\(run.stderr)")
        let refused = run.stderrLines.first { $0.contains("the program could not be reloaded") } ?? ""
        #expect(refused.contains("version=2026-12-b"), "the served program stays: \(refused)")

        run.send(SIGTERM)
        let result = try #require(await run.finish(timeout: 20))
        #expect(result.status == 0, "SIGHUP never stopped it; SIGTERM does, cleanly: \(result.stderr)")
        let store = try KioskStore(path: kiosk.storePath, mode: .readOnly)
        #expect(try store.programVersions() == ["2026-11-a", "2026-12-b"], "each program served is recorded")
    }

    @Test func runWarnsOnceAboutAReaderThatRefusesItsFeedback() async throws {
        var kiosk = try KioskSandbox(rig: rig, readers: #"feedback_acr122 = ["Virtual PCD 00 00"]"#)
        kiosk.environment["JOURNAL_STREAM"] = "8:12345"
        let run = try kiosk.start(["run"])
        defer { run.kill() }
        #expect(await run.waitUntil(timeout: 30) { _, err in err.components(separatedBy: "reader added").count > 2 }, "\(run.stderr)")
        for n in 1...2 {
            let card = try rig.insert(Fixture.tokenCard())
            #expect(await run.waitUntil { _, err in err.components(separatedBy: "tap: ").count > n }, "\(run.stderr)")
            card.remove()
        }
        run.send(SIGTERM)
        let result = try #require(await run.finish(timeout: 20))
        #expect(result.status == 0)
        let warnings = result.stderrLines.filter { $0.contains("refuses its LED/buzzer commands") }
        #expect(warnings.count == 1, "\(result.stderr)")
        #expect(warnings.first?.hasPrefix("<4>kiosk.readers: ") == true && warnings.first?.contains("Virtual PCD 00 00") == true, "\(warnings)")
        #expect(result.stderrLines.filter { $0.contains("kiosk.readers: tap: ") }.count == 2, "the taps themselves go on")
    }

    // MARK: helpers

    /// The state flags of `diag readers` ("present,inuse#3": present, inuse).
    private func flags(_ state: String) -> Set<String> {
        Set(state.prefix { $0 != "#" }.split(separator: ",").map(String.init))
    }

    private func state(reader index: Int) throws -> ReaderState.Flags {
        let name = try rig.readerNames()[index]
        return try #require(try PCSCContext().statusChange([ReaderState(reader: name)], timeoutMilliseconds: 0).first).eventState
    }

    private func waitUntilPresent(reader index: Int, timeout: Double = 10) async throws {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if try state(reader: index).contains(.present) { return }
            try await Task.sleep(for: .milliseconds(20))
        }
        Issue.record("no card on reader \(index) within \(timeout) s")
    }

    private func waitUntilEmpty(reader index: Int, timeout: Double = 10, _ why: String) async throws {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if try state(reader: index).contains(.empty) { return }
            try await Task.sleep(for: .milliseconds(20))
        }
        Issue.record("reader \(index) still holds a card after \(timeout) s: \(why)")
    }
}
}
