import ArgumentParser
import Foundation
import KioskStore
import Logging

struct DatabaseCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "db",
        abstract: "Migrate, check, back up and restore the local database.",
        subcommands: [Migrate.self, Check.self, Backup.self, Restore.self])

    struct Migrate: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create the database if needed and apply pending schema migrations.")

        @OptionGroup var options: CommonOptions
        @Flag(help: "Print JSON.") var json = false

        struct Result: Encodable { var path: String; var applied: [String]; var migrations: [String] }

        func run() throws {
            let configuration = try options.loadConfiguration()
            // Nothing to do writes nothing: look read-only first (opening read-write lets GRDB
            // write to a database whose WAL is empty).
            if FileManager.default.fileExists(atPath: configuration.store.path),
               let current = try? KioskStore(path: configuration.store.path, mode: .readOnly),
               let applied = try? current.appliedMigrations(), applied == KioskStore.knownMigrations {
                let result = Result(path: current.path, applied: [], migrations: applied)
                if json { try printJSON(result) } else { print("\(current.path): up to date (\(applied.joined(separator: ", ")))") }
                return
            }
            let store = try options.openStore(configuration, migrate: false)
            do {
                let applied = try store.migrate()
                let result = Result(path: store.path, applied: applied, migrations: try store.appliedMigrations())
                if json {
                    try printJSON(result)
                } else if applied.isEmpty {
                    print("\(store.path): up to date (\(result.migrations.joined(separator: ", ")))")
                } else {
                    print("\(store.path): applied \(applied.joined(separator: ", "))")
                }
            } catch let error as StoreError {
                throw fail(error.message, KioskExit.code(for: error))
            }
        }
    }

    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check the database: SQLite integrity, foreign keys, migrations, every cached balance against its ledger sum, one outbox event per transaction, the result behind every event that carries it.",
            discussion: "Exits 0 when healthy and 65 when a problem was found. Opens the database read-only unless --repair-balances is given. Prints no personal data.")

        @OptionGroup var options: CommonOptions
        @Flag(help: "Print JSON.") var json = false
        @Flag(name: .customLong("repair-balances"), help: "Rebuild cached balances and member summaries that differ from the ledger (the ledger is never changed).")
        var repairBalances = false

        func run() throws {
            let configuration = try options.loadConfiguration()
            if let denied = KioskStore.accessDenied(at: configuration.store.path, writing: false) {
                throw fail(denied.message, KioskExit.code(for: denied))
            }
            guard FileManager.default.fileExists(atPath: configuration.store.path) else {
                throw fail("no database at \(configuration.store.path) (run `kiosk db migrate` to create it)", KioskExit.noInput)
            }
            let store = try options.openStore(configuration, mode: repairBalances ? .readWrite : .readOnly, migrate: false)
            do {
                var report = try store.check()
                if repairBalances && (!report.balanceMismatches.isEmpty || report.summaryMismatches > 0) {
                    let fixed = try store.rebuildBalances()
                    Logger(label: "kiosk.db").notice("rebuilt cached balances and member summaries from the ledger", metadata: ["changed": "\(fixed)"])
                    report = try store.check()
                }
                if json {
                    try printJSON(report)
                } else {
                    printReport(report, path: store.path)
                }
                if !report.isHealthy { throw KioskExit.dataError }
            } catch let error as StoreError {
                throw fail(error.message, KioskExit.code(for: error))
            }
        }

        private func printReport(_ report: HealthReport, path: String) {
            print("database: \(path) (\(report.fileBytes) bytes)")
            print("integrity: \(report.integrity.joined(separator: "; "))")
            print("foreign key violations: \(report.foreignKeyViolations)")
            print("migrations: \(report.appliedMigrations.joined(separator: ", "))"
                  + (report.pendingMigrations.isEmpty ? "" : "; pending: \(report.pendingMigrations.joined(separator: ", "))")
                  + (report.unknownMigrations.isEmpty ? "" : "; unknown: \(report.unknownMigrations.joined(separator: ", "))"))
            print("members: \(report.members), cards: \(report.cards), transactions: \(report.transactions), ledger rows: \(report.ledgerRows)")
            print("outbox pending: \(report.outboxPending)")
            print("outbox events delivered and pruned: \(report.outboxPruned)")
            print("balances differing from the ledger: \(report.balanceMismatches.count)")
            for mismatch in report.balanceMismatches.prefix(20) {
                print("  \(mismatch.memberID) \(mismatch.account): cached \(mismatch.cached), ledger \(mismatch.ledger)")
            }
            print("member summary rows differing from the ledger and records: \(report.summaryMismatches)")
            print("transactions without exactly one outbox event: \(report.transactionsWithoutOneEvent)")
            print("outbox events missing the result they carry: \(report.eventsWithoutTheirResult)")
            print(report.isHealthy ? "healthy" : "PROBLEMS FOUND")
        }
    }

    struct Backup: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Copy the database through SQLite's online backup (safe while the kiosk runs) and verify the copy.",
            discussion: "Without FILE, writes kiosk-YYYYMMDD-HHMMSS.sqlite into the configured backup directory. Never overwrites a file.")

        @OptionGroup var options: CommonOptions
        @Argument(help: ArgumentHelp("Where to write the backup.", valueName: "FILE")) var file: String?
        @Flag(help: "Print JSON.") var json = false

        struct Result: Encodable { var backup: String; var bytes: Int64 }

        func run() throws {
            let configuration = try options.loadConfiguration()
            if let denied = KioskStore.accessDenied(at: configuration.store.path, writing: false) {
                throw fail(denied.message, KioskExit.code(for: denied))
            }
            guard FileManager.default.fileExists(atPath: configuration.store.path) else {
                throw fail("no database at \(configuration.store.path)", KioskExit.noInput)
            }
            let destination = file ?? defaultDestination(directory: configuration.store.backupDirectory)
            if file == nil, !FileManager.default.fileExists(atPath: configuration.store.backupDirectory) {
                // The configured backup directory is created (mode 0700, 0750 for file_mode "0640"); a directory named
                // on the command line must exist.
                do {
                    try FileManager.default.createDirectory(atPath: configuration.store.backupDirectory, withIntermediateDirectories: true,
                                                            attributes: [.posixPermissions: StorePolicy.fileMode(configuration).directoryPermissions])
                } catch {
                    throw fail("cannot create the backup directory \(configuration.store.backupDirectory) (\(error.localizedDescription))", KioskExit.cannotCreate)
                }
                printError("kiosk: created the backup directory \(configuration.store.backupDirectory)")
            }
            let store = try options.openStore(configuration, mode: .readOnly, migrate: false)
            do {
                try store.backup(to: destination)
            } catch {
                throw fail(error.message, KioskExit.code(for: error))
            }
            let bytes = ((try? FileManager.default.attributesOfItem(atPath: destination))?[.size] as? NSNumber)?.int64Value ?? 0
            if json {
                try printJSON(Result(backup: destination, bytes: bytes))
            } else {
                print("backed up \(store.path) to \(destination) (\(bytes) bytes, integrity ok; digest in \(destination).sha256)")
            }
        }

        private func defaultDestination(directory: String) -> String {
            let formatter = DateFormatter()
            formatter.locale = Locale(identifier: "en_US_POSIX")
            formatter.timeZone = TimeZone(identifier: "UTC")
            formatter.dateFormat = "yyyyMMdd-HHmmss"
            return (directory as NSString).appendingPathComponent("kiosk-\(formatter.string(from: Date())).sqlite")
        }
    }

    struct Restore: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Replace the database with a backup, after checking the backup's digest and running the full check on it.",
            discussion: """
                The backup's bytes must match its digest file (FILE.sha256, written by `kiosk db backup`), and a copy of it must pass the full `db check` (integrity, foreign keys, every balance against its ledger, the outbox); the backup itself is never modified. Only then is the database replaced: the one there before (damaged or not, with its -wal) is kept aside as DB.before-restore-YYYYMMDD-HHMMSS, named in the output. A refused restore changes nothing. Stop the kiosk first: restore refuses while another process has the database open. Requires --yes, since everything recorded after the backup is lost (events not yet forwarded among it).
                """)

        @OptionGroup var options: CommonOptions
        @Argument(help: ArgumentHelp("The backup to restore.", valueName: "FILE")) var file: String
        @Flag(help: "Confirm that the current database is to be replaced.") var yes = false
        @Flag(name: .customLong("without-digest"), help: "Accept a backup that has no digest file (it must still pass the full check).")
        var withoutDigest = false

        func run() throws {
            guard yes else {
                throw fail("restore replaces the current database; run again with --yes to confirm", KioskExit.usage)
            }
            let configuration = try options.loadConfiguration()
            guard FileManager.default.fileExists(atPath: file) else {
                throw fail("no backup at \(file)", KioskExit.noInput)
            }
            let report: RestoreReport
            do {
                report = try KioskStore.restore(from: file, over: configuration.store.path, requireDigest: !withoutDigest,
                                                fileMode: StorePolicy.fileMode(configuration))
            } catch {
                throw fail(error.message, KioskExit.code(for: error))
            }
            Logger(label: "kiosk.db").notice("restored the database from a backup", metadata: ["backup": "\(file)"])
            print("restored \(report.database) from \(file) (digest matches, full check passed)")
            if let previous = report.previous {
                print(report.previousWasDamaged
                      ? "the damaged database it replaced is kept at \(previous)"
                      : "the database it replaced is kept at \(previous)")
            }
        }
    }
}
