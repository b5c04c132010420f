import Foundation
import KioskCore

/// The kiosk's effective configuration. Every setting has a default, so the kiosk runs with no
/// file at all on a developer machine; `docs/configuration.md` documents each key.
public struct KioskConfiguration: Sendable, Equatable {
    public enum DisplayLocale: String, Sendable, CaseIterable { case fa = "fa-IR", en = "en" }
    public enum LogFormat: String, Sendable, CaseIterable { case auto, journald, text }
    public enum LogLevel: String, Sendable, CaseIterable { case trace, debug, info, notice, warning, error, critical }
    public enum DisplayBackend: String, Sendable, CaseIterable { case auto, framebuffer, terminal }
    /// Which bytes of the SUN URL an NTAG 424 DNA batch's SDMMAC covers (its personalisation).
    public enum SDMMACInput: String, Sendable, CaseIterable { case empty, piccData = "picc-data" }

    public struct Kiosk: Sendable, Equatable {
        /// This kiosk's id at the central API.
        public var id: String = "kiosk-dev"
        /// The branch whose transactions this kiosk records.
        public var branch: BranchID = "main"
        public var locale: DisplayLocale = .fa
        /// IANA time zone for days, happy hours and display.
        public var timeZone: String = "Asia/Tehran"
        /// The loyalty program file (JSON, docs/program.md) `kiosk run` loads; none: a program
        /// that gives nothing (members are greeted with their balances, no wheel).
        public var program: String? = nil
        /// How long after the welcome a second tap of the same card spins the wheel.
        public var spinConfirmSeconds: Int = 8
    }

    public struct Store: Sendable, Equatable {
        /// The SQLite file.
        public var path: String
        /// Where `kiosk db backup` writes when no file is named.
        public var backupDirectory: String
        /// A cap on the database size in MiB (0: none). Past it, writes fail cleanly as on a full disk.
        public var maxSizeMiB: Int = 0
        /// Who may read the database and its backups: the owner (`"0600"`), or the owner and the
        /// service's group (`"0640"`).
        public var fileMode: FileMode = .ownerOnly
    }

    public enum FileMode: String, Sendable, CaseIterable { case ownerOnly = "0600", serviceGroup = "0640" }

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
        /// Keyboard-wedge scanners by USB id (`05e0:1200`) and by device-name glob.
        public var usbIDs: [String] = []
        public var names: [String] = []
        /// The wedge's keyboard layout (`us`, `fa`), terminator (`enter`, `tab`, `none`), prefix,
        /// suffix and inter-key timeout.
        public var layout: String = "us"
        public var terminator: String = "enter"
        public var prefix: String = ""
        public var suffix: String = ""
        public var interKeyTimeoutMilliseconds: Int = 100
        /// Keyboards a scanner may type into (USB ids or name globs): never grabbed, scans told
        /// from typing by timing.
        public var sharedKeyboards: [String] = []
        /// CDC-ACM serial scanners: device globs, framing (`line`, `none`).
        public var serial: [String] = []
        public var serialTerminator: String = "line"
        /// HID POS scanners: found by usage page 0x8C, and by USB id.
        public var hidPOS: Bool = true
        public var hidPOSUSBIDs: [String] = []
        /// The staff PIN keypad (an evdev device glob), grabbed only while a PIN is asked.
        public var keypad: String? = nil
        /// The development scan socket (`kiosk sim scan`); off unless set.
        public var devSocket: String? = nil
        /// Per-scanner settings by USB id (`[scanners.devices."05e0:1200"]`): a device listed is
        /// used, with these settings over the ones above.
        public var devices: [String: Device] = [:]

