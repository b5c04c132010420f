import Foundation
import KioskTestSupport
import GRDB
import KioskCore
import KioskStore
import StoreCrashStream
import Testing

/// A child process that writes CrashStream's operations, killed with SIGKILL at random points.
/// After every kill the database must hold each operation wholly or not at all, and every
/// operation the child reported as committed.
@Suite struct CrashTests {
    static let operations = 1_000
    static let members = 17
    static let kills = 24

    @Test func sigkillAtRandomPointsNeverLosesNorDoublesMoney() throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("crash.sqlite")
        let writer = try ProductLocator.executable("kiosk-crashwriter")
        var generator = SystemRandomNumberGenerator()
        var lastCommitted = 0
        var killsMidStream = 0

        for run in 0..<Self.kills {
            let child = try ChildProcess(executable: writer, arguments: [path, "\(Self.operations)", "\(Self.members)"])
            // Half the runs die at a random moment early on (during start-up, WAL recovery, the
            // replay of what is already committed, or the first new operations), half once they
            // have committed a random number of new operations.
            if run % 2 == 0 {
                usleep(UInt32.random(in: 0...60_000, using: &generator))
            } else {
                let target = min(Self.operations - 1, lastCommitted + Int.random(in: 0...80, using: &generator))
                child.waitUntil { $0.lastOK >= target || $0.finished }
                usleep(UInt32.random(in: 0...3_000, using: &generator))
            }
            child.kill()
            let seen = child.finish()
            #expect(seen.errors.isEmpty, "the writer failed: \(seen.errors)")
            if !seen.finished { killsMidStream += 1 }
            let committed = try verify(path: path, reportedUpTo: seen.lastOK, previous: lastCommitted)
            lastCommitted = committed
        }
        #expect(killsMidStream >= Self.kills / 2, "most kills must land before the stream finished")

        // A last run to the end: what was committed before is replayed, never applied twice.
        let child = try ChildProcess(executable: writer, arguments: [path, "\(Self.operations)", "\(Self.members)"])
        child.waitUntil { $0.finished || !$0.errors.isEmpty }
        let seen = child.finish()
        #expect(seen.finished)
        #expect(seen.replayed == lastCommitted, "every operation committed before must be replayed, not reapplied")
        #expect(try verify(path: path, reportedUpTo: Self.operations - 1, previous: lastCommitted) == Self.operations)
    }

    @Test func theOperatingSystemRefusingWritesFailsCleanlyAndLosesNothing() throws {
        // RLIMIT_FSIZE makes the kernel refuse writes past a size, as a full disk does, in a real
        // child process: the store must report a typed error, keep every committed operation
        // whole, and carry on once there is room.
        let directory = try TemporaryDirectory()
        let path = directory.file("full.sqlite")
        let writer = try ProductLocator.executable("kiosk-crashwriter")
        let limited = try ChildProcess(executable: writer, arguments: [path, "\(Self.operations)", "\(Self.members)", "\(2 * 1024 * 1024)"])
        limited.waitUntil { $0.finished || $0.failure != nil }
        let seen = limited.finish()
        #expect(!seen.finished, "the size limit must stop the stream")
        #expect(seen.lastOK >= 5, "the limit must strike in the middle of the stream, not during set-up")
        let failure = try #require(seen.failure)
        #expect(failure.hasPrefix("disk-full:") || failure.hasPrefix("io-error:"), "\(failure)")
        #expect(failure.contains("nothing was written"))
        #expect(seen.exitStatus == 73)
        let committed = try verify(path: path, reportedUpTo: seen.lastOK, previous: 0)
        #expect(committed == seen.lastOK + 1, "exactly the operations reported before the failure are committed")

        let unlimited = try ChildProcess(executable: writer, arguments: [path, "\(Self.operations)", "\(Self.members)"])
        unlimited.waitUntil { $0.finished || !$0.errors.isEmpty }
        let after = unlimited.finish()
        #expect(after.finished)
        #expect(after.replayed == committed)
        #expect(try verify(path: path, reportedUpTo: Self.operations - 1, previous: committed) == Self.operations)
    }

    /// Checks the database after a kill and returns how many operations are committed.
    private func verify(path: String, reportedUpTo lastOK: Int, previous: Int) throws -> Int {
        let store = try KioskStore(path: path)
        let report = try store.check()
        #expect(report.integrity == ["ok"])
        #expect(report.isHealthy, "check after a kill: \(report)")
        let queue = try DatabaseQueue(path: path, configuration: { var c = Configuration(); c.readonly = true; return c }())
        defer { try? queue.close() }
        return try queue.read { db in
            let keys = try String.fetchAll(db, sql: "SELECT idempotency_key FROM business_transactions WHERE kind = 'purchase'")
            let indices = Set(keys.compactMap { Int($0.dropFirst("crash-op-".count)) })
            #expect(indices.count == keys.count)
            // Operations commit in order, so the committed ones are exactly 0..<n, n ≥ what the
            // child reported and ≥ what was committed before.
            let committed = indices.count
            #expect(indices == Set(0..<committed), "committed operations must be a prefix of the stream")
            #expect(committed >= lastOK + 1, "an operation reported as committed is missing")
            #expect(committed >= previous)

            for table in ["ledger", "business_transactions"] {
                let duplicates = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM (SELECT idempotency_key FROM \(table) GROUP BY idempotency_key HAVING COUNT(*) > 1)")
                #expect(duplicates == 0, "an idempotency key appears twice in \(table)")
            }
            // Each committed operation wrote exactly its postings, one event, and its audit row.
            var expected: [String: Int64] = [:]
            let ledgerRows = try Row.fetchAll(db, sql: """
                SELECT t.idempotency_key, l.member_id, l.account, l.amount, l.lot_id
                FROM ledger l JOIN business_transactions t ON t.id = l.transaction_id
                WHERE t.kind = 'purchase' ORDER BY l.seq
                """)
            var rowsByOperation: [Int: [Row]] = [:]
            for row in ledgerRows { rowsByOperation[Int((row[0] as String).dropFirst("crash-op-".count))!, default: []].append(row) }
            for i in 0..<committed {
                let postings = CrashStream.postings(i, members: Self.members)
                let rows = rowsByOperation[i] ?? []
                #expect(rows.count == postings.count, "operation \(i) has \(rows.count) ledger rows, expected \(postings.count)")
                for (row, posting) in zip(rows, postings) {
                    #expect(row[1] as String == posting.memberID.rawValue)
                    #expect(row[2] as String == posting.account.rawValue)
                    #expect(row[3] as Int64 == posting.amount)
                    #expect(row[4] as String? == posting.lotID?.rawValue)
                }
                for posting in postings { expected["\(posting.memberID)/\(posting.account.rawValue)", default: 0] += posting.amount }
            }
            #expect(rowsByOperation.keys.allSatisfy { $0 < committed })
            let events = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM outbox o JOIN business_transactions t ON t.id = o.transaction_id WHERE t.kind = 'purchase'")
            #expect(events == committed, "exactly one outbox event per committed operation")
            // Each event reads back with its operation's result as its payload, stored once.
            for i in 0..<committed {
                let event = try store.outboxEvent(for: CrashStream.key(i))
                #expect(event?.payload == CrashStream.result(i), "operation \(i)'s event payload")
                #expect(event?.payloadIsTransactionResult == true)
            }
            let ownBytes = try Int.fetchOne(db, sql: "SELECT COALESCE(SUM(length(payload)), 0) FROM outbox WHERE payload_source = 'result'")
            #expect(ownBytes == 0, "an event carrying its transaction's result stores no bytes of its own")
            let audits = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM audit_log a JOIN business_transactions t ON t.id = a.transaction_id WHERE t.kind = 'purchase'")
            #expect(audits == (0..<committed).filter { $0 % 3 == 0 }.count)
            // Every balance equals the sum of the operations committed, computed independently.
            let balances = try Row.fetchAll(db, sql: "SELECT member_id, account, amount FROM balances")
            var actual: [String: Int64] = [:]
            for row in balances { actual["\(row[0] as String)/\(row[1] as String)"] = row[2] }
            #expect(actual.filter { $0.value != 0 } == expected.filter { $0.value != 0 })
            return committed
        }
    }
}

