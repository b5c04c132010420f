import KioskScan
import Testing
@testable import KioskInput

/// HID POS report assembly on report bytes laid out as Honeywell documents them (umockdev here
/// cannot replay usbdevfs interrupt transfers without a recorded device: see docs/scanners.md).
@Suite struct HIDPOSAssemblerTests {
    /// A 64-byte report: id 2, length, AIM, data, continuation flag in byte 63.
    static func report(_ data: String, aim: String = "]E0", more: Bool = false) -> [UInt8] {
        var r = [UInt8](repeating: 0, count: 64)
        r[0] = 0x02
        let bytes = Array(data.utf8)
        r[1] = UInt8(bytes.count)
        for (i, b) in aim.utf8.enumerated() { r[2 + i] = b }
        for (i, b) in bytes.enumerated() { r[5 + i] = b }
        r[63] = more ? 1 : 0
        return r
    }

    @Test func oneReportIsOneScanWithItsAIMIdentifier() {
        var a = HIDPOSAssembler()
        #expect(a.report(Self.report("5901234123457"), at: .zero) == [.scan(Array("5901234123457".utf8), symbology: .ean13)])
    }

    @Test func continuationReportsAreJoined() {
        let data = String(repeating: "A", count: 56) + String(repeating: "B", count: 56) + "CD"
        let chunks = [String(data.prefix(56)), String(data.dropFirst(56).prefix(56)), String(data.dropFirst(112))]
        var a = HIDPOSAssembler()
        var out: [HIDPOSAssembler.Output] = []
        for (i, c) in chunks.enumerated() {
            out += a.report(Self.report(c, aim: i == 0 ? "]Q1" : "\0\0\0", more: i < 2), at: .milliseconds(i))
        }
        #expect(out == [.scan(Array(data.utf8), symbology: .qr)])
    }

    @Test func aContinuationThatNeverComesIsDiscardedNotHeld() {
        var a = HIDPOSAssembler(continuationTimeout: .milliseconds(100))
        #expect(a.report(Self.report("PART", more: true), at: .zero) == [])
        #expect(a.tick(at: .milliseconds(50)) == [])
        #expect(a.tick(at: .milliseconds(150)) == [.discarded("incomplete")])
        #expect(a.report(Self.report("NEXT"), at: .milliseconds(200)) == [.scan(Array("NEXT".utf8), symbology: .ean13)])
    }

    @Test func malformedReportsAreRefusedAndOtherReportIDsSkipped() {
        var a = HIDPOSAssembler()
        #expect(a.report([0x02, 0x05], at: .zero) == [.discarded("report of 2 bytes, the layout needs 64")])
        var bad = Self.report("X")
        bad[1] = 57
        #expect(a.report(bad, at: .zero) == [.discarded("length byte 57 beyond the report")])
        var other = Self.report("X")
        other[0] = 0x04
        #expect(a.report(other, at: .zero) == [])
        #expect(a.report(Self.report("", aim: "\0\0\0"), at: .zero) == [])
    }

    @Test func theBarCodeScannerUsagePageIsFoundInAReportDescriptor() {
        // Usage Page (0x8C) as 2 bytes, Usage (0x02), Collection (Application) …
        #expect(USBDevices.declaresBarCodeScannerPage([0x06, 0x8C, 0x00, 0x09, 0x02, 0xA1, 0x01, 0xC0]))
        #expect(USBDevices.declaresBarCodeScannerPage([0x05, 0x8C, 0x09, 0x02]))
        // A keyboard: Generic Desktop (0x01), Usage Keyboard.
        #expect(!USBDevices.declaresBarCodeScannerPage([0x05, 0x01, 0x09, 0x06, 0xA1, 0x01, 0x05, 0x07, 0xC0]))
        #expect(!USBDevices.declaresBarCodeScannerPage([0x06, 0x8C]))
        #expect(!USBDevices.declaresBarCodeScannerPage([0xFE, 0xFF]))
    }
}
