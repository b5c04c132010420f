import Foundation
import KioskConfig
import KioskCore
import Testing

@Suite struct ConfigDefaultsTests {
    @Test func withNoFileEverySettingHasADefaultUnderTheUsersStateDirectory() throws {
        let config = try ConfigLoader.load(path: nil, environment: ["HOME": "/home/dev"])
        #expect(config.source == nil)
        #expect(config.store.path == "/home/dev/.local/state/kiosk/kiosk.sqlite")
        #expect(config.kiosk.locale == .fa)
        #expect(config.kiosk.timeZone == "Asia/Tehran")
        #expect(config.display.backend == .auto)
        #expect(config.readers.acceptBareUID == false)
        #expect(config.readers.cardTimeoutMilliseconds == 2000)
        #expect(config.central.url == nil)
        #expect(config.central.token == nil)
    }

    @Test func xdgStateHomeWins() throws {
        let config = try ConfigLoader.load(path: nil, environment: ["HOME": "/home/dev", "XDG_STATE_HOME": "/var/state"])
        #expect(config.store.path == "/var/state/kiosk/kiosk.sqlite")
    }

    @Test func theFileIsFoundThroughTheEnvironmentWhenNotNamed() {
        #expect(ConfigLoader.resolvePath(explicit: "/a.toml", environment: ["KIOSK_CONFIG": "/b.toml"]) == "/a.toml")
        #expect(ConfigLoader.resolvePath(explicit: nil, environment: ["KIOSK_CONFIG": "/b.toml"]) == "/b.toml")
    }
}

@Suite struct ConfigParsingTests {
    @Test func aCompleteFileIsRead() throws {
        let text = """
            # the appliance at the Tehran branch
            [kiosk]
            id = "kiosk-17"
            branch = "tehran-1"
            locale = "en"
            time_zone = "Asia/Tehran"

            [store]
            path = "/var/lib/kiosk/kiosk.sqlite"
            backup_directory = "backups"   # relative to this file
            max_size_mib = 512

            [log]
            level = "debug"
            format = "journald"

            [readers]
            allow = ["ACS ACR1252*"]
            ignore = ["*SAM*"]
            accept_bare_uid = true
            card_timeout_ms = 1500
            feedback = false
            feedback_acr122 = ["Generic PN532*"]
            feedback_acr1252 = ["Dual Interface*", "OEM 1252*"]

            [display]
            backend = "framebuffer"
            rotation = 90

            [central]
            url = "https://loyalty.example.ir/api"
            timeout_seconds = 15
            offline_credit_limit_toman = 250000

            [central.offline_credit_overrides]
            "m-trusted" = 5000000
            "m-watched" = 0
            """
        let config = try ConfigLoader.parse(text: text, file: "/etc/kiosk/kiosk.toml", environment: ["HOME": "/root"])
        #expect(config.source == "/etc/kiosk/kiosk.toml")
        #expect(config.kiosk.id == "kiosk-17")
        #expect(config.kiosk.branch == "tehran-1")
        #expect(config.kiosk.locale == .en)
        #expect(config.store.path == "/var/lib/kiosk/kiosk.sqlite")
        #expect(config.store.backupDirectory == "/etc/kiosk/backups")
        #expect(config.store.maxSizeMiB == 512)
        #expect(config.log.level == .debug)
        #expect(config.log.format == .journald)
        #expect(config.readers.allow == ["ACS ACR1252*"])
        #expect(config.readers.acceptBareUID)
        #expect(config.readers.cardTimeoutMilliseconds == 1500)
        #expect(!config.readers.feedback)
        #expect(config.readers.feedbackACR122 == ["Generic PN532*"])
        #expect(config.readers.feedbackACR1252 == ["Dual Interface*", "OEM 1252*"])
        #expect(config.display.backend == .framebuffer)
        #expect(config.display.rotation == 90)
        #expect(config.central.url == "https://loyalty.example.ir/api")
        #expect(config.central.timeoutSeconds == 15)
        #expect(config.central.offlineCreditLimitToman == 250_000)
        #expect(config.central.offlineCreditOverridesToman == ["m-trusted": 5_000_000, "m-watched": 0])
        #expect(KioskConfiguration().central.offlineCreditLimitToman == 1_000_000, "the default")
        // Unset values keep their defaults.
        #expect(config.scanners.grab)
    }

