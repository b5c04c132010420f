import Dispatch
import Foundation
import KioskCards
import KioskPCSC
@testable import KioskReaders
import Synchronization
import Testing

/// The watchdog's rules with reads played by the test (no pcscd): a read past its deadline is one
/// `noAnswer` tap and its late result is dropped, a stuck reader gets no second worker, and a
/// reader's events keep their order around its reads.
@Suite struct WatchdogTests {
    /// Reads played by the test: reads on `blocked` readers wait until `release(reader)`; each
    /// tap carries the number of the read on its reader in `apdus`, to tell reads apart.
    final class Reads: Sendable {
        private struct State {
            var counts: [String: Int] = [:]
            var blocked: Set<String> = []
            var threads: Set<pthread_t> = []
        }
        private let state = Mutex(State())
        private let gates = Mutex<[String: DispatchSemaphore]>([:])

        init(blocked: Set<String>) { state.withLock { $0.blocked = blocked } }

        func count(_ reader: String) -> Int { state.withLock { $0.counts[reader] ?? 0 } }

        /// The threads the reads ran on.
        var threads: Set<pthread_t> { state.withLock { $0.threads } }

        /// Lets the blocked read on `reader` return, and the later ones go through at once.
        func release(_ reader: String) {
            state.withLock { _ = $0.blocked.remove(reader) }
            gate(reader).signal()
        }

        private func gate(_ reader: String) -> DispatchSemaphore {
            gates.withLock { gates in
                if let gate = gates[reader] { return gate }
                let gate = DispatchSemaphore(value: 0)
                gates[reader] = gate
                return gate
            }
        }

        func read(_ presentation: Presentation) -> CardReadResult {
            let (n, blocked) = state.withLock { s -> (Int, Bool) in
                s.counts[presentation.reader, default: 0] += 1
                s.threads.insert(pthread_self())
                return (s.counts[presentation.reader]!, s.blocked.contains(presentation.reader))
            }
            if blocked { gate(presentation.reader).wait() }
            return .tap(Tap(reader: presentation.reader, atr: presentation.atr, kind: .mifareClassic, uid: [1, 2, 3, 4],
                            outcome: .identified(.bareUID([1, 2, 3, 4], card: CardCredential.uidCardID([1, 2, 3, 4]))), apdus: n))
        }
    }

    static let atr = [UInt8](repeating: 0x3B, count: 4)

    func watchdog(_ reads: Reads, _ log: EventLog, timeout: Duration) -> ReadWatchdog {
        ReadWatchdog(timeout: timeout, busyRetries: 3, read: { presentation, _, _ in reads.read(presentation) }, emit: log.append)
    }

    func taps(_ log: EventLog, _ reader: String) -> [Tap] {
        log.all.compactMap { if case .tap(let tap) = $0, tap.reader == reader { tap } else { nil } }
    }

