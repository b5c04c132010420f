import Foundation
import Logging
import ServiceLifecycle
import ServiceLifecycleTestKit
import KioskTestSupport
import Testing
@testable import KioskSystemd

@Suite struct SystemdNotifierTests {
    @Test func noNotifySocketMeansNoNotifier() {
        #expect(SystemdNotifier(environment: [:]) == nil)
        #expect(SystemdNotifier(environment: ["NOTIFY_SOCKET": ""]) == nil)
    }

    @Test func aStateReachesAPathSocketAsOneDatagram() throws {
        let socket = try NotifySocket()
        let notifier = try #require(SystemdNotifier(environment: ["NOTIFY_SOCKET": socket.path]))
        try notifier.send("READY=1\nSTATUS=serving")
        #expect(socket.receive(timeout: 2) == "READY=1\nSTATUS=serving")
    }

    @Test func anAtSignNamesTheAbstractNamespace() throws {
        let socket = try NotifySocket(abstract: true)
        let notifier = try #require(SystemdNotifier(environment: ["NOTIFY_SOCKET": socket.path]))
        try notifier.send("WATCHDOG=1")
        #expect(socket.receive(timeout: 2) == "WATCHDOG=1")
    }

    @Test func aMissingSocketIsATypedError() throws {
        let notifier = try #require(SystemdNotifier(environment: ["NOTIFY_SOCKET": "/nonexistent/notify"]))
        #expect(throws: NotifyError(operation: "sendto", errno: ENOENT)) { try notifier.send("READY=1") }
    }

    @Test func theWatchdogIntervalIsHalfTheTimeoutAndOnlyForThisProcess() throws {
        let base = ["NOTIFY_SOCKET": "/run/x"]
        let armed = try #require(SystemdNotifier(environment: base.merging(["WATCHDOG_USEC": "3000000"]) { $1 }, processID: 42))
        #expect(armed.watchdogTimeout == .seconds(3))
        #expect(armed.watchdogInterval == .milliseconds(1500))
        let ours = try #require(SystemdNotifier(environment: base.merging(["WATCHDOG_USEC": "2000000", "WATCHDOG_PID": "42"]) { $1 }, processID: 42))
        #expect(ours.watchdogInterval == .seconds(1))
        let parents = try #require(SystemdNotifier(environment: base.merging(["WATCHDOG_USEC": "2000000", "WATCHDOG_PID": "41"]) { $1 }, processID: 42))
        #expect(parents.watchdogInterval == nil)
        for bad in ["0", "-5", "soon", "99999999999999999999"] {
            let notifier = try #require(SystemdNotifier(environment: base.merging(["WATCHDOG_USEC": bad]) { $1 }, processID: 42))
            #expect(notifier.watchdogInterval == nil, "WATCHDOG_USEC=\(bad)")
        }
    }

    @Test func withoutSystemdTheServiceStaysUntilShutdown() async throws {
        let service = SystemdService(notifier: nil, logger: Logger(label: "test"))
        try await testGracefulShutdown { trigger in
            let task = Task { try await service.run(); return Date() }
            try await Task.sleep(for: .milliseconds(200))
            let triggered = Date()
            trigger.triggerGracefulShutdown()
            // Returning earlier would end `kiosk run`'s whole service group.
            #expect(try await task.value >= triggered)
        }
    }

    @Test func theServiceSaysReadyFeedsTheWatchdogOnlyWhileAliveAndSaysStopping() async throws {
        let socket = try NotifySocket()
        let notifier = try #require(SystemdNotifier(
            environment: ["NOTIFY_SOCKET": socket.path, "WATCHDOG_USEC": "100000"]))
        let alive = AliveFlag()
        let service = SystemdService(notifier: notifier, logger: Logger(label: "test"),
                                     status: { "serving" }, isAlive: { alive.ask() })
        // The waits are long only so that a starved thread pool (the whole suite runs in
        // parallel on two cores) cannot fail the test; nothing here is timed.
        try await testGracefulShutdown { trigger in
            let task = Task { try await service.run() }
            #expect(await socket.next(timeout: 300) == "READY=1\nSTATUS=serving")
            #expect(await socket.next(timeout: 300) == "WATCHDOG=1")
            #expect(await socket.next(timeout: 300) == "WATCHDOG=1")
            let asked = alive.stop()
            // Until the service has asked three more times, at most the one ping already under
            // way when the kiosk stopped answering may arrive: a dead kiosk feeds no watchdog.
            var late = 0
            while alive.asked < asked + 3 { if await socket.next(timeout: 0.05) != nil { late += 1 } }
            while await socket.next(timeout: 0.05) != nil { late += 1 }
            #expect(late <= 1, "\(late) pings after the kiosk stopped answering")
            trigger.triggerGracefulShutdown()
            try await task.value
            #expect(await socket.next(timeout: 300) == "STOPPING=1")
        }
    }
}

/// Whether the kiosk answers, and how often the service asked.
final class AliveFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var answering = true
    private var count = 0

    func ask() -> Bool { lock.withLock { count += 1; return answering } }
    var asked: Int { lock.withLock { count } }

    /// Stops answering; returns how often the service had asked until then.
    func stop() -> Int { lock.withLock { answering = false; return count } }
}
