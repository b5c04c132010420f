import Foundation
import KioskCore

/// The kiosk's effective configuration. Every setting has a default, so the kiosk runs with no
/// file at all on a developer machine; `docs/configuration.md` documents each key.
public struct KioskConfiguration: Sendable, Equatable {
    public enum DisplayLocale: String, Sendable, CaseIterable { case fa = "fa-IR", en = "en" }
    public enum LogFormat: String, Sendable, CaseIterable { case auto, journald, text }
    public enum LogLevel: String, Sendable, CaseIterable { case trace, debug, info, notice, warning, error, critical }
    public enum DisplayBackend: String, Sendable, CaseIterable { case auto, framebuffer, terminal }

    public struct Kiosk: Sendable, Equatable {
        /// This kiosk's id at the central API.
        public var id: String = "kiosk-dev"
        /// The branch whose transactions this kiosk records.
        public var branch: BranchID = "main"
        public var locale: DisplayLocale = .fa
        /// IANA time zone for days, happy hours and display.
        public var timeZone: String = "Asia/Tehran"
    }

    public struct Store: Sendable, Equatable {
        /// The SQLite file.
        public var path: String
        /// Where `kiosk db backup` writes when no file is named.
        public var backupDirectory: String
        /// A cap on the database size in MiB (0: none). Past it, writes fail cleanly as on a full disk.
        public var maxSizeMiB: Int = 0
    }

    public struct Log: Sendable, Equatable {
        public var level: LogLevel = .info
        /// `journald`: `<N>` priority prefixes on stderr lines; `text`: for a terminal; `auto`:
        /// journald when started by systemd (JOURNAL_STREAM set), text otherwise.
        public var format: LogFormat = .auto
    }

    public struct Readers: Sendable, Equatable {
        /// Reader name patterns (shell globs) to use; empty means all.
        public var allow: [String] = []
        /// Reader name patterns to ignore (checked after `allow`), e.g. SAM slots.
        public var ignore: [String] = ["*SAM*"]
        /// Accept a bare card UID as identification (UIDs can be cloned).
        public var acceptBareUID: Bool = false
        /// How long one read of a presented card may take before the kiosk gives up on it and
        /// reports "the card did not answer in time" (a stuck card or reader driver).
        public var cardTimeoutMilliseconds: Int = 2000
        /// LED/buzzer feedback on readers that have it.
        public var feedback: Bool = true
        /// Reader name patterns to drive as an ACS ACR122U / ACR1252U whatever their name says
        /// (the model is otherwise detected from the name).
        public var feedbackACR122: [String] = []
        public var feedbackACR1252: [String] = []
    }

    public struct Scanners: Sendable, Equatable {
        /// evdev device globs for keyboard-wedge scanners.
        public var evdev: [String] = ["/dev/input/by-id/*barcode*-event-kbd"]
        /// Grab the device so scanned keystrokes do not reach a console.
        public var grab: Bool = true
    }

    public struct Display: Sendable, Equatable {
        public var backend: DisplayBackend = .auto
        public var framebuffer: String = "/dev/fb0"
        /// Clockwise rotation in degrees: 0, 90, 180 or 270.
        public var rotation: Int = 0
    }

    public struct Central: Sendable, Equatable {
        /// The central API's base URL; none means offline (events wait in the outbox).
        public var url: String? = nil
        /// The bearer token (from `token_file` or `KIOSK_CENTRAL_TOKEN`).
        public var token: Secret? = nil
        public var timeoutSeconds: Int = 10
    }

    public struct Cards: Sendable, Equatable {
        /// The key that signs member tokens (from `token_key_file` or `KIOSK_CARD_TOKEN_KEY`).
        public var tokenKey: Secret? = nil
        /// NTAG 424 DNA SDM meta-read key, 32 hex digits (`sdm_meta_key_file` or `KIOSK_SDM_META_KEY`).
        public var sdmMetaKey: Secret? = nil
        /// NTAG 424 DNA SDM file-read (MAC) key, 32 hex digits (`sdm_file_key_file` or `KIOSK_SDM_FILE_KEY`).
        public var sdmFileKey: Secret? = nil
        /// Lock an NTAG permanently after writing a member token at enrollment (irreversible).
        public var lockAfterWrite: Bool = false
    }

    public struct Receipts: Sendable, Equatable {
        /// The chain's receipt-signing key that receipt QR codes are verified with (from
        /// `key_file` or `KIOSK_RECEIPT_KEY`); without it receipt claims are refused.
        public var key: Secret? = nil
        /// How many days after its issue a receipt may be claimed.
        public var claimWindowDays: Int = 7
    }

    public var kiosk = Kiosk()
    public var store: Store
    public var log = Log()
    public var readers = Readers()
    public var scanners = Scanners()
    public var display = Display()
    public var central = Central()
    public var cards = Cards()
    public var receipts = Receipts()
    /// The file the configuration was read from; nil when it is all defaults.
    public var source: String?

    /// The defaults for this environment: data under the user's state directory
    /// (`$XDG_STATE_HOME/kiosk` or `~/.local/state/kiosk`).
    public init(environment: [String: String] = ProcessInfo.processInfo.environment) {
        let stateDirectory = Self.defaultStateDirectory(environment: environment)
        store = Store(path: stateDirectory + "/kiosk.sqlite", backupDirectory: stateDirectory + "/backups")
    }

    public static func defaultStateDirectory(environment: [String: String]) -> String {
        if let state = environment["XDG_STATE_HOME"], state.hasPrefix("/") { return state + "/kiosk" }
        let home = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()
        return home + "/.local/state/kiosk"
    }
}