    func wait(_ what: @autoclosure () -> Bool, timeout: Double = 10) async -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while !what(), Date() < deadline { try? await Task.sleep(for: .milliseconds(10)) }
        return what()
    }

    @Test func aBlockedReadHoldsUpNoOtherReader() async throws {
        let reads = Reads(blocked: ["A"])
        let log = EventLog()
        // A deadline far away: A stays blocked, without a tap, for the whole test.
        let watchdog = watchdog(reads, log, timeout: .seconds(60))
        watchdog.present(Presentation(reader: "A", atr: Self.atr))
        watchdog.present(Presentation(reader: "B", atr: Self.atr))
        #expect(await wait(taps(log, "B").count == 1), "B is read while A is blocked")
        #expect(taps(log, "A").isEmpty)
        #expect(reads.count("A") == 1)
        reads.release("A")
        #expect(await wait(taps(log, "A").count == 1))
        watchdog.close()
    }

    @Test func aReadPastItsDeadlineIsOneNoAnswerTapAndItsLateResultIsDropped() async throws {
        let reads = Reads(blocked: ["A"])
        let log = EventLog()
        let watchdog = watchdog(reads, log, timeout: .milliseconds(300))
        watchdog.present(Presentation(reader: "A", atr: Self.atr))
        #expect(await wait(taps(log, "A").count == 1))
        let timedOut = try #require(taps(log, "A").first)
        #expect(timedOut.outcome == .failed(.noAnswer(within: .milliseconds(300))))
        #expect(try #require(timedOut.elapsed) >= .milliseconds(300), "not given up before the deadline")
        #expect(watchdog.isStuck("A"))
        reads.release("A")
        #expect(await wait(!watchdog.isStuck("A")), "the abandoned worker ends once its call returns")
        #expect(taps(log, "A").map(\.outcome) == [.failed(.noAnswer(within: .milliseconds(300)))], "its late result is dropped")
    }

    @Test func aCardPresentedOnAStuckReaderWaitsForItsWorkerInsteadOfStartingAnother() async throws {
        let reads = Reads(blocked: ["A"])
        let log = EventLog()
        let watchdog = watchdog(reads, log, timeout: .milliseconds(200))
        watchdog.present(Presentation(reader: "A", atr: Self.atr))
        #expect(await wait(taps(log, "A").count == 1))
        watchdog.cardLeft("A", .cardRemoved("A"))
        watchdog.present(Presentation(reader: "A", atr: Self.atr))
        #expect(log.all.last == .readerStuck("A"))
        // Past another deadline and several retries, still one read started on A.
        for _ in 0..<5 {
            watchdog.retryWaiting()
            try await Task.sleep(for: .milliseconds(100))
        }
        #expect(reads.count("A") == 1, "no second worker on a stuck reader")
        #expect(taps(log, "A").count == 1)
        #expect(!watchdog.isIdle, "the presentation waits")

        reads.release("A")
        #expect(await wait(!watchdog.isStuck("A")))
        watchdog.retryWaiting()
        #expect(await wait(taps(log, "A").count == 2))
        let second = try #require(taps(log, "A").last)
        #expect(second.apdus == 2, "the waiting card got a read of its own, the abandoned read's result is not it")
        #expect(reads.count("A") == 2)
    }

    @Test func eventsAboutAReaderComeAfterTheTapOfItsReadInFlight() async throws {
        let reads = Reads(blocked: ["A"])
        let log = EventLog()
        let watchdog = watchdog(reads, log, timeout: .seconds(30))
        watchdog.present(Presentation(reader: "A", atr: Self.atr))
        watchdog.cardLeft("A", .cardRemoved("A"))
        watchdog.emit(.readerAdded("B"), about: "B")
        #expect(log.all == [.readerAdded("B")], "A's removal waits for A's tap")
        reads.release("A")
        #expect(await wait(log.all.count == 3))
        let events = log.all
        guard events.count == 3, case .tap(let tap) = events[1] else {
            Issue.record("unexpected events \(events)")
            return
        }
        #expect(tap.reader == "A")
        #expect(events[2] == .cardRemoved("A"))
        #expect(watchdog.isIdle)
    }

    @Test func aWorkerIsReusedFromTapToTap() async throws {
        let reads = Reads(blocked: [])
        let log = EventLog()
        let watchdog = watchdog(reads, log, timeout: .seconds(30))
        for n in 1...3 {
            watchdog.present(Presentation(reader: "A", atr: Self.atr))
            #expect(await wait(taps(log, "A").count == n))
        }
        #expect(taps(log, "A").map(\.apdus) == [1, 2, 3])
        #expect(reads.threads.count == 1, "one worker thread for the reader's three taps")
        watchdog.close()
    }

    /// Stopping, the service waits for its workers: a worker still releasing its PC/SC context as
    /// the process exits crashes it (pcsc-lite frees its contexts in a destructor).
    @Test func closingJoinsAReadInFlightAndTheIdleWorkers() async throws {
        let reads = Reads(blocked: ["A"])
        let log = EventLog()
        let watchdog = watchdog(reads, log, timeout: .seconds(30))
        watchdog.present(Presentation(reader: "B", atr: Self.atr))
        #expect(await wait(taps(log, "B").count == 1))
        watchdog.present(Presentation(reader: "A", atr: Self.atr))
        #expect(await wait(reads.count("A") == 1))
        DispatchQueue.global().asyncAfter(deadline: .now() + .milliseconds(300)) { reads.release("A") }
        let joined = watchdog.close(joiningWithin: .seconds(10))
        #expect(joined, "every worker ended within the limit")
        #expect(!watchdog.isStuck("A"), "A's worker ended before close returned, not after")
        #expect(taps(log, "A").isEmpty, "the read in flight is abandoned without a tap")
    }

    @Test func closingGivesUpOnAWorkerThatStaysBlockedPastTheLimit() async throws {
        let reads = Reads(blocked: ["A"])
        let log = EventLog()
        let watchdog = watchdog(reads, log, timeout: .seconds(30))
        watchdog.present(Presentation(reader: "A", atr: Self.atr))
        #expect(await wait(reads.count("A") == 1))
        let started = ContinuousClock.now
        #expect(!watchdog.close(joiningWithin: .milliseconds(300)), "a worker is still blocked")
        #expect(ContinuousClock.now - started >= .milliseconds(300))
        #expect(watchdog.isStuck("A"))
        reads.release("A")
        #expect(await wait(!watchdog.isStuck("A")))
    }
}
