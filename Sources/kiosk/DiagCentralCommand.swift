import ArgumentParser
import Foundation
import KioskSync

/// `kiosk diag central`: can this kiosk talk to its central?
struct DiagCentralCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "central",
        abstract: "Check the central API: reachability and TLS, clock skew, and the device token.",
        discussion: "Exits 0 when all checks pass, 69 when the central cannot be reached, 65 when the token is refused or the clocks differ by more than --max-skew seconds.")

    @OptionGroup var options: CommonOptions
    @Flag(help: "Print JSON.") var json = false
    @Option(help: "The largest clock difference that passes, in seconds.") var maxSkew: Double = 30

    func run() async throws {
        let configuration = try options.loadConfiguration()
        let client = try CentralCommandSupport.client(configuration)
        let report = await CentralDiagnosis.run(client, maxSkew: maxSkew, now: { Date() })
        try? await client.shutdown()
        if json { try printJSON(report) } else { for line in report.lines { print(line) } }
        if !report.reachable { throw KioskExit.unavailable }
        if !report.passed { throw KioskExit.dataError }
    }
}
