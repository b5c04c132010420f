import Foundation
import KioskCore
import KioskEngine
import KioskLoyalty
import KioskStore
import Testing

/// A replay killed part-way and run again on the same store ends exactly where one
/// uninterrupted run ends: the same summary, byte for byte, and the same decision for every
/// event (committed, or refused with the same code).
@Suite("A replay resumes exactly")
struct ReplayResumeTests {
    static let seed: UInt64 = 42
    static let stream = ReplayStream.lines(count: 400, seed: 2026)

    private static func encode(_ report: ReplayReport) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.dateEncodingStrategy = .iso8601
        var summary = report
        summary.events = nil
        return try encoder.encode(summary)
    }

    /// Applies `lines[range]` with a new service and replayer on the store file (like a new
    /// process), and returns its report.
    private static func run(_ service: LoyaltyService, _ range: Range<Int>) throws -> ReplayReport {
        var replayer = try Replayer(service: service, random: SeededRandom(seed: seed), seed: seed, start: Date(timeIntervalSince1970: 0))
        for i in range { try replayer.apply(line: stream[i], number: i + 1) }
        return try replayer.report(seed: seed)
    }

    private static func decisions(_ report: ReplayReport) -> [String] {
        (report.events ?? []).map { "\($0.line) \($0.key) \($0.ok ? "ok" : $0.refusal?.code ?? "?")" }
    }

    @Test func theStreamIsHostileEnough() throws {
        let t = try TestStore()
        defer { t.cleanUp() }
        let report = try Self.run(t.service, 0..<Self.stream.count)
        let codes = Set((report.events ?? []).compactMap { $0.refusal?.code })
        // Refusals a later event could turn into a success on a rerun, and draws of every kind.
        #expect(codes.isSuperset(of: ["payment.credit-insufficient", "return.more-than-bought", "wheel.insufficient-coins"]), "\(codes)")
        #expect((report.counts["spin"] ?? 0) > 20)
        #expect((report.events ?? []).contains { $0.type == "voucher-issue" && $0.ok })
        #expect(report.refusals > 30)
    }

    @Test(arguments: [(UInt64(1), 1), (2, 2), (3, 3)])
    func aReplayKilledAtRandomPointsEndsWhereAnUninterruptedOneEnds(trial: UInt64, kills: Int) throws {
        let whole = try TestStore()
        defer { whole.cleanUp() }
        let expected = try Self.run(whole.service, 0..<Self.stream.count)

        let t = try TestStore()
        defer { t.cleanUp() }
        var random = SeededRandom(seed: trial)
        let points = (0..<kills).map { _ in 1 + Int(random.next() % UInt64(Self.stream.count - 1)) }.sorted()
        // Each run starts from the first line, as a rerun of the same command does, and stops
        // (is killed) at its point; the last goes to the end.
        for point in points { _ = try Self.run(try t.reopen(), 0..<point) }
        let resumed = try Self.run(try t.reopen(), 0..<Self.stream.count)

        #expect(try Self.encode(resumed) == Self.encode(expected), "killed at \(points)")
        #expect(Self.decisions(resumed) == Self.decisions(expected), "killed at \(points)")
        #expect(resumed.members.allSatisfy { $0.ledgerMatches })
    }

    @Test func aRetriedRefusedEventGivesTheSameRefusal() throws {
        let t = try TestStore()
        defer { t.cleanUp() }
        try t.enroll("m-1")
        let early = #"{"type": "purchase", "key": "early", "member": "m-1", "at": "2026-11-03T10:00:00+03:30", "lines": [{"group": "bakery", "amount": 500000}], "payWithCredit": 400000}"#
        let later = #"{"type": "purchase", "key": "later", "member": "m-1", "at": "2027-01-10T10:00:00+03:30", "lines": [{"group": "bakery", "amount": 200000000}]}"#
        var replayer = try Replayer(service: t.service, random: SeededRandom(seed: 1), seed: 1, start: Date(timeIntervalSince1970: 0))
        try replayer.apply(line: early, number: 1)
        try replayer.apply(line: later, number: 2)
        #expect(try t.store.balances(of: "m-1").credit.amount >= 400_000) // credit earned in 2027
        // Run again: the 2026 purchase is not decided again against 2027's credit.
        try replayer.apply(line: early, number: 3)
        let events = try #require(try replayer.report(seed: 1).events)
        #expect(events.map { $0.refusal?.code } == ["payment.credit-insufficient", nil, "payment.credit-insufficient"])
        #expect(events[2].refusal?.message == events[0].refusal?.message)
        #expect(events[2].replayed == true)
        // The same key for another event is a conflict, not the old refusal.
        try replayer.apply(line: early.replacingOccurrences(of: "500000", with: "600000"), number: 4)
        #expect(try replayer.report(seed: 1).events?.last?.refusal?.code == "request.idempotency-conflict")
    }

    @Test func aDrawDependsOnTheSeedAndTheEventsKeyOnly() {
        var a = SeededRandom(seed: 7, key: "spin-1"), b = SeededRandom(seed: 7, key: "spin-1")
        var c = SeededRandom(seed: 7, key: "spin-2"), d = SeededRandom(seed: 8, key: "spin-1")
        let first = (0..<4).map { _ in a.next() }
        #expect(first == (0..<4).map { _ in b.next() })
        #expect(first != (0..<4).map { _ in c.next() })
        #expect(first != (0..<4).map { _ in d.next() })
    }
}
