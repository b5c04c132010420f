import ArgumentParser
import Foundation
import KioskConfig
import KioskStore
import KioskSync

/// `kiosk sync`: the outbox's delivery to the central API.
struct SyncCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sync",
        abstract: "The outbox's delivery to the central API: status, flush, parked events, retry.",
        subcommands: [Status.self, Flush.self, Parked.self, Retry.self])

    struct Status: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Queue depth, oldest event age, parked events and the forwarder's last state (connected, backing off, unauthorized).")

        @OptionGroup var options: CommonOptions
        @Flag(help: "Print JSON.") var json = false

        func run() throws {
            let configuration = try options.loadConfiguration()
            let store = try options.openStore(configuration, mode: .readOnly, migrate: false)
            let queue: OutboxQueueStatus
            do { queue = try store.outboxQueueStatus() } catch { throw fail(error.message, KioskExit.code(for: error)) }
            var state = (try? ForwarderState.read(from: ForwarderState.path(forDatabase: store.path))) ?? ForwarderState()
            state.update(queue: queue, now: Date(), settings: ForwarderSettings())
            if json { return try printJSON(SyncStatusReport(central: configuration.central.url, state: state)) }
            print("central: \(configuration.central.url ?? "not configured (offline)")")
            print("connection: \(state.connection.rawValue)" + (state.lastError.map { " (\($0))" } ?? ""))
            print("pending: \(state.pending) events, \(state.pendingBytes) bytes"
                  + (state.oldestPendingAgeSeconds.map { String(format: ", oldest %.0f s old", $0) } ?? ""))
            print("parked: \(state.parked)   delivered: \(state.delivered)")
            if state.alarm { print("ALARM: the queue is past \(Int(ForwarderSettings().alarmFraction * 100)) % of its budget") }
        }
    }

    struct Flush: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Send every pending event to the central now; exits 0 when the queue is empty, 69 when the central cannot be reached.")

        @OptionGroup var options: CommonOptions
        @Option(help: "Give up after this many failed attempts in a row (with backoff between).") var attempts = 1

        func run() async throws {
            let configuration = try options.loadConfiguration()
            let store = try options.openStore(configuration)
            let client = try CentralCommandSupport.client(configuration)
            let forwarder = Forwarder(store: store, uploader: client, statePath: ForwarderState.path(forDatabase: store.path))
            let report: Forwarder.FlushReport
            do {
                report = try await forwarder.flush(maxFailures: max(1, attempts))
            } catch {
                try? await client.shutdown()
                throw fail("\(error)", KioskExit.software)
            }
            try? await client.shutdown()
            print("delivered \(report.delivered), parked \(report.parked), pending \(report.remaining)")
            if let failure = report.lastFailure, report.remaining > 0 {
                throw fail("the central did not take every event: \(failure)", KioskExit.unavailable)
            }
        }
    }

    struct Parked: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Events the central rejected permanently, with the reason.")

        @OptionGroup var options: CommonOptions
        @Flag(help: "Print JSON.") var json = false

        struct Entry: Encodable { var sequence: Int64; var eventID: String; var type: String; var reason: String; var attempts: Int; var createdAt: Date }

        func run() throws {
            let configuration = try options.loadConfiguration()
            let store = try options.openStore(configuration, mode: .readOnly, migrate: false)
            let parked: [ParkedOutboxEvent]
            do { parked = try store.parkedOutboxEvents() } catch { throw fail(error.message, KioskExit.code(for: error)) }
            if json {
                return try printJSON(parked.map {
                    Entry(sequence: $0.sequence, eventID: $0.eventID, type: $0.type, reason: $0.reason, attempts: $0.attempts, createdAt: $0.createdAt)
                })
            }
            if parked.isEmpty { print("no parked events") }
            for event in parked { print("\(event.sequence)\t\(event.type)\t\(event.eventID)\t\(event.reason)") }
        }
    }

    struct Retry: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Put a parked event back in the queue (by its sequence number, from `kiosk sync parked`).")

        @OptionGroup var options: CommonOptions
        @Argument(help: "The parked event's sequence number.") var sequence: Int64

        func run() throws {
            let configuration = try options.loadConfiguration()
            let store = try options.openStore(configuration)
            let retried: Bool
            do { retried = try store.retryParkedOutboxEvent(sequence) } catch { throw fail(error.message, KioskExit.code(for: error)) }
            guard retried else { throw fail("no parked event has sequence \(sequence)", KioskExit.dataError) }
            print("event \(sequence) is pending again")
        }
    }
}

struct SyncStatusReport: Encodable {
    var central: String?
    var state: ForwarderState
}

enum CentralCommandSupport {
    /// The configured central's client, or exits: no URL is 64 (nothing to talk to), no token 65.
    static func client(_ configuration: KioskConfiguration) throws -> CentralClient {
        guard let text = configuration.central.url, let url = URL(string: text) else {
            throw fail("no central API is configured (central.url)", KioskExit.usage)
        }
        guard let token = configuration.central.token else {
            throw fail("no device token (central.token_file or $KIOSK_CENTRAL_TOKEN)", KioskExit.dataError)
        }
        do {
            return try CentralClient(endpoint: CentralEndpoint(
                url: url, token: token.reveal(), timeout: TimeInterval(configuration.central.timeoutSeconds)))
        } catch {
            throw fail("cannot set up the central's client: \(error)", KioskExit.dataError)
        }
    }
}
