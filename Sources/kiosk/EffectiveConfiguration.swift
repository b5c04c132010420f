import Foundation
import KioskConfig

/// The configuration as `kiosk config show` prints it. Secrets appear only as where they came
/// from, never as values.
struct EffectiveConfiguration: Encodable {
    struct Section: Encodable {
        var name: String
        var values: [(String, Value)]

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: Key.self)
            for (key, value) in values { try container.encode(value, forKey: Key(key)) }
        }
    }

    enum Value: Encodable {
        case string(String), int(Int), bool(Bool), strings([String]), none

        func encode(to encoder: any Encoder) throws {
            var container = encoder.singleValueContainer()
            switch self {
            case .string(let s): try container.encode(s)
            case .int(let i): try container.encode(i)
            case .bool(let b): try container.encode(b)
            case .strings(let a): try container.encode(a)
            case .none: try container.encodeNil()
            }
        }

        var toml: String {
            switch self {
            case .string(let s): Self.quote(s)
            case .int(let i): "\(i)"
            case .bool(let b): "\(b)"
            case .strings(let a): "[" + a.map(Self.quote).joined(separator: ", ") + "]"
            case .none: ""
            }
        }

        private static func quote(_ s: String) -> String {
            "\"" + s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
        }
    }

    struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(_ string: String) { stringValue = string }
        init?(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    var source: String?
    var sections: [Section]

    init(_ c: KioskConfiguration) {
        source = c.source
        func secret(_ s: Secret?) -> Value { s.map { .string("<redacted, from \($0.origin)>") } ?? .none }
        sections = [
            Section(name: "kiosk", values: [("id", .string(c.kiosk.id)), ("branch", .string(c.kiosk.branch.rawValue)),
                                            ("locale", .string(c.kiosk.locale.rawValue)), ("time_zone", .string(c.kiosk.timeZone))]),
            Section(name: "store", values: [("path", .string(c.store.path)), ("backup_directory", .string(c.store.backupDirectory)),
                                            ("max_size_mib", .int(c.store.maxSizeMiB)), ("file_mode", .string(c.store.fileMode.rawValue))]),
            Section(name: "log", values: [("level", .string(c.log.level.rawValue)), ("format", .string(c.log.format.rawValue))]),
            Section(name: "readers", values: [("allow", .strings(c.readers.allow)), ("ignore", .strings(c.readers.ignore)),
                                              ("accept_bare_uid", .bool(c.readers.acceptBareUID)),
                                              ("card_timeout_ms", .int(c.readers.cardTimeoutMilliseconds)),
                                              ("feedback", .bool(c.readers.feedback)),
                                              ("feedback_acr122", .strings(c.readers.feedbackACR122)),
                                              ("feedback_acr1252", .strings(c.readers.feedbackACR1252))]),
            Section(name: "scanners", values: ScannerPolicy.effective(c.scanners)),
            Section(name: "display", values: [("backend", .string(c.display.backend.rawValue)),
                                              ("framebuffer", .string(c.display.framebuffer)), ("rotation", .int(c.display.rotation)),
                                              ("store_name", c.display.look.storeName.map(Value.string) ?? .none),
                                              ("store_name_fa", c.display.look.storeNameFa.map(Value.string) ?? .none),
                                              ("logo", c.display.look.logo.map(Value.string) ?? .none)]),
            Section(name: "central", values: [("url", c.central.url.map(Value.string) ?? .none), ("token", secret(c.central.token)),
                                              ("timeout_seconds", .int(c.central.timeoutSeconds)),
                                              ("offline_credit_limit_toman", .int(c.central.offlineCreditLimitToman)),
                                              ("offline_credit_overrides", .strings(c.central.offlineCreditOverridesToman.sorted { $0.key < $1.key }
                                                  .map { "\($0.key) = \($0.value)" }))]),
            Section(name: "cards", values: [("token_key", secret(c.cards.tokenKey)), ("token_key_id", .string(c.cards.tokenKeyID)),
                                            ("previous_token_key", secret(c.cards.previousTokenKey)),
                                            ("previous_token_key_id", c.cards.previousTokenKeyID.map(Value.string) ?? .none),
                                            ("sdm_meta_key", secret(c.cards.sdmMetaKey)),
                                            ("sdm_file_key", secret(c.cards.sdmFileKey)),
                                            ("sdm_mac_input", .string(c.cards.sdmMACInput.rawValue)), ("sdm_random_id", .bool(c.cards.sdmRandomID)),
                                            ("sdm_batches", .strings(c.cards.sdmBatches.map {
                                                "\($0.name): \($0.macInput.rawValue)\($0.randomID ? ", random id" : "") \($0.metaKey) \($0.fileKey)"
                                            })),
                                            ("lock_after_write", .bool(c.cards.lockAfterWrite))]),
            Section(name: "receipts", values: [("public_key_files", .strings(c.receipts.publicKeyFiles)), ("key", secret(c.receipts.key)),
                                               ("hmac_accepted_until", c.receipts.hmacAcceptedUntil.map { .int(Int($0)) } ?? .none),
                                               ("claim_window_days", .int(c.receipts.claimWindowDays))]),
        ]
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Key.self)
        try container.encode(source, forKey: Key("source"))
        for section in sections { try container.encode(section, forKey: Key(section.name)) }
    }

    var toml: String {
        var lines = ["# effective configuration from \(source ?? "built-in defaults")"]
        for section in sections {
            lines.append("")
            lines.append("[\(section.name)]")
            for (key, value) in section.values {
                if case .none = value {
                    lines.append("# \(key) is unset")
                } else {
                    lines.append("\(key) = \(value.toml)")
                }
            }
        }
        return lines.joined(separator: "\n")
    }
}
