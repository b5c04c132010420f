import Foundation
import Testing
@testable import KioskInput

/// libusb's enumeration against a umockdev USB device description (sysfs attributes and the
/// binary `descriptors` file libusb reads).
@Suite(.serialized, .enabled(if: Umockdev.available, "umockdev-run is not installed"))
struct USBUmockdevTests {
    /// A Honeywell-like HID POS scanner: device descriptor 0c2e:0b87, one configuration with one HID
    /// interface and its interrupt IN endpoint 0x81 (64 bytes).
    static let scanner = """
    P: /devices/pci0000:00/0000:00:14.0/usb1/1-4
    N: bus/usb/001/005
    E: DEVNAME=/dev/bus/usb/001/005
    E: DEVTYPE=usb_device
    E: SUBSYSTEM=usb
    E: BUSNUM=001
    E: DEVNUM=005
    A: idVendor=0c2e
    A: idProduct=0b87
    A: busnum=1
    A: devnum=5
    A: speed=12
    A: bConfigurationValue=1
    A: bNumConfigurations=1
    A: product=Honeywell HID POS
    A: manufacturer=Honeywell
    A: serial=21345B0123
    A: dev=189:4
    H: descriptors=12010002000000402E0C870B0001010203010902220001010080320904000001030000000921110100012220000705810340000001

    """

    @Test func libusbListsTheDeviceWithItsIdsStringsAndHIDInterface() throws {
        var u = try Umockdev()
        try u.device(Self.scanner)
        let lines = try u.probe(["usb-list"])
        #expect(lines.count == 1)
        let d = try #require(lines.first)
        #expect(d["usb"] as? String == "0c2e:0b87")
        #expect(d["location"] as? String == "1-4")
        #expect(d["product"] as? String == "Honeywell HID POS")
        #expect(d["manufacturer"] as? String == "Honeywell")
        #expect(d["serial"] as? String == "21345B0123")
        #expect(d["interfaces"] as? [String] == ["0:3"])
    }

    @Test func hidPOSReportsReplayedThroughUsbdevfsBecomeScansWithTheirAIMIdentifier() throws {
        var u = try Umockdev()
        try u.device(Self.scanner)
        let qr = String(repeating: "A", count: 56) + String(repeating: "B", count: 10)
        let reports = [HIDPOSAssemblerTests.report("5901234123457"),
                       HIDPOSAssemblerTests.report(String(qr.prefix(56)), aim: "]Q1", more: true),
                       HIDPOSAssemblerTests.report(String(qr.dropFirst(56)), aim: "\0\0\0")]
        let capture = u.directory.file("scanner.pcap")
        try USBMonCapture.pcap(reports: reports).write(to: URL(fileURLWithPath: capture))
        u.arguments += ["-p", "/sys/devices/pci0000:00/0000:00:14.0/usb1/1-4=\(capture)"]
        // After the capture's last report the device answers nothing more: the reader times its
        // transfers out and still stops when asked.
        let started = Date()
        let lines = try u.probe(["service", "--hid-usb", "0c2e:0b87", "--events", "3", "--timeout", "4"])
        #expect(Date().timeIntervalSince(started) < 15)
        let scans = lines.filter { $0["event"] as? String == "scan" }
        #expect(scans.compactMap { $0["text"] as? String } == ["5901234123457", qr])
        #expect(scans.compactMap { $0["aim"] as? String } == ["]E0", "]Q1"])
        #expect(scans.first?["meaning"] as? String == "EAN-13 5901234123457 (GTIN 05901234123457)")
        #expect(lines.first?["event"] as? String == "added")
        #expect(lines.contains { $0["event"] as? String == "removed" && $0["reason"] as? String == "stopped" })
    }

    @Test func aScannerThatFailsIsReportedOnceNotRetriedEverySecond() throws {
        // No usbdevfs replay: the first interrupt transfer fails. The reader reports it and leaves
        // the device alone until it is plugged again (no "added"/"removed" every second).
        var u = try Umockdev()
        try u.device(Self.scanner)
        let lines = try u.probe(["service", "--hid-usb", "0c2e:0b87", "--events", "1", "--timeout", "3.5"])
        #expect(lines.filter { $0["event"] as? String == "added" }.count == 1)
        let removed = lines.filter { $0["event"] as? String == "removed" }
        #expect(removed.count == 1)
        #expect((removed.first?["reason"] as? String)?.hasPrefix("libusb_") == true)
    }
}
