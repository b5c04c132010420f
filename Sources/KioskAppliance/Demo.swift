import Foundation

/// `kiosk run --demo`: a kiosk a newcomer can try with no hardware. A directory of its own holds
/// a configuration (the example program, bare UIDs accepted, the terminal display when there is
/// no framebuffer), development-only card keys made there at first use (mode 0600, never
/// shipped), and the store, seeded once with the demo members by replaying the example events.
public struct Demo: Sendable {
    /// The demo's directory (`$XDG_STATE_HOME/kiosk/demo`, else `~/.local/state/kiosk/demo`).
    public let directory: String
    /// The directory holding `example.json` and `example-events.jsonl`.
    public let programs: String

    public init(directory: String, programs: String) {
        self.directory = directory
        self.programs = programs
    }

    public var configurationPath: String { directory + "/kiosk.toml" }
    public var storePath: String { directory + "/kiosk.sqlite" }
    public var logPath: String { directory + "/kiosk.log" }
    public var programPath: String { programs + "/example.json" }
    public var eventsPath: String { programs + "/example-events.jsonl" }
    var secrets: String { directory + "/secrets" }

    public enum Failure: Error, Equatable, CustomStringConvertible {
        case noPrograms(searched: [String])
        case cannotWrite(String, String)

        public var description: String {
            switch self {
            case .noPrograms(let searched):
                "the demo program (example.json, example-events.jsonl) is in none of: \(searched.joined(separator: ", ")) "
                    + "(set KIOSK_DEMO_PROGRAMS to the directory holding them)"
            case .cannotWrite(let path, let why): "cannot write \(path): \(why)"
            }
        }
    }

    /// The default demo directory for this environment.
    public static func defaultDirectory(environment: [String: String]) -> String {
        let state = environment["XDG_STATE_HOME"].flatMap { $0.isEmpty ? nil : $0 }
            ?? (environment["HOME"] ?? NSHomeDirectory()) + "/.local/state"
        return state + "/kiosk/demo"
    }

    /// Where the demo program is looked for, in order: `$KIOSK_DEMO_PROGRAMS`, the installed
    /// assets beside the executable (`../share/kiosk/programs`), and the source checkout the
    /// executable was built from.
    public static func programCandidates(environment: [String: String], executable: String,
                                         checkout: String = Self.checkoutPrograms) -> [String] {
        var candidates: [String] = []
        if let explicit = environment["KIOSK_DEMO_PROGRAMS"], !explicit.isEmpty { candidates.append(explicit) }
        let bin = URL(fileURLWithPath: executable).resolvingSymlinksInPath().deletingLastPathComponent()
        candidates.append(bin.deletingLastPathComponent().appendingPathComponent("share/kiosk/programs").path)
        candidates.append(checkout)
        return candidates
    }

    /// `kiosk/programs` of the checkout this file was compiled in.
    public static let checkoutPrograms = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("kiosk/programs").path

    /// The first candidate that holds both demo files.
    public static func locatePrograms(_ candidates: [String]) throws(Failure) -> String {
        let files = FileManager.default
        guard let found = candidates.first(where: {
            files.isReadableFile(atPath: $0 + "/example.json") && files.isReadableFile(atPath: $0 + "/example-events.jsonl")
        }) else { throw .noPrograms(searched: candidates) }
        return found
    }

    /// Makes the directory, the keys (once) and the configuration (every time: it follows the
    /// program's location). Returns true when the store has still to be seeded.
    @discardableResult
    public func prepare() throws(Failure) -> Bool {
        let files = FileManager.default
        do {
            try files.createDirectory(atPath: secrets, withIntermediateDirectories: true,
                                      attributes: [.posixPermissions: 0o700])
            try files.setAttributes([.posixPermissions: 0o700], ofItemAtPath: directory)
        } catch { throw .cannotWrite(secrets, "\(error)") }
        try secret("card-token-key") { Self.randomHex(32) }
        // All-zero SDM keys: the keys NTAG 424 DNA cards ship with (and `kiosk sim card` uses).
        try secret("sdm-meta-key") { String(repeating: "0", count: 32) }
        try secret("sdm-file-key") { String(repeating: "0", count: 32) }
        try write(configurationPath, configuration(), mode: 0o600)
        return !files.fileExists(atPath: storePath)
    }

    /// The demo's configuration file.
    public func configuration() -> String {
        """
        # Written by `kiosk run --demo` at every start: edit a copy, not this file.
        [kiosk]
        id = "kiosk-demo"
        branch = "main"
        program = \(Self.quoted(programPath))
        [store]
        path = \(Self.quoted(storePath))
        [readers]
        accept_bare_uid = true
        [cards]
        token_key_file = \(Self.quoted(secrets + "/card-token-key"))
        sdm_meta_key_file = \(Self.quoted(secrets + "/sdm-meta-key"))
        sdm_file_key_file = \(Self.quoted(secrets + "/sdm-file-key"))

        """
    }

    /// What to type in a second terminal to play the demo.
    public func instructions(executable: String) -> String {
        let env = "KIOSK_CONFIG=\(Self.shellQuoted(configurationPath))"
        return """
            The demo kiosk (data in \(directory), log in \(logPath)).
            In a second terminal (pcscd with the vpcd virtual reader running, as kiosk/dev/run starts it):
              export \(env)
              \(executable) sim card --kind uid --uid 04A1B2C3D4E5F6 --hold 2     # Ali's card: his welcome
              (tap it again within the spin window and the wheel spins, 5 coins)
              \(executable) sim card --kind ntag215 --uid 04112233445566 --member m-mina --hold 2   # a signed token
              \(executable) sim card --kind ntag424 --counter 1 --hold 2          # an NTAG 424 DNA SUN card
            Staff (a cashier, PIN 1234, typed on this terminal):
              echo 1234 | \(executable) staff add op-sara --name Sara --role cashier --card uid:04C0FFEE000001 --pin-stdin
              \(executable) sim card --kind uid --uid 04C0FFEE000001 --hold 1
            Enroll (an enroller, then a blank card held while you type the phone number):
              echo 2468 | \(executable) staff add op-reza --name Reza --role enroller --card uid:04C0FFEE000002 --pin-stdin
              \(executable) sim card --kind uid --uid 04C0FFEE000002 --hold 1    # PIN 2468, then 1
              \(executable) sim card --kind blank --uid 04DE3000000001 --hold 60

            """
    }

    private func secret(_ name: String, _ make: () -> String) throws(Failure) {
        let path = secrets + "/" + name
        if FileManager.default.fileExists(atPath: path) { return }
        try write(path, make(), mode: 0o600)
    }

    private func write(_ path: String, _ text: String, mode: Int) throws(Failure) {
        let files = FileManager.default
        let temporary = path + ".tmp"
        guard files.createFile(atPath: temporary, contents: Data(text.utf8), attributes: [.posixPermissions: mode]) else {
            throw .cannotWrite(path, String(cString: strerror(errno)))
        }
        guard rename(temporary, path) == 0 else { throw .cannotWrite(path, String(cString: strerror(errno))) }
    }

    static func randomHex(_ bytes: Int) -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<bytes).map { _ in String(format: "%02x", UInt8.random(in: .min ... .max, using: &generator)) }.joined()
    }

    /// A TOML basic string.
    static func quoted(_ text: String) -> String {
        "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }

    static func shellQuoted(_ text: String) -> String { "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'" }
}
