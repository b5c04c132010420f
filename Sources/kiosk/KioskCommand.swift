import ArgumentParser

@main
struct KioskCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kiosk",
        abstract: "The loyalty-club kiosk: card readers, scanners, the loyalty engine, the display and the central API.",
        discussion: """
            Configuration comes from --config FILE, else $KIOSK_CONFIG, else /etc/kiosk/kiosk.toml if it \
            exists, else built-in defaults (data under ~/.local/state/kiosk). Secrets come from files named \
            in the configuration or from the environment, never from the command line.

            Exit codes: 0 success; 64 usage error; 65 invalid data (bad configuration, failed check, \
            damaged backup, a card diag card refuses); 66 a named file is missing; 69 unavailable (the \
            database is busy, no card, pcscd or vpcd not reachable); 70 internal error; \
            73 cannot write (read-only medium, disk full); 74 I/O error; 77 permission denied (the message \
            names the file or directory, its owner and mode).
            """,
        version: "kiosk \(BuildInfoVersion.string)",
        subcommands: [RunCommand.self, VersionCommand.self, ConfigCommand.self, DatabaseCommand.self, EngineCommand.self, StaffCommand.self,
                      SimCommand.self, DiagCommand.self, ImportCommand.self, ReceiptCommand.self, RenderCommand.self,
                      SyncCommand.self, MemberCommand.self]
    )
}

import KioskCore

enum BuildInfoVersion {
    static var string: String { BuildInfo.version }
}
