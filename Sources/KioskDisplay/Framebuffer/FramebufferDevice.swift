#if canImport(Glibc)
import Glibc
#endif
import CFramebuffer
import Foundation

/// The thin layer under the framebuffer backend: the ioctls and the mapping. The Linux device
/// implements it with the real calls; tests use a regular file mapped the same way, of any geometry.
public protocol FramebufferDevice: AnyObject {
    func info() throws(DisplayError) -> FramebufferInfo
    /// The framebuffer memory, mapped shared.
    func map(length: Int) throws(DisplayError) -> UnsafeMutableRawBufferPointer
    /// FBIOPAN_DISPLAY to a y offset in the virtual framebuffer.
    func pan(yOffset: Int) throws(DisplayError)
    /// FBIO_WAITFORVSYNC (may block; the backend bounds it with a timeout).
    func waitForVSync() throws(DisplayError)
    func unmap(_ memory: UnsafeMutableRawBufferPointer)
}

/// `/dev/fbN` through its ioctls and mmap.
public final class LinuxFramebuffer: FramebufferDevice {
    public let path: String
    let fd: Int32

    public init(path: String = "/dev/fb0") throws(DisplayError) {
        self.path = path
        let fd = open(path, O_RDWR | O_CLOEXEC)
        guard fd >= 0 else { throw DisplayError(.open, "cannot open \(path)", errno: errno) }
        self.fd = fd
    }

    deinit { close(fd) }

    public func info() throws(DisplayError) -> FramebufferInfo {
        var v = fb_var_screeninfo()
        var f = fb_fix_screeninfo()
        guard kiosk_fb_get_vscreeninfo(fd, &v) == 0 else { throw DisplayError(.ioctl, "FBIOGET_VSCREENINFO on \(path)", errno: errno) }
        guard kiosk_fb_get_fscreeninfo(fd, &f) == 0 else { throw DisplayError(.ioctl, "FBIOGET_FSCREENINFO on \(path)", errno: errno) }
        func channel(_ b: fb_bitfield) -> FramebufferInfo.Channel { .init(offset: Int(b.offset), length: Int(b.length)) }
        return FramebufferInfo(width: Int(v.xres), height: Int(v.yres), virtualHeight: Int(v.yres_virtual),
                               bitsPerPixel: Int(v.bits_per_pixel), red: channel(v.red), green: channel(v.green),
                               blue: channel(v.blue), lineLength: Int(f.line_length), memoryLength: Int(f.smem_len),
                               yOffset: Int(v.yoffset))
    }

    public func map(length: Int) throws(DisplayError) -> UnsafeMutableRawBufferPointer {
        try mapShared(fd: fd, length: length, what: path)
    }

    public func pan(yOffset: Int) throws(DisplayError) {
        var v = fb_var_screeninfo()
        guard kiosk_fb_get_vscreeninfo(fd, &v) == 0 else { throw DisplayError(.ioctl, "FBIOGET_VSCREENINFO", errno: errno) }
        v.yoffset = UInt32(yOffset)
        v.xoffset = 0
        guard kiosk_fb_pan_display(fd, &v) == 0 else { throw DisplayError(.ioctl, "FBIOPAN_DISPLAY to \(yOffset)", errno: errno) }
    }

    public func waitForVSync() throws(DisplayError) {
        guard kiosk_fb_wait_for_vsync(fd) == 0 else { throw DisplayError(.ioctl, "FBIO_WAITFORVSYNC", errno: errno) }
    }

    public func unmap(_ memory: UnsafeMutableRawBufferPointer) { munmap(memory.baseAddress, memory.count) }
}

/// A framebuffer that is a regular file of the geometry given (for tests and `kiosk diag display --file`):
/// the same mmap as the device, the ioctls answered from `info`. Panning moves its y offset, kept
/// in `PATH.yoffset` as the kernel keeps it for a device, so that another process (a screenshot)
/// sees the page shown.
public final class FileFramebuffer: FramebufferDevice {
    public let path: String
    public private(set) var current: FramebufferInfo
    public private(set) var pans: [Int] = []
    /// When set, waitForVSync blocks for this many seconds (a driver that never signals).
    public var vsyncDelay: Double?
    let fd: Int32

    public init(path: String, info: FramebufferInfo) throws(DisplayError) {
        self.path = path
        current = info
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw DisplayError(.open, "cannot open \(path)", errno: errno) }
        guard ftruncate(fd, off_t(info.memoryLength)) == 0 else {
            close(fd)
            throw DisplayError(.open, "cannot size \(path)", errno: errno)
        }
        self.fd = fd
        if let text = try? String(contentsOfFile: path + ".yoffset", encoding: .utf8), let offset = Int(text),
           offset + info.height <= info.virtualHeight {
            current.yOffset = offset
        }
    }

    deinit { close(fd) }

    public func info() throws(DisplayError) -> FramebufferInfo { current }

    public func map(length: Int) throws(DisplayError) -> UnsafeMutableRawBufferPointer {
        try mapShared(fd: fd, length: length, what: path)
    }

    public func pan(yOffset: Int) throws(DisplayError) {
        guard yOffset + current.height <= current.virtualHeight else { throw DisplayError(.ioctl, "FBIOPAN_DISPLAY out of range", errno: EINVAL) }
        current.yOffset = yOffset
        pans.append(yOffset)
        do { try String(yOffset).write(toFile: path + ".yoffset", atomically: true, encoding: .utf8) } catch {
            throw DisplayError(.ioctl, "cannot record the pan offset of \(path)")
        }
    }

    public func waitForVSync() throws(DisplayError) {
        if let vsyncDelay { usleep(UInt32(vsyncDelay * 1_000_000)) }
    }

    public func unmap(_ memory: UnsafeMutableRawBufferPointer) { munmap(memory.baseAddress, memory.count) }
}

func mapShared(fd: Int32, length: Int, what: String) throws(DisplayError) -> UnsafeMutableRawBufferPointer {
    let address = mmap(nil, length, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0)
    guard let address, address != MAP_FAILED else { throw DisplayError(.map, "cannot map \(length) bytes of \(what)", errno: errno) }
    return UnsafeMutableRawBufferPointer(start: address, count: length)
}
