import Foundation
import KioskRender

/// The Linux framebuffer: frames converted to the panel's pixel format (any 16/24/32-bit layout
/// from the channel offsets), rows at `line_length`, turned for a panel mounted sideways, and
/// either double-buffered by panning (when the virtual height holds two pages) or copied into
/// the visible buffer, dirty rectangle only.
public final class FramebufferBackend: DisplayBackend {
    public enum Mode: String, Sendable { case panning, backBuffer = "back-buffer" }

    public let info: FramebufferInfo
    public let rotation: Rotation
    public let mode: Mode
    let device: FramebufferDevice
    let memory: UnsafeMutableRawBufferPointer
    /// The page being shown (panning mode).
    public private(set) var visiblePage = 0
    private var previousDirty: PixelRect?
    private var presented = 0
    /// Bound on FBIO_WAITFORVSYNC; nil to not wait. Some drivers accept the call and never signal:
    /// after one timeout the backend stops waiting.
    public let vsyncTimeout: Double?
    public private(set) var vsyncGaveUp = false

    public init(device: FramebufferDevice, rotation: Rotation = .none, allowPanning: Bool = true,
                vsyncTimeout: Double? = nil) throws(DisplayError) {
        let info = try device.info()
        guard info.isSupported else { throw DisplayError(.unsupportedFormat, "unsupported pixel format \(info.formatName)") }
        guard info.memoryLength >= info.lineLength * info.height else {
            throw DisplayError(.map, "framebuffer memory \(info.memoryLength) bytes is smaller than one page")
        }
        self.info = info
        self.device = device
        self.rotation = rotation
        self.vsyncTimeout = vsyncTimeout
        mode = allowPanning && info.canPan ? .panning : .backBuffer
        memory = try device.map(length: info.memoryLength)
        visiblePage = mode == .panning ? min(1, info.yOffset / max(1, info.height)) : 0
    }

    deinit { device.unmap(memory) }

    public var size: (width: Int, height: Int) {
        rotation.swapsAxes ? (info.height, info.width) : (info.width, info.height)
    }

    public func present(_ frame: Canvas, dirty: PixelRect) throws(DisplayError) {
        guard frame.width == size.width, frame.height == size.height else {
            throw DisplayError(.sizeMismatch, "frame \(frame.width)x\(frame.height) on a \(size.width)x\(size.height) display")
        }
        let whole = frame.bounds
        let dirty = dirty.intersection(whole)
        switch mode {
        case .backBuffer:
            write(frame, presented == 0 ? whole : dirty, page: 0)
            waitForVSync()
        case .panning:
            // The back page last showed the frame before the previous one: it needs this frame's
            // changes and the previous frame's.
            let back = 1 - visiblePage
            let region = presented < 2 ? whole : dirty.union(previousDirty ?? whole)
            write(frame, region, page: back)
            waitForVSync()
            try device.pan(yOffset: back * info.height)
            visiblePage = back
            previousDirty = dirty
        }
        presented += 1
    }

    public func close() {}

    private func waitForVSync() {
        guard let timeout = vsyncTimeout, !vsyncGaveUp else { return }
        let done = DispatchSemaphore(value: 0)
        nonisolated(unsafe) let device = self.device
        Thread.detachNewThread {
            // A failed wait is like no wait: the frame is shown either way.
            _ = try? device.waitForVSync()
            done.signal()
        }
        if done.wait(timeout: .now() + timeout) == .timedOut { vsyncGaveUp = true }
    }

    /// Converts the region (frame coordinates) into the page, turned by the rotation.
    func write(_ frame: Canvas, _ region: PixelRect, page: Int) {
        guard !region.isEmpty else { return }
        let base = memory.baseAddress!.advanced(by: page * info.height * info.lineLength)
        let line = info.lineLength
        let bpp = info.bytesPerPixel
        let w = frame.width, h = frame.height
        let packer = Packer(info)
        frame.pixels.withUnsafeBufferPointer { src in
            if rotation == .none, packer.isXRGB8888 {
                for y in region.y..<region.maxY {
                    let row = base.advanced(by: y * line + region.x * 4)
                    row.copyMemory(from: src.baseAddress! + y * w + region.x, byteCount: region.width * 4)
                }
                return
            }
            for y in region.y..<region.maxY {
                for x in region.x..<region.maxX {
                    let (px, py): (Int, Int) = switch rotation {
                    case .none: (x, y)
                    case .clockwise90: (h - 1 - y, x)
                    case .clockwise180: (w - 1 - x, h - 1 - y)
                    case .clockwise270: (y, w - 1 - x)
                    }
                    packer.store(src[y * w + x], at: base.advanced(by: py * line + px * bpp))
                }
            }
        }
    }

