import Glibc

/// Which readers the kiosk uses: names matching any `allow` glob (all when empty) and no
/// `ignore` glob (SAM slots, a reader kept for another program). Globs are shell patterns
/// (`fnmatch`), matched against the whole name pcscd gives; a reader's exact name also matches.
public struct ReaderNameFilter: Sendable, Equatable {
    public var allow: [String]
    public var ignore: [String]

    public init(allow: [String] = [], ignore: [String] = ["*SAM*"]) {
        self.allow = allow
        self.ignore = ignore
    }

    public func includes(_ reader: String) -> Bool {
        if reader == "\\\\?PnP?\\Notification" { return false }
        if !allow.isEmpty, !allow.contains(where: { Self.matches($0, reader) }) { return false }
        return !ignore.contains(where: { Self.matches($0, reader) })
    }

    /// A reader's whole name matches itself too: names such as
    /// `ACS ACR1252 1S CL Reader [ACR1252 1S CL Reader PICC] 00 00` are not globs of themselves.
    static func matches(_ pattern: String, _ name: String) -> Bool {
        pattern == name || fnmatch(pattern, name, 0) == 0
    }
}
