import ArgumentParser
import Foundation
import KioskAppliance
import KioskConfig
import KioskEngine
import KioskLoyalty
import KioskCore
import KioskInput
import KioskReaders
import KioskSession
import KioskStore
import KioskSync
import KioskSystemd
import Logging
import ServiceLifecycle

struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run the kiosk service until SIGTERM or SIGINT.",
        discussion: """
            Opens (and migrates) the store, loads the loyalty program (`kiosk.program`), then runs the \
            kiosk's services in one service group that stops them gracefully on SIGTERM or SIGINT: \
            the card readers and the scanners feed the customer session (docs/session.md), which \
            greets members with their balances, spins the wheel on a second tap, claims receipts and \
            shows vouchers, committing through the engine and the store; the screens go to the \
            framebuffer, else to the terminal on standard output (`display.backend`). Taps are logged \
            by ids only. Under systemd (`Type=notify`) it says READY=1 once its services run, feeds \
            the watchdog at half of WATCHDOG_USEC while the store answers, and says STOPPING=1 on the \
            way out. With `central.url` set, the outbox's events are forwarded to the central as they \
            commit (backing off while it is away). Staff cards (`kiosk staff add`) open the staff \
            session; its keypad is `scanners.keypad` (grabbed only while the session asks for digits) \
            and, when the kiosk draws on a terminal, that terminal's keyboard.
            """)

    @OptionGroup var options: CommonOptions

    @Option(help: "Seconds between store status lines in the log.")
    var statusInterval: Int = 60

    @Flag(help: ArgumentHelp("Run the demo kiosk: the example program, demo members and cards, development keys, in a directory of its own "
                             + "($KIOSK_DEMO_DIR, else $XDG_STATE_HOME/kiosk/demo); tap with `kiosk sim card` (docs/session.md)."))
    var demo = false

    func run() async throws {
        var options = self.options
        if demo { options.config = try prepareDemo() }
        let configuration = try options.loadConfiguration()
        let logger = Logger(label: "kiosk")
        let store = try options.openStore(configuration)
        let report: QuickHealthReport
        do {
            report = try store.quickCheck()
        } catch {
            throw fail(error.message, KioskExit.code(for: error))
        }
        logger.info("kiosk starting", metadata: [
            "version": "\(BuildInfo.version)",
            "kiosk": "\(configuration.kiosk.id)",
            "branch": "\(configuration.kiosk.branch)",
            "config": "\(configuration.source ?? "defaults")",
            "store": "\(store.path)",
            "healthy": "\(report.isHealthy)",
            "outbox_pending": "\(report.outboxPending)",
        ])
        if !report.isHealthy {
            logger.error("the store failed its start-up check; run `kiosk db check` for details",
                         metadata: ["integrity": "\(report.integrity.prefix(3).joined(separator: "; "))"])
        }
        let watch = StoreWatch(store: store, interval: .seconds(max(1, statusInterval)), logger: Logger(label: "kiosk.store"))
        let central = CentralFiles.directory(forDatabase: store.path)
        let program: Program, programJSON: Data
        do { (program, programJSON) = try readProgram(configuration, central: central, logger: logger) } catch {
            throw fail(error.description, error.exit)
        }
        let parts = ApplianceParts(
            store: store, program: program, programJSON: programJSON, branch: configuration.kiosk.branch,
            locale: DisplayPolicy.locale(configuration), timeZone: TimeZone(identifier: configuration.kiosk.timeZone) ?? .current,
            receipts: configuration.receipts.publicKeyFiles.isEmpty && configuration.receipts.key == nil ? nil
                : try ReceiptPolicy.verifier(configuration),
            interpreter: try ScannerPolicy.interpreter(configuration),
            readers: .init(
                readers: ReaderPolicy.filter(configuration),
                policy: try ReaderPolicy.identification(configuration, counters: store),
                feedback: configuration.readers.feedback,
                feedbackOverrides: ReaderPolicy.feedbackOverrides(configuration),
                cardTimeout: ReaderPolicy.cardTimeout(configuration)),
            scanners: ScannerPolicy.service(configuration),
            settings: {
                var settings = SessionSettings()
                settings.spinConfirmWindow = TimeInterval(configuration.kiosk.spinConfirmSeconds)
                return settings
            }(),
            programSource: ProgramSource { [configuration, logger] in
                let (program, data) = try readProgram(configuration, central: central, logger: logger)
                return (program, data)
            },
            keypad: configuration.scanners.keypad,
            offlineCredit: OfflineCreditPolicy.limit(configuration))
        let appliance: Appliance
        do {
            let output = try DisplayPolicy.output(configuration, logger: logger)
            appliance = try Appliance(parts, output: output, keysFromTerminal: output is TerminalOutput, logger: logger)
        } catch let error as LoyaltyError {
            throw fail("the loyalty program could not be prepared: \(error)", KioskExit.software)
        }
        let systemd = SystemdService(
            notifier: SystemdNotifier(environment: ProcessInfo.processInfo.environment),
            logger: Logger(label: "kiosk.systemd"),
            status: { "kiosk \(configuration.kiosk.id) serving" },
            isAlive: { (try? store.outboxPending()) != nil })
        var forwarding: [any Service] = []
        if configuration.central.url != nil {
            let client = try CentralCommandSupport.client(configuration)
            let driver = appliance.driver
            forwarding.append(CentralService.make(store, client: client, branch: configuration.kiosk.branch, logger: Logger(label: "kiosk.sync"),
                                                  activated: { _ = driver.submit(.configurationChanged) }))
        } else {
            logger.notice("no central API configured (central.url): events wait in the outbox")
        }
        // SIGHUP reads the program again (`systemctl reload kiosk`), except where the kiosk draws
        // on the terminal: there it means the terminal went away, and the kiosk stops.
        let drawsOnTerminal = appliance.keys != nil
        let reload: [any Service] = drawsOnTerminal ? [] : [ReloadOnHangup(driver: appliance.driver, logger: logger)]
        let group = ServiceGroup(configuration: .init(
            services: [watch] + appliance.services + forwarding + reload + [systemd],
            gracefulShutdownSignals: drawsOnTerminal ? [.sigterm, .sigint, .sighup] : [.sigterm, .sigint],
            logger: logger))
        do {
            try await group.run()
        } catch {
            appliance.stop()
            throw error
        }
        appliance.stop()
        logger.info("kiosk stopped")
    }
}

