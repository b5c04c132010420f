import Foundation

/// The `[scanners]` keys beyond `evdev` and `grab` (docs/scanners.md).
enum ScannerSettings {
    static func load(_ section: Section, into s: inout KioskConfiguration.Scanners, base: String, context: Context) {
        if let ids = section.strings("usb_ids") { s.usbIDs = checkedIDs(ids, key: "scanners.usb_ids", context) }
        if let names = section.strings("names") { s.names = names }
        if let layout = layout(section, "scanners", context) { s.layout = layout }
        if let t = terminator(section, "scanners", context) { s.terminator = t }
        if let prefix = section.string("prefix") { s.prefix = prefix }
        if let suffix = section.string("suffix") { s.suffix = suffix }
        if let ms = section.int("inter_key_timeout_ms", in: 10...5_000) { s.interKeyTimeoutMilliseconds = ms }
        if let shared = section.strings("shared_keyboards") { s.sharedKeyboards = shared }
        if let serial = section.strings("serial") { s.serial = serial }
        if let t = section.string("serial_terminator") {
            if ["line", "none"].contains(t) { s.serialTerminator = t } else { context.report("scanners.serial_terminator", "expected line or none, not \"\(t)\"") }
        }
        if let hid = section.bool("hid_pos") { s.hidPOS = hid }
        if let ids = section.strings("hid_pos_usb_ids") { s.hidPOSUSBIDs = checkedIDs(ids, key: "scanners.hid_pos_usb_ids", context) }
        if let keypad = section.string("keypad", nonEmpty: true) { s.keypad = keypad }
        if let socket = section.path("dev_socket", base: base) { s.devSocket = socket }
        if let devices = section.section("devices") {
            for id in devices.table.keys.sorted() {
                guard let d = devices.section(id) else { continue }
                let name = "scanners.devices.\"\(id)\""
                guard isUSBID(id) else {
                    context.report(name, "\"\(id)\" is not a USB id vvvv:pppp in hex")
                    continue
                }
                var device = KioskConfiguration.Scanners.Device()
                device.layout = layout(d, name, context)
                device.terminator = terminator(d, name, context)
                device.prefix = d.string("prefix")
                device.suffix = d.string("suffix")
                device.interKeyTimeoutMilliseconds = d.int("inter_key_timeout_ms", in: 10...5_000)
                device.grab = d.bool("grab")
                d.finish()
                s.devices[id.lowercased()] = device
            }
            devices.finish()
        }
    }

    private static func layout(_ section: Section, _ name: String, _ context: Context) -> String? {
        guard let layout = section.string("layout") else { return nil }
        guard ["us", "fa"].contains(layout) else {
            context.report(name + ".layout", "expected us or fa, not \"\(layout)\"")
            return nil
        }
        return layout
    }

    private static func terminator(_ section: Section, _ name: String, _ context: Context) -> String? {
        guard let t = section.string("terminator") else { return nil }
        guard ["enter", "tab", "none"].contains(t) else {
            context.report(name + ".terminator", "expected enter, tab or none, not \"\(t)\"")
            return nil
        }
        return t
    }

    /// `vvvv:pppp` in hex.
    static func isUSBID(_ s: String) -> Bool {
        let parts = s.split(separator: ":", omittingEmptySubsequences: false)
        return parts.count == 2 && parts.allSatisfy { $0.count == 4 && $0.allSatisfy(\.isHexDigit) }
    }

    private static func checkedIDs(_ ids: [String], key: String, _ context: Context) -> [String] {
        for id in ids where !isUSBID(id) { context.report(key, "\"\(id)\" is not a USB id vvvv:pppp in hex") }
        return ids.filter(isUSBID).map { $0.lowercased() }
    }
}
