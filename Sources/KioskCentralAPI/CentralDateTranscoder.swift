// Written by hand (not generated): the contract's date-time format on both sides.
import Foundation
import OpenAPIRuntime

/// RFC 3339 date-times as the contract's `format: date-time` allows them: written with
/// milliseconds in UTC (`2026-12-01T10:00:00.123Z`, so an event's instant survives the wire),
/// read with or without fractional seconds, with any offset, `t`/`z` in either case. The common
/// form is read and written by `RFC3339` (integer arithmetic); the formatters take the rest.
public struct CentralDateTranscoder: DateTranscoder, @unchecked Sendable {
    private let lock = NSLock()
    private let fractional: ISO8601DateFormatter
    private let whole: ISO8601DateFormatter

    public init() {
        fractional = ISO8601DateFormatter()
        fractional.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        whole = ISO8601DateFormatter()
        whole.formatOptions = [.withInternetDateTime]
    }

    public func encode(_ date: Date) throws -> String {
        if let text = RFC3339.text(seconds: date.timeIntervalSince1970) { return text }
        return lock.withLock { fractional.string(from: date) }
    }

    public func decode(_ string: String) throws -> Date {
        if let seconds = RFC3339.seconds(string) { return Date(timeIntervalSince1970: seconds) }
        let normalized = string.uppercased()
        let date = lock.withLock { fractional.date(from: normalized) ?? whole.date(from: normalized) }
        guard let date else {
            throw DecodingError.dataCorrupted(.init(codingPath: [], debugDescription: "Expected an RFC 3339 date-time, not \(string)"))
        }
        return date
    }
}

extension Configuration {
    /// The configuration both the kiosk's client and the reference server use.
    public static var central: Configuration { Configuration(dateTranscoder: CentralDateTranscoder()) }
}
