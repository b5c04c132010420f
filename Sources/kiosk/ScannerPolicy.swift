import Foundation
import KioskCards
import KioskConfig
import KioskInput
import KioskReceipts
import KioskScan

/// The scanner service's configuration and the scan interpreter's keys, from `[scanners]`,
/// `cards.token_key` and `receipts.key`.
enum ScannerPolicy {
    static func service(_ c: KioskConfiguration) -> ScannerService.Configuration {
        let s = c.scanners
        var wedge = WedgeConfiguration()
        wedge.layout = KeyMap(rawValue: s.layout) ?? .us
        wedge.terminator = WedgeConfiguration.Terminator(rawValue: s.terminator) ?? .enter
        wedge.prefix = Array(s.prefix.utf8)
        wedge.suffix = Array(s.suffix.utf8)
        wedge.interKeyTimeout = .milliseconds(s.interKeyTimeoutMilliseconds)
        wedge.role = s.grab ? .scanner : .shared
        // Per-device settings first: the first rule that matches a device is its rule.
        var rules = s.devices.sorted { $0.key < $1.key }.map { id, d in
            var c = wedge
            if let layout = d.layout.flatMap(KeyMap.init(rawValue:)) { c.layout = layout }
            if let t = d.terminator.flatMap(WedgeConfiguration.Terminator.init(rawValue:)) { c.terminator = t }
            if let prefix = d.prefix { c.prefix = Array(prefix.utf8) }
            if let suffix = d.suffix { c.suffix = Array(suffix.utf8) }
            if let ms = d.interKeyTimeoutMilliseconds { c.interKeyTimeout = .milliseconds(ms) }
            if let grab = d.grab { c.role = grab ? .scanner : .shared }
            return WedgeRule(match: DeviceMatch(usbIDs: [id]), configuration: c)
        }
        rules.append(WedgeRule(match: DeviceMatch(usbIDs: s.usbIDs, namePatterns: s.names, nodeGlobs: s.evdev), configuration: wedge))
        if !s.sharedKeyboards.isEmpty {
            var shared = wedge
            shared.role = .shared
            let ids = s.sharedKeyboards.filter(isUSBID)
            rules.append(WedgeRule(match: DeviceMatch(usbIDs: ids, namePatterns: s.sharedKeyboards.filter { !isUSBID($0) }), configuration: shared))
        }
        var serial = SerialFramer.Configuration()
        serial.terminator = SerialFramer.Configuration.Terminator(rawValue: s.serialTerminator) ?? .line
        let serialRules = s.serial.isEmpty ? [] : [SerialRule(match: DeviceMatch(nodeGlobs: s.serial), nodePatterns: s.serial, configuration: serial)]
        let hid = s.hidPOS || !s.hidPOSUSBIDs.isEmpty ? HIDPOSRule(usbIDs: s.hidPOSUSBIDs, byUsagePage: s.hidPOS) : nil
        return ScannerService.Configuration(wedges: rules, serial: serialRules, hidPOS: hid, devSocket: s.devSocket)
    }

    /// The interpreter with the configured keys, the same the readers and receipt commands use
    /// (either may be absent: such scans are refused as not configured).
    static func interpreter(_ c: KioskConfiguration) throws -> ScanInterpreter {
        let receipts = c.receipts.publicKeyFiles.isEmpty && c.receipts.key == nil ? nil : try ReceiptPolicy.verifier(c)
        return ScanInterpreter(memberKeys: try ReaderPolicy.tokenKeys(c), receipts: receipts)
    }

    static func isUSBID(_ s: String) -> Bool {
        let parts = s.split(separator: ":", omittingEmptySubsequences: false)
        return parts.count == 2 && parts.allSatisfy { $0.count == 4 && $0.allSatisfy(\.isHexDigit) }
    }

    static func effective(_ s: KioskConfiguration.Scanners) -> [(String, EffectiveConfiguration.Value)] {
        var values: [(String, EffectiveConfiguration.Value)] = [
            ("evdev", .strings(s.evdev)), ("grab", .bool(s.grab)), ("usb_ids", .strings(s.usbIDs)), ("names", .strings(s.names)),
            ("layout", .string(s.layout)), ("terminator", .string(s.terminator)), ("prefix", .string(s.prefix)),
            ("suffix", .string(s.suffix)), ("inter_key_timeout_ms", .int(s.interKeyTimeoutMilliseconds)),
            ("shared_keyboards", .strings(s.sharedKeyboards)), ("serial", .strings(s.serial)),
            ("serial_terminator", .string(s.serialTerminator)), ("hid_pos", .bool(s.hidPOS)),
            ("hid_pos_usb_ids", .strings(s.hidPOSUSBIDs)),
        ]
        values.append(("keypad", s.keypad.map { .string($0) } ?? .none))
        values.append(("dev_socket", s.devSocket.map { .string($0) } ?? .none))
        for (id, d) in s.devices.sorted(by: { $0.key < $1.key }) {
            var parts: [String] = []
            if let v = d.layout { parts.append("layout=\(v)") }
            if let v = d.terminator { parts.append("terminator=\(v)") }
            if let v = d.prefix { parts.append("prefix=\(v)") }
            if let v = d.suffix { parts.append("suffix=\(v)") }
            if let v = d.interKeyTimeoutMilliseconds { parts.append("inter_key_timeout_ms=\(v)") }
            if let v = d.grab { parts.append("grab=\(v)") }
            values.append(("devices.\(id)", .strings(parts)))
        }
        return values
    }
}
