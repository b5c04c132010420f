import ArgumentParser
import Foundation
import KioskConfig
import KioskCore
import KioskEngine
import KioskLoyalty
import KioskStore

/// `kiosk engine`: the loyalty engine's tools for a business: check a program file, replay
/// events through it.
struct EngineCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "engine",
        abstract: "Check a loyalty program file, or replay events through it (a what-if tool).",
        subcommands: [Check.self, Replay.self, VerifySpin.self])

    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Validate a program file; prints every problem with its JSON path.",
            discussion: "Exits 0 when the program is valid, 65 when it is not, 66 when the file is missing.")

        @Argument(help: ArgumentHelp("The program file (JSON, see docs/program.md).", valueName: "PROGRAM"))
        var program: String

        @Flag(help: "Print JSON.") var json = false

        struct Result: Encodable { var file: String; var valid: Bool; var version: String?; var issues: [ProgramError.Issue] }

        func run() throws {
            let (loaded, issues) = try loadProgram(program)
            if json {
                try printJSON(Result(file: program, valid: loaded != nil, version: loaded?.version, issues: issues))
            } else if let loaded {
                print("\(program): valid (program \(loaded.version), \(loaded.offers?.list.count ?? 0) offers, "
                      + "\(loaded.tiers?.levels.count ?? 0) tiers, \(loaded.wheel?.segments.count ?? 0) wheel segments, "
                      + "time zone \(loaded.timeZoneIdentifier))")
            } else {
                printError("\(program): \(issues.count) problem(s):")
                for issue in issues { printError("  \(issue)") }
            }
            if loaded == nil { throw KioskExit.dataError }
        }
    }

    struct Replay: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Apply a stream of events (JSON Lines) to a fresh or given store and print each outcome and the final balances as JSON.",
            discussion: """
                Without --db the replay runs on a new temporary database that is removed afterwards. With --seed the \
                random draws (spins, raffle draws, generated voucher codes) are derived from the seed and each event's key, \
                and the output is reproducible; without it the operating system's cryptographic source is used. A replay \
                into --db that was killed can be run again with the same arguments: it ends where an uninterrupted run \
                ends (committed events are returned by their keys, refused ones give their recorded refusal). \
                Event format: docs/replay.md.
                """)

        @Option(help: ArgumentHelp("The program file.", valueName: "PROGRAM")) var program: String
        @Option(help: ArgumentHelp("The events file, one JSON event per line.", valueName: "EVENTS.jsonl")) var events: String
        @Option(help: ArgumentHelp("Seed for a deterministic random source.", valueName: "N")) var seed: UInt64?
        @Option(help: ArgumentHelp("Replay into this database (created if missing) instead of a temporary one.", valueName: "PATH"))
        var db: String?
        @Flag(help: "Print only the counts and the final balances, not each event's outcome.") var summary = false
        @Option(help: ArgumentHelp("The configuration file whose store.max_size_mib caps a --db database (default: $KIOSK_CONFIG, then /etc/kiosk/kiosk.toml).", valueName: "FILE"))
        var config: String?

        func run() throws {
            let (loaded, issues) = try loadProgram(program)
            guard let loaded else {
                printError("\(program): \(issues.count) problem(s):")
                for issue in issues { printError("  \(issue)") }
                throw KioskExit.dataError
            }
            guard FileManager.default.fileExists(atPath: events) else {
                throw fail("no events file at \(events)", KioskExit.noInput)
            }
            let temporary = db == nil
            let path = db ?? FileManager.default.temporaryDirectory
                .appendingPathComponent("kiosk-replay-\(UUID().uuidString).sqlite").path
            defer {
                if temporary {
                    for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
                }
            }
            let programData = try readFile(program, what: "program")
            var maxSize: Int64?
            if !temporary, let configPath = ConfigLoader.resolvePath(explicit: config, environment: ProcessInfo.processInfo.environment) {
                do {
                    let mib = try ConfigLoader.load(path: configPath).store.maxSizeMiB
                    if mib > 0 { maxSize = Int64(mib) * 1_048_576 }
                } catch {
                    throw fail("\(error)", KioskExit.dataError)
                }
            }
            do {
                let store = try KioskStore(path: path, options: .init(maxSizeBytes: maxSize))
                // A temporary database is thrown away: no need to wait for the disk at each commit.
                if temporary { try store.relaxDurabilityForThrowawayDatabase() }
                let start = Date(timeIntervalSince1970: 0)
                let service = try LoyaltyService(store: store, program: loaded, programJSON: programData, at: start)
                let report: ReplayReport
                if let seed {
                    var replayer = try Replayer(service: service, random: SeededRandom(seed: seed), seed: seed, start: start, keepEvents: !summary)
                    try replay(&replayer)
                    report = try replayer.report(seed: seed)
                } else {
                    var replayer = try Replayer(service: service, random: SystemRandom(), start: start, keepEvents: !summary)
                    try replay(&replayer)
                    report = try replayer.report(seed: nil)
                }
                try printJSON(report)
            } catch let error as StoreError {
                throw fail(error.message, KioskExit.code(for: error))
            } catch let error as LoyaltyError {
                switch error {
                case .store(let e): throw fail(e.message, KioskExit.code(for: e))
                case .refused(let r): throw fail(r.description, KioskExit.dataError)
                }
            }
        }

        private static func stopsTheDisk(_ code: StoreError.Code) -> Bool {
            code == .diskFull || code == .readOnly || code == .io
        }

        private func replay<R: RandomSource>(_ replayer: inout Replayer<R>) throws {
            guard let reader = LineReader(path: events) else { throw fail("cannot read \(events)", KioskExit.noInput) }
            var number = 0
            while let line = reader.next() {
                number += 1
                do {
                    try replayer.apply(line: line, number: number)
                } catch {
                    // Each event is its own operation: when the disk stops the replay, say how
                    // many are committed.
                    guard case .store(let stopped) = error, Self.stopsTheDisk(stopped.code) else { throw error }
                    let message: String = "\(stopped.message) at event \(number); the \(number - 1) events before it are committed, this one and the rest are not"
                    throw StoreError(stopped.code, message)
                }
            }
        }
    }
}

