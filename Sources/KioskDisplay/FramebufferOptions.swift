import KioskRender

/// Which framebuffer to open: the device, or a file of a given geometry (tests, previews).
public enum FramebufferTarget: Sendable {
    case device(String)
    case file(String, FramebufferInfo)

    public func open() throws(DisplayError) -> FramebufferDevice {
        switch self {
        case let .device(path): try LinuxFramebuffer(path: path)
        case let .file(path, info): try FileFramebuffer(path: path, info: info)
        }
    }
}
