import Foundation
import KioskDisplay
import KioskRender
import KioskTestSupport
import Testing

/// The framebuffer backend on real mmapped files of the framebuffer's geometry, read back
/// independently of the backend and decoded by the channel offsets.
@Suite struct FramebufferTests {
    /// A picture where every pixel differs: position in red/green, a stripe pattern in blue.
    static func pattern(_ width: Int, _ height: Int) -> Canvas {
        var canvas = Canvas(width: width, height: height)
        for y in 0..<height {
            for x in 0..<width {
                canvas.fill(PixelRect(x: x, y: y, width: 1, height: 1),
                            Color(r: UInt8(x * 255 / max(1, width - 1)), g: UInt8(y * 255 / max(1, height - 1)), b: UInt8((x * 7 + y * 13) & 0xFF)))
            }
        }
        return canvas
    }

    /// Reads pixel (x, y) of a page from the file and decodes it to 8-bit channels.
    static func read(_ bytes: [UInt8], _ info: FramebufferInfo, x: Int, y: Int, page: Int = 0) -> (UInt8, UInt8, UInt8) {
        let offset = (page * info.height + y) * info.lineLength + x * info.bytesPerPixel
        var value: UInt32 = 0
        for i in 0..<info.bytesPerPixel { value |= UInt32(bytes[offset + i]) << UInt32(8 * i) }
        func channel(_ c: FramebufferInfo.Channel) -> UInt8 {
            let raw = (value >> UInt32(c.offset)) & ((1 << UInt32(c.length)) - 1)
            return UInt8(raw << UInt32(8 - c.length))
        }
        return (channel(info.red), channel(info.green), channel(info.blue))
    }

    static func quantized(_ color: Color, _ info: FramebufferInfo) -> (UInt8, UInt8, UInt8) {
        func q(_ v: UInt8, _ length: Int) -> UInt8 { (v >> UInt8(8 - length)) << UInt8(8 - length) }
        return (q(color.r, info.red.length), q(color.g, info.green.length), q(color.b, info.blue.length))
    }

