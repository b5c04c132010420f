import ArgumentParser
import Foundation
import KioskPCSC
import KioskReaders
import KioskStore

/// `kiosk diag card`: reads the card on the reader once and prints what the kiosk concludes.
struct DiagCardCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "card",
        abstract: "Read the card on the reader once: type, UID, NDEF, token or SUN verification and why.",
        discussion: """
            Live credentials on the card (an NTAG 424 DNA's SUN URL, which stays replayable until the card is \
            read again, and a member URL's token) are shown by kind, verification result and UID only; \
            --reveal prints them whole, with a warning. \
            Exit status 0 when the card identifies, 65 when it is refused or unreadable, 69 when no card comes, \
            75 when the card does not answer within readers.card_timeout_ms.
            """)

    @Flag(help: "Print JSON.")
    var json = false

    @Flag(help: "Print the card's live credentials (SUN URL, member URL token) whole. They can be replayed: do not share the output.")
    var reveal = false

    @Option(help: "Seconds to wait for a card.")
    var wait: Double = 10

    @Option(help: "Read this reader (default: the first reader the configuration allows with a card).")
    var reader: String?

    @OptionGroup var options: CommonOptions

    func run() async throws {
        let configuration = try options.loadConfiguration()
        let store = FileManager.default.fileExists(atPath: configuration.store.path)
            ? try? KioskStore(path: configuration.store.path, mode: .readOnly) : nil
        let policy = try ReaderPolicy.identification(configuration, counters: ReadOnlySDMCounters(store: store))
        var filter = ReaderPolicy.filter(configuration)
        if let reader { filter = ReaderNameFilter(allow: [reader], ignore: []) }
        let context: PCSCContext
        do { context = try PCSCContext() } catch {
            throw fail("pcscd is not reachable: \(error)", KioskExit.unavailable)
        }
        let deadline = Date().addingTimeInterval(wait)
        while Date() < deadline {
            let names = ((try? context.readers()) ?? []).filter(filter.includes)
            let states = names.isEmpty ? [] : ((try? context.statusChange(names.map { ReaderState(reader: $0) }, timeoutMilliseconds: 0)) ?? [])
            if let present = states.first(where: { $0.eventState.contains(.present) }) {
                // Read on a worker of its own, under the reader watchdog: a card that never
                // answers is the conclusion, not a hang.
                let reading = CardReading(policy: policy)
                let tap = reading.readOnce(Presentation(reader: present.reader, atr: present.atr),
                                           timeout: ReaderPolicy.cardTimeout(configuration))
                let report = TapReport(tap, reveal: reveal)
                if reveal {
                    FileHandle.standardError.write(Data("kiosk: warning: --reveal prints the card's live credentials; a SUN URL not yet used elsewhere can be replayed: do not share this output\n".utf8))
                }
                if json {
                    try printJSON(report)
                } else {
                    print("reader: \(report.reader)")
                    print("card: \(report.kind)  ATR \(report.atr)  UID \(report.uid ?? "-")")
                    for record in report.ndef { print("ndef: \(record)") }
                    print("result: \(report.result)\(report.credential.map { " by \($0)" } ?? "")")
                    if let member = report.member { print("member: \(member)") }
                    if let card = report.card { print("card id: \(card)") }
                    if let counter = report.counter { print("SDM counter: \(counter) (fresh; not recorded by diag)") }
                    if let reason = report.reason { print("why: \(reason)") }
                    print("APDUs: \(report.apdus)")
                }
                if case .failed(.noAnswer) = tap.outcome { throw KioskExit.tempFail }
                if report.result != "identified" { throw KioskExit.dataError }
                return
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw fail("no card on \(filter.allow.isEmpty ? "any allowed reader" : filter.allow.joined(separator: ", ")) within \(wait) s", KioskExit.unavailable)
    }
}