    /// Packs 0xFFRRGGBB into the panel's layout (little-endian, as Linux framebuffers are on the kiosk's CPUs).
    struct Packer {
        let rShift: Int, gShift: Int, bShift: Int
        let rLoss: Int, gLoss: Int, bLoss: Int
        let bytes: Int
        let isXRGB8888: Bool

        init(_ info: FramebufferInfo) {
            rShift = info.red.offset; gShift = info.green.offset; bShift = info.blue.offset
            rLoss = 8 - info.red.length; gLoss = 8 - info.green.length; bLoss = 8 - info.blue.length
            bytes = info.bytesPerPixel
            isXRGB8888 = info.bitsPerPixel == 32 && info.formatName == "XRGB8888"
        }

        @inline(__always)
        func value(_ argb: UInt32) -> UInt32 {
            let r = (argb >> 16 & 0xFF) >> UInt32(rLoss), g = (argb >> 8 & 0xFF) >> UInt32(gLoss), b = (argb & 0xFF) >> UInt32(bLoss)
            return r << UInt32(rShift) | g << UInt32(gShift) | b << UInt32(bShift)
        }

        @inline(__always)
        func store(_ argb: UInt32, at pointer: UnsafeMutableRawPointer) {
            let v = value(argb)
            switch bytes {
            case 2: pointer.storeBytes(of: UInt16(truncatingIfNeeded: v).littleEndian, as: UInt16.self)
            case 4: pointer.storeBytes(of: v.littleEndian, as: UInt32.self)
            default:
                pointer.storeBytes(of: UInt8(v & 0xFF), as: UInt8.self)
                pointer.advanced(by: 1).storeBytes(of: UInt8(v >> 8 & 0xFF), as: UInt8.self)
                pointer.advanced(by: 2).storeBytes(of: UInt8(v >> 16 & 0xFF), as: UInt8.self)
            }
        }
    }
}

extension FramebufferBackend {
    /// What the panel shows now (the visible page), read back and turned upright: a screenshot.
    public func screenshot() throws(DisplayError) -> Canvas {
        let current = try device.info()
        let page = mode == .panning ? current.yOffset / max(1, info.height) : 0
        let physical = Canvas(width: info.width, height: info.height)
        var pixels = physical.pixels
        let base = memory.baseAddress!.advanced(by: page * info.height * info.lineLength)
        for y in 0..<info.height {
            for x in 0..<info.width {
                let p = base.advanced(by: y * info.lineLength + x * info.bytesPerPixel)
                var value: UInt32 = 0
                for i in 0..<info.bytesPerPixel { value |= UInt32(p.load(fromByteOffset: i, as: UInt8.self)) << UInt32(8 * i) }
                func channel(_ c: FramebufferInfo.Channel) -> UInt32 {
                    let raw = (value >> UInt32(c.offset)) & ((1 << UInt32(c.length)) - 1)
                    // Widen to 8 bits by repeating the top bits (31 → 255 for 5-bit red).
                    return c.length >= 8 ? raw : (raw << UInt32(8 - c.length)) | (raw >> UInt32(2 * c.length - 8 > 0 ? 2 * c.length - 8 : 0))
                }
                pixels[y * info.width + x] = 0xFF00_0000 | channel(info.red) << 16 | channel(info.green) << 8 | channel(info.blue)
            }
        }
        let upright = Canvas(width: info.width, height: info.height, pixels: pixels)
        // Turn back: the inverse of the mounting rotation.
        let inverse: Rotation = switch rotation {
        case .none: .none
        case .clockwise90: .clockwise270
        case .clockwise180: .clockwise180
        case .clockwise270: .clockwise90
        }
        return upright.rotated(inverse)
    }

    /// One line for people: geometry, format, line length, mode, rotation.
    public var summary: String {
        "\(info.width)x\(info.height) \(info.formatName), line_length \(info.lineLength), virtual height \(info.virtualHeight), "
            + "\(mode.rawValue), rotation \(rotation.rawValue), frames drawn at \(size.width)x\(size.height)"
    }
}
