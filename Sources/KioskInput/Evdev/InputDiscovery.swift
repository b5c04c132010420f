import Foundation

/// Finds evdev devices from sysfs: `/sys/class/input/event*`, the input device above each (its
/// `name`, `id/vendor`, `id/product`, `capabilities/key`) and udev's properties (the `uevent`
/// files, and udev's database in `/run/udev/data` where it exists).
public enum InputDiscovery {
    public static func devices(sysfs: String = "/sys", udevData: String = "/run/udev/data") -> [InputDeviceInfo] {
        let classDir = sysfs + "/class/input"
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: classDir) else { return [] }
        var found: [InputDeviceInfo] = []
        for entry in entries.sorted(by: Self.naturalOrder) where entry.hasPrefix("event") {
            let eventDir = URL(fileURLWithPath: classDir + "/" + entry).resolvingSymlinksInPath().path
            // umockdev does not create the `device` link: the input device is the directory above.
            let inputDir = (eventDir as NSString).deletingLastPathComponent
            var props = properties(eventDir + "/uevent")
            if let dev = read(eventDir + "/dev") { props.merge(udevProperties(udevData + "/c" + dev)) { a, _ in a } }
            let parentProps = properties(inputDir + "/uevent")
            let name = read(inputDir + "/name") ?? parentProps["NAME"].map { $0.trimmingCharacters(in: CharacterSet(charactersIn: "\"")) } ?? entry
            let vendor = read(inputDir + "/id/vendor") ?? props["ID_VENDOR_ID"]
            let product = read(inputDir + "/id/product") ?? props["ID_MODEL_ID"]
            let keyboard = props["ID_INPUT_KEYBOARD"] == "1" || hasLetterKeys(read(inputDir + "/capabilities/key"))
            found.append(InputDeviceInfo(node: "/dev/input/" + entry, deviceName: name, vendorID: vendor?.lowercased(),
                                         productID: product?.lowercased(), isKeyboard: keyboard, sysfsPath: inputDir))
        }
        return found
    }

    /// `KEY=VALUE` lines.
    static func properties(_ path: String) -> [String: String] {
        guard let text = read(path) else { return [:] }
        var props: [String: String] = [:]
        for line in text.split(separator: "\n") {
            let kv = line.split(separator: "=", maxSplits: 1)
            if kv.count == 2 { props[String(kv[0])] = String(kv[1]) }
        }
        return props
    }

    /// udev's database: `E:KEY=VALUE` lines.
    static func udevProperties(_ path: String) -> [String: String] {
        guard let text = read(path) else { return [:] }
        var props: [String: String] = [:]
        for line in text.split(separator: "\n") where line.hasPrefix("E:") {
            let kv = line.dropFirst(2).split(separator: "=", maxSplits: 1)
            if kv.count == 2 { props[String(kv[0])] = String(kv[1]) }
        }
        return props
    }

    /// `capabilities/key` is a bitmap in hex words, most significant first: does it have KEY_Q…KEY_P
    /// (16…25) and KEY_A…KEY_L (30…38)?
    static func hasLetterKeys(_ bitmap: String?) -> Bool {
        guard let bitmap else { return false }
        let words = bitmap.split(separator: " ").reversed().map { UInt64($0, radix: 16) ?? 0 }
        guard let low = words.first else { return false }
        let letters: UInt64 = (0x3FF << 16) | (0x1FF << 30)
        return low & letters == letters
    }

    static func read(_ path: String) -> String? {
        guard let data = FileManager.default.contents(atPath: path), let s = String(data: data, encoding: .utf8) else { return nil }
        return s.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    static func naturalOrder(_ a: String, _ b: String) -> Bool {
        let na = Int(a.drop(while: { !$0.isNumber })) ?? 0, nb = Int(b.drop(while: { !$0.isNumber })) ?? 0
        return na != nb ? na < nb : a < b
    }
}
