import ArgumentParser
import Foundation
import KioskDisplay
import KioskRender

/// `kiosk diag terminal`: a screen shown in this terminal (half blocks and text cells).
struct DiagTerminalCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "terminal",
        abstract: "Show a screen in this terminal, with sample data: half-block graphics, text in cells, Persian reordered.",
        discussion: "Colours: truecolor, 256 or 16 (the Linux console); detected from $COLORTERM and $TERM unless given.")

    @Option(help: "The screen to show.")
    var screen: String = "idle"

    @Option(help: "fa-IR or en.")
    var locale: String = "fa-IR"

    @Option(help: "truecolor, 256 or 16.")
    var colors: String?

    @Option(help: "Seconds to animate and hold the screen (the wheel lands after 5.5).")
    var seconds: Double = 3

    func run() throws {
        guard let name = Screen.Name(rawValue: screen) else { throw ValidationError("unknown screen \(screen)") }
        guard let displayLocale = DisplayLocale(rawValue: locale) else { throw ValidationError("--locale is fa-IR or en") }
        let mode: TerminalColors
        if let colors {
            guard let given = TerminalColors(rawValue: colors) else { throw ValidationError("--colors is truecolor, 256 or 16") }
            mode = given
        } else {
            mode = TerminalColors.detect(environment: ProcessInfo.processInfo.environment)
        }
        guard TerminalBackend.size(fd: 1) != nil else { throw fail("standard output is not a terminal", KioskExit.unavailable) }
        let fonts: RenderFonts
        do { fonts = try FontFiles.load() } catch { throw fail("\(error)", KioskExit.noInput) }
        let show = TerminalShow(renderer: Renderer(fonts: fonts), screen: Screen.sample(name, locale: displayLocale),
                                locale: displayLocale, colors: mode)
        _ = show.run(fd: 1, seconds: seconds)
    }
}