        public struct Device: Sendable, Equatable {
            public var layout: String? = nil
            public var terminator: String? = nil
            public var prefix: String? = nil
            public var suffix: String? = nil
            public var interKeyTimeoutMilliseconds: Int? = nil
            public var grab: Bool? = nil
            public init() {}
        }
    }

    public struct Display: Sendable, Equatable {
        public var backend: DisplayBackend = .auto
        public var framebuffer: String = "/dev/fb0"
        /// Clockwise rotation in degrees: 0, 90, 180 or 270.
        public var rotation: Int = 0
        /// The business's look; what is not set stays standard.
        public var look = Look()
    }

    /// The business's look on the display (`[display]` store names and logo, `[display.colors]`,
    /// `[display.fonts]`, `[display.icons]`, `[display.strings.fa-IR]` / `[display.strings.en]`),
    /// as written: checked for form by the loader, for meaning by the display.
    public struct Look: Sendable, Equatable {
        public var storeName: String? = nil
        public var storeNameFa: String? = nil
        /// A PNG file (absolute, or relative to the configuration file as written).
        public var logo: String? = nil
        /// Colours by name (`primary`, `accent`, `background_top`, …) as `#RRGGBB` or `#RRGGBBAA`.
        public var colors: [String: String] = [:]
        /// The wheel's segment colours, used in turn.
        public var wheelColors: [String]? = nil
        /// Font files by role (`arabic_regular`, `arabic_bold`, `latin_regular`, `latin_bold`).
        public var fonts: [String: String] = [:]
        /// Prize icons: a wheel segment's `icon` name → a PNG file (a built-in name is replaced).
        public var icons: [String: String] = [:]
        /// The business's own strings: locale (`fa-IR`, `en`) → string key (`idle.title`) → text.
        public var strings: [String: [String: String]] = [:]

        public init() {}

        public var isStandard: Bool { self == Look() }
    }

    public struct Central: Sendable, Equatable {
        /// The central API's base URL; none means offline (events wait in the outbox).
        public var url: String? = nil
        /// The bearer token (from `token_file` or `KIOSK_CENTRAL_TOKEN`).
        public var token: Secret? = nil
        public var timeoutSeconds: Int = 10
        /// The most credit (and gift credit) one member may spend at this kiosk in operations the
        /// central has not acknowledged yet, in Toman (`offline_credit_limit_toman`).
        public var offlineCreditLimitToman: Int = 1_000_000
        /// Members with a limit of their own, in Toman (`[central.offline_credit_overrides]`: a
        /// trusted account higher, one under watch 0).
        public var offlineCreditOverridesToman: [String: Int] = [:]
    }

    /// A further batch of NTAG 424 DNA cards, personalised otherwise than the `[cards]` one
    /// (`[[cards.sdm_batches]]`): its own keys (files only), MAC layout and Random ID setting.
    public struct SDMBatch: Sendable, Equatable {
        public var name: String
        public var metaKey: Secret
        public var fileKey: Secret
        public var macInput: SDMMACInput = .empty
        public var randomID: Bool = false
    }

    public struct Cards: Sendable, Equatable {
        /// The key that signs member tokens (from `token_key_file` or `KIOSK_CARD_TOKEN_KEY`).
        public var tokenKey: Secret? = nil
        /// The id written in the tokens it signs (1–4 of A-Z a-z 0-9).
        public var tokenKeyID: String = "k1"
        /// During a key rotation, the previous key, still accepted (from `previous_token_key_file`
        /// or `KIOSK_CARD_PREVIOUS_TOKEN_KEY`), and its id. Removing it revokes its tokens.
        public var previousTokenKey: Secret? = nil
        public var previousTokenKeyID: String? = nil
        /// NTAG 424 DNA SDM meta-read key, 32 hex digits (`sdm_meta_key_file` or `KIOSK_SDM_META_KEY`).
        public var sdmMetaKey: Secret? = nil
        /// NTAG 424 DNA SDM file-read (MAC) key, 32 hex digits (`sdm_file_key_file` or `KIOSK_SDM_FILE_KEY`).
        public var sdmFileKey: Secret? = nil
        /// What the SDMMAC covers: `empty` (SDMMACInputOffset = SDMMACOffset, NXP AN12196's
        /// example, the default) or `picc-data` (the text `<picc_data>&cmac=`).
        public var sdmMACInput: SDMMACInput = .empty
        /// The cards use Random ID (GET UID is random): the UID check of a SUN message is skipped.
        public var sdmRandomID: Bool = false
        /// Further card batches, tried after the `[cards]` keys, in order.
        public var sdmBatches: [SDMBatch] = []
        /// Lock an NTAG permanently after writing a member token at enrollment (irreversible).
        public var lockAfterWrite: Bool = false
    }

    public struct Receipts: Sendable, Equatable {
        /// The tills' Ed25519 public keys that KR2 receipts are verified with: files of 32 bytes
        /// in hex or base64, each named `<key id>.pub`. Not secret. Without any, KR2 receipts are
        /// refused.
        public var publicKeyFiles: [String] = []
        /// The old shared HMAC key of KR1 receipts (from `key_file` or `KIOSK_RECEIPT_KEY`), read
        /// only during the transition to KR2.
        public var key: Secret? = nil
        /// The end of the KR1 transition (`hmac_accepted_until = "YYYY-MM-DD"`, UTC midnight, as
        /// seconds since 1970): from then on KR1 receipts are refused. Required with `key_file`.
        public var hmacAcceptedUntil: Int64? = nil
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
