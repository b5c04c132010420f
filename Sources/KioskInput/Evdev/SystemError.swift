import Glibc

/// A failed system call: what was being done and errno.
public struct SystemError: Error, Sendable, Hashable, CustomStringConvertible {
    public let operation: String
    public let errno: Int32

    public init(_ operation: String, errno: Int32 = Glibc.errno) {
        self.operation = operation
        self.errno = errno
    }

    public var description: String { "\(operation): \(String(cString: strerror(errno))) (errno \(errno))" }

    /// The device is gone (unplugged).
    public var isDeviceGone: Bool { errno == ENODEV || errno == EIO || errno == ENXIO || errno == ENOENT }
}

/// Retries a system call interrupted by a signal; throws with `operation` on any other failure.
@discardableResult
func retryingEINTR(_ operation: String, _ call: () -> Int) throws(SystemError) -> Int {
    while true {
        let r = call()
        if r >= 0 { return r }
        if errno == EINTR { continue }
        throw SystemError(operation)
    }
}
