import Foundation
import KioskSync
import KioskTestSupport
import Testing

@Suite(.serialized) struct ConfigurationSyncTests {
    static var exampleProgram: Data {
        get throws {
            let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            return try Data(contentsOf: root.appendingPathComponent("kiosk/programs/example.json"))
        }
    }

    /// Publishes `program` (JSON) as the central's configuration under `version`.
    static func publish(_ program: Data, version: String, in directory: String) throws {
        let programJSON = String(decoding: program, as: UTF8.self)
        let document = """
            {"version": "\(version)", "program": \(programJSON),
             "strings": {"welcome": "خوش آمدید"},
             "operators": [{"id": "op-1", "displayName": "Sara", "role": "cashier", "pinHash": "argon2id$stub"}]}
            """
        try Data(document.utf8).write(to: URL(fileURLWithPath: directory + "/configuration.json"), options: .atomic)
    }

    /// Every failure in here is a failed expectation or a thrown error, never a trap: the client
    /// and the server are closed on every path out (`CentralHarness.serving`), so one test that
    /// fails does not take the process, and every other test, down with it.
    @Test(arguments: Backend.available)
    func aValidProgramIsActivatedAndABadOneLeavesTheOldInPlace(_ backend: Backend) async throws {
        let serverDirectory = try TemporaryDirectory()
        let kioskDirectory = try TemporaryDirectory()
        let central = try await CentralHarness(backend, directory: serverDirectory.path)
        try await central.serving { client in
            let sync = ConfigurationSync(directory: kioskDirectory.file("config"), source: client)
            let program = try Self.exampleProgram
            let parsed = try #require(try JSONSerialization.jsonObject(with: program) as? [String: Any])
            let version = try #require(parsed["version"] as? String, "the example program has no version")
            try Self.publish(program, version: version, in: serverDirectory.path)
            let first = await sync.sync()
            try #require(first == .activated(version: version), "the example program was not activated: \(first)")
            #expect(sync.activeVersion() == version)
            let active = try Data(contentsOf: URL(fileURLWithPath: sync.programPath))
            #expect(await sync.sync() == .unchanged(version: version))

            // A program that fails validation (an unknown time zone) is refused.
            var broken = parsed
            broken["version"] = "broken-1"
            broken["timeZone"] = "Mars/Olympus"
            try Self.publish(try JSONSerialization.data(withJSONObject: broken), version: "broken-1", in: serverDirectory.path)
            let refused = await sync.sync()
            guard case .refused(let refusedVersion, let issues) = refused else {
                Issue.record("a broken program was not refused: \(refused)")
                return
            }
            #expect(refusedVersion == "broken-1")
            #expect(!issues.isEmpty)
            #expect(sync.activeVersion() == version)
            #expect(try Data(contentsOf: URL(fileURLWithPath: sync.programPath)) == active)

            // A configuration whose version is not its program's is refused too.
            try Self.publish(program, version: "not-\(version)", in: serverDirectory.path)
            let mismatched = await sync.sync()
            guard case .refused = mismatched else {
                Issue.record("a mismatched version was not refused: \(mismatched)")
                return
            }
            #expect(sync.activeVersion() == version)
        }
    }
}