/// Loads a program file: the program, or every problem found.
private func loadProgram(_ path: String) throws -> (Program?, [ProgramError.Issue]) {
    guard FileManager.default.fileExists(atPath: path) else { throw fail("no program file at \(path)", KioskExit.noInput) }
    let data = try readFile(path, what: "program")
    do {
        return (try ProgramLoader.load(data), [])
    } catch {
        return (nil, error.issues)
    }
}

/// Reads a file line by line without loading it whole.
final class LineReader {
    private let handle: FileHandle
    private var buffer = Data()
    private var atEnd = false

    init?(path: String) {
        guard let handle = FileHandle(forReadingAtPath: path) else { return nil }
        self.handle = handle
    }

    deinit { try? handle.close() }

    func next() -> String? {
        while true {
            if let newline = buffer.firstIndex(of: 0x0A) {
                let line = buffer[buffer.startIndex..<newline]
                buffer.removeSubrange(buffer.startIndex...newline)
                return String(decoding: line, as: UTF8.self)
            }
            if atEnd {
                guard !buffer.isEmpty else { return nil }
                defer { buffer.removeAll() }
                return String(decoding: buffer, as: UTF8.self)
            }
            let chunk = handle.readData(ofLength: 1 << 16)
            if chunk.isEmpty { atEnd = true } else { buffer.append(chunk) }
        }
    }
}

/// A file's bytes, or a clear error (exit 66) saying which file could not be read and why.
private func readFile(_ path: String, what: String) throws -> Data {
    do {
        return try Data(contentsOf: URL(fileURLWithPath: path))
    } catch {
        let reason = (error as NSError).localizedFailureReason ?? (error as NSError).localizedDescription
        throw fail("cannot read the \(what) file \(path): \(reason)", KioskExit.noInput)
    }
}
