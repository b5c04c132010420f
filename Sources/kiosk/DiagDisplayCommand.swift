import ArgumentParser
import Foundation
import KioskDisplay
import KioskRender

/// Options shared by `kiosk diag display` and `kiosk diag screenshot`.
struct FramebufferOptions: ParsableArguments {
    @Option(help: "The framebuffer device.")
    var device: String = "/dev/fb0"

    @Option(help: "Use this file as the framebuffer instead of a device (with --geometry and --format).")
    var file: String?

    @Option(help: "The file framebuffer's size, WxH.")
    var geometry: String = "800x480"

    @Option(help: "The file framebuffer's pixel format: rgb565, xrgb8888 or xbgr8888.")
    var format: String = "xrgb8888"

    @Option(help: "The file framebuffer's pages (2 allows panning).")
    var pages: Int = 2

    @Option(help: "How the panel is mounted: 0, 90, 180 or 270 degrees clockwise.")
    var rotate: Int = 0

    func target() throws -> FramebufferTarget {
        guard let file else { return .device(device) }
        guard let (w, h) = RenderRequest.parseSize(geometry) else { throw ValidationError("--geometry is WxH") }
        guard let layout = FramebufferInfo.Layout(rawValue: format) else { throw ValidationError("--format is rgb565, xrgb8888 or xbgr8888") }
        guard (1...3).contains(pages) else { throw ValidationError("--pages is 1 to 3") }
        return .file(file, .make(layout, width: w, height: h, pages: pages))
    }

    func rotation() throws -> Rotation {
        guard let rotation = Rotation(rawValue: rotate) else { throw ValidationError("--rotate is 0, 90, 180 or 270") }
        return rotation
    }
}

/// `kiosk diag display`: the framebuffer's geometry, and a test pattern on it.
struct DiagDisplayCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "display",
        abstract: "Print the framebuffer's geometry and show a test pattern.",
        discussion: """
            The console is switched to graphics mode while the pattern shows and restored on exit, on SIGTERM \
            and SIGINT; a console a previous run left in graphics mode (after a SIGKILL) is reported and restored.
            """)

    @OptionGroup var framebuffer: FramebufferOptions

    @Option(help: "The console to switch to graphics mode (none to leave it alone).")
    var console: String = "/dev/tty0"

    @Option(help: "Use this file as the console (tests): mode in its first byte, cursor in its second.")
    var consoleFile: String?

    @Option(help: "Keep the pattern on screen this many seconds (0: until SIGTERM or SIGINT).")
    var hold: Double?

    func run() throws {
        let backend: FramebufferBackend
        do { backend = try FramebufferBackend(device: try framebuffer.target().open(), rotation: try framebuffer.rotation()) } catch let error as DisplayError {
            throw fail("\(error)", error.code == .open ? KioskExit.noInput : KioskExit.unavailable)
        }
        print("framebuffer: \(backend.summary)")
        var guardian: ConsoleGuard?
        if let consoleFile {
            guardian = try ConsoleGuard(path: consoleFile, kind: .file)
        } else if console != "none" {
            do { guardian = try ConsoleGuard(path: console, kind: .tty) } catch {
                printError("kiosk: console \(console) not switched: \(error)")
            }
        }
        if let guardian, guardian.foundInGraphicsMode {
            print("console: \(guardian.path) was left in graphics mode by an earlier run; it is restored on exit")
        }
        try guardian?.take()
        defer { guardian?.restore() }
        let fonts: RenderFonts
        do { fonts = try FontFiles.load() } catch { throw fail("\(error)", KioskExit.noInput) }
        let (w, h) = backend.size
        let pattern = TestPattern.render(width: w, height: h, caption: backend.summary, fonts: fonts)
        try backend.present(pattern, dirty: pattern.bounds)
        print("test pattern shown")
        if let hold {
            fflush(nil)
            if hold > 0 { Thread.sleep(forTimeInterval: hold) } else { while true { pause() } }
        }
    }
}

/// `kiosk diag screenshot`: what the live display shows, as PNG.
struct DiagScreenshotCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "screenshot",
        abstract: "Save what the framebuffer shows as a PNG file (turned upright for a panel mounted sideways).")

    @OptionGroup var framebuffer: FramebufferOptions

    @Option(help: "The PNG file to write.")
    var out: String

    func run() throws {
        let backend: FramebufferBackend
        do { backend = try FramebufferBackend(device: try framebuffer.target().open(), rotation: try framebuffer.rotation()) } catch let error as DisplayError {
            throw fail("\(error)", error.code == .open ? KioskExit.noInput : KioskExit.unavailable)
        }
        let png = try PNGCodec.encode(try backend.screenshot())
        do { try Data(png).write(to: URL(fileURLWithPath: out)) } catch {
            throw fail("cannot write \(out): \((error as NSError).localizedDescription)", KioskExit.cannotCreate)
        }
        print("screenshot: \(backend.size.width)x\(backend.size.height) to \(out)")
    }
}
