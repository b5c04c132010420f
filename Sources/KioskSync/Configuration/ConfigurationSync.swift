import Foundation
import KioskEngine

/// Where a configuration comes from: the central (`CentralClient`) or, in tests, anything else.
public protocol ConfigurationSource: Sendable {
    func configuration(ifNoneMatch etag: String?) async -> ConfigurationFetch
}

/// One download of the configuration.
public enum ConfigurationFetch: Sendable, Hashable {
    case notModified
    /// The configuration document as JSON, its ETag, its version and its program as JSON.
    case fetched(etag: String, version: String, document: Data, program: Data)
    case failed(String)
}

/// What a sync did.
public enum ConfigurationSyncOutcome: Sendable, Hashable {
    case unchanged(version: String?)
    /// The new version is active.
    case activated(version: String)
    /// The new version was invalid; the old one (if any) stays active.
    case refused(version: String, issues: [String])
    case unreachable(String)
}

/// Keeps the kiosk's configuration in step with the central. A new configuration is validated
/// first (its program through `ProgramLoader`, all of it, and its version must match the
/// program's); only a valid one replaces the active files, each by an atomic rename, the program
/// last, so a reader between two operations sees the old program or the new one and never a
/// mixture. A refused configuration leaves everything as it was and says why.
///
/// Files in `directory`: `program.json` (what the engine loads), `configuration.json` (the whole
/// document: wheel, catalogue, strings, operators and their PIN hashes) and `etag`.
public struct ConfigurationSync: Sendable {
    public let directory: String
    private let source: any ConfigurationSource

    public init(directory: String, source: any ConfigurationSource) {
        self.directory = directory
        self.source = source
    }

    public var programPath: String { directory + "/program.json" }
    public var documentPath: String { directory + "/configuration.json" }
    public var etagPath: String { directory + "/etag" }

    /// The active program's version, if one is active.
    public func activeVersion() -> String? {
        guard let data = FileManager.default.contents(atPath: programPath) else { return nil }
        return try? ProgramLoader.load(data).version
    }

    public func sync() async -> ConfigurationSyncOutcome {
        let etag = (try? String(contentsOfFile: etagPath, encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines)
        switch await source.configuration(ifNoneMatch: activeVersion() == nil ? nil : etag) {
        case .notModified:
            return .unchanged(version: activeVersion())
        case .failed(let reason):
            return .unreachable(reason)
        case .fetched(let newETag, let version, let document, let program):
            let loaded: Program
            do {
                loaded = try ProgramLoader.load(program)
            } catch {
                return .refused(version: version, issues: error.issues.map(\.description))
            }
            guard loaded.version == version else {
                return .refused(version: version, issues: ["the configuration's version \(version) is not its program's version \(loaded.version)"])
            }
            do {
                try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
                try document.write(to: URL(fileURLWithPath: documentPath), options: .atomic)
                try program.write(to: URL(fileURLWithPath: programPath), options: .atomic)
                try Data(newETag.utf8).write(to: URL(fileURLWithPath: etagPath), options: .atomic)
            } catch {
                return .unreachable("cannot write the configuration to \(directory): \(error)")
            }
            return .activated(version: version)
        }
    }
}
