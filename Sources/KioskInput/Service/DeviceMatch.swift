import Foundation
import Glibc

/// Which devices a rule takes: USB ids (`05e0:1200`, lower-case hex) or device-name globs
/// (`*Bar Code*`, fnmatch). A device no rule matches is never opened.
public struct DeviceMatch: Sendable, Hashable {
    public var usbIDs: [String]
    public var namePatterns: [String]
    /// Device node globs (`/dev/input/by-id/*barcode*-event-kbd`): a device matches when a path
    /// the glob finds resolves to its node.
    public var nodeGlobs: [String]

    public init(usbIDs: [String] = [], namePatterns: [String] = [], nodeGlobs: [String] = []) {
        self.usbIDs = usbIDs.map { $0.lowercased() }
        self.namePatterns = namePatterns
        self.nodeGlobs = nodeGlobs
    }

    public func matches(usbID: String?, name: String, node: String? = nil) -> Bool {
        if let usbID, usbIDs.contains(usbID.lowercased()) { return true }
        if namePatterns.contains(where: { fnmatch($0, name, 0) == 0 }) { return true }
        guard let node, !nodeGlobs.isEmpty else { return false }
        return nodeGlobs.contains { Self.expand($0).contains(node) }
    }

    /// The real paths of what `pattern` finds. Wildcards (fnmatch) are allowed in the last path
    /// component only (`/dev/input/by-id/*barcode*-event-kbd`, `/dev/ttyACM*`). Directories are
    /// read through Foundation, not glibc's `glob`, whose internal calls test environments such as
    /// umockdev cannot see.
    static func expand(_ pattern: String) -> [String] {
        let url = URL(fileURLWithPath: pattern)
        let last = url.lastPathComponent
        let directory = url.deletingLastPathComponent().path
        let names: [String]
        if last.contains(where: { "*?[".contains($0) }) {
            names = ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).filter { fnmatch(last, $0, 0) == 0 }
        } else {
            names = FileManager.default.fileExists(atPath: pattern) ? [last] : []
        }
        return names.map { URL(fileURLWithPath: directory + "/" + $0).resolvingSymlinksInPath().path }
    }
}

/// A keyboard-wedge rule: the devices it takes and how they frame scans.
public struct WedgeRule: Sendable, Hashable {
    public var match: DeviceMatch
    public var configuration: WedgeConfiguration

    public init(match: DeviceMatch, configuration: WedgeConfiguration = WedgeConfiguration()) {
        self.match = match
        self.configuration = configuration
    }

    /// The configuration for `device` from the first rule that matches it.
    public static func rule(for device: InputDeviceInfo, in rules: [WedgeRule]) -> WedgeRule? {
        rules.first { $0.match.matches(usbID: device.usbID, name: device.deviceName, node: device.node) }
    }
}
