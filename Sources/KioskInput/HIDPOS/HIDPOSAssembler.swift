import KioskScan

/// Assembles a HID POS scanner's input reports into scans: the data of each report, joined while
/// the continuation flag is set, with the AIM identifier of the first. Pure; every report gives
/// an output or nothing, malformed ones a typed refusal; a continuation that does not come within
/// `continuationTimeout` is discarded (`tick(at:)`), so a device that stops answering mid-scan
/// leaves nothing half-read.
public struct HIDPOSAssembler: Sendable {
    public enum Output: Sendable, Hashable {
        case scan([UInt8], symbology: SymbologyIdentifier?)
        case discarded(String)
    }

    public let layout: HIDPOSReportLayout
    public let continuationTimeout: Duration
    public let maxLength: Int
    private var buffer: [UInt8] = []
    private var aim: SymbologyIdentifier?
    private var pendingSince: Duration?

    public init(layout: HIDPOSReportLayout = .honeywell, continuationTimeout: Duration = .milliseconds(500), maxLength: Int = 4_096) {
        self.layout = layout
        self.continuationTimeout = continuationTimeout
        self.maxLength = maxLength
    }

    public var deadline: Duration? { pendingSince.map { $0 + continuationTimeout } }

    public mutating func report(_ report: [UInt8], at time: Duration) -> [Output] {
        var out = tick(at: time)
        guard report.count >= layout.minimumReportLength else {
            out.append(.discarded("report of \(report.count) bytes, the layout needs \(layout.minimumReportLength)"))
            return out
        }
        if let id = layout.reportID, report[0] != id { return out } // another report (status, LEDs)
        let length = Int(report[layout.lengthOffset])
        guard length <= layout.dataCapacity, layout.dataOffset + length <= report.count else {
            out.append(.discarded("length byte \(length) beyond the report"))
            clear()
            return out
        }
        if pendingSince == nil {
            let a = report[layout.aimOffset..<(layout.aimOffset + 3)]
            aim = a.first == 0x5D ? SymbologyIdentifier(code: a[a.startIndex + 1], modifier: a[a.startIndex + 2]) : nil
        }
        guard buffer.count + length <= maxLength else {
            out.append(.discarded("tooLong"))
            clear()
            return out
        }
        buffer += report[layout.dataOffset..<(layout.dataOffset + length)]
        if report[layout.continuationOffset] & layout.continuationMask != 0 {
            pendingSince = time
            return out
        }
        defer { clear() }
        if buffer.isEmpty { return out }
        out.append(.scan(buffer, symbology: aim))
        return out
    }

    public mutating func tick(at now: Duration) -> [Output] {
        guard let deadline, now > deadline else { return [] }
        clear()
        return [.discarded("incomplete")]
    }

    public mutating func reset() -> [Output] {
        defer { clear() }
        return pendingSince == nil ? [] : [.discarded("incomplete")]
    }

    private mutating func clear() {
        buffer.removeAll(keepingCapacity: true)
        aim = nil
        pendingSince = nil
    }
}
