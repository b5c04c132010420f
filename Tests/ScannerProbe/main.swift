// A test helper run under umockdev by KioskInputTests: drives the real input layer against
// umockdev's fake sysfs and device nodes and prints one JSON line per event.
//
//   scanner-probe service --events N --timeout SECONDS [--wedge-usb ID] [--wedge-name GLOB] [--shared]
//                         [--layout us|fa] [--terminator enter|tab|none] [--prefix P] [--suffix S]
//                         [--serial-glob GLOB] [--serial-terminator line|none] [--hid-usb ID] [--inter-key-ms MS]
//   scanner-probe pin NODE EXPECTED_DIGITS --timeout SECONDS   (prints whether the PIN matched, never the PIN)
//   scanner-probe keypad-feed NODE --keys N --timeout SECONDS   (the keys the feed gave while taken)
//   scanner-probe discover
//   scanner-probe usb-list
import Foundation
import KioskInput
import KioskScan
import Synchronization

func value(_ name: String) -> String? {
    guard let i = CommandLine.arguments.firstIndex(of: name), i + 1 < CommandLine.arguments.count else { return nil }
    return CommandLine.arguments[i + 1]
}

func flag(_ name: String) -> Bool { CommandLine.arguments.contains(name) }

func printJSON(_ object: [String: Any]) {
    let data = try! JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
    FileHandle.standardOutput.write(data + Data("\n".utf8))
}

func hex(_ bytes: [UInt8]) -> String { bytes.map { String(format: "%02x", $0) }.joined() }

let args = CommandLine.arguments
switch args.count > 1 ? args[1] : "" {
case "discover":
    for d in InputDiscovery.devices() {
        printJSON(["node": d.node, "name": d.deviceName, "usb": d.usbID ?? "", "keyboard": d.isKeyboard])
    }
    for d in SerialDiscovery.devices() {
        printJSON(["node": d.node, "name": d.deviceName, "usb": d.usbID ?? ""])
    }
case "usb-list":
    do {
        for d in try USBDevices.list() {
            printJSON(["location": d.location, "usb": d.usbID, "product": d.product ?? "", "manufacturer": d.manufacturer ?? "",
                       "serial": d.serialNumber ?? "", "interfaces": d.interfaces.map { "\($0.number):\($0.interfaceClass)" }])
        }
    } catch {
        printJSON(["error": "\(error)"])
    }
case "pin":
    let keypad = PINKeypad(node: args[2])
    let expected = Array(args[3].utf8)
    do {
        var steps: [Int] = []
        let pin = try keypad.readPIN(timeout: .seconds(Int(value("--timeout") ?? "5")!), progress: { steps.append($0) })
        printJSON(["pin": "\(pin)", "matches": pin.withDigits { $0 == expected }, "progress": steps])
    } catch {
        printJSON(["error": error.description])
    }
case "keypad-feed":
    let keys = Mutex<[String]>([])
    let problems = Mutex<[String]>([])
    let feed = KeypadFeed(node: args[2], key: { key in
        let name: String
        switch key {
        case .digit(let d): name = "\(d)"
        case .enter: name = "enter"
        case .backspace: name = "backspace"
        case .cancel: name = "cancel"
        }
        keys.withLock { $0.append(name) }
    }, problem: { why in problems.withLock { $0.append(why) } })
    // Not taken: the device is not even opened.
    Thread.sleep(forTimeInterval: 0.5)
    let grabbedBefore = feed.isGrabbed
    feed.setTaken(true)
    let wanted = Int(value("--keys") ?? "1")!
    let deadline = Date().addingTimeInterval(Double(value("--timeout") ?? "5")!)
    var grabbedWhileTaken = false
    while keys.withLock({ $0.count }) < wanted && Date() < deadline {
        grabbedWhileTaken = grabbedWhileTaken || feed.isGrabbed
        Thread.sleep(forTimeInterval: 0.02)
    }
    feed.setTaken(false)
    let released = Date().addingTimeInterval(2)
    while feed.isGrabbed && Date() < released { Thread.sleep(forTimeInterval: 0.02) }
    let grabbedAfter = feed.isGrabbed
    feed.stop()
    printJSON(["keys": keys.withLock { $0 }, "problems": problems.withLock { $0 }, "grabbedBefore": grabbedBefore,
               "grabbedWhileTaken": grabbedWhileTaken, "grabbedAfter": grabbedAfter])
case "service":
    var wedges: [WedgeRule] = []
    var config = WedgeConfiguration()
    if let layout = value("--layout") { config.layout = KeyMap(rawValue: layout)! }
    if let t = value("--terminator") { config.terminator = WedgeConfiguration.Terminator(rawValue: t)! }
    if let p = value("--prefix") { config.prefix = Array(p.utf8) }
    if let s = value("--suffix") { config.suffix = Array(s.utf8) }
    if flag("--shared") { config.role = .shared }
    if let ms = value("--inter-key-ms") { config.interKeyTimeout = .milliseconds(Int(ms)!) }
    let usb = value("--wedge-usb").map { [$0] } ?? []
    let names = value("--wedge-name").map { [$0] } ?? []
    if !usb.isEmpty || !names.isEmpty { wedges.append(WedgeRule(match: DeviceMatch(usbIDs: usb, namePatterns: names), configuration: config)) }
    var serial: [SerialRule] = []
    if let glob = value("--serial-glob") {
        var sc = SerialFramer.Configuration()
        if let t = value("--serial-terminator") { sc.terminator = SerialFramer.Configuration.Terminator(rawValue: t)! }
        serial.append(SerialRule(nodePatterns: [glob], configuration: sc))
    }
    let hid = value("--hid-usb").map { HIDPOSRule(usbIDs: [$0], byUsagePage: false) }
    let service = ScannerService(configuration: .init(wedges: wedges, serial: serial, hidPOS: hid, devSocket: value("--socket"),
                                                      rescanInterval: .milliseconds(100)))
    let wanted = Int(value("--events") ?? "1")!
    let timeout = Double(value("--timeout") ?? "5")!
    let interpreter = ScanInterpreter()
    let done = DispatchSemaphore(value: 0)
    Task.detached {
        var seen = 0
        for await event in service.events() {
            switch event {
            case .deviceAdded(let source, let device, let description):
                printJSON(["event": "added", "source": source.rawValue, "device": device, "description": description])
            case .deviceRemoved(let source, let device, let reason):
                printJSON(["event": "removed", "source": source.rawValue, "device": device, "reason": reason])
            case .scan(let scan):
                printJSON(["event": "scan", "source": scan.source.rawValue, "device": scan.device, "hex": hex(scan.bytes),
                           "aim": scan.symbology.map { "\($0)" } ?? "",
                           "text": String(decoding: scan.bytes, as: UTF8.self),
                           "meaning": interpreter.interpret(scan.bytes, symbology: scan.symbology).summary])
                seen += 1
            case .discarded(let source, let device, let reason, let count):
                printJSON(["event": "discarded", "source": source.rawValue, "device": device, "reason": reason, "count": count])
            }
            if seen >= wanted { service.stop() }
        }
        printJSON(["event": "end"])
        done.signal()
    }
    if done.wait(timeout: .now() + timeout) == .timedOut {
        service.stop()
        _ = done.wait(timeout: .now() + 2)
    }
default:
    FileHandle.standardError.write("usage: scanner-probe service|pin|discover|usb-list …\n".data(using: .utf8)!)
    exit(64)
}
