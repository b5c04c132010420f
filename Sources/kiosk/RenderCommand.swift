import ArgumentParser
import Foundation
import KioskConfig
import KioskDisplay
import KioskRender

/// `kiosk render`: any screen, any frame of its animation, to a PNG file.
struct RenderCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "render",
        abstract: "Render a screen to PNG, with sample data or the data in a JSON file (docs/display.md).",
        discussion: "Screens: \(Screen.Name.allCases.map(\.rawValue).joined(separator: ", ")). Frames are counted at 60 per second.")

    @Option(help: "The screen to render.")
    var screen: String

    @Option(help: "fa-IR or en.")
    var locale: String = "fa-IR"

    @Option(help: "The size people see, WxH (e.g. 1920x1080, or 480x800 for portrait).")
    var size: String = "800x480"

    @Option(help: "Turn the picture clockwise by 0, 90, 180 or 270 degrees, as the panel is mounted.")
    var rotate: Int = 0

    @Option(help: "The frame of the screen's animation (60 per second; the wheel lands after 330).")
    var frame: Int = 0

    @Option(help: "A JSON file with the screen's data.")
    var data: String?

    @Option(help: "A JSON file with the business's look: colours, names, logo, fonts, strings (docs/display.md).")
    var look: String?

    @Option(help: ArgumentHelp("Preview with the look of this kiosk.toml's [display] (names, colours, logo, icons, fonts, strings).", valueName: "FILE"))
    var config: String?

    @Option(help: "The PNG file to write.")
    var out: String

    func run() throws {
        guard let name = Screen.Name(rawValue: screen) else {
            throw ValidationError("unknown screen \(screen); screens: \(Screen.Name.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        guard let displayLocale = DisplayLocale(rawValue: locale) else { throw ValidationError("--locale is fa-IR or en") }
        guard let (width, height) = RenderRequest.parseSize(size) else { throw ValidationError("--size is WxH, 16 to 8192 each") }
        guard let rotation = Rotation(rawValue: rotate) else { throw ValidationError("--rotate is 0, 90, 180 or 270") }
        guard frame >= 0 else { throw ValidationError("--frame is 0 or more") }
        let request = RenderRequest(screen: name, locale: displayLocale, width: width, height: height, rotation: rotation,
                                    frame: frame, dataFile: data)
        guard look == nil || config == nil else { throw ValidationError("--look and --config: give one of them") }
        var business = LookFile.standard
        do { business = try look.map(LookFile.load) ?? .standard } catch { throw fail("\(error)", KioskExit.dataError) }
        if let config {
            guard FileManager.default.fileExists(atPath: config) else { throw fail("configuration file \(config) does not exist", KioskExit.noInput) }
            do { business = try LookFile.configured(try ConfigLoader.load(path: config).display.look) } catch {
                throw fail("\(error)", KioskExit.dataError)
            }
        }
        let fonts: RenderFonts
        do { fonts = try FontFiles.load(business.fonts) } catch { throw fail("\(error)", KioskExit.noInput) }
        let renderer = Renderer(fonts: fonts, brand: business.branding, strings: business.strings, images: business.images)
        let canvas: Canvas
        do { canvas = try request.render(with: renderer) } catch let error as RenderRequest.Failure {
            if case .dataUnreadable = error { throw fail("\(error)", KioskExit.noInput) }
            throw fail("\(error)", KioskExit.dataError)
        }
        let png = try PNGCodec.encode(canvas)
        do { try Data(png).write(to: URL(fileURLWithPath: out)) } catch {
            throw fail("cannot write \(out): \((error as NSError).localizedDescription)", KioskExit.cannotCreate)
        }
    }
}
