/// What can go wrong with text: a font that cannot be read, a library call that failed.
public struct TextError: Error, Equatable, Sendable, CustomStringConvertible {
    public enum Code: Sendable, Equatable { case fontUnreadable, noFonts, libraryFailure }
    public let code: Code
    public let detail: String

    public init(_ code: Code, _ detail: String) { self.code = code; self.detail = detail }

    public var description: String {
        switch code {
        case .fontUnreadable: "font unreadable: \(detail)"
        case .noFonts: "no fonts given: \(detail)"
        case .libraryFailure: "text library failure: \(detail)"
        }
    }
}
