import Foundation
import Testing
@testable import KioskInput

/// A CDC-ACM scanner through a umockdev tty script: the port is a pty set to raw mode by the real
/// termios calls, the script plays the scanner's bytes with the recorded delays.
@Suite(.serialized, .enabled(if: Umockdev.available, "umockdev-run is not installed"))
struct SerialUmockdevTests {
    static let port = """
    P: /devices/pci0000:00/0000:00:14.0/usb1/1-3/1-3:1.0/tty/ttyACM0
    N: ttyACM0
    E: DEVNAME=/dev/ttyACM0
    E: SUBSYSTEM=tty
    A: dev=166:0

    P: /devices/pci0000:00/0000:00:14.0/usb1/1-3/1-3:1.0
    E: SUBSYSTEM=usb
    E: DEVTYPE=usb_interface
    A: bInterfaceClass=02

    P: /devices/pci0000:00/0000:00:14.0/usb1/1-3
    E: SUBSYSTEM=usb
    E: DEVTYPE=usb_device
    A: idVendor=0c2e
    A: idProduct=0b61
    A: product=Honeywell Serial Scanner
    A: manufacturer=Honeywell

    """

    @Test func discoveryFindsThePortAndItsUSBDevice() throws {
        var u = try Umockdev()
        try u.device(Self.port)
        let lines = try u.probe(["discover"])
        #expect(lines.count == 1)
        #expect(lines.first?["node"] as? String == "/dev/ttyACM0")
        #expect(lines.first?["usb"] as? String == "0c2e:0b61")
        #expect(lines.first?["name"] as? String == "Honeywell Serial Scanner")
    }

    @Test func scansFramedByTerminatorsArriveInOrderEvenSplitAcrossReads() throws {
        var u = try Umockdev()
        try u.device(Self.port)
        // ^M is CR, ^J LF (umockdev's script escaping); the second scan comes in two writes.
        try u.script("/dev/ttyACM0", """
        r 300 5901234123457^M^J
        r 50 ]Q3010952123454
        r 20 3213^M
        r 50 96385074^M
        """)
        let lines = try u.probe(["service", "--serial-glob", "/dev/ttyACM*", "--events", "3", "--timeout", "10"])
        let scans = lines.filter { $0["event"] as? String == "scan" }
        #expect(scans.compactMap { $0["text"] as? String } == ["5901234123457", "]Q30109521234543213", "96385074"])
        #expect(scans.compactMap { $0["meaning"] as? String }[1] == "GS1 (01)09521234543213")
        #expect(scans.allSatisfy { $0["source"] as? String == "serial" && $0["device"] as? String == "/dev/ttyACM0" })
    }

    @Test func withoutTerminatorAPauseFramesTheScan() throws {
        var u = try Umockdev()
        try u.device(Self.port)
        try u.script("/dev/ttyACM0", """
        r 300 ABCDEFGHJK
        r 400 5901234123457
        """)
        let lines = try u.probe(["service", "--serial-glob", "/dev/ttyACM*", "--serial-terminator", "none", "--events", "2", "--timeout", "10"])
        #expect(lines.filter { $0["event"] as? String == "scan" }.compactMap { $0["text"] as? String } == ["ABCDEFGHJK", "5901234123457"])
    }
}
