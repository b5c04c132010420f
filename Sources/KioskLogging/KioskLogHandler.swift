import Foundation
import Logging

/// A swift-log handler that writes one line per message to standard error.
///
/// In `journald` style each line starts with the syslog priority in angle brackets (`<6>` for
/// info), which systemd's journal turns into the entry's priority, followed by the logger's label,
/// the message and its metadata as `key=value`. In `text` style, for a terminal, the line starts
/// with the time and the level instead. Personal data and secrets are never passed to a logger at
/// info level or above; metadata values are written as given, so callers redact first.
public struct KioskLogHandler: LogHandler {
    public enum Style: Sendable { case journald, text }

    public var metadata: Logger.Metadata = [:]
    public var logLevel: Logger.Level
    private let label: String
    private let style: Style
    private let sink: LogSink

    public init(label: String, level: Logger.Level, style: Style, sink: LogSink = .standardError) {
        self.label = label
        self.logLevel = level
        self.style = style
        self.sink = sink
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    /// The style for the current process: journald when systemd connected stderr to the journal.
    public static func defaultStyle(environment: [String: String] = ProcessInfo.processInfo.environment) -> Style {
        environment["JOURNAL_STREAM"] != nil ? .journald : .text
    }

    /// Bootstraps swift-log once for the process.
    public static func bootstrap(level: Logger.Level, style: Style) {
        LoggingSystem.bootstrap { label in KioskLogHandler(label: label, level: level, style: style) }
    }

    public func log(event: LogEvent) {
        sink.write(format(level: event.level, message: event.message, metadata: event.metadata, date: Date()))
    }

    /// One formatted line, without the trailing newline.
    public func format(level: Logger.Level, message: Logger.Message, metadata explicit: Logger.Metadata?, date: Date) -> String {
        var merged = metadata
        if let explicit { merged.merge(explicit) { _, new in new } }
        let fields = merged.sorted { $0.key < $1.key }.map { "\($0.key)=\(Self.quote("\($0.value)"))" }
        let body = ([Self.singleLine("\(message)")] + fields).joined(separator: " ")
        switch style {
        case .journald:
            return "<\(Self.priority(level))>\(label): \(body)"
        case .text:
            return "\(Self.timestamp(date)) \(level.rawValue.uppercased()) \(label): \(body)"
        }
    }

    /// syslog priorities as journald reads them (sd-daemon(3)).
    static func priority(_ level: Logger.Level) -> Int {
        switch level {
        case .trace, .debug: 7
        case .info: 6
        case .notice: 5
        case .warning: 4
        case .error: 3
        case .critical: 2
        }
    }

    private static func singleLine(_ text: String) -> String {
        text.replacingOccurrences(of: "\n", with: "\\n")
    }

    private static func quote(_ value: String) -> String {
        let line = singleLine(value)
        if line.isEmpty || line.contains(where: { $0 == " " || $0 == "\"" || $0 == "=" }) {
            return "\"" + line.replacingOccurrences(of: "\"", with: "\\\"") + "\""
        }
        return line
    }

    private static func timestamp(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true))
    }
}

/// Where log lines go. Writes are whole lines, serialized.
public final class LogSink: @unchecked Sendable {
    private let lock = NSLock()
    private let write: (String) -> Void

    public init(_ write: @escaping (String) -> Void) { self.write = write }

    public func write(_ line: String) { lock.withLock { write(line) } }

    public static let standardError = LogSink { line in
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }
}
