/// A secret value (API token, card key). Its description is always redacted, so that printing a
/// configuration or logging it never leaks the value. Secrets come from a file or the
/// environment, never from the configuration file itself or from argv.
public struct Secret: Sendable, Equatable, CustomStringConvertible, CustomDebugStringConvertible {
    /// Where the secret came from: `file:/path` or `env:NAME`. Not secret.
    public let origin: String
    private let value: String

    public init(_ value: String, origin: String) {
        self.value = value
        self.origin = origin
    }

    /// The secret itself. Call only where it is used (an HTTP header, a key derivation).
    public func reveal() -> String { value }

    public var description: String { "<redacted \(origin)>" }
    public var debugDescription: String { description }
}
