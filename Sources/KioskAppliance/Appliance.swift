import Foundation
import KioskCore
import KioskEngine
import KioskInput
import KioskLoyalty
import KioskReaders
import KioskReceipts
import KioskRender
import KioskScan
import KioskSession
import KioskStore
import Logging
import ServiceLifecycle

/// Everything the appliance is built from, already read from the configuration.
public struct ApplianceParts: Sendable {
    public var store: KioskStore
    public var program: Program
    public var programJSON: Data?
    public var branch: BranchID
    public var locale: DisplayLocale
    public var timeZone: TimeZone
    public var receipts: ReceiptVerifier?
    public var interpreter: ScanInterpreter
    /// The readers' configuration; its judge is replaced by the session's.
    public var readers: ReaderService.Configuration
    public var scanners: ScannerService.Configuration
    public var settings: SessionSettings
    /// Where the program is read again when the configuration changes (nil: never reloaded).
    public var programSource: ProgramSource?
    /// The staff keypad's evdev node (`scanners.keypad`), taken only while the session asks for it.
    public var keypad: String?
    /// What a member may spend in credit before the central has acknowledged it (nil: no limit).
    public var offlineCredit: OfflineCreditLimit?

    public init(store: KioskStore, program: Program, programJSON: Data?, branch: BranchID, locale: DisplayLocale, timeZone: TimeZone,
                receipts: ReceiptVerifier?, interpreter: ScanInterpreter, readers: ReaderService.Configuration,
                scanners: ScannerService.Configuration, settings: SessionSettings = SessionSettings(), programSource: ProgramSource? = nil,
                keypad: String? = nil, offlineCredit: OfflineCreditLimit? = nil) {
        self.offlineCredit = offlineCredit
        self.programSource = programSource
        self.keypad = keypad
        self.store = store
        self.program = program
        self.programJSON = programJSON
        self.branch = branch
        self.locale = locale
        self.timeZone = timeZone
        self.receipts = receipts
        self.interpreter = interpreter
        self.readers = readers
        self.scanners = scanners
        self.settings = settings
    }
}

/// The appliance's service graph: devices → session → engine and store → display. `services`
/// go into the kiosk's service group (with the store watch, the forwarder and systemd).
public final class Appliance: Sendable {
    public let driver: SessionDriver
    public let display: DisplayLoop?
    /// The program served (replaced on a reload).
    public let active: ActiveProgram
    public var loyalty: LoyaltyService { active.loyalty }
    public let services: [any Service]
    /// The terminal's keyboard as the keypad, when the kiosk draws on the terminal.
    public let keys: TerminalKeys?
    /// The evdev keypad (`scanners.keypad`), beside the terminal's keyboard or instead of it.
    public let keypad: KeypadFeed?

    public init(_ parts: ApplianceParts, output: ScreenOutput?, keysFromTerminal: Bool = false, now: Date = Date(),
                logger: Logger) throws {
        try parts.store.ensureBranch(parts.branch, at: now)
        let loyalty = try LoyaltyService(store: parts.store, program: parts.program, programJSON: parts.programJSON, at: now)
        let mapper = ScreenMapper(locale: parts.locale, wheel: parts.program.wheel, timeZone: parts.timeZone,
                                  pinLength: parts.settings.pinLength.upperBound)
        let active = ActiveProgram(loyalty: loyalty, mapper: mapper)
        self.active = active
        let display = output.map { DisplayLoop(output: $0, mapper: { active.mapper }, logger: Logger(label: "kiosk.display")) }
        self.display = display
        let driver = SessionDriver(session: Session(settings: parts.settings), display: display)
        self.driver = driver
        let gate = StoreGate()
        let presentations = Presentations(resolver: TapResolver(store: parts.store), members: MemberViews(active: active),
                                          logger: Logger(label: "kiosk.readers"))
        var readers = parts.readers
        readers.judge = ReaderFeed.judge(presentations: presentations, driver: driver)
        let operations = Operations(active: active, gate: gate, receipts: parts.receipts, branch: parts.branch,
                                    tokens: parts.readers.policy.tokenKeys.map { TokenWriter(keys: $0) },
                                    offlineCredit: parts.offlineCredit, logger: Logger(label: "kiosk.engine"))
        let keys = keysFromTerminal ? TerminalKeys(driver: driver) : nil
        self.keys = keys
        let keypadLogger = Logger(label: "kiosk.keypad")
        let keypad = parts.keypad.map { node in
            KeypadFeed(node: node, key: { key in _ = driver.submit(.key(Self.key(key), at: Date())) },
                       problem: { why in keypadLogger.warning("the PIN keypad cannot be read", metadata: ["why": "\(why)"]) })
        }
        self.keypad = keypad
        services = [
            SessionService(driver: driver, operations: operations, keypad: { keys?.setEnabled($0); keypad?.setTaken($0) }, programSource: parts.programSource,
                           logger: Logger(label: "kiosk.session")),
            ReaderFeed(service: ReaderService(configuration: readers), driver: driver, logger: Logger(label: "kiosk.readers")),
            ScannerFeed(service: ScannerService(configuration: parts.scanners), interpreter: parts.interpreter, driver: driver,
                        presentations: presentations, gate: gate, logger: Logger(label: "kiosk.scanners")),
        ]
        logger.info("appliance ready", metadata: ["program": "\(parts.program.version)",
                                                 "display": "\(display?.summary ?? "none")"])
    }

    /// A key of the evdev keypad as the session's.
    static func key(_ key: KeypadFeed.Key) -> KeypadKey {
        switch key {
        case .digit(let d): .digit(d)
        case .enter: .enter
        case .backspace: .backspace
        case .cancel: .cancel
        }
    }

    /// Gives the display back (after the service group stopped).
    public func stop() {
        keys?.stop()
        keypad?.stop()
        display?.stop()
    }
}
