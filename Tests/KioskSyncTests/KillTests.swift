import Foundation
import KioskCentralServer
import KioskStore
import KioskSync
import KioskTestSupport
import Testing

/// Processes killed with SIGKILL in the middle of delivery: the kiosk mid-send, the server
/// mid-commit. Afterwards the server holds every event exactly once and in order.
@Suite(.serialized) struct KillTests {
    static func kioskConfig(store: String, url: URL, in directory: TemporaryDirectory) throws -> String {
        let path = directory.file("kiosk.toml")
        try """
            [kiosk]
            id = "kiosk-a"
            branch = "tehran-1"
            [store]
            path = "\(store)"
            [central]
            url = "\(url.absoluteString)"
            timeout_seconds = 30
            """.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test(arguments: Backend.available)
    func theKioskKilledMidSendResendsAndTheServerKeepsOneCopy(_ backend: Backend) async throws {
        let directory = try TemporaryDirectory()
        let kiosk = try KioskUnderTest()
        try kiosk.purchases(1_200)  // three batches of 500 at most
        let central = try await CentralHarness(backend, directory: directory.path)
        try await central.start()
        let config = try Self.kioskConfig(store: kiosk.path, url: central.url, in: directory)
        let kioskBinary = try ProductLocator.executable("kiosk")
        let environment = ["KIOSK_CENTRAL_TOKEN": CentralHarness.kioskA.token]

        // Each round: the server holds its answer back; the kiosk is killed while it waits.
        var rounds = 0
        var killedBetweenCommitAndMark = 0
        var generator = SystemRandomNumberGenerator()
        while try !kiosk.pendingIDs().isEmpty && rounds < 8 {
            rounds += 1
            central.faults.push(.delay(1.0))
            let uploadsBefore = central.faults.uploadCount
            let heldBefore = central.faults.heldBackCount
            let child = try ChildProcess(kioskBinary, ["sync", "flush", "--config", config, "--attempts", "20"], environment: environment)
            // Killed while the server holds its batch back: after the batch arrived (however long
            // the kiosk took to start on a loaded machine), at a random moment of the hold.
            let deadline = Date().addingTimeInterval(60)
            while central.faults.uploadCount == uploadsBefore && Date() < deadline { try await Task.sleep(nanoseconds: 5_000_000) }
            try await Task.sleep(nanoseconds: UInt64.random(in: 0...400_000_000, using: &generator))
            child.kill9()
            // The held-back batch is stored meanwhile (killed client or not): wait for it.
            let stored = Date().addingTimeInterval(60)
            while central.faults.heldBackCount == heldBefore && Date() < stored { try await Task.sleep(nanoseconds: 20_000_000) }
            // Killed between the server's commit and the kiosk's mark: held there, pending here.
            let held = Set(try await central.storedIDs())
            if !held.isDisjoint(with: try kiosk.pendingIDs()) { killedBetweenCommitAndMark += 1 }
        }
        #expect(killedBetweenCommitAndMark > 0, "no round killed the kiosk while its batch was in flight")
        let finish = try ChildProcess(kioskBinary, ["sync", "flush", "--config", config, "--attempts", "5"], environment: environment)
        #expect(await finish.wait() == 0, "\(finish.printed)")
        #expect(try await central.storedIDs() == kiosk.allIDs())
        #expect(try kiosk.pendingIDs().isEmpty)
        #expect(!finish.printed.contains(CentralHarness.kioskA.token))
        await central.stop()
    }

    @Test(arguments: Backend.available)
    func theServerKilledMidCommitLosesNothingAndDuplicatesNothing(_ backend: Backend) async throws {
        let directory = try TemporaryDirectory()
        let kiosk = try KioskUnderTest()
        try kiosk.purchases(6_000)
        let storage = try await StorageUnderTest.make(backend, directory: directory.path)
        try await storage.storage.register(CentralDevice(kioskID: CentralHarness.kioskA.id, branchID: "tehran-1"),
                                           token: CentralHarness.kioskA.token)
        var arguments = ["serve", "--port", "0", "--config-dir", directory.path]
        if let path = storage.sqlitePath { arguments += ["--sqlite", path] }
        if let database = storage.postgresDatabase {
            let configuration = try Backend.postgresConfiguration
            arguments += ["--postgres-host", "127.0.0.1", "--postgres-port", String(Backend.environment["KIOSK_TEST_POSTGRES_PORT"]!),
                          "--postgres-user", Backend.environment["KIOSK_TEST_POSTGRES_USER"] ?? "kiosk", "--postgres-database", database]
            _ = configuration
        }
        let server = try ChildProcess(try ProductLocator.executable("kiosk-central"), arguments)
        let kills = 3
        var killed = 0
        var current = server
        var generator = SystemRandomNumberGenerator()
        while true {
            let address = try await current.waitForLine(startingWith: "kiosk-central listening on ")
            let client = try CentralClient(endpoint: CentralEndpoint(url: URL(string: "http://\(address)")!,
                                                                      token: CentralHarness.kioskA.token, timeout: 10))
            let forwarder = Forwarder(store: kiosk.store, uploader: client, settings: ForwarderSettings(batchEvents: 250), sleep: { _ in })
            if killed < kills {
                let victim = current
                let delay = UInt64.random(in: 50_000_000...400_000_000, using: &generator)
                let killer = Task {
                    try await Task.sleep(nanoseconds: delay)
                    victim.kill9()
                }
                _ = try await forwarder.flush(maxFailures: 1)
                _ = await killer.result
                try await client.shutdown()
                killed += 1
                current = try ChildProcess(try ProductLocator.executable("kiosk-central"), arguments)
                continue
            }
            let report = try await forwarder.flush(maxFailures: 3)
            try await client.shutdown()
            #expect(report.remaining == 0)
            current.kill9()
            break
        }
        #expect(try kiosk.pendingIDs().isEmpty)
        let stored = try await storage.storage.events(kioskID: CentralHarness.kioskA.id).map(\.id)
        #expect(try stored.count == kiosk.allIDs().count)
        #expect(stored == (try kiosk.allIDs()))
    }
}
