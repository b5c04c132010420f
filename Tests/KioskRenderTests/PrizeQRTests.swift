import Foundation
import KioskRender
import Testing

/// The prize screen's QR code of the spin's audit record, decoded from the rendered pixels by a
/// real QR reader (zbarimg, from Debian's zbar-tools) at every size the kiosk draws.
@Suite struct PrizeQRTests {
    static let audit = #"{"at":817204500,"eligible":[{"segment":"nothing","weight":50},{"segment":"points-20","weight":25},{"segment":"coins-10","weight":12},{"segment":"credit-100k","weight":8},{"segment":"voucher-50k","weight":4},{"segment":"mug","weight":1}],"excluded":[],"member":"m-ali","programVersion":"2026-11-a","roll":12,"segment":"nothing","total":100,"words":["1076cb00f52187e8"]}"#

    struct Size: Sendable, CustomStringConvertible {
        let width: Int, height: Int, locale: DisplayLocale
        var description: String { "\(width)x\(height) \(locale.rawValue)" }
    }

    static let sizes = [Size(width: 1920, height: 1080, locale: .faIR), Size(width: 1080, height: 1920, locale: .faIR),
                        Size(width: 800, height: 480, locale: .en), Size(width: 480, height: 800, locale: .faIR),
                        Size(width: 1280, height: 800, locale: .en)]

    /// The text zbarimg reads from a PNG (nil when it finds no code).
    static func decode(_ canvas: Canvas) throws -> String? {
        let path = NSTemporaryDirectory() + "prize-qr-\(UUID().uuidString).png"
        try Data(try PNGCodec.encode(canvas)).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/zbarimg")
        process.arguments = ["--quiet", "--raw", "-Sbinary", path]
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { return nil }
        return String(decoding: data, as: UTF8.self)
    }

    @Test(arguments: sizes)
    func theAuditRecordReadsBackFromTheScreen(_ size: Size) throws {
        let data = PrizeData(prize: size.locale == .faIR ? "۲۰ امتیاز" : "20 points", audit: Self.audit)
        let canvas = RenderFixtures.renderer.render(Frame(screen: .prize(data), locale: size.locale, width: size.width, height: size.height, time: 0))
        let read = try Self.decode(canvas)
        #expect(read?.trimmingCharacters(in: .newlines) == Self.audit, "\(size): \(read ?? "no QR code found")")
    }

    @Test func withoutAnAuditRecordThereIsNoCode() throws {
        let canvas = RenderFixtures.renderer.render(Frame(screen: .prize(PrizeData(prize: "20 points")), locale: .en, width: 800, height: 480, time: 0))
        #expect(try Self.decode(canvas) == nil)
    }

    @Test func theEncoderRefusesWhatNoQRCodeHolds() throws {
        #expect(throws: QRCode.Failure.tooLong(3_000)) { try QRCode(String(repeating: "a", count: 3_000)) }
        #expect(try QRCode("x").size == 21, "version 1 for one byte")
    }
}
