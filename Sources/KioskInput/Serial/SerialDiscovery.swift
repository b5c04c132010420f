import Foundation

/// A CDC-ACM (or USB serial) port as sysfs describes it.
public struct SerialDeviceInfo: Sendable, Hashable, Codable {
    public var node: String
    public var deviceName: String
    public var vendorID: String?
    public var productID: String?
    public var manufacturer: String?
    public var serialNumber: String?

    public var usbID: String? {
        guard let vendorID, let productID else { return nil }
        return vendorID + ":" + productID
    }
}

/// Finds `/sys/class/tty/ttyACM*` (and `ttyUSB*`) and the USB device above each: the interface is
/// two directories up from the tty's own, the device three.
public enum SerialDiscovery {
    public static func devices(sysfs: String = "/sys") -> [SerialDeviceInfo] {
        let classDir = sysfs + "/class/tty"
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: classDir) else { return [] }
        return entries.filter { $0.hasPrefix("ttyACM") || $0.hasPrefix("ttyUSB") }.sorted(by: InputDiscovery.naturalOrder).map { entry in
            let ttyDir = URL(fileURLWithPath: classDir + "/" + entry).resolvingSymlinksInPath()
            var dir = ttyDir.deletingLastPathComponent() // …/1-1:1.0/tty
            var usb: URL?
            for _ in 0..<4 {
                dir = dir.deletingLastPathComponent()
                if InputDiscovery.read(dir.path + "/idVendor") != nil { usb = dir; break }
            }
            let attr = { (name: String) in usb.flatMap { InputDiscovery.read($0.path + "/" + name) } }
            return SerialDeviceInfo(node: "/dev/" + entry, deviceName: attr("product") ?? entry, vendorID: attr("idVendor")?.lowercased(),
                                    productID: attr("idProduct")?.lowercased(), manufacturer: attr("manufacturer"), serialNumber: attr("serial"))
        }
    }
}

/// A serial rule: the ports it takes and how they frame scans.
public struct SerialRule: Sendable, Hashable {
    public var match: DeviceMatch
    /// Ports taken by node name glob as well (`/dev/ttyACM*`).
    public var nodePatterns: [String]
    public var configuration: SerialFramer.Configuration

    public init(match: DeviceMatch = DeviceMatch(), nodePatterns: [String] = [], configuration: SerialFramer.Configuration = .init()) {
        self.match = match
        self.nodePatterns = nodePatterns
        self.configuration = configuration
    }

    public static func rule(for device: SerialDeviceInfo, in rules: [SerialRule]) -> SerialRule? {
        rules.first { r in
            r.match.matches(usbID: device.usbID, name: device.deviceName, node: device.node) || DeviceMatch(namePatterns: r.nodePatterns).matches(usbID: nil, name: device.node)
        }
    }
}
