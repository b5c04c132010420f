import Foundation
import KioskTestSupport
import Testing
@testable import KioskInput

/// A HID POS scanner pulled out while the reader holds it claimed, and plugged in again: a
/// umockdev testbed changed under the running service (`kiosk/dev/hotplug/umockdev-driver`),
/// libusb's usbdevfs ioctls answered from usbmon captures, udev's add and remove events sent to
/// libusb's monitor.
@Suite(.serialized, .enabled(if: UmockdevDriver.available, "python3-gi with umockdev's typelib is not installed"))
struct HIDPOSHotplugTests {
    static let sysfs = "/sys/devices/pci0000:00/0000:00:14.0/usb1/1-4"

    /// The scanner of `USBUmockdevTests` at bus address `address` (the kernel gives a device
    /// plugged in again the next address).
    static func scanner(address: Int) -> String {
        USBUmockdevTests.scanner
            .replacingOccurrences(of: "bus/usb/001/005", with: String(format: "bus/usb/001/%03d", address))
            .replacingOccurrences(of: "DEVNUM=005", with: String(format: "DEVNUM=%03d", address))
            .replacingOccurrences(of: "devnum=5", with: "devnum=\(address)")
            .replacingOccurrences(of: "dev=189:4", with: "dev=189:\(address - 1)")
    }

    @Test func aScannerUnpluggedWhileClaimedIsReportedOnceAndTakenAgainWhenItReturns() async throws {
        // The exchange blocks on the driver's pipes and waits between steps: on a thread of its
        // own, never on the cooperative pool.
        let lines = try await Task(executorPreference: DedicatedThreadExecutor(name: "hidpos-hotplug")) {
            try Self.unplugAndReturn()
        }.value
        let events = lines.map(\.event)
        #expect(events == [
            "added ",
            "scan 5901234123457",
            // Once, when the claimed scanner went: not again while libusb still lists it (the
            // two re-scans before udev's remove event), nor while it is away.
            "removed unplugged",
            // Back at a new address: taken again, and it scans.
            "added ",
            "scan 96385074",
            "removed stopped",
            "end ",
        ])
        #expect(lines.dropLast().allSatisfy { $0.device == "usb:1-4" })
    }

    /// Each line of the probe as its event and reason (or scanned text), and its device.
    static func unplugAndReturn() throws -> [(event: String, device: String)] {
        let dir = try TemporaryDirectory()
        let first = dir.file("scanner-5.umockdev"), again = dir.file("scanner-6.umockdev")
        try scanner(address: 5).write(toFile: first, atomically: true, encoding: .utf8)
        try scanner(address: 6).write(toFile: again, atomically: true, encoding: .utf8)
        let pulled = dir.file("pulled.pcap"), returned = dir.file("returned.pcap")
        try USBMonCapture.pcap(reports: [HIDPOSAssemblerTests.report("5901234123457")], device: 5, unplugged: true)
            .write(to: URL(fileURLWithPath: pulled))
        try USBMonCapture.pcap(reports: [HIDPOSAssemblerTests.report("96385074", aim: "]E4")], device: 6)
            .write(to: URL(fileURLWithPath: returned))

        let d = try ScannerHotplugTests.Driver(["service", "--hid-usb", "0c2e:0b87", "--events", "2", "--timeout", "40"])
        defer { if d.process.isRunning { d.process.terminate() } }
        var lines: [[String: Any]] = []
        func next() -> [String: Any]? {
            let line = d.next()
            if let line { lines.append(line) }
            return line
        }
        Thread.sleep(forTimeInterval: 0.3) // the service runs with no scanner
        d.send("add \(first)")
        d.send("pcap \(sysfs) \(pulled)")
        d.send("uevent \(sysfs) add")
        // Added, one scan, then the capture's next transfer ends with the device gone.
        for _ in 0..<3 { guard next() != nil else { return summary(lines) } }
        // udev's remove event comes late: libusb lists the scanner for two more re-scans, at the
        // address it had; the reader must neither take it nor report it again.
        Thread.sleep(forTimeInterval: 2.5)
        d.send("uevent \(sysfs) remove")
        d.send("remove \(sysfs)")
        Thread.sleep(forTimeInterval: 1.5)
        d.send("add \(again)")
        d.send("pcap \(sysfs) \(returned)")
        d.send("uevent \(sysfs) add")
        while let line = next(), line["event"] as? String != "end" {}
        d.stop()
        return summary(lines)
    }

    static func summary(_ lines: [[String: Any]]) -> [(event: String, device: String)] {
        lines.map { ("\($0["event"] as? String ?? "?") \($0["reason"] as? String ?? $0["text"] as? String ?? "")", $0["device"] as? String ?? "") }
    }
}
