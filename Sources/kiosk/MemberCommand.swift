import ArgumentParser
import Foundation
import KioskCore
import KioskStore

/// `kiosk member`: what the kiosk keeps about one member.
struct MemberCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "member",
        abstract: "Manage a member's data.",
        subcommands: [Erase.self])

    struct Erase: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Erase a member's personal data (name, phone, birthday, anniversary, gender, interests).",
            discussion: """
                The member's balances, cards, ledger and history stay whole (kiosk db check still passes); only the \
                personal data goes, overwritten in the database file and its WAL. The erasure is one member.erase \
                operation: an audit row (operator, member id, never the data) and a member.erased event for the central. \
                Backups made before still hold the data. Exits 0 when erased (or nothing was left to erase), 65 for an \
                unknown member.
                """)

        @OptionGroup var options: CommonOptions
        @Argument(help: ArgumentHelp("The member's id.", valueName: "MEMBER")) var member: String
        @Option(help: ArgumentHelp("The operator who asked for it (recorded in the audit log).", valueName: "OPERATOR"))
        var operatorID: String?
        @Option(help: ArgumentHelp("The operation's idempotency key (default: member.erase:<MEMBER>:<time>).", valueName: "KEY"))
        var key: String?
        @Flag(help: "Confirm: the personal data cannot be brought back.") var yes = false
        @Flag(help: "Print JSON.") var json = false

        func run() throws {
            guard yes else { throw ValidationError("erasing cannot be undone: add --yes") }
            let idempotencyKey: IdempotencyKey
            do {
                let now = Int(Date().timeIntervalSince1970 * 1000)
                idempotencyKey = try IdempotencyKey(key ?? "member.erase:\(member):\(now)")
            } catch {
                throw ValidationError("--key: \(error)")
            }
            let configuration = try options.loadConfiguration()
            let store = try options.openStore(configuration)
            let outcome: ErasureOutcome
            do {
                try store.ensureBranch(configuration.kiosk.branch)
                outcome = try store.erasePersonalData(of: MemberID(rawValue: member), key: idempotencyKey,
                                                      branch: configuration.kiosk.branch,
                                                      operatorID: operatorID.map(OperatorID.init(rawValue:)))
            } catch {
                throw fail(error.message, KioskExit.code(for: error))
            }
            if json {
                try printJSON(outcome)
            } else if outcome.replayed {
                print("member \(member): this erasure (\(idempotencyKey)) was done before; nothing changed")
            } else if outcome.erased {
                print("member \(member): personal data erased (\(outcome.transactionID)); balances and history kept")
            } else {
                print("member \(member): no personal data left to erase (\(outcome.transactionID) recorded)")
            }
        }
    }
}
