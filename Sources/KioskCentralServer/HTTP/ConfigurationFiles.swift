import Foundation

/// The configuration the server hands out: `configuration.json` in a directory, read when asked
/// (so an operator replaces the file, atomically, to publish a new version). Its ETag is the
/// hash of its bytes.
public struct ConfigurationFiles: Sendable {
    public let directory: String

    public init(directory: String) { self.directory = directory }

    public var path: String { directory + "/configuration.json" }

    func current() throws -> (etag: String, bytes: Data)? {
        guard let bytes = FileManager.default.contents(atPath: path) else { return nil }
        return ("\"" + String(CentralHash.hex(bytes).prefix(32)) + "\"", bytes)
    }
}
