import Foundation
import Glibc
import KioskCards
import KioskCore
import KioskReceipts
import KioskTestSupport
import Testing

/// `kiosk sim scan` into `kiosk diag scanners --watch` through the development socket, and the
/// scanner list under umockdev.
@Suite(.serialized) struct ScannerCommandTests {
    /// 32 bytes in hex, as `cards.token_key` must be; the id is the default `k1`.
    static let tokenKey = String(repeating: "a1", count: 32)
    static var memberKey: MemberTokenKey { try! MemberTokenKey(id: "k1", Array(repeating: 0xA1, count: 32)) }
    /// A till's Ed25519 key; the kiosk holds only its public half (`till1.pub`).
    static let till = try! ReceiptSigningKey(id: "till1", seed: Array(repeating: 0x5C, count: 32))

    static func member(_ id: String) -> MemberToken {
        MemberToken(member: MemberID(rawValue: id), boundUID: nil, issued: TokenDay(year: 2026, month: 12, day: 1)!)
    }

    func lines(_ text: String) -> [[String: Any]] {
        text.split(separator: "\n").compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
    }

    @Test func aSimulatedScanReachesTheWatchWithItsMeaningAndNoSecret() throws {
        var kiosk = try KioskProcess()
        defer { kiosk.cleanUp() }
        kiosk.environment["KIOSK_CARD_TOKEN_KEY"] = Self.tokenKey
        _ = try kiosk.file("till1.pub", Self.till.publicKey.raw.map { String(format: "%02x", $0) }.joined())
        let socket = kiosk.home + "/scan.sock"
        let config = try kiosk.file("kiosk.toml", "[receipts]\npublic_key_files = [\"till1.pub\"]\n[scanners]\ndev_socket = \"\(socket)\"\nhid_pos = false\n")
        let (watch, out, err) = try kiosk.start(["diag", "scanners", "--watch", "--json", "--count", "4", "--config", config])
        defer { if watch.isRunning { watch.terminate() } }
        let deadline = Date().addingTimeInterval(20)
        while !FileManager.default.fileExists(atPath: socket), Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        Thread.sleep(forTimeInterval: 0.1)
        #expect(try FileManager.default.attributesOfItem(atPath: socket)[.posixPermissions] as? Int == 0o600)

        let token = Self.member("M-1001").signed(with: Self.memberKey)
        let forged = token.replacingOccurrences(of: "M-1001", with: "M-1002")
        let receipt = try Self.till.payload(
            Receipt(pos: "pos-1", receiptID: "R1", branch: "main", issuedAt: 1_795_000_000, total: 500, lines: [ReceiptLine(productGroup: "g", amount: 500)]))
        for args in [["--aim", "]Q1", "https://kiosk.club/m?t=" + token], ["--aim", "]Q1", forged], ["--aim", "]C1", "0109521234543213{GS}10ABC"], [receipt]] {
            let sent = try kiosk.run(["sim", "scan", "--config", config] + args)
            #expect(sent.status == 0, "\(sent.stderr)")
        }
        let output = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let errors = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        watch.waitUntilExit()
        #expect(watch.terminationStatus == 0)
        let scans = lines(output).filter { $0["event"] as? String == "scan" }
        #expect(scans.compactMap { $0["meaning"] as? String } == [
            "member M-1001 (valid member link)",
            "refused: member.token: member token signature does not verify",
            "GS1 (01)09521234543213(10)ABC",
            "receipt pos-1/R1 (valid signature, branch main, total 500 Rial)",
        ])
        #expect(scans.compactMap { $0["symbology"] as? String }.prefix(3) == ["]Q1 (qr)", "]Q1 (qr)", "]C1 (code-128)"])
        #expect(scans[2]["hex"] as? String == "5d 43 31 30 31 30 39 35 32 31 32 33 34 35 34 33 32 31 33 1d 31 30 41 42 43")
        for signed in [token, forged, receipt] {
            let mac = String(signed.split(separator: ".").last!)
            #expect(!output.contains(mac) && !errors.contains(mac))
        }
    }

    @Test func aScanFedToARunningKioskIsLoggedByKindAndIdsOnly() throws {
        var kiosk = try KioskProcess()
        defer { kiosk.cleanUp() }
        kiosk.environment["KIOSK_CARD_TOKEN_KEY"] = Self.tokenKey
        let socket = kiosk.home + "/scan.sock"
        // The reader integration tests own the virtual readers: this kiosk must not touch them.
        let config = try kiosk.file("kiosk.toml", "[readers]\nallow = [\"no reader in this test\"]\n[scanners]\ndev_socket = \"\(socket)\"\nhid_pos = false\n")
        let (process, out, err) = try kiosk.start(["run", "--config", config])
        defer { if process.isRunning { process.terminate() } }
        let deadline = Date().addingTimeInterval(30)
        while !FileManager.default.fileExists(atPath: socket), Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        let token = Self.member("M-1001").signed(with: Self.memberKey)
        #expect(try kiosk.run(["sim", "scan", "--config", config, "--aim", "]Q1", token]).status == 0)
        #expect(try kiosk.run(["sim", "scan", "--config", config, "--aim", "]E0", "5901234123457"]).status == 0)
        Thread.sleep(forTimeInterval: 1)
        kill(process.processIdentifier, SIGTERM)
        process.waitUntilExit()
        _ = out.fileHandleForReading.readDataToEndOfFile()
        let log = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(process.terminationStatus == 0)
        #expect(log.contains("kiosk.scanners: scan") && log.contains("kind=member") && log.contains("member M-1001 (valid member token)"))
        #expect(log.contains("kind=product") && log.contains("EAN-13 5901234123457"))
        #expect(!log.contains(String(token.split(separator: ".").last!)))
    }

    /// An evemu file typing digits and Enter, 3 ms apart (microseconds without leading zeros,
    /// as umockdev reads them).
    static func evemu(digits: String) -> String {
        let codes: [Character: Int] = ["1": 2, "2": 3, "3": 4, "4": 5, "5": 6, "6": 7, "7": 8, "8": 9, "9": 10, "0": 11]
        var lines = ["# EVEMU 1.3"]
        var t = 300_000
        for code in digits.map({ codes[$0]! }) + [28] {
            for value in [1, 0] {
                lines.append("E: \(t / 1_000_000).\(t % 1_000_000) 0001 \(String(format: "%04x", code)) \(String(format: "%04x", value))")
                lines.append("E: \(t / 1_000_000).\(t % 1_000_000) 0000 0000 0000")
                t += 1_500
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/umockdev-run")))
    func aDeviceListedByItsUSBIdGetsItsOwnLayout() throws {
        let kiosk = try KioskProcess()
        defer { kiosk.cleanUp() }
        let usb = "/devices/pci0000:00/0000:00:14.0/usb1/1-1/1-1:1.0/input/input5"
        let description = try kiosk.file("scanner.umockdev", """
        P: \(usb)/event5
        N: input/event5
        E: ID_INPUT_KEYBOARD=1
        E: SUBSYSTEM=input
        A: dev=13:69

        P: \(usb)
        E: SUBSYSTEM=input
        A: name=Symbol Bar Code Scanner
        A: id/vendor=05e0
        A: id/product=1200

        """)
        let events = try kiosk.file("scan.events", Self.evemu(digits: "5901234123457"))
        let config = try kiosk.file("k.toml", "[scanners]\nhid_pos = false\n[scanners.devices.\"05e0:1200\"]\nlayout = \"fa\"\n")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/umockdev-run")
        process.arguments = ["-d", description, "-e", "/dev/input/event5=\(events)", "--", try ProductLocator.executable("kiosk"),
                             "diag", "scanners", "--watch", "--json", "--count", "1", "--config", config]
        process.environment = kiosk.environment
        let out = Pipe()
        process.standardOutput = out
        try process.run()
        let killer = DispatchWorkItem { if process.isRunning { process.terminate() } }
        DispatchQueue.global().asyncAfter(deadline: .now() + 20, execute: killer)
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        killer.cancel()
        let scan = lines(String(decoding: data, as: UTF8.self)).first { $0["event"] as? String == "scan" }
        // The Persian layout types Persian digits (two UTF-8 bytes each), read as the EAN-13.
        #expect((scan?["hex"] as? String)?.hasPrefix("db b5 db b9 db b0") == true)
        #expect(scan?["meaning"] as? String == "EAN-13 5901234123457 (GTIN 05901234123457)")
        let bad = try kiosk.run("config", "check", try kiosk.file("bad.toml", "[scanners.devices.\"scanner\"]\nlayout = \"fa\"\n[scanners.devices.\"05e0:1201\"]\nlayout = \"de\"\n"))
        #expect(bad.status == 65)
        #expect(bad.stderr.contains("is not a USB id") && bad.stderr.contains("expected us or fa"))
    }

    @Test func simScanWithoutADevelopmentSocketSaysSo() throws {
        let kiosk = try KioskProcess()
        defer { kiosk.cleanUp() }
        let result = try kiosk.run("sim", "scan", "5901234123457")
        #expect(result.status == 69)
        #expect(result.stderr.contains("scanners.dev_socket is not configured"))
        let bad = try kiosk.run("sim", "scan", "--socket", kiosk.home + "/none.sock", "--aim", "Q3", "x")
        #expect(bad.status == 64)
    }

    @Test func aBadScannerSettingIsAConfigurationError() throws {
        let kiosk = try KioskProcess()
        defer { kiosk.cleanUp() }
        let config = try kiosk.file("k.toml", "[scanners]\nlayout = \"de\"\nusb_ids = [\"05e0-1200\"]\n")
        let result = try kiosk.run("diag", "scanners", "--config", config)
        #expect(result.status == 65)
        #expect(result.stderr.contains("scanners.layout"))
        #expect(result.stderr.contains("scanners.usb_ids"))
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/umockdev-run")))
    func theListShowsWhichDevicesTheKioskUses() throws {
        let kiosk = try KioskProcess()
        defer { kiosk.cleanUp() }
        let usb = "/devices/pci0000:00/0000:00:14.0/usb1"
        let devices = """
        P: \(usb)/1-1/1-1:1.0/input/input5/event5
        N: input/event5
        E: ID_INPUT_KEYBOARD=1
        E: SUBSYSTEM=input
        A: dev=13:69

        P: \(usb)/1-1/1-1:1.0/input/input5
        E: SUBSYSTEM=input
        A: name=Symbol Bar Code Scanner
        A: id/vendor=05e0
        A: id/product=1200

        P: \(usb)/1-2/1-2:1.0/input/input6/event6
        N: input/event6
        E: ID_INPUT_KEYBOARD=1
        E: SUBSYSTEM=input
        A: dev=13:70

        P: \(usb)/1-2/1-2:1.0/input/input6
        E: SUBSYSTEM=input
        A: name=Office Keyboard
        A: id/vendor=046d
        A: id/product=c31c

        """
        let description = try kiosk.file("devices.umockdev", devices)
        let config = try kiosk.file("k.toml", "[scanners]\nusb_ids = [\"05e0:1200\"]\nkeypad = \"/dev/input/event6\"\nhid_pos = false\n")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/umockdev-run")
        process.arguments = ["-d", description, "--", try ProductLocator.executable("kiosk"), "diag", "scanners", "--json", "--config", config]
        process.environment = kiosk.environment
        let out = Pipe()
        process.standardOutput = out
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let list = try #require(try JSONSerialization.jsonObject(with: data) as? [[String: Any]])
        let evdev = list.filter { $0["kind"] as? String == "evdev" }
        #expect(evdev.compactMap { $0["device"] as? String } == ["/dev/input/event5", "/dev/input/event6"])
        #expect(evdev.compactMap { $0["use"] as? String } == ["used: scanner (grabbed)", "used: PIN keypad (grabbed only while a PIN is asked)"])
        #expect(evdev.first?["usbID"] as? String == "05e0:1200")
    }
}

extension KioskProcess {
    @discardableResult
    func run(_ arguments: [String]) throws -> Result {
        let (process, out, err) = try start(arguments)
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
                      stderr: String(decoding: stderr, as: UTF8.self))
    }
}