    @Test func errorsNameTheFileTheLineAndTheKey() {
        let text = """
            [kiosk]
            id = "k1"
            locale = "de"

            [store]
            path = 42
            max_size_mib = -1

            [display]
            rotaton = 90

            [readers]
            card_timeout_ms = 0
            feedback_acr122 = "ACS*"

            [central]
            offline_credit_limit_toman = -5
            """
        let error = #expect(throws: ConfigError.self) {
            try ConfigLoader.parse(text: text, file: "/etc/kiosk/kiosk.toml", environment: [:])
        }
        let issues = error?.issues ?? []
        #expect(issues.map(\.line) == [3, 6, 7, 10, 13, 14, 17])
        #expect(issues.map(\.key) == ["kiosk.locale", "store.path", "store.max_size_mib", "display.rotaton", "readers.card_timeout_ms",
                                      "readers.feedback_acr122", "central.offline_credit_limit_toman"])
        #expect(issues[0].description == "/etc/kiosk/kiosk.toml:3: kiosk.locale: \"de\" is not one of \"fa-IR\", \"en\"")
        #expect(issues[1].message == "expected a string, got an integer")
        #expect(issues[2].message == "must be between 0 and 1048576, not -1")
        #expect(issues[3].message == "unknown setting (did you mean \"rotation\"?)")
        #expect(issues[4].message == "must be between 100 and 60000, not 0")
        #expect(issues[6].message == "must be between 0 and 1000000000000, not -5")
    }

    @Test func anOfflineCreditOverrideMustBeAnAmountInToman() {
        let text = "[central.offline_credit_overrides]\n\"m-1\" = -1\n\"m-2\" = \"lots\"\n"
        let error = #expect(throws: ConfigError.self) { try ConfigLoader.parse(text: text, file: "k.toml", environment: [:]) }
        #expect(error?.issues.map(\.key) == ["central.offline_credit_overrides.m-1", "central.offline_credit_overrides.m-2"])
        #expect(error?.issues.first?.message == "must be between 0 and 1000000000000, not -1")
    }

    @Test func aSyntaxErrorNamesItsLine() {
        let text = "[kiosk]\nid = \"k1\"\nbranch = \n"
        let error = #expect(throws: ConfigError.self) { try ConfigLoader.parse(text: text, file: "k.toml", environment: [:]) }
        #expect(error?.issues.count == 1)
        #expect(error?.issues.first?.line == 3)
        #expect(error?.issues.first?.message.hasPrefix("not valid TOML") == true)
    }

    @Test func unknownSectionsAndWrongShapesAreReported() {
        let text = """
            kiosk = "not a table"
            [stor]
            path = "/x"
            [readers]
            allow = [1, 2]
            """
        let error = #expect(throws: ConfigError.self) { try ConfigLoader.parse(text: text, file: "k.toml", environment: [:]) }
        let messages = error?.issues.map(\.description) ?? []
        #expect(messages.contains("k.toml:1: kiosk: expected a table ([kiosk]), got a string"))
        #expect(messages.contains("k.toml:2: stor: unknown section (did you mean \"store\"?)"))
        #expect(messages.contains("k.toml:5: readers.allow: expected an array of strings, found an integer in it"))
    }

    @Test func aBadTimeZoneOrURLIsRefused() {
        let text = "[kiosk]\ntime_zone = \"Mars/Olympus\"\n[central]\nurl = \"ftp:nowhere\"\n"
        let error = #expect(throws: ConfigError.self) { try ConfigLoader.parse(text: text, file: "k.toml", environment: [:]) }
        #expect(error?.issues.map(\.key) == ["kiosk.time_zone", "central.url"])
    }

    @Test func anUnreadableOrNonUTF8FileIsAClearError() throws {
        let missing = #expect(throws: ConfigError.self) { try ConfigLoader.load(path: "/nonexistent/kiosk.toml", environment: [:]) }
        #expect(missing?.issues.first?.file == "/nonexistent/kiosk.toml")
        let directory = NSTemporaryDirectory() + "kiosk-config-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let binary = directory + "/kiosk.toml"
        try Data([0xFF, 0xFE, 0x00, 0x5B]).write(to: URL(fileURLWithPath: binary))
        let notText = #expect(throws: ConfigError.self) { try ConfigLoader.load(path: binary, environment: [:]) }
        #expect(notText?.issues.first?.message == "the file is not UTF-8 text (save it as UTF-8)")
        #expect(notText?.issues.first?.line == 1)
    }
}

@Suite struct SecretTests {
    let directory: String

    init() throws {
        directory = NSTemporaryDirectory() + "kiosk-secrets-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    }

    private func secretFile(_ name: String, _ value: String, mode: Int) throws -> String {
        let path = directory + "/" + name
        try Data(value.utf8).write(to: URL(fileURLWithPath: path))
        try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: path)
        return path
    }

    @Test func secretsAreReadFromFilesAndNeverPrinted() throws {
        let token = try secretFile("token", "s3cr3t-token\n", mode: 0o600)
        let config = try ConfigLoader.parse(text: "[central]\nurl = \"https://c.example\"\ntoken_file = \"\(token)\"\n",
                                            file: "k.toml", environment: [:])
        #expect(config.central.token?.reveal() == "s3cr3t-token")
        #expect(config.central.token?.origin == "file:\(token)")
        #expect(!"\(config)".contains("s3cr3t"))
        #expect(!String(reflecting: config).contains("s3cr3t"))
    }

