#if canImport(Glibc)
import Glibc
#endif
import Foundation
import KioskAppliance
import KioskConfig
import KioskDisplay
import KioskRender
import Logging

/// The display `kiosk run` draws on, from `[display]`: the framebuffer when it opens (`auto` and
/// `framebuffer`), else the terminal on standard output when it is one (`auto` and `terminal`),
/// else none (the kiosk serves taps without a screen and says so in the log).
enum DisplayPolicy {
    static func locale(_ configuration: KioskConfiguration) -> DisplayLocale {
        configuration.kiosk.locale == .en ? .en : .faIR
    }

    static func output(_ configuration: KioskConfiguration, logger: Logger) throws -> ScreenOutput? {
        let backend = configuration.display.backend
        // The business's look (`[display]` names, logo, colours, fonts, icons, strings): checked by
        // `kiosk config check`; a look that does not hold here stops the kiosk, as bad configuration.
        let look: LookFile
        do { look = try LookFile.configured(configuration.display.look) } catch {
            throw fail("display: \(error)", KioskExit.dataError)
        }
        let fonts: RenderFonts
        do { fonts = try FontFiles.load(look.fonts) } catch {
            logger.error("display: fonts not found; no screen", metadata: ["error": "\(error)"])
            return nil
        }
        let renderer = Renderer(fonts: fonts, brand: look.branding, strings: look.strings, images: look.images)
        let locale = locale(configuration)
        if backend != .terminal {
            do {
                let device = try LinuxFramebuffer(path: configuration.display.framebuffer)
                let framebuffer = try FramebufferBackend(device: device, rotation: Rotation(rawValue: configuration.display.rotation) ?? .none)
                return FramebufferOutput(renderer: renderer, locale: locale, backend: framebuffer)
            } catch {
                if backend == .framebuffer { throw fail("display: \(error)", KioskExit.unavailable) }
                logger.info("display: no framebuffer; trying the terminal", metadata: ["error": "\(error)"])
            }
        }
        guard isatty(STDOUT_FILENO) == 1,
              let terminal = TerminalOutput(renderer: renderer, locale: locale, fd: STDOUT_FILENO,
                                            colors: TerminalColors.detect(environment: ProcessInfo.processInfo.environment)) else {
            if backend == .terminal { throw fail("display: standard output is not a terminal", KioskExit.unavailable) }
            logger.notice("display: no framebuffer and no terminal; running without a screen")
            return nil
        }
        return terminal
    }
}
