import Foundation
import KioskCore
import KioskEngine
import KioskLoyalty
import KioskStore
import Testing

@Suite("Replaying an events file")
struct ReplayTests {
    private func replay(seed: UInt64) throws -> (Data, ReplayReport) {
        let t = try TestStore()
        defer { t.cleanUp() }
        var replayer = try Replayer(service: t.service, random: SeededRandom(seed: seed), start: Date(timeIntervalSince1970: 0))
        let text = try String(contentsOf: TestStore.repositoryRoot.appendingPathComponent("kiosk/programs/example-events.jsonl"), encoding: .utf8)
        for (i, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            try replayer.apply(line: String(line), number: i + 1)
        }
        let report = try replayer.report(seed: seed)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.dateEncodingStrategy = .iso8601
        return (try encoder.encode(report), report)
    }

    @Test func theExampleEventsReplayReproduciblyWithASeed() throws {
        let (first, report) = try replay(seed: 7)
        let (second, _) = try replay(seed: 7)
        #expect(first == second)
        #expect(report.members.count == 2)
        #expect(report.members.allSatisfy { $0.ledgerMatches })
        let events = try #require(report.events)
        let byKey = Dictionary(events.map { ($0.key, $0) }, uniquingKeysWith: { a, _ in a })
        #expect(byKey["p-ali-4"]?.refusal?.code == "voucher.member-limit")
        #expect(byKey["r-ali-2-too-much"]?.refusal?.code == "return.more-than-bought")
        #expect(events.filter { $0.key == "spin-ali-1" }.map { $0.replayed } == [false, true])
        #expect(events.last?.refusal?.code == "member.unknown")
        #expect(report.refusals == 3)
    }

    @Test func aMalformedLineIsReportedAndTheReplayGoesOn() throws {
        let t = try TestStore()
        defer { t.cleanUp() }
        var replayer = try Replayer(service: t.service, random: SeededRandom(seed: 1), start: Date(timeIntervalSince1970: 0))
        try replayer.apply(line: #"{"type": "enroll", "member": "m-1", "at": "2026-11-01T10:00:00+03:30"}"#, number: 1)
        try replayer.apply(line: #"{"type": "purchase", "member": "m-1", "lines": [{"group": "dairy", "amount": "lots"}]}"#, number: 2)
        try replayer.apply(line: #"{"type": "teleport", "member": "m-1"}"#, number: 3)
        try replayer.apply(line: #"{"type": "purchase", "member": "m-1", "lines": [{"group": "bakery", "amount": 1000000}]}"#, number: 4)
        let report = try replayer.report(seed: 1)
        let events = try #require(report.events)
        #expect(events.map { $0.ok } == [true, false, false, true])
        #expect(events[1].refusal?.code == "event.malformed")
        #expect(events[2].refusal?.code == "event.unknown-type")
        let points: Int64? = report.members.first?.points
        #expect(points == 60)
    }
}
