import ArgumentParser

/// `kiosk diag`: technicians' diagnostics of the hardware.
struct DiagCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diag",
        abstract: "Diagnose the hardware and the central: card readers, cards, barcode scanners and keypads, the display, the central API.",
        discussion: "Without a subcommand: `all`, everything at once with a summary line (docs/cli.md).",
        subcommands: [DiagSummaryCommand.self, DiagReadersCommand.self, DiagCardCommand.self, DiagScannersCommand.self,
                      DiagDisplayCommand.self, DiagScreenshotCommand.self, DiagTerminalCommand.self,
                      DiagCentralCommand.self],
        defaultSubcommand: DiagSummaryCommand.self)
}
