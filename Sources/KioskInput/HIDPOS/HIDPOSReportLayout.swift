/// Where a HID POS scanner puts the parts of its input report. The default is the layout
/// Honeywell documents for its HID POS mode (usage page 0x8C): report id 0x02, one length byte
/// (the data bytes in this report), a 3-byte AIM symbology identifier, up to 56 data bytes, and
/// in the last byte of the 64-byte report a flag whose bit 0 says more reports follow.
public struct HIDPOSReportLayout: Sendable, Hashable {
    /// The report id the data reports carry in byte 0, or nil for devices without report ids.
    public var reportID: UInt8?
    public var lengthOffset: Int
    public var aimOffset: Int
    public var dataOffset: Int
    public var dataCapacity: Int
    public var continuationOffset: Int
    public var continuationMask: UInt8

    public init(reportID: UInt8? = 0x02, lengthOffset: Int = 1, aimOffset: Int = 2, dataOffset: Int = 5, dataCapacity: Int = 56,
                continuationOffset: Int = 63, continuationMask: UInt8 = 0x01) {
        self.reportID = reportID
        self.lengthOffset = lengthOffset
        self.aimOffset = aimOffset
        self.dataOffset = dataOffset
        self.dataCapacity = dataCapacity
        self.continuationOffset = continuationOffset
        self.continuationMask = continuationMask
    }

    public static let honeywell = HIDPOSReportLayout()

    /// The shortest report the layout can read.
    public var minimumReportLength: Int { max(dataOffset + 1, continuationOffset + 1, aimOffset + 3, lengthOffset + 1) }
}
