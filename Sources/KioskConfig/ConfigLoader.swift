import Foundation
import KioskCore
import TOMLKit

/// Reads and validates the configuration file.
public enum ConfigLoader {
    /// The file used when none is named and `KIOSK_CONFIG` is unset, if it exists.
    public static let systemPath = "/etc/kiosk/kiosk.toml"

    /// Which file to read: the named one, else `$KIOSK_CONFIG`, else `/etc/kiosk/kiosk.toml` if it
    /// exists, else none (all defaults).
    public static func resolvePath(explicit: String?, environment: [String: String]) -> String? {
        if let explicit { return explicit }
        if let fromEnvironment = environment["KIOSK_CONFIG"], !fromEnvironment.isEmpty { return fromEnvironment }
        return FileManager.default.fileExists(atPath: systemPath) ? systemPath : nil
    }

    /// Loads the configuration from `path` (nil: defaults only), with secrets from the files it
    /// names or from the environment.
    public static func load(path: String?, environment: [String: String] = ProcessInfo.processInfo.environment)
        throws(ConfigError) -> KioskConfiguration
    {
        guard let path else {
            var config = KioskConfiguration(environment: environment)
            let context = Context(file: "(defaults)", locator: LineLocator(text: ""))
            applySecretsFromEnvironment(&config, environment: environment, context: context)
            if !context.issues.isEmpty { throw ConfigError(context.issues) }
            return config
        }
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw ConfigError([ConfigIssue(file: path, line: nil, key: nil,
                                           message: "cannot read the file (\(error.localizedDescription))")])
        }
        return try parse(data: data, file: path, environment: environment)
    }

    /// The line of `text` (a configuration file) that sets the dotted `key`, or its table's line:
    /// for checks made after loading (the display's look) to name the line too.
    public static func line(of key: String, in text: String) -> Int? { LineLocator(text: text).line(of: key) }

    /// Parses and validates the bytes of a configuration file (what `load` does once it has read
    /// it; the fuzz harness feeds it directly). `file` names it in errors.
    public static func parse(data: Data, file: String, environment: [String: String] = ProcessInfo.processInfo.environment)
        throws(ConfigError) -> KioskConfiguration
    {
        guard let text = String(data: data, encoding: .utf8) else {
            throw ConfigError([ConfigIssue(file: file, line: firstLineNotUTF8(data), key: nil,
                                           message: "the file is not UTF-8 text (save it as UTF-8)")])
        }
        return try parse(text: text, file: file, environment: environment)
    }

    /// Parses and validates configuration text. `file` names it in errors.
    public static func parse(text: String, file: String, environment: [String: String] = ProcessInfo.processInfo.environment)
        throws(ConfigError) -> KioskConfiguration
    {
        if let problem = TOMLPreflight.check(text) {
            throw ConfigError([ConfigIssue(file: file, line: problem.line, key: nil, message: "not valid TOML: \(problem.message)")])
        }
        let root: TOMLTable
        do {
            root = try TOMLTable(string: text)
        } catch let error as TOMLParseError {
            throw ConfigError([ConfigIssue(file: file, line: error.source.begin.line, key: nil,
                                           message: "not valid TOML: \(error.description)")])
        } catch {
            throw ConfigError([ConfigIssue(file: file, line: nil, key: nil, message: "not valid TOML: \(error)")])
        }
        let context = Context(file: file, locator: LineLocator(text: text))
        var config = KioskConfiguration(environment: environment)
        config.source = file
        let baseDirectory = (file as NSString).deletingLastPathComponent

        let top = Section(table: root, name: "", context: context)
        let known = ["kiosk", "store", "log", "readers", "scanners", "display", "central", "cards", "receipts"]
        for key in root.keys where !known.contains(key) {
            context.report(key, "unknown section" + suggestion(for: key, among: known))
        }

        if let section = top.section("kiosk") {
            if let id = section.string("id", nonEmpty: true) { config.kiosk.id = id }
            if let branch = section.string("branch", nonEmpty: true) { config.kiosk.branch = BranchID(rawValue: branch) }
            if let locale = section.choice("locale", KioskConfiguration.DisplayLocale.self) { config.kiosk.locale = locale }
            if let zone = section.string("time_zone", nonEmpty: true) {
                if TimeZone(identifier: zone) == nil {
                    context.report("kiosk.time_zone", "unknown time zone \(Echo.quoted(zone)) (use an IANA name such as Asia/Tehran)")
                } else {
                    config.kiosk.timeZone = zone
                }
            }
            if let path = section.path("program", base: baseDirectory) { config.kiosk.program = path }
            if let seconds = section.int("spin_confirm_seconds", in: 2...60) { config.kiosk.spinConfirmSeconds = seconds }
            section.finish()
        }
        if let section = top.section("store") {
            if let path = section.path("path", base: baseDirectory) { config.store.path = path }
            if let path = section.path("backup_directory", base: baseDirectory) { config.store.backupDirectory = path }
            if let size = section.int("max_size_mib", in: 0...1_048_576) { config.store.maxSizeMiB = size }
            if let mode = section.choice("file_mode", KioskConfiguration.FileMode.self) { config.store.fileMode = mode }
            section.finish()
        }
        if let section = top.section("log") {
            if let level = section.choice("level", KioskConfiguration.LogLevel.self) { config.log.level = level }
            if let format = section.choice("format", KioskConfiguration.LogFormat.self) { config.log.format = format }
            section.finish()
        }
        if let section = top.section("readers") {
            if let allow = section.strings("allow") { config.readers.allow = allow }
            if let ignore = section.strings("ignore") { config.readers.ignore = ignore }
            if let bare = section.bool("accept_bare_uid") { config.readers.acceptBareUID = bare }
            if let timeout = section.int("card_timeout_ms", in: 100...60_000) { config.readers.cardTimeoutMilliseconds = timeout }
            if let feedback = section.bool("feedback") { config.readers.feedback = feedback }
            if let patterns = section.strings("feedback_acr122") { config.readers.feedbackACR122 = patterns }
            if let patterns = section.strings("feedback_acr1252") { config.readers.feedbackACR1252 = patterns }
            section.finish()
        }
        if let section = top.section("scanners") {
            if let evdev = section.strings("evdev") { config.scanners.evdev = evdev }
            if let grab = section.bool("grab") { config.scanners.grab = grab }
            ScannerSettings.load(section, into: &config.scanners, base: baseDirectory, context: context)
            section.finish()
        }
        if let section = top.section("display") {
            if let backend = section.choice("backend", KioskConfiguration.DisplayBackend.self) { config.display.backend = backend }
            if let device = section.string("framebuffer", nonEmpty: true) { config.display.framebuffer = device }
            if let rotation = section.int("rotation", among: [0, 90, 180, 270]) { config.display.rotation = rotation }
            DisplaySettings.load(section, into: &config.display, base: baseDirectory, context: context)
            section.finish()
        }
        if let section = top.section("central") {
            if let url = section.string("url", nonEmpty: true) {
                if let parsed = URL(string: url), let scheme = parsed.scheme, ["https", "http"].contains(scheme), parsed.host != nil {
                    config.central.url = url
                } else {
                    context.report("central.url", "expected an http(s) URL with a host, not \(Echo.quoted(url))")
                }
            }
            if let timeout = section.int("timeout_seconds", in: 1...600) { config.central.timeoutSeconds = timeout }
            if let limit = section.int("offline_credit_limit_toman", in: 0...1_000_000_000_000) { config.central.offlineCreditLimitToman = limit }
            if let overrides = section.section("offline_credit_overrides") {
                for member in overrides.table.keys.sorted() {
                    if let limit = overrides.int(member, in: 0...1_000_000_000_000) { config.central.offlineCreditOverridesToman[member] = limit }
                }
                overrides.finish()
            }
            section.refuseInlineSecret("token", fileKey: "token_file", environment: "KIOSK_CENTRAL_TOKEN")
            if let path = section.path("token_file", base: baseDirectory) {
                config.central.token = readSecretFile(path, key: "central.token_file", context: context)
            }
            section.finish()
        }
        if let section = top.section("cards") {
            section.refuseInlineSecret("token_key", fileKey: "token_key_file", environment: "KIOSK_CARD_TOKEN_KEY")
            if let path = section.path("token_key_file", base: baseDirectory) {
                config.cards.tokenKey = readSecretFile(path, key: "cards.token_key_file", context: context)
            }
            if let id = section.string("token_key_id", nonEmpty: true) { config.cards.tokenKeyID = id }
            section.refuseInlineSecret("previous_token_key", fileKey: "previous_token_key_file", environment: "KIOSK_CARD_PREVIOUS_TOKEN_KEY")
            if let path = section.path("previous_token_key_file", base: baseDirectory) {
                config.cards.previousTokenKey = readSecretFile(path, key: "cards.previous_token_key_file", context: context)
            }
            if let id = section.string("previous_token_key_id", nonEmpty: true) { config.cards.previousTokenKeyID = id }
            section.refuseInlineSecret("sdm_meta_key", fileKey: "sdm_meta_key_file", environment: "KIOSK_SDM_META_KEY")
            if let path = section.path("sdm_meta_key_file", base: baseDirectory) {
                config.cards.sdmMetaKey = readSecretFile(path, key: "cards.sdm_meta_key_file", context: context)
            }
            section.refuseInlineSecret("sdm_file_key", fileKey: "sdm_file_key_file", environment: "KIOSK_SDM_FILE_KEY")
            if let path = section.path("sdm_file_key_file", base: baseDirectory) {
                config.cards.sdmFileKey = readSecretFile(path, key: "cards.sdm_file_key_file", context: context)
            }
            if let layout = section.choice("sdm_mac_input", KioskConfiguration.SDMMACInput.self) { config.cards.sdmMACInput = layout }
            if let randomID = section.bool("sdm_random_id") { config.cards.sdmRandomID = randomID }
            for batch in section.tables("sdm_batches") ?? [] {
                let name = batch.string("name", nonEmpty: true)
                let meta = batch.path("meta_key_file", base: baseDirectory).flatMap {
                    readSecretFile($0, key: batch.name + ".meta_key_file", context: context)
                }
                let file = batch.path("file_key_file", base: baseDirectory).flatMap {
                    readSecretFile($0, key: batch.name + ".file_key_file", context: context)
                }
                let layout = batch.choice("mac_input", KioskConfiguration.SDMMACInput.self)
                let randomID = batch.bool("random_id")
                batch.finish()
                guard let name, let meta, let file else {
                    context.report(batch.name, "a card batch needs a name, a meta_key_file and a file_key_file")
                    continue
                }
                guard !config.cards.sdmBatches.contains(where: { $0.name == name }), name != "default" else {
                    context.report(batch.name + ".name", "two card batches are named \"\(name)\" (\"default\" is the [cards] keys')")
                    continue
                }
                config.cards.sdmBatches.append(.init(name: name, metaKey: meta, fileKey: file, macInput: layout ?? .empty,
                                                     randomID: randomID ?? false))
            }
            if let lock = section.bool("lock_after_write") { config.cards.lockAfterWrite = lock }
            section.finish()
        }
        if let section = top.section("receipts") {
            section.refuseInlineSecret("key", fileKey: "key_file", environment: "KIOSK_RECEIPT_KEY")
            if let path = section.path("key_file", base: baseDirectory) {
                config.receipts.key = readSecretFile(path, key: "receipts.key_file", context: context)
            }
            if let days = section.int("claim_window_days", in: 1...365) { config.receipts.claimWindowDays = days }
            if let files = section.strings("public_key_files") {
                config.receipts.publicKeyFiles = files.map { $0.hasPrefix("/") ? $0 : baseDirectory + "/" + $0 }
            }
            if let until = section.string("hmac_accepted_until", nonEmpty: true) {
                if let seconds = KeyMaterial.utcMidnight(until) {
                    config.receipts.hmacAcceptedUntil = seconds
                } else {
                    context.report("receipts.hmac_accepted_until", "expected a date YYYY-MM-DD, not \"\(until)\"")
                }
            }
            section.finish()
        }
        applySecretsFromEnvironment(&config, environment: environment, context: context)
        if !context.issues.isEmpty {
            throw ConfigError(context.issues.sorted { ($0.line ?? 0, $0.key ?? "") < ($1.line ?? 0, $1.key ?? "") })
        }
        return config
    }

    /// Secrets in the environment win over files, so that a service manager can inject them.
    private static func applySecretsFromEnvironment(_ config: inout KioskConfiguration, environment: [String: String],
                                                    context: Context) {
        if let token = environment["KIOSK_CENTRAL_TOKEN"], !token.isEmpty {
            config.central.token = Secret(token, origin: "env:KIOSK_CENTRAL_TOKEN")
        }
        if let key = environment["KIOSK_CARD_TOKEN_KEY"], !key.isEmpty {
            config.cards.tokenKey = Secret(key, origin: "env:KIOSK_CARD_TOKEN_KEY")
        }
        if let key = environment["KIOSK_CARD_PREVIOUS_TOKEN_KEY"], !key.isEmpty {
            config.cards.previousTokenKey = Secret(key, origin: "env:KIOSK_CARD_PREVIOUS_TOKEN_KEY")
        }
        if let key = environment["KIOSK_RECEIPT_KEY"], !key.isEmpty {
            config.receipts.key = Secret(key, origin: "env:KIOSK_RECEIPT_KEY")
        }
        if let key = environment["KIOSK_SDM_META_KEY"], !key.isEmpty {
            config.cards.sdmMetaKey = Secret(key, origin: "env:KIOSK_SDM_META_KEY")
        }
        if let key = environment["KIOSK_SDM_FILE_KEY"], !key.isEmpty {
            config.cards.sdmFileKey = Secret(key, origin: "env:KIOSK_SDM_FILE_KEY")
        }
        // SDM keys come in pairs of AES-128 keys; say which is wrong without printing it.
        let batchKeys: [(Secret?, String)] = config.cards.sdmBatches.enumerated().flatMap { index, batch in
            [(batch.metaKey, "cards.sdm_batches[\(index)].meta_key_file"), (batch.fileKey, "cards.sdm_batches[\(index)].file_key_file")]
        }
        for (secret, key) in [(config.cards.sdmMetaKey, "cards.sdm_meta_key_file"), (config.cards.sdmFileKey, "cards.sdm_file_key_file")] + batchKeys {
            guard let secret else { continue }
            let value = secret.reveal()
            if value.count != 32 || !value.allSatisfy(\.isHexDigit) {
                context.report(key, "the SDM key from \(secret.origin) must be 32 hex digits (an AES-128 key)")
            }
        }
        // Member-token and receipt keys: 32 random bytes (tokens and receipts are public, so a
        // weak key is brute-forced offline). Named, never printed.
        for (secret, key, what) in [(config.cards.tokenKey, "cards.token_key_file", "member-token key"),
                                    (config.cards.previousTokenKey, "cards.previous_token_key_file", "previous member-token key"),
                                    (config.receipts.key, "receipts.key_file", "receipt key")] {
            guard let secret, secret.keyBytes() == nil else { continue }
            context.report(key, "the \(what) from \(secret.origin) must be 32 random bytes, as 64 hex digits or base64; \(KeyMaterial.howToMake)")
        }
        for id in [config.cards.tokenKeyID] + (config.cards.previousTokenKeyID.map { [$0] } ?? [])
        where !KeyMaterial.isValidKeyID(id) {
            context.report(id == config.cards.tokenKeyID ? "cards.token_key_id" : "cards.previous_token_key_id",
                           "a token key id is 1 to 4 of A-Z a-z 0-9, not \"\(id)\"")
        }
        if config.receipts.key?.keyBytes() != nil, config.receipts.hmacAcceptedUntil == nil {
            context.report("receipts.key_file", "the HMAC receipt key is read only during the transition to Ed25519 (KR2): "
                           + "name its end with receipts.hmac_accepted_until = \"YYYY-MM-DD\"")
        }
        if config.cards.previousTokenKey != nil {
            if config.cards.previousTokenKeyID == nil {
                context.report("cards.previous_token_key_file", "the previous token key needs its id: set cards.previous_token_key_id")
            } else if config.cards.previousTokenKeyID == config.cards.tokenKeyID {
                context.report("cards.previous_token_key_id", "the previous token key's id must differ from cards.token_key_id")
            }
        }
        if (config.cards.sdmMetaKey == nil) != (config.cards.sdmFileKey == nil) {
            context.report("cards.sdm_meta_key_file", "the NTAG 424 DNA SDM keys come in a pair: give both the meta-read and the file-read key")
        }
    }

    private static func readSecretFile(_ path: String, key: String, context: Context) -> Secret? {
        let attributes: [FileAttributeKey: Any]
        do {
            attributes = try FileManager.default.attributesOfItem(atPath: path)
        } catch {
            context.report(key, "cannot read the secret file \(path)")
            return nil
        }
        if let mode = (attributes[.posixPermissions] as? NSNumber)?.intValue, mode & 0o077 != 0 {
            context.report(key, "the secret file \(path) is readable by others (mode \(String(mode, radix: 8))); chmod 600 it")
            return nil
        }
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
            context.report(key, "cannot read the secret file \(path)")
            return nil
        }
        let value = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !value.isEmpty else {
            context.report(key, "the secret file \(path) is empty")
            return nil
        }
        return Secret(value, origin: "file:\(path)")
    }

    /// The line of the first byte sequence that is not UTF-8.
    static func firstLineNotUTF8(_ data: Data) -> Int {
        var line = 1
        var start = data.startIndex
        while start < data.endIndex {
            let end = data[start...].firstIndex(of: 0x0A) ?? data.endIndex
            if String(data: data[start..<end], encoding: .utf8) == nil { return line }
            line += 1
            start = end < data.endIndex ? data.index(after: end) : end
        }
        return line
    }

    static func suggestion(for key: String, among known: [String]) -> String {
        let best = known.min { editDistance(key, $0) < editDistance(key, $1) }
        guard let best, editDistance(key, best) <= max(2, key.count / 3) else { return "" }
        return " (did you mean \"\(best)\"?)"
    }

    private static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        var previous = Array(0...b.count)
        for i in 1...max(1, a.count) where !a.isEmpty {
            var current = [i] + Array(repeating: 0, count: b.count)
            for j in 1...max(1, b.count) where !b.isEmpty {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            previous = current
        }
        return a.isEmpty ? b.count : previous[b.count]
    }
}

/// Collects the issues found while reading one file.
final class Context {
    let file: String
    let locator: LineLocator
    private(set) var issues: [ConfigIssue] = []

    init(file: String, locator: LineLocator) {
        self.file = file
        self.locator = locator
    }

    func report(_ key: String, _ message: String) {
        issues.append(ConfigIssue(file: file, line: locator.line(of: key), key: Echo.clipped(key), message: message))
    }
}
