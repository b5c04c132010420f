import Foundation
import KioskCore
import KioskSession
import KioskStore
import Logging
import ServiceLifecycle

/// The session's service in the kiosk's service group: ticks the session (timeouts, the wheel's
/// frames) and carries out what it asks, each operation in a task of its own so a slow one holds
/// up no other, its result fed back as `.completed`.
public struct SessionService: Service {
    public let driver: SessionDriver
    public let operations: Operations
    public let tick: Duration
    public let keypad: (@Sendable (Bool) -> Void)?
    /// Read again when the session, idle, applies a configuration change.
    public let programSource: ProgramSource?
    let logger: Logger

    public init(driver: SessionDriver, operations: Operations, tick: Duration = .milliseconds(250),
                keypad: (@Sendable (Bool) -> Void)? = nil, programSource: ProgramSource? = nil, logger: Logger) {
        self.programSource = programSource
        self.driver = driver
        self.operations = operations
        self.tick = tick
        self.keypad = keypad
        self.logger = logger
    }

    public func run() async throws {
        driver.showCurrent()
        // A spin whose animation a restart cut short: its result, as committed, on screen again.
        let settings = driver.settings
        if let (member, outcome) = await operations.spinToRestore(now: Date(), window: settings.wheelAnimation + settings.resultTimeout,
                                                                   members: MemberViews(active: operations.active)) {
            logger.notice("showing the result of a spin committed before the restart", metadata: ["member": "\(member.id)"])
            driver.submit(.restoredSpin(member, outcome))
        }
        await withDiscardingTaskGroup { group in
            group.addTask {
                while !Task.isCancelled && !Task.isShuttingDownGracefully {
                    try? await Task.sleep(for: tick)
                    driver.submit(.tick)
                }
                driver.finish()
            }
            for await work in driver.work.cancelOnGracefulShutdown() {
                switch work {
                case .perform(let id, let request):
                    group.addTask {
                        let result = await operations.perform(request)
                        driver.submit(.completed(id, result))
                    }
                case .audit(let entry):
                    await audit(entry)
                case .keypad(let enabled):
                    keypad?(enabled)
                case .applyConfiguration:
                    // At idle (the session asks only then): no flow sees two programs.
                    if let programSource { await operations.reloadProgram(from: programSource, at: Date()) }
                }
            }
            group.cancelAll()
        }
    }

    private func audit(_ entry: SessionAudit) async {
        let store = operations.loyalty.store
        do {
            try await operations.gate.run {
                try store.appendAudit(AuditEntry(operatorID: entry.staff, role: entry.role, action: entry.action, subject: entry.subject),
                                      at: entry.at)
            }
        } catch {
            logger.error("audit entry could not be written", metadata: ["action": "\(entry.action)", "error": "\(error)"])
        }
    }
}
