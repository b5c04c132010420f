/// An evdev device as sysfs describes it.
public struct InputDeviceInfo: Sendable, Hashable, Codable {
    /// `/dev/input/event5`.
    public var node: String
    /// `event5`.
    public var name: String { String(node.split(separator: "/").last ?? "") }
    /// The name the device gives itself ("Symbol Bar Code Scanner").
    public var deviceName: String
    /// USB vendor and product id, lower-case hex (`05e0`, `1200`), when known.
    public var vendorID: String?
    public var productID: String?
    /// Whether the device has letter keys (a keyboard, or a scanner that emulates one).
    public var isKeyboard: Bool
    /// The sysfs path of its input device (`/sys/devices/…/input/input5`).
    public var sysfsPath: String

    public init(node: String, deviceName: String, vendorID: String?, productID: String?, isKeyboard: Bool, sysfsPath: String) {
        self.node = node
        self.deviceName = deviceName
        self.vendorID = vendorID
        self.productID = productID
        self.isKeyboard = isKeyboard
        self.sysfsPath = sysfsPath
    }

    /// `05e0:1200`, or nil.
    public var usbID: String? {
        guard let vendorID, let productID else { return nil }
        return vendorID + ":" + productID
    }
}
