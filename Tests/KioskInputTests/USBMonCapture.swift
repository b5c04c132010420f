import Foundation

/// A usbmon capture (pcap, link type 220 `USB_LINUX_MMAPPED`) of a HID POS scanner's interrupt
/// reports, as `usbmon` would record them: for each report a submit ('S') of a 64-byte interrupt
/// IN transfer on endpoint 0x81 and its completion ('C') with the report. umockdev replays such a
/// capture to libusb's usbdevfs ioctls (`umockdev-run -p SYSFS=FILE`).
enum USBMonCapture {
    /// With `unplugged`, the capture ends as usbmon records a device pulled out while claimed: the
    /// next interrupt transfer completes with `-ESHUTDOWN` (the URBs the kernel kills on disconnect).
    static func pcap(reports: [[UInt8]], bus: UInt16 = 1, device: UInt8 = 5, unplugged: Bool = false) -> Data {
        var out = Data()
        func le<T: FixedWidthInteger>(_ v: T) { withUnsafeBytes(of: v.littleEndian) { out.append(contentsOf: $0) } }
        // pcap global header: magic, version 2.4, zone, sigfigs, snaplen, link type 220.
        le(UInt32(0xA1B2_C3D4)); le(UInt16(2)); le(UInt16(4)); le(Int32(0)); le(UInt32(0)); le(UInt32(65_535)); le(UInt32(220))
        var time: Int64 = 1_000_000
        var id: UInt64 = 0x1000
        let eshutdown: Int32 = -108
        for (index, report) in (reports + (unplugged ? [[]] : [])).enumerated() {
            let status = index == reports.count ? eshutdown : 0
            for submit in [true, false] {
                let data = submit ? [] : report
                var packet = Data()
                func p<T: FixedWidthInteger>(_ v: T) { withUnsafeBytes(of: v.littleEndian) { packet.append(contentsOf: $0) } }
                p(id)
                packet.append(submit ? UInt8(ascii: "S") : UInt8(ascii: "C"))
                packet.append(1)          // interrupt
                packet.append(0x81)       // endpoint 1 IN
                packet.append(device)
                p(bus)
                packet.append(UInt8(ascii: "-")) // no setup packet
                packet.append(submit ? UInt8(ascii: "<") : 0) // data flag: 0 = data present
                p(time / 1_000_000); p(Int32(time % 1_000_000))
                p(submit ? Int32(0) : status) // status
                p(UInt32(64))             // URB length
                p(UInt32(data.count))     // captured data length
                packet.append(contentsOf: [UInt8](repeating: 0, count: 8))
                p(Int32(1)); p(Int32(0)); p(UInt32(0)); p(UInt32(0)) // interval, start frame, flags, ndesc
                packet.append(contentsOf: data)
                le(UInt32(time / 1_000_000)); le(UInt32(time % 1_000_000)); le(UInt32(packet.count)); le(UInt32(packet.count))
                out.append(packet)
                time += 1_000
            }
            id += 0x100
        }
        return out
    }
}
