import Foundation
import KioskStore
import KioskSync
import KioskTestSupport
import Testing

/// `kiosk sync status|flush|parked|retry` and `kiosk diag central`, through the real executable
/// against the reference server on loopback, on a real SQLite store.
@Suite(.serialized) struct SyncCommandTests {
    let directory: TemporaryDirectory
    let kiosk: KioskUnderTest
    let central: CentralHarness
    let kioskBinary: String

    init() async throws {
        directory = try TemporaryDirectory()
        kiosk = try KioskUnderTest()
        central = try await CentralHarness(.sqlite, directory: directory.path)
        try await central.start()
        kioskBinary = try ProductLocator.executable("kiosk")
    }

    func config(url: URL? = nil) throws -> String {
        try KillTests.kioskConfig(store: kiosk.path, url: url ?? central.url, in: directory)
    }

    func kioskCommand(_ arguments: [String], token: String? = CentralHarness.kioskA.token, url: URL? = nil) async throws -> CommandRun {
        let config = try config(url: url)
        let environment = token.map { ["KIOSK_CENTRAL_TOKEN": $0] } ?? [:]
        return try await CommandRun.run(kioskBinary, arguments + ["--config", config], environment: environment)
    }

    func status() async throws -> [String: Any] {
        let run = try await kioskCommand(["sync", "status", "--json"])
        #expect(run.status == 0, "\(run.stderr)")
        return try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any], "\(run.stdout)")
    }

    @Test func flushDeliversTheQueueInOrderAndStatusShowsIt() async throws {
        try kiosk.purchases(700)  // two batches
        var state = try await status()
        #expect(state["central"] as? String == central.url.absoluteString)
        let queued = try #require(state["state"] as? [String: Any])
        #expect(queued["pending"] as? Int == 702)
        #expect(queued["delivered"] as? Int == 0)

        let flush = try await kioskCommand(["sync", "flush"])
        #expect(flush.status == 0, "\(flush.stderr)")
        #expect(flush.stdout.contains("delivered 702, parked 0, pending 0"), "\(flush.stdout)")
        #expect(try await central.storedIDs() == kiosk.allIDs())
        #expect(try kiosk.pendingIDs().isEmpty)

        state = try await status()
        let after = try #require(state["state"] as? [String: Any])
        #expect(after["pending"] as? Int == 0)
        #expect(after["delivered"] as? Int == 702)
        #expect(after["connection"] as? String == "connected")

        let text = try await kioskCommand(["sync", "status"])
        #expect(text.status == 0)
        #expect(text.stdout.contains("connection: connected"), "\(text.stdout)")
        #expect(text.stdout.contains("pending: 0 events"), "\(text.stdout)")
        for run in [flush, text] { #expect(!(run.stdout + run.stderr).contains(CentralHarness.kioskA.token)) }
        await central.stop()
    }

    @Test func aRejectedEventIsParkedListedAndRetried() async throws {
        try kiosk.purchases(2)
        // Larger than the central takes (64 KiB): rejected for good, parked, the rest delivered.
        try kiosk.purchase("too-big", padding: 70_000)
        try kiosk.purchases(2)
        let flush = try await kioskCommand(["sync", "flush"])
        #expect(flush.status == 0, "\(flush.stderr)")
        #expect(flush.stdout.contains("delivered 6, parked 1, pending 0"), "\(flush.stdout)")
        #expect(try await central.storedIDs() == kiosk.allIDs().filter { $0 != "too-big" })

        let parked = try await kioskCommand(["sync", "parked"])
        #expect(parked.status == 0)
        let line = try #require(parked.stdout.split(separator: "\n").first { $0.contains("too-big") }, "\(parked.stdout)")
        #expect(line.contains("too-large"), "\(line)")
        let sequence = try #require(Int64(line.split(separator: "\t")[0]))

        let json = try await kioskCommand(["sync", "parked", "--json"])
        let entries = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [[String: Any]])
        #expect(entries.count == 1)
        #expect(entries.first?["eventID"] as? String == "too-big")
        #expect((entries.first?["sequence"] as? Int).map(Int64.init) == sequence)

        let unknown = try await kioskCommand(["sync", "retry", String(sequence + 1000)])
        #expect(unknown.status == 65, "\(unknown.stdout) \(unknown.stderr)")
        #expect(unknown.stderr.contains("no parked event has sequence"))

        let retry = try await kioskCommand(["sync", "retry", String(sequence)])
        #expect(retry.status == 0, "\(retry.stderr)")
        #expect(retry.stdout.contains("event \(sequence) is pending again"))
        let state = try #require(try await status()["state"] as? [String: Any])
        #expect(state["pending"] as? Int == 1)
        #expect(state["parked"] as? Int == 0)
        #expect(try kiosk.pendingIDs() == ["too-big"])
        let none = try await kioskCommand(["sync", "parked"])
        #expect(none.stdout.contains("no parked events"), "\(none.stdout)")
        await central.stop()
    }

    @Test func flushExits69WhenTheCentralIsDownAndKeepsTheQueue() async throws {
        try kiosk.purchases(3)
        let port = central.port
        await central.stop()
        let flush = try await kioskCommand(["sync", "flush"], url: URL(string: "http://127.0.0.1:\(port)")!)
        #expect(flush.status == 69, "\(flush.stdout) \(flush.stderr)")
        #expect(flush.stderr.contains("the central did not take every event"), "\(flush.stderr)")
        #expect(!(flush.stdout + flush.stderr).contains(CentralHarness.kioskA.token))
        #expect(try kiosk.pendingIDs().count == 5)
        let state = try #require(try await status()["state"] as? [String: Any])
        #expect(state["connection"] as? String == "backing-off")
        #expect(state["pending"] as? Int == 5)
    }

    @Test func flushWithoutACentralOrATokenSaysWhat() async throws {
        let noToken = try await kioskCommand(["sync", "flush"], token: nil)
        #expect(noToken.status == 65, "\(noToken.stderr)")
        #expect(noToken.stderr.contains("no device token"), "\(noToken.stderr)")
        let path = directory.file("offline.toml")
        try """
            [kiosk]
            id = "kiosk-a"
            branch = "tehran-1"
            [store]
            path = "\(kiosk.path)"
            """.write(toFile: path, atomically: true, encoding: .utf8)
        let offline = try await CommandRun.run(kioskBinary, ["sync", "flush", "--config", path])
        #expect(offline.status == 64, "\(offline.stderr)")
        #expect(offline.stderr.contains("no central API is configured"), "\(offline.stderr)")
        let status = try await CommandRun.run(kioskBinary, ["sync", "status", "--config", path])
        #expect(status.status == 0, "\(status.stderr)")
        #expect(status.stdout.contains("central: not configured (offline)"), "\(status.stdout)")
        await central.stop()
    }

    @Test func diagCentralPassesWithTheRightTokenAndFailsWithAWrongOne() async throws {
        let good = try await kioskCommand(["diag", "central", "--json"])
        #expect(good.status == 0, "\(good.stdout) \(good.stderr)")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(good.stdout.utf8)) as? [String: Any])
        #expect(report["reachable"] as? Bool == true)
        #expect(report["authenticated"] as? Bool == true)
        #expect(report["kioskID"] as? String == CentralHarness.kioskA.id)
        #expect(report["skewOK"] as? Bool == true)

        let wrong = try await kioskCommand(["diag", "central"], token: "not-the-token-of-any-kiosk")
        #expect(wrong.status == 65, "\(wrong.stdout) \(wrong.stderr)")
        #expect(wrong.stdout.contains("device token: refused"), "\(wrong.stdout)")
        #expect(!wrong.stdout.contains("not-the-token-of-any-kiosk"))

        let port = central.port
        await central.stop()
        let down = try await kioskCommand(["diag", "central"], url: URL(string: "http://127.0.0.1:\(port)")!)
        #expect(down.status == 69, "\(down.stdout) \(down.stderr)")
        #expect(down.stdout.contains("reachable: no"), "\(down.stdout)")
    }
}
