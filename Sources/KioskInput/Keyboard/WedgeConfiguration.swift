/// How a keyboard-wedge device frames its scans.
public struct WedgeConfiguration: Sendable, Hashable {
    public enum Terminator: String, Sendable, Hashable, Codable {
        /// Enter (or keypad Enter) ends a scan.
        case enter
        /// Tab ends a scan.
        case tab
        /// No terminator: a pause longer than `interKeyTimeout` ends a scan.
        case none
    }

    /// What the device is.
    public enum Role: String, Sendable, Hashable, Codable {
        /// A scanner: grabbed, every keystroke is scan data.
        case scanner
        /// A keyboard a scanner shares (or one that may type a scan): never grabbed; a burst of
        /// keys faster than `scanMaxGap`, at least `scanMinLength` long and terminated, is a scan;
        /// anything else is typing and is ignored.
        case shared
    }

    public var layout: KeyMap
    public var terminator: Terminator
    /// Bytes the scanner sends before each scan (stripped; a scan without them is refused).
    public var prefix: [UInt8]
    /// Bytes the scanner sends after each scan, before the terminator (stripped; required).
    public var suffix: [UInt8]
    /// A scanner's keys come faster than this; a longer pause ends a scan without a terminator,
    /// and breaks one with a terminator (the partial scan is discarded).
    public var interKeyTimeout: Duration
    public var role: Role
    /// On a shared keyboard: the longest gap between two keys of a scan.
    public var scanMaxGap: Duration
    /// On a shared keyboard: the fewest characters of a scan.
    public var scanMinLength: Int
    /// Longer scans are discarded (`tooLong`) as they grow.
    public var maxLength: Int

    public init(layout: KeyMap = .us, terminator: Terminator = .enter, prefix: [UInt8] = [], suffix: [UInt8] = [],
                interKeyTimeout: Duration = .milliseconds(100), role: Role = .scanner,
                scanMaxGap: Duration = .milliseconds(30), scanMinLength: Int = 6, maxLength: Int = 4_096) {
        self.layout = layout
        self.terminator = terminator
        self.prefix = prefix
        self.suffix = suffix
        self.interKeyTimeout = interKeyTimeout
        self.role = role
        self.scanMaxGap = scanMaxGap
        self.scanMinLength = scanMinLength
        self.maxLength = maxLength
    }
}
