import ArgumentParser
import Foundation
import KioskConfig
import KioskInput
import KioskScan

/// `kiosk diag scanners`: every candidate scanner (evdev, serial, USB/HID POS) and whether the
/// kiosk uses it; `--watch` prints each scan with its bytes, symbology and meaning.
struct DiagScannersCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scanners",
        abstract: "List the barcode scanners and keypads (evdev, serial, USB) and whether the kiosk uses each; --watch for a live scan test.",
        discussion: """
            In watch mode each scan is shown as its bytes, its AIM symbology identifier and what it means; member \
            tokens and receipts are shown as valid or refused and why, never their bytes (a signed code). Typing on a \
            shared keyboard is counted, never shown. Scanners are grabbed while watched, as by the kiosk: stop the \
            kiosk service first.
            """)

    @Flag(help: "Print JSON (one object per line with --watch).")
    var json = false

    @Flag(help: "Keep watching: print every device event and scan until Ctrl-C.")
    var watch = false

    @Option(help: ArgumentHelp("With --watch: stop after this many scans.", valueName: "N"))
    var count: Int?

    @OptionGroup var options: CommonOptions

    struct Candidate: Encodable {
        var kind: String
        var device: String
        var name: String
        var usbID: String?
        var use: String
        var detail: String?
    }

    func run() async throws {
        let configuration = try options.loadConfiguration()
        let service = ScannerPolicy.service(configuration)
        let interpreter = try ScannerPolicy.interpreter(configuration)
        if watch {
            try await watchScans(service, interpreter: interpreter)
            return
        }
        let candidates = Self.candidates(service, keypad: configuration.scanners.keypad)
        if json {
            try printJSON(candidates)
        } else if candidates.isEmpty {
            print("no scanners, keyboards or serial ports")
        } else {
            for c in candidates {
                print("\(c.kind) \(c.device)  \(c.name)\(c.usbID.map { " [\($0)]" } ?? "")  \(c.use)\(c.detail.map { "  (\($0))" } ?? "")")
            }
        }
    }

    static func candidates(_ service: ScannerService.Configuration, keypad: String?) -> [Candidate] {
        var out: [Candidate] = []
        let keypadNodes = keypad.map { DeviceMatch(nodeGlobs: [$0]) }
        for d in InputDiscovery.devices(sysfs: service.sysfs) where d.isKeyboard || WedgeRule.rule(for: d, in: service.wedges) != nil {
            let use: String
            if let rule = WedgeRule.rule(for: d, in: service.wedges) {
                use = rule.configuration.role == .scanner ? "used: scanner (grabbed)" : "used: shared keyboard (not grabbed, scans by timing)"
            } else if keypadNodes?.matches(usbID: nil, name: "", node: d.node) == true {
                use = "used: PIN keypad (grabbed only while a PIN is asked)"
            } else {
                use = "not used"
            }
            out.append(Candidate(kind: "evdev", device: d.node, name: d.deviceName, usbID: d.usbID, use: use))
        }
        for d in SerialDiscovery.devices(sysfs: service.sysfs) {
            let used = SerialRule.rule(for: d, in: service.serial) != nil
            out.append(Candidate(kind: "serial", device: d.node, name: d.deviceName, usbID: d.usbID, use: used ? "used: serial scanner" : "not used",
                                 detail: d.manufacturer))
        }
        do {
            for d in try USBDevices.list() where !d.hidInterfaces.isEmpty {
                let byID = service.hidPOS?.usbIDs.contains(d.usbID) == true
                let use = byID ? "used: HID POS scanner" : (service.hidPOS?.byUsagePage == true ? "HID: used if it declares usage page 0x8C" : "not used")
                let detail = [d.manufacturer, d.serialNumber.map { "serial \($0)" },
                              "interfaces " + d.interfaces.map { "\($0.number):class \($0.interfaceClass)" }.joined(separator: ",")]
                    .compactMap { $0 }.joined(separator: "; ")
                out.append(Candidate(kind: "usb", device: "usb:" + d.location, name: d.product ?? "USB HID device", usbID: d.usbID, use: use, detail: detail))
            }
        } catch {
            out.append(Candidate(kind: "usb", device: "libusb", name: "USB devices not listed", usbID: nil, use: "unavailable", detail: "\(error)"))
        }
        if let socket = service.devSocket {
            out.append(Candidate(kind: "socket", device: socket, name: "development scan socket", usbID: nil, use: "used: kiosk sim scan"))
        }
        return out
    }

    private func watchScans(_ configuration: ScannerService.Configuration, interpreter: ScanInterpreter) async throws {
        let service = ScannerService(configuration: configuration)
        let signals = StopSignals { service.stop() }
        defer { signals.cancel() }
        var scans = 0
        for await event in service.events() {
            if case .scan(let scan) = event {
                let report = ScanReport(scan, interpreter: interpreter)
                if json { try printJSONLine(report) } else { print(report.text) }
                scans += 1
                if let count, scans >= count { service.stop() }
            } else if let line = ScannerEventLine(event) {
                if json { try printJSONLine(line) } else { print(line.text) }
            }
            fflush(nil)
        }
    }
}
