import CLibUSB

/// A failed libusb call: what was being done and libusb's error name.
public struct USBError: Error, Sendable, Hashable, CustomStringConvertible {
    public let operation: String
    public let code: Int32

    public init(_ operation: String, _ code: Int32) {
        self.operation = operation
        self.code = code
    }

    public var description: String { "\(operation): \(String(cString: libusb_error_name(code)))" }
    public var isDeviceGone: Bool { code == LIBUSB_ERROR_NO_DEVICE.rawValue || code == LIBUSB_ERROR_NOT_FOUND.rawValue }
    public var isTimeout: Bool { code == LIBUSB_ERROR_TIMEOUT.rawValue }
}