/// A child process whose stdout lines are watched while it runs.
final class ChildProcess: @unchecked Sendable {
    struct Seen {
        var lastOK = -1
        var replayed = 0
        var finished = false
        var failure: String?
        var exitStatus: Int32?
        var errors: [String] = []
    }

    private let process = Process()
    private let output = Pipe()
    private let errorOutput = Pipe()
    private let lock = NSLock()
    private var seen = Seen()
    private var buffer = Data()

    init(executable: String, arguments: [String]) throws {
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.standardOutput = output
        process.standardError = errorOutput
        output.fileHandleForReading.readabilityHandler = { [weak self] handle in self?.consume(handle.availableData) }
        try process.run()
    }

    private func consume(_ data: Data) {
        lock.withLock {
            buffer.append(data)
            while let newline = buffer.firstIndex(of: 0x0A) {
                let line = String(decoding: buffer[buffer.startIndex..<newline], as: UTF8.self)
                buffer.removeSubrange(buffer.startIndex...newline)
                if line.hasPrefix("ok "), let i = Int(line.dropFirst(3)) {
                    seen.lastOK = i
                } else if line.hasPrefix("replayed ") {
                    seen.replayed += 1
                } else if line == "done" {
                    seen.finished = true
                } else if line.hasPrefix("failed ") {
                    seen.failure = String(line.dropFirst("failed ".count))
                }
            }
        }
    }

    func waitUntil(timeout: TimeInterval = 120, _ condition: (Seen) -> Bool) {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline && process.isRunning {
            if lock.withLock({ condition(seen) }) { return }
            usleep(200)
        }
    }

    func kill() {
        if process.isRunning { Foundation.kill(process.processIdentifier, SIGKILL) }
    }

    /// Waits for the process to end and returns everything it reported.
    func finish() -> Seen {
        process.waitUntilExit()
        output.fileHandleForReading.readabilityHandler = nil
        consume(output.fileHandleForReading.readDataToEndOfFile())
        let stderr = String(decoding: errorOutput.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        return lock.withLock {
            var result = seen
            if process.terminationReason == .exit { result.exitStatus = process.terminationStatus }
            if process.terminationReason == .exit && process.terminationStatus != 0 && seen.failure == nil {
                result.errors.append("exit \(process.terminationStatus): \(stderr)")
            }
            return result
        }
    }
}