    @Test(arguments: FramebufferInfo.Layout.allCases)
    func everyPixelLandsInThePanelsFormatAtItsLineLength(layout: FramebufferInfo.Layout) throws {
        let directory = try TemporaryDirectory()
        // 37 pixels wide with 10 bytes of padding per row: line_length is not width × bytes per pixel.
        let info = FramebufferInfo.make(layout, width: 37, height: 23, extraBytesPerLine: 10)
        let device = try FileFramebuffer(path: directory.file("fb"), info: info)
        let backend = try FramebufferBackend(device: device)
        #expect(backend.mode == .backBuffer)
        let frame = Self.pattern(37, 23)
        try backend.present(frame, dirty: frame.bounds)
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: directory.file("fb"))))
        for y in 0..<23 {
            for x in 0..<37 {
                let got = Self.read(bytes, info, x: x, y: y)
                let want = Self.quantized(frame.pixel(x: x, y: y), info)
                #expect(got == want, "pixel \(x),\(y)")
            }
            // The padding at the end of each row is never written.
            let padding = bytes[(y * info.lineLength + 37 * info.bytesPerPixel)..<((y + 1) * info.lineLength)]
            #expect(padding.allSatisfy { $0 == 0 })
        }
    }

    @Test(arguments: Rotation.allCases)
    func aPanelMountedSidewaysShowsThePictureTurned(rotation: Rotation) throws {
        let directory = try TemporaryDirectory()
        let (pw, ph) = (24, 16)  // the physical panel
        let info = FramebufferInfo.make(.xrgb8888, width: pw, height: ph, extraBytesPerLine: 12)
        let device = try FileFramebuffer(path: directory.file("fb"), info: info)
        let backend = try FramebufferBackend(device: device, rotation: rotation)
        let (lw, lh) = backend.size
        #expect(rotation.swapsAxes ? (lw, lh) == (ph, pw) : (lw, lh) == (pw, ph))
        let frame = Self.pattern(lw, lh)
        try backend.present(frame, dirty: frame.bounds)
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: directory.file("fb"))))
        // The picture's top-left corner: top-left, top-right, bottom-right, bottom-left of the panel.
        let corner: (Int, Int) = switch rotation {
        case .none: (0, 0)
        case .clockwise90: (pw - 1, 0)
        case .clockwise180: (pw - 1, ph - 1)
        case .clockwise270: (0, ph - 1)
        }
        #expect(Self.read(bytes, info, x: corner.0, y: corner.1) == Self.quantized(frame.pixel(x: 0, y: 0), info))
        // And every pixel matches the canvas turned the same way.
        let turned = frame.rotated(rotation)
        for y in 0..<ph {
            for x in 0..<pw { #expect(Self.read(bytes, info, x: x, y: y) == Self.quantized(turned.pixel(x: x, y: y), info)) }
        }
    }

    @Test func withRoomForTwoPagesFramesAlternateByPanningAndEachPageIsWhole() throws {
        let directory = try TemporaryDirectory()
        let info = FramebufferInfo.make(.rgb565, width: 40, height: 30, pages: 2, extraBytesPerLine: 6)
        let device = try FileFramebuffer(path: directory.file("fb"), info: info)
        let backend = try FramebufferBackend(device: device)
        #expect(backend.mode == .panning)
        var frame = Canvas(width: 40, height: 30, fill: Color(r: 200, g: 0, b: 0))
        try backend.present(frame, dirty: frame.bounds)
        try backend.present(frame, dirty: frame.bounds)
        // Two small changes, each presented with only its own dirty rectangle.
        let first = PixelRect(x: 2, y: 2, width: 5, height: 5)
        frame.fill(first, Color(r: 0, g: 0, b: 255))
        try backend.present(frame, dirty: first)
        let second = PixelRect(x: 30, y: 20, width: 6, height: 6)
        frame.fill(second, Color(r: 0, g: 255, b: 0))
        try backend.present(frame, dirty: second)
        #expect(device.pans == [30, 0, 30, 0])
        #expect(backend.visiblePage == 0)
        // The page on screen shows the whole latest frame: the first change too, although the
        // page it was drawn on was the other one.
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: directory.file("fb"))))
        for y in 0..<30 {
            for x in 0..<40 {
                #expect(Self.read(bytes, info, x: x, y: y, page: 0) == Self.quantized(frame.pixel(x: x, y: y), info), "pixel \(x),\(y)")
            }
        }
    }

    @Test func withoutRoomToPanOnlyTheDirtyRectangleIsCopied() throws {
        let directory = try TemporaryDirectory()
        let info = FramebufferInfo.make(.xrgb8888, width: 32, height: 20)
        let device = try FileFramebuffer(path: directory.file("fb"), info: info)
        let backend = try FramebufferBackend(device: device)
        var frame = Canvas(width: 32, height: 20, fill: .white)
        try backend.present(frame, dirty: frame.bounds)
        // Something else scribbles on the panel outside the coming dirty rectangle.
        let handle = try FileHandle(forUpdating: URL(fileURLWithPath: directory.file("fb")))
        try handle.seek(toOffset: UInt64(19 * info.lineLength))
        try handle.write(contentsOf: Data(repeating: 0x11, count: 4))
        try handle.close()
        let dirty = PixelRect(x: 4, y: 4, width: 8, height: 3)
        frame.fill(PixelRect(x: 0, y: 0, width: 32, height: 20), .black)  // the whole frame changes…
        try backend.present(frame, dirty: dirty)                          // …but only this is said to have
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: directory.file("fb"))))
        #expect(Self.read(bytes, info, x: 5, y: 5) == (0, 0, 0))
        #expect(Self.read(bytes, info, x: 0, y: 0) == (255, 255, 255))
        #expect(Self.read(bytes, info, x: 0, y: 19) == (0x11, 0x11, 0x11))
        #expect(device.pans.isEmpty)
    }

    @Test func aDriverThatNeverSignalsVSyncIsWaitedForOnceThenNoMore() throws {
        let directory = try TemporaryDirectory()
        let device = try FileFramebuffer(path: directory.file("fb"), info: .make(.xrgb8888, width: 8, height: 8))
        device.vsyncDelay = 30
        let backend = try FramebufferBackend(device: device, vsyncTimeout: 0.05)
        let frame = Canvas(width: 8, height: 8)
        try backend.present(frame, dirty: frame.bounds)
        #expect(backend.vsyncGaveUp)
        try backend.present(frame, dirty: frame.bounds)
    }

    @Test func aFrameOfTheWrongSizeIsRefused() throws {
        let directory = try TemporaryDirectory()
        let device = try FileFramebuffer(path: directory.file("fb"), info: .make(.xrgb8888, width: 8, height: 8))
        let backend = try FramebufferBackend(device: device, rotation: .clockwise90)
        #expect(throws: DisplayError.self) { try backend.present(Canvas(width: 9, height: 8), dirty: PixelRect(x: 0, y: 0, width: 1, height: 1)) }
    }

    @Test func anUnsupportedPixelFormatIsAClearError() throws {
        let directory = try TemporaryDirectory()
        var info = FramebufferInfo.make(.xrgb8888, width: 8, height: 8)
        info.bitsPerPixel = 8
        let device = try FileFramebuffer(path: directory.file("fb"), info: info)
        #expect(throws: DisplayError.self) { try FramebufferBackend(device: device) }
    }
}
