import Foundation
import KioskStore
import KioskSync
import KioskTestSupport
import Logging
import ServiceLifecycle
import Testing

/// `SyncService` in a service group, as `kiosk run` will hold it: it delivers the outbox and
/// activates the central's configuration while it runs, and returns normally on graceful shutdown.
struct SyncServiceTests {
    @Test func theServiceDeliversAndSyncsUntilAGracefulShutdownAndThenReturns() async throws {
        let kiosk = try KioskUnderTest()
        try kiosk.purchases(30)
        let serverDirectory = try TemporaryDirectory()
        let kioskDirectory = try TemporaryDirectory()
        let program = try ConfigurationSyncTests.exampleProgram
        let version = try #require(try JSONSerialization.jsonObject(with: program) as? [String: Any])["version"] as? String
        try ConfigurationSyncTests.publish(program, version: try #require(version), in: serverDirectory.path)
        let central = try await CentralHarness(.sqlite, directory: serverDirectory.path)
        try await central.serving { client in
            let configuration = ConfigurationSync(directory: kioskDirectory.file("config"), source: client)
            let outcomes = Outcomes()
            var logger = Logger(label: "test.sync")
            logger.logLevel = .critical
            let service = SyncService(
                forwarder: Forwarder(store: kiosk.store, uploader: client, settings: ForwarderSettings(idleInterval: 0.05)),
                configuration: configuration, pollInterval: .milliseconds(100), logger: logger,
                onConfiguration: { await outcomes.add($0) })
            let group = ServiceGroup(configuration: .init(services: [service], logger: logger))
            let running = Task { try await group.run() }

            let deadline = Date().addingTimeInterval(60)
            while try kiosk.pendingIDs().count > 0 || configuration.activeVersion() != version, Date() < deadline {
                try await Task.sleep(nanoseconds: 20_000_000)
            }
            #expect(try kiosk.pendingIDs().isEmpty)
            #expect(try await central.storedIDs() == kiosk.allIDs())
            #expect(configuration.activeVersion() == version)
            #expect(await outcomes.all.first == .activated(version: try #require(version)))

            // Events committed while it runs are delivered too.
            try kiosk.purchases(5, prefix: "later")
            while try kiosk.pendingIDs().count > 0, Date() < deadline { try await Task.sleep(nanoseconds: 20_000_000) }
            #expect(try await central.storedIDs() == kiosk.allIDs())

            await group.triggerGracefulShutdown()
            // Returns, and without an error: a shutdown is not a failure.
            try await running.value
        }
    }

    actor Outcomes {
        var all: [ConfigurationSyncOutcome] = []
        func add(_ outcome: ConfigurationSyncOutcome) { all.append(outcome) }
    }
}
