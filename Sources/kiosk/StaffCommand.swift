import ArgumentParser
import Foundation
import KioskAppliance
import KioskCore
import KioskSession
import KioskStore

/// `kiosk staff`: the operators who may open a staff session at this kiosk, and their cards.
struct StaffCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "staff",
        abstract: "Add staff and bind their cards.",
        subcommands: [Add.self])

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Add an operator (or change their name, role and PIN) and bind a staff card to them.",
            discussion: """
                The PIN (4 to 8 digits) is read from standard input, one line, and stored only as a salted \
                PBKDF2 hash; it is never printed or logged. The card is a card id as `kiosk diag card` prints it \
                (`uid:04A1B2C3D4E5F6`, `token:…`); a card that belongs to a member is refused. Tapping the card \
                at the kiosk then asks for the PIN and opens the role's menu (docs/session.md).
                """)

        @OptionGroup var options: CommonOptions
        @Argument(help: ArgumentHelp("The operator's id.", valueName: "OPERATOR")) var operatorID: String
        @Option(help: "The name the kiosk greets them by.") var name: String
        @Option(help: "cashier, enroller, manager or technician.") var role: String
        @Option(help: ArgumentHelp("The staff card's id.", valueName: "CARD")) var card: String
        @Flag(name: .customLong("pin-stdin"), help: "Read the PIN from standard input (required).") var pinFromStdin = false

        func run() throws {
            guard let role = Role(rawValue: role) else { throw ValidationError("--role is cashier, enroller, manager or technician") }
            guard pinFromStdin else { throw ValidationError("give the PIN on standard input with --pin-stdin (never on the command line)") }
            guard let line = readLine(strippingNewline: true) else { throw fail("no PIN on standard input", KioskExit.dataError) }
            let digits = line.unicodeScalars.compactMap { $0.properties.numericType == .decimal ? UInt8($0.properties.numericValue ?? 0) : nil }
            guard digits.count == line.unicodeScalars.count else { throw fail("a PIN is digits only", KioskExit.dataError) }
            let hash: String
            do { hash = try StaffPIN.hash(PIN(digits: digits)) } catch { throw fail("\(error)", KioskExit.dataError) }
            let configuration = try options.loadConfiguration()
            let store = try options.openStore(configuration)
            do {
                try store.ensureBranch(configuration.kiosk.branch)
                try store.upsertOperator(OperatorID(rawValue: operatorID), displayName: name, role: role, pinHash: hash,
                                         branchID: configuration.kiosk.branch)
                try store.bindStaffCard(CardID(rawValue: card), to: OperatorID(rawValue: operatorID))
            } catch {
                throw fail(error.message, KioskExit.code(for: error))
            }
            print("\(operatorID) (\(role.rawValue)) can open a staff session with card \(card)")
        }
    }
}
