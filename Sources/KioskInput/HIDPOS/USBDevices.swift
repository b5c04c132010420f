import CLibUSB

/// A USB device as libusb lists it (for diagnostics and for finding HID POS scanners).
public struct USBDeviceInfo: Sendable, Hashable, Codable {
    public struct Interface: Sendable, Hashable, Codable {
        public var number: Int
        public var interfaceClass: Int
        public var subclass: Int
        public var interruptIn: Int?
    }

    /// `1-1.2` (bus and port path).
    public var location: String
    public var vendorID: String
    public var productID: String
    public var manufacturer: String?
    public var product: String?
    public var serialNumber: String?
    public var interfaces: [Interface]

    public var usbID: String { vendorID + ":" + productID }
    public var hidInterfaces: [Interface] { interfaces.filter { $0.interfaceClass == 3 } }
}

/// A libusb context: created per use, released after.
final class USBContext {
    let context: OpaquePointer

    init() throws(USBError) {
        var ctx: OpaquePointer?
        let r = libusb_init(&ctx)
        guard r == 0, let ctx else { throw USBError("libusb_init", r) }
        context = ctx
    }

    deinit { libusb_exit(context) }

    /// Calls `body` with each device; the list is freed after.
    func withDevices<T>(_ body: ([OpaquePointer]) throws -> T) throws -> T {
        var list: UnsafeMutablePointer<OpaquePointer?>?
        let n = libusb_get_device_list(context, &list)
        guard n >= 0, let list else { throw USBError("libusb_get_device_list", Int32(n)) }
        defer { libusb_free_device_list(list, 1) }
        return try body((0..<n).compactMap { list[$0] })
    }
}

public enum USBDevices {
    /// Every USB device libusb sees, with its strings where the device can be opened.
    public static func list() throws -> [USBDeviceInfo] {
        let ctx = try USBContext()
        return try ctx.withDevices { devices in devices.compactMap(info) }
    }

    static func info(_ dev: OpaquePointer) -> USBDeviceInfo? {
        var desc = libusb_device_descriptor()
        guard libusb_get_device_descriptor(dev, &desc) == 0 else { return nil }
        var ports = [UInt8](repeating: 0, count: 8)
        let np = libusb_get_port_numbers(dev, &ports, Int32(ports.count))
        let path = np > 0 ? ports.prefix(Int(np)).map(String.init).joined(separator: ".") : "0"
        var info = USBDeviceInfo(location: "\(libusb_get_bus_number(dev))-\(path)", vendorID: hex4(desc.idVendor),
                                 productID: hex4(desc.idProduct), manufacturer: nil, product: nil, serialNumber: nil,
                                 interfaces: interfaces(dev))
        // The kernel's copy of the strings in sysfs first: no transfer to the device, and no need
        // to open it (permissions, a device busy elsewhere). Only a device without them is asked.
        let sysfs = "/sys/bus/usb/devices/" + info.location
        info.manufacturer = InputDiscovery.read(sysfs + "/manufacturer")
        info.product = InputDiscovery.read(sysfs + "/product")
        info.serialNumber = InputDiscovery.read(sysfs + "/serial")
        var handle: OpaquePointer?
        if info.product == nil, libusb_open(dev, &handle) == 0, let handle {
            defer { libusb_close(handle) }
            info.manufacturer = string(handle, desc.iManufacturer)
            info.product = string(handle, desc.iProduct)
            info.serialNumber = string(handle, desc.iSerialNumber)
        }
        return info
    }

    static func interfaces(_ dev: OpaquePointer) -> [USBDeviceInfo.Interface] {
        var config: UnsafeMutablePointer<libusb_config_descriptor>?
        guard libusb_get_active_config_descriptor(dev, &config) == 0, let config else { return [] }
        defer { libusb_free_config_descriptor(config) }
        var out: [USBDeviceInfo.Interface] = []
        for i in 0..<Int(config.pointee.bNumInterfaces) {
            let iface = config.pointee.interface[i]
            guard iface.num_altsetting > 0 else { continue }
            let alt = iface.altsetting[0]
            var interruptIn: Int?
            for e in 0..<Int(alt.bNumEndpoints) {
                let ep = alt.endpoint[e]
                if ep.bmAttributes & 0x03 == 0x03, ep.bEndpointAddress & 0x80 != 0 { interruptIn = Int(ep.bEndpointAddress); break }
            }
            out.append(.init(number: Int(alt.bInterfaceNumber), interfaceClass: Int(alt.bInterfaceClass),
                             subclass: Int(alt.bInterfaceSubClass), interruptIn: interruptIn))
        }
        return out
    }

    static func string(_ handle: OpaquePointer, _ index: UInt8) -> String? {
        guard index != 0 else { return nil }
        var buf = [UInt8](repeating: 0, count: 256)
        let n = libusb_get_string_descriptor_ascii(handle, index, &buf, Int32(buf.count))
        guard n > 0 else { return nil }
        return String(decoding: buf.prefix(Int(n)), as: UTF8.self)
    }

    static func hex4(_ v: UInt16) -> String {
        let s = String(v, radix: 16)
        return String(repeating: "0", count: 4 - s.count) + s
    }

    /// Whether a HID report descriptor declares the Bar Code Scanner usage page (0x8C): a Usage
    /// Page item of one (`05 8C`) or two bytes (`06 8C 00`).
    public static func declaresBarCodeScannerPage(_ descriptor: [UInt8]) -> Bool {
        var i = 0
        while i < descriptor.count {
            let prefix = descriptor[i]
            if prefix == 0xFE { // long item
                guard i + 1 < descriptor.count else { return false }
                i += 3 + Int(descriptor[i + 1])
                continue
            }
            let size = [0, 1, 2, 4][Int(prefix & 0x03)]
            guard i + size < descriptor.count else { return false }
            if prefix & 0xFC == 0x04 { // global Usage Page
                var page = 0
                for k in 0..<size { page |= Int(descriptor[i + 1 + k]) << (8 * k) }
                if page == 0x8C { return true }
            }
            i += 1 + size
        }
        return false
    }
}
