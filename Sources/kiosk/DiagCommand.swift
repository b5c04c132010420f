import ArgumentParser

/// `kiosk diag`: technicians' diagnostics of the hardware.
struct DiagCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diag",
        abstract: "Diagnose the hardware: card readers and cards.",
        subcommands: [DiagReadersCommand.self, DiagCardCommand.self])
}
