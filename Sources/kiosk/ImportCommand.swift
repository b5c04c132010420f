import ArgumentParser
import Foundation
import KioskCore
import KioskImport
import KioskStore

/// `kiosk import`: bring members and their balances over from another system.
struct ImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import data from another system.",
        subcommands: [Members.self])

    struct Members: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Import members and their opening balances from a CSV file (format: docs/import.md).",
            discussion: """
                Every row is validated first and every problem is printed with its row and column; when there is any, \
                or with --dry-run, nothing is written. A valid file is imported one business operation per row \
                (idempotency key import:<member_id>), committed in batches (--batch-size rows, one transaction and one \
                disk sync each), so running the same file again writes nothing twice and an interrupted import, which \
                has committed whole batches only, can simply be run again. On a terminal, progress is shown on stderr. Exits 0 when imported (or valid, with --dry-run), 65 when \
                the file has problems, 66 when it is missing.
                """)

        @OptionGroup var options: CommonOptions
        @Argument(help: ArgumentHelp("The CSV file.", valueName: "FILE.csv")) var file: String
        @Flag(name: .customLong("dry-run"), help: "Validate only; write nothing.") var dryRun = false
        @Flag(help: "Print JSON.") var json = false
        @Option(help: ArgumentHelp("The branch the members are enrolled at (default: the configured branch).", valueName: "ID"))
        var branch: String?
        @Option(name: .customLong("batch-size"), help: ArgumentHelp("Rows committed per transaction.", valueName: "N"))
        var batchSize = MemberImporter.defaultBatchSize

        func run() throws {
            guard FileManager.default.fileExists(atPath: file) else {
                throw fail("no import file at \(file)", KioskExit.noInput)
            }
            let data: Data
            do { data = try Data(contentsOf: URL(fileURLWithPath: file)) } catch {
                throw fail("cannot read \(file): \(error.localizedDescription)", KioskExit.ioError)
            }
            guard let text = String(data: data, encoding: .utf8) else {
                throw fail("\(file) is not UTF-8 text", KioskExit.dataError)
            }
            let configuration = try options.loadConfiguration()
            let branchID = BranchID(rawValue: branch ?? configuration.kiosk.branch.rawValue)
            if branchID.rawValue.isEmpty { throw ValidationError("--branch must not be empty") }
            let store = try options.openStore(configuration)
            guard batchSize >= 1 else { throw ValidationError("--batch-size must be at least 1") }
            let report: ImportReport
            let onTerminal = isatty(STDERR_FILENO) == 1
            let started = ContinuousClock.now
            do {
                report = try MemberImporter(store: store, branch: branchID, source: (file as NSString).lastPathComponent)
                    .run(text, dryRun: dryRun, batchSize: batchSize, progress: onTerminal ? { done, total in
                        let elapsed = Double((ContinuousClock.now - started).components.seconds)
                        let rate = elapsed > 0 ? " (\(Int(Double(done) / elapsed)) rows/s)" : ""
                        FileHandle.standardError.write(Data("\r\(file): \(done) of \(total) rows committed\(rate)\u{1B}[K".utf8))
                        if done == total { FileHandle.standardError.write(Data("\n".utf8)) }
                    } : nil)
            } catch {
                if onTerminal { FileHandle.standardError.write(Data("\n".utf8)) }
                throw fail(error.message, KioskExit.code(for: error))
            }
            if json {
                struct Output: Encodable {
                    var file: String; var valid: Bool; var dryRun: Bool; var rows: Int
                    var problems: [ImportProblem]; var imported: [MemberID]; var replayed: [MemberID]
                }
                try printJSON(Output(file: file, valid: report.valid, dryRun: dryRun, rows: report.rows, problems: report.problems,
                                     imported: report.imported, replayed: report.replayed))
            } else if !report.valid {
                printError("\(file): \(report.problems.count) problem(s), nothing imported:")
                for problem in report.problems { printError("  \(problem)") }
            } else if dryRun {
                print("\(file): valid, \(report.rows) member(s); nothing written (--dry-run)")
            } else {
                print("\(file): imported \(report.imported.count) member(s)"
                      + (report.replayed.isEmpty ? "" : ", \(report.replayed.count) already imported before"))
            }
            if !report.valid { throw KioskExit.dataError }
        }
    }
}