    @Test func theEnvironmentProvidesSecretsToo() throws {
        let config = try ConfigLoader.load(path: nil, environment: ["HOME": "/h", "KIOSK_CARD_TOKEN_KEY": "9F86D081884C7D659A2FEAA0C55AD015A3BF4F1B2B0B822CD15D6C15B0F00A08"])
        #expect(config.cards.tokenKey?.reveal() == "9F86D081884C7D659A2FEAA0C55AD015A3BF4F1B2B0B822CD15D6C15B0F00A08")
        #expect(config.cards.tokenKey?.description == "<redacted env:KIOSK_CARD_TOKEN_KEY>")
    }

    @Test func aSecretWrittenInTheFileItselfIsRefused() {
        let error = #expect(throws: ConfigError.self) {
            try ConfigLoader.parse(text: "[central]\ntoken = \"abc\"\n", file: "k.toml", environment: [:])
        }
        #expect(error?.issues.first?.key == "central.token")
        #expect(error?.issues.first?.line == 2)
        #expect(error?.description.contains("abc") == false)
    }

    @Test func aSecretFileOthersCanReadIsRefused() throws {
        let key = try secretFile("key", "k", mode: 0o644)
        let error = #expect(throws: ConfigError.self) {
            try ConfigLoader.parse(text: "[cards]\ntoken_key_file = \"\(key)\"\n", file: "k.toml", environment: [:])
        }
        #expect(error?.issues.first?.message.contains("chmod 600") == true)
    }

    @Test func anEmptyOrMissingSecretFileIsRefused() throws {
        let empty = try secretFile("empty", "\n", mode: 0o600)
        let error = #expect(throws: ConfigError.self) {
            try ConfigLoader.parse(text: "[cards]\ntoken_key_file = \"\(empty)\"\n[central]\ntoken_file = \"/nope\"\n",
                                   file: "k.toml", environment: [:])
        }
        #expect(error?.issues.map(\.key) == ["cards.token_key_file", "central.token_file"])
    }
}

@Suite struct SDMKeyConfigTests {
    @Test func sdmKeysComeFromTheEnvironmentInPairs() throws {
        let zeros = String(repeating: "0", count: 32)
        let config = try ConfigLoader.load(path: nil, environment: ["HOME": "/h", "KIOSK_SDM_META_KEY": zeros, "KIOSK_SDM_FILE_KEY": zeros])
        #expect(config.cards.sdmMetaKey?.reveal() == zeros)
        #expect(config.cards.sdmFileKey?.origin == "env:KIOSK_SDM_FILE_KEY")
        let half = #expect(throws: ConfigError.self) {
            try ConfigLoader.load(path: nil, environment: ["HOME": "/h", "KIOSK_SDM_META_KEY": zeros])
        }
        #expect(half?.issues.first?.message.contains("pair") == true)
    }

    @Test func aMalformedSDMKeyIsNamedButNotPrinted() {
        let bad = "not-hex-but-secret-0123456789abc"
        let error = #expect(throws: ConfigError.self) {
            try ConfigLoader.load(path: nil, environment: ["HOME": "/h", "KIOSK_SDM_META_KEY": bad,
                                                           "KIOSK_SDM_FILE_KEY": String(repeating: "a", count: 32)])
        }
        #expect(error?.issues.map(\.key) == ["cards.sdm_meta_key_file"])
        #expect(error?.description.contains(bad) == false)
    }

    @Test func lockAfterWriteIsABoolean() throws {
        #expect(try ConfigLoader.parse(text: "[cards]\nlock_after_write = true\n", file: "k.toml", environment: [:]).cards.lockAfterWrite)
        #expect(throws: ConfigError.self) { try ConfigLoader.parse(text: "[cards]\nlock_after_write = 1\n", file: "k.toml", environment: [:]) }
    }
}

@Suite struct ReceiptConfigTests {
    @Test func theReceiptKeyComesFromAFileOrTheEnvironmentAndTheWindowIsBounded() throws {
        let config = try ConfigLoader.parse(text: "[receipts]\nclaim_window_days = 3\nhmac_accepted_until = \"2027-03-01\"\n", file: "k.toml",
                                            environment: ["KIOSK_RECEIPT_KEY": "n4bQgYhMfWWaL+qgxVrQFaO/TxsrC4Is0V1sFbDwCgg="])
        #expect(config.receipts.claimWindowDays == 3)
        #expect(config.receipts.key?.reveal() == "n4bQgYhMfWWaL+qgxVrQFaO/TxsrC4Is0V1sFbDwCgg=")
        let error = #expect(throws: ConfigError.self) {
            try ConfigLoader.parse(text: "[receipts]\nkey = \"inline\"\nclaim_window_days = 0\n", file: "k.toml", environment: [:])
        }
        #expect(error?.issues.map(\.key) == ["receipts.key", "receipts.claim_window_days"])
    }
}
