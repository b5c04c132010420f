import ArgumentParser
import Foundation
import KioskConfig
import KioskDisplay

struct ConfigCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "config",
        abstract: "Check and show the configuration.",
        subcommands: [Check.self, Show.self])

    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Validate a configuration file (the display's look too: strings, logo, icons, fonts); every problem is named with its file, line and key.",
            discussion: "Without FILE, checks the file the kiosk would read ($KIOSK_CONFIG or /etc/kiosk/kiosk.toml). Exits 0 when valid, 65 when not, 66 when the file is missing.")

        @Argument(help: ArgumentHelp("The file to check.", valueName: "FILE"))
        var file: String?

        @Flag(help: "Print the result as JSON: {\"valid\": …, \"file\": …, \"issues\": […]}.")
        var json = false

        struct Result: Encodable {
            struct Issue: Encodable { var line: Int?; var key: String?; var message: String }
            var valid: Bool
            var file: String?
            var issues: [Issue]
        }

        func run() throws {
            let environment = ProcessInfo.processInfo.environment
            let path = ConfigLoader.resolvePath(explicit: file, environment: environment)
            if let path, !FileManager.default.fileExists(atPath: path) {
                throw fail("configuration file \(path) does not exist", KioskExit.noInput)
            }
            do {
                let configuration = try ConfigLoader.load(path: path, environment: environment)
                // The display's look: string keys, images and fonts, which only the display can judge.
                do { _ = try LookFile.configured(configuration.display.look) } catch {
                    let text = path.flatMap { try? String(contentsOfFile: $0, encoding: .utf8) } ?? ""
                    throw ConfigError(error.issues.map {
                        ConfigIssue(file: path ?? "(defaults)", line: ConfigLoader.line(of: $0.key, in: text), key: $0.key, message: $0.message)
                    })
                }
                if json {
                    try printJSON(Result(valid: true, file: path, issues: []))
                } else {
                    print("\(path ?? "(no file: defaults)"): valid")
                }
            } catch let error as ConfigError {
                if json {
                    try printJSON(Result(valid: false, file: path, issues: error.issues.map {
                        .init(line: $0.line, key: $0.key, message: $0.message)
                    }))
                } else {
                    printError(error.description)
                }
                throw KioskExit.dataError
            }
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print the effective configuration: the file's values over the defaults. Secrets are redacted.")

        @OptionGroup var options: CommonOptions

        @Flag(help: "Print JSON.")
        var json = false

        func run() throws {
            let configuration = try options.loadConfiguration()
            let view = EffectiveConfiguration(configuration)
            if json {
                try printJSON(view)
            } else {
                print(view.toml)
            }
        }
    }
}
