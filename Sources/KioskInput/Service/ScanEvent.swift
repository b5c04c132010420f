import KioskScan

/// One scan from any source: which kind of source, which device, the bytes as received (without
/// terminator, prefix or suffix), the AIM symbology identifier when the source reports one apart
/// from the data (HID POS), and when it ended (the terminating key, report or byte), on the
/// monotonic clock of the process (`ContinuousClock`).
public struct Scan: Sendable, Hashable {
    public enum Source: String, Sendable, Hashable, Codable {
        case evdev, hidPOS = "hid-pos", serial, socket
    }

    public var source: Source
    /// The device: `/dev/input/event5`, `/dev/ttyACM0`, `usb:1-1`, the socket's path.
    public var device: String
    public var bytes: [UInt8]
    public var symbology: SymbologyIdentifier?
    public var at: ContinuousClock.Instant

    public init(source: Source, device: String, bytes: [UInt8], symbology: SymbologyIdentifier?, at: ContinuousClock.Instant) {
        self.source = source
        self.device = device
        self.bytes = bytes
        self.symbology = symbology
        self.at = at
    }

    /// The AIM identifier the source reported, or the one leading the data.
    public var effectiveSymbology: SymbologyIdentifier? { symbology ?? SymbologyIdentifier.split(bytes[...]).0 }
}

/// What the scanner service reports, in order.
public enum ScannerEvent: Sendable, Hashable {
    /// A device is used as a scanner (grabbed) or listened to (a shared keyboard).
    case deviceAdded(source: Scan.Source, device: String, description: String)
    /// A device went away or failed; a scan under way on it was discarded.
    case deviceRemoved(source: Scan.Source, device: String, reason: String)
    case scan(Scan)
    /// Keys or bytes that made no scan (typing on a shared keyboard, a broken scan), counted,
    /// never shown.
    case discarded(source: Scan.Source, device: String, reason: String, count: Int)
}