extension RunCommand {
    /// Prepares the demo's directory (seeding its store once) and returns its configuration file.
    /// When standard error is the terminal the kiosk draws on, the log goes to the demo's log file.
    func prepareDemo() throws -> String {
        let environment = ProcessInfo.processInfo.environment
        // The path it was started by (made absolute, symlinks kept: `.build/debug/kiosk`), for the instructions.
        let invoked = CommandLine.arguments[0]
        let executable = invoked.contains("/") ? URL(fileURLWithPath: invoked).standardizedFileURL.path
            : (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? invoked
        let demo: Demo
        do {
            let programs = try Demo.locatePrograms(Demo.programCandidates(environment: environment, executable: executable))
            demo = Demo(directory: environment["KIOSK_DEMO_DIR"].flatMap { $0.isEmpty ? nil : $0 } ?? Demo.defaultDirectory(environment: environment),
                        programs: programs)
            if try demo.prepare() {
                let replay = Process()
                replay.executableURL = URL(fileURLWithPath: executable)
                replay.arguments = ["engine", "replay", "--program", demo.programPath, "--events", demo.eventsPath,
                                    "--db", demo.storePath, "--summary"]
                replay.standardOutput = FileHandle.nullDevice
                try replay.run()
                replay.waitUntilExit()
                guard replay.terminationStatus == 0 else {
                    try? FileManager.default.removeItem(atPath: demo.storePath)
                    throw fail("the demo members could not be replayed into \(demo.storePath) (exit \(replay.terminationStatus))",
                               KioskExit.software)
                }
            }
        } catch let failure as Demo.Failure {
            throw fail("demo: \(failure)", KioskExit.noInput)
        }
        FileHandle.standardError.write(Data(demo.instructions(executable: executable).utf8))
        if isatty(STDERR_FILENO) == 1, isatty(STDOUT_FILENO) == 1 {
            if isatty(STDIN_FILENO) == 1 {
                FileHandle.standardError.write(Data("Starting in 20 s (Enter starts now)…\n".utf8))
                var ready = pollfd(fd: STDIN_FILENO, events: Int16(POLLIN), revents: 0)
                if poll(&ready, 1, 20_000) > 0 { _ = readLine() }
            }
            let log = open(demo.logPath, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o600)
            if log >= 0 {
                dup2(log, STDERR_FILENO)
                close(log)
            }
        }
        return demo.configurationPath
    }
}

/// The program `kiosk run` serves: the one the central's configuration activated, else
/// `kiosk.program`, else one that gives nothing. Read at start (a problem stops the kiosk with its
/// exit code) and again at each reload (a problem leaves the served program in place).
func readProgram(_ configuration: KioskConfiguration, central: String, logger: Logger) throws(ProgramReadError) -> (Program, Data) {
    let activated = central + "/program.json"
    if configuration.central.url != nil, let data = FileManager.default.contents(atPath: activated) {
        // Validated before it was activated; checked again, as any file read at start.
        do { return (try ProgramLoader.load(data), data) } catch {
            logger.error("the central's activated program does not load; using kiosk.program",
                         metadata: ["file": "\(activated)", "problems": "\(error.issues.count)"])
        }
    }
    guard let path = configuration.kiosk.program else {
        let data = Data(#"{"format": 1, "version": "none", "timeZone": "\#(configuration.kiosk.timeZone)", "productGroups": ["general"], "points": {"base": {"units": 0, "perRial": 100000}}}"#.utf8)
        do { return (try ProgramLoader.load(data), data) } catch { throw ProgramReadError("the built-in program: \(error)", KioskExit.software) }
    }
    guard let data = FileManager.default.contents(atPath: path) else {
        throw ProgramReadError("kiosk.program: cannot read \(path)", KioskExit.noInput)
    }
    do { return (try ProgramLoader.load(data), data) } catch {
        throw ProgramReadError("kiosk.program \(path): \(error.issues.count) problem(s); run `kiosk engine check \(path)`", KioskExit.dataError)
    }
}

/// Why the program could not be read, and the exit code it means at start.
struct ProgramReadError: Error, CustomStringConvertible {
    let description: String
    let exit: ExitCode

    init(_ description: String, _ exit: ExitCode) {
        self.description = description
        self.exit = exit
    }
}

/// Logs the forwarding queue's depth periodically, and a failing store at once.
struct StoreWatch: Service {
    let store: KioskStore
    let interval: Duration
    let logger: Logger

    func run() async throws {
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            do {
                let pending = try store.outboxPending()
                logger.info("store status", metadata: ["outbox_pending": "\(pending)"])
            } catch {
                logger.error("store check failed", metadata: ["error": "\(error)"])
            }
            try? await cancelWhenGracefulShutdown {
                try await Task.sleep(for: interval)
            }
        }
    }
}
