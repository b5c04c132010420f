import ArgumentParser
import Foundation
import KioskCards
import KioskPCSC
import KioskReaders
import KioskStore

/// `kiosk diag readers`: each reader, its state, the card on it and what the kiosk concludes.
struct DiagReadersCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "readers",
        abstract: "List the card readers, their state and the card on each; --watch for a live tap test.",
        discussion: """
            SUN counters are checked against the store but never recorded, so a diagnostic read does not \
            use up a card's counter in the kiosk.
            """)

    @Flag(help: "Print JSON (one object per line with --watch).")
    var json = false

    @Flag(help: "Keep watching: print every reader event and tap until Ctrl-C.")
    var watch = false

    @Flag(help: "Test the reader's LED and buzzer (accepted pattern) where the reader has them.")
    var feedback = false

    @OptionGroup var options: CommonOptions

    struct ReaderReport: Encodable {
        var name: String
        var used: Bool
        var state: String
        var feedback: String
        var firmware: String?
        var card: TapReport?
        var error: String?
    }

    func run() async throws {
        let configuration = try options.loadConfiguration()
        let store = FileManager.default.fileExists(atPath: configuration.store.path)
            ? try? KioskStore(path: configuration.store.path, mode: .readOnly) : nil
        let policy = try ReaderPolicy.identification(configuration, counters: ReadOnlySDMCounters(store: store))
        let filter = ReaderPolicy.filter(configuration)
        if watch {
            try await watchEvents(filter: filter, policy: policy, cardTimeout: ReaderPolicy.cardTimeout(configuration),
                                  feedbackOverrides: ReaderPolicy.feedbackOverrides(configuration))
            return
        }
        let context: PCSCContext
        do { context = try PCSCContext() } catch {
            throw fail("pcscd is not reachable: \(error)", KioskExit.unavailable)
        }
        var reports: [ReaderReport] = []
        for name in (try? context.readers()) ?? [] {
            reports.append(report(name, context: context, used: filter.includes(name), policy: policy,
                                  cardTimeout: ReaderPolicy.cardTimeout(configuration),
                                  model: ReaderService.feedbackModel(for: name, overrides: ReaderPolicy.feedbackOverrides(configuration))))
        }
        if json {
            try printJSON(reports)
        } else if reports.isEmpty {
            print("no readers")
        } else {
            for r in reports {
                print("\(r.name)\(r.used ? "" : " (ignored by configuration)")")
                print("  state: \(r.state)   feedback: \(r.feedback)\(r.firmware.map { "   firmware: \($0)" } ?? "")")
                if let card = r.card {
                    print("  card: \(card.kind) ATR \(card.atr)")
                    print("  \(card.line)")
                    for record in card.ndef { print("  ndef: \(record)") }
                }
                if let error = r.error { print("  error: \(error)") }
            }
        }
    }

    private func report(_ name: String, context: PCSCContext, used: Bool, policy: IdentificationPolicy, cardTimeout: Duration,
                        model: ReaderFeedback.Model) -> ReaderReport {
        var report = ReaderReport(name: name, used: used, state: "unknown", feedback: "\(model)")
        guard let state = try? context.statusChange([ReaderState(reader: name)], timeoutMilliseconds: 0).first else {
            report.error = "no status"
            return report
        }
        report.state = state.eventState.withoutChanged.description
        guard state.eventState.contains(.present) else {
            if feedback, model != .none {
                // No card: escape commands through a direct connection to the reader.
                do {
                    let direct = try context.connect(name, share: .direct, protocols: [])
                    defer { try? direct.disconnect() }
                    if case .failure(let error) = ReaderFeedback.giveWithoutCard(.accepted, model: model, reader: direct) {
                        report.error = "feedback: \(error) (escape commands need ifdDriverOptions 0x0001, see docs/cards.md)"
                    }
                } catch {
                    report.error = "feedback: \(error)"
                }
            }
            return report
        }
        // The card is read on a worker of its own under the reader watchdog: a card that never
        // answers is reported, not waited for; the reader then gets no more commands.
        let tap = CardReading(policy: policy).readOnce(Presentation(reader: name, atr: state.atr), timeout: cardTimeout)
        report.card = TapReport(tap)
        if case .failed(.noAnswer) = tap.outcome { return report }
        do {
            let card = try context.connect(name)
            defer { try? card.disconnect() }
            if model == .acr122, let answer = try? card.transmit([0xFF, 0x00, 0x48, 0x00, 0x00]) {
                report.firmware = String(decoding: answer.filter { $0 >= 0x20 && $0 < 0x7F }, as: UTF8.self)
            }
            if feedback, let outcome = ReaderFeedback.give(.accepted, model: model, card: card), outcome != .given(.accepted) {
                report.error = "feedback \(outcome)"
            }
        } catch {
            report.error = error.description
        }
        return report
    }

    private func watchEvents(filter: ReaderNameFilter, policy: IdentificationPolicy, cardTimeout: Duration,
                             feedbackOverrides: [(pattern: String, model: ReaderFeedback.Model)]) async throws {
        let service = ReaderService(configuration: .init(readers: filter, policy: policy, feedback: true,
                                                         feedbackOverrides: feedbackOverrides, cardTimeout: cardTimeout))
        // Ctrl-C or SIGTERM stops the service: its events end and the command returns (exit 0).
        let signals = StopSignals { service.stop() }
        defer { signals.cancel() }
        for await event in service.events() {
            if json {
                try printJSONLine(WatchLine(event))
            } else {
                print(WatchLine(event).text)
                fflush(nil)
            }
        }
    }

    /// One watched event.
    struct WatchLine: Encodable {
        var event: String
        var reader: String?
        var detail: String?
        var tap: TapReport?

        init(_ event: ReaderServiceEvent) {
            switch event {
            case .connected: self.event = "pcscd-connected"
            case .disconnected(let why): self.event = "pcscd-disconnected"; detail = why
            case .readerAdded(let name): self.event = "reader-added"; reader = name
            case .readerRemoved(let name): self.event = "reader-removed"; reader = name
            case .cardRemoved(let name): self.event = "card-removed"; reader = name
            case .readerBusy(let name): self.event = "reader-busy"; reader = name
            case .cardMute(let name): self.event = "card-mute"; reader = name
            case .readerStuck(let name): self.event = "reader-stuck"; reader = name
            case .feedbackUnavailable(let name, let why): self.event = "feedback-unavailable"; reader = name; detail = why
            case .tap(let tap): self.event = "tap"; reader = tap.reader; self.tap = TapReport(tap)
            }
        }

        var text: String {
            if let tap { return "tap " + tap.line }
            return [event, reader, detail].compactMap { $0 }.joined(separator: " ")
        }
    }
}

/// Prints a value as one line of sorted JSON.
func printJSONLine<T: Encodable>(_ value: T) throws {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    print(String(decoding: try encoder.encode(value), as: UTF8.self))
    fflush(nil)
}
