import Foundation
import KioskLogging
import Logging
import Testing

@Suite struct LogHandlerTests {
    @Test func journaldLinesCarryThePriorityAndOneLinePerMessage() {
        let handler = KioskLogHandler(label: "kiosk.readers", level: .info, style: .journald, sink: LogSink { _ in })
        let line = handler.format(level: .warning, message: "reader gone\nagain", metadata: ["reader": "ACS ACR1252 00"],
                                  date: Date(timeIntervalSince1970: 0))
        #expect(line == "<4>kiosk.readers: reader gone\\nagain reader=\"ACS ACR1252 00\"")
    }

    @Test func textLinesStartWithTimeAndLevel() {
        let handler = KioskLogHandler(label: "kiosk", level: .info, style: .text, sink: LogSink { _ in })
        let line = handler.format(level: .error, message: "failed", metadata: nil, date: Date(timeIntervalSince1970: 0))
        #expect(line == "1970-01-01T00:00:00.000Z ERROR kiosk: failed")
    }

    @Test func messagesBelowTheLevelAreDropped() {
        let lines = LockedLines()
        var logger = Logger(label: "t") { label in
            KioskLogHandler(label: label, level: .notice, style: .journald, sink: LogSink { lines.append($0) })
        }
        logger.info("quiet")
        logger.notice("loud")
        logger[metadataKey: "kiosk"] = "k1"
        logger.error("worse")
        #expect(lines.all == ["<5>t: loud", "<3>t: worse kiosk=k1"])
    }
}

final class LockedLines: @unchecked Sendable {
    private let lock = NSLock()
    private var lines: [String] = []
    func append(_ line: String) { lock.withLock { lines.append(line) } }
    var all: [String] { lock.withLock { lines } }
}
