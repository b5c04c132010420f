import ArgumentParser
import Foundation
import KioskCore
import KioskStore

struct VersionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "version",
        abstract: "Print the kiosk's version, its schema migrations and the SQLite it runs on.")

    @Flag(help: "Print JSON.")
    var json = false

    struct Info: Encodable {
        var version: String
        var migrations: [String]
        var sqlite: String
    }

    func run() throws {
        let info = Info(version: BuildInfo.version, migrations: KioskStore.knownMigrations, sqlite: KioskStore.sqliteVersion)
        if json {
            try printJSON(info)
        } else {
            print("kiosk \(info.version)")
            print("schema: \(info.migrations.joined(separator: ", "))")
            print("sqlite: \(info.sqlite)")
        }
    }
}
