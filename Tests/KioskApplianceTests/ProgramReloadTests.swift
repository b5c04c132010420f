import Foundation
@testable import KioskAppliance
import KioskCore
import KioskEngine
import KioskLoyalty
import KioskRender
import KioskStore
import Logging
import Testing

/// A program replaced while the kiosk runs: what the next operation, the next member view and the
/// next wheel frame use, and what a broken program leaves in place.
@Suite struct ProgramReloadTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// The example program with its version and the wheel's cost changed.
    static func program(version: String, spinCost: Int) throws -> Data {
        let example = try Data(contentsOf: repository.appendingPathComponent("kiosk/programs/example.json"))
        var object = try #require(try JSONSerialization.jsonObject(with: example) as? [String: Any])
        object["version"] = version
        var wheel = try #require(object["wheel"] as? [String: Any])
        wheel["costCoins"] = spinCost
        object["wheel"] = wheel
        return try JSONSerialization.data(withJSONObject: object)
    }

    /// The file a technician edits: read again at each reload.
    final class ProgramFile: @unchecked Sendable {
        let lock = NSLock()
        var data: Data
        init(_ data: Data) { self.data = data }
        var source: ProgramSource {
            ProgramSource { [self] in
                let data = lock.withLock { self.data }
                return (try ProgramLoader.load(data), data)
            }
        }
    }

    @Test func aNewVersionServesTheNextOperationViewAndFrameAndABrokenOneChangesNothing() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("kiosk-reload-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = try KioskStore(path: directory.appendingPathComponent("kiosk.sqlite").path)
        try store.ensureBranch("br-tehran-1", at: Date())
        let first = try Self.program(version: "v-1", spinCost: 5)
        let loyalty = try LoyaltyService(store: store, program: try ProgramLoader.load(first), programJSON: first, at: Date())
        try loyalty.enroll(KioskLoyalty.Enrollment(key: "enroll-m-1", member: "m-1", branch: "br-tehran-1", at: Date(), name: "Sara"))
        let tehran = TimeZone(identifier: "Asia/Tehran")!
        let active = ActiveProgram(loyalty: loyalty, mapper: ScreenMapper(locale: .en, wheel: loyalty.program.wheel, timeZone: tehran))
        let operations = Operations(active: active, gate: StoreGate(), receipts: nil, branch: "br-tehran-1", logger: Logger(label: "test"))
        let views = MemberViews(active: active)
        let file = ProgramFile(first)

        #expect(await operations.reloadProgram(from: file.source, at: Date()) == .unchanged(version: "v-1"))
        #expect(try views.view(of: "m-1", at: Date()).spin?.costInCoins == 5)

        file.lock.withLock { file.data = try! Self.program(version: "v-2", spinCost: 9) }
        #expect(await operations.reloadProgram(from: file.source, at: Date()) == .replaced(from: "v-1", to: "v-2"))
        #expect(operations.loyalty.program.version == "v-2", "the next operation's engine")
        #expect(operations.loyalty.program.wheel?.costCoins == 9)
        #expect(try views.view(of: "m-1", at: Date()).spin?.costInCoins == 9, "the next welcome screen")
        #expect(active.mapper.wheel?.costCoins == 9, "the next wheel frame is labelled from the new wheel")
        #expect(active.mapper.locale == .en && active.mapper.timeZone == tehran, "the kiosk's own settings stay")
        #expect(try store.programVersions() == ["v-1", "v-2"])

        file.lock.withLock { file.data = Data(#"{"format": 1, "version": "v-3", "points": "#.utf8) }
        #expect(await operations.reloadProgram(from: file.source, at: Date()) == nil, "a broken program is refused")
        #expect(operations.loyalty.program.version == "v-2", "and the served one stays")
        #expect(try views.view(of: "m-1", at: Date()).spin?.costInCoins == 9)
        #expect(try store.programVersions() == ["v-1", "v-2"])
    }
}
