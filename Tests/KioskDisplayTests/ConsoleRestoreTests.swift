import Foundation
import KioskDisplay
import KioskRender
import KioskTestSupport
import Testing

/// The console's mode given back: `kiosk diag display --hold 0` holds a test pattern on a file
/// framebuffer with a file console until it is signalled; the console file records what the
/// process did with the same calls it makes on a tty.
@Suite(.serialized) struct ConsoleRestoreTests {
    func start(_ directory: TemporaryDirectory, hold: Bool) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try ProductLocator.executable("kiosk"))
        process.arguments = ["diag", "display", "--file", directory.file("fb"), "--geometry", "64x48", "--format", "rgb565",
                             "--console-file", directory.file("console")] + (hold ? ["--hold", "0"] : [])
        process.standardOutput = Pipe()
        process.standardError = Pipe()
        try process.run()
        return process
    }

    func console(_ directory: TemporaryDirectory) -> String {
        (try? String(contentsOfFile: directory.file("console"), encoding: .utf8)) ?? ""
    }

    /// Waits (bounded) until the console file says `state`.
    func wait(for state: String, _ directory: TemporaryDirectory) async throws {
        for _ in 0..<300 where console(directory) != state { try await Task.sleep(for: .milliseconds(20)) }
    }

    @Test func sigtermRestoresTextModeAndTheCursor() async throws {
        let directory = try TemporaryDirectory()
        let process = try start(directory, hold: true)
        try await wait(for: "GH", directory)
        #expect(console(directory) == "GH")
        kill(process.processIdentifier, SIGTERM)
        process.waitUntilExit()
        #expect(process.terminationReason == .uncaughtSignal && process.terminationStatus == SIGTERM)
        #expect(console(directory) == "TS")
    }

    @Test func afterSigkillTheNextStartFindsGraphicsModeAndRestoresIt() async throws {
        let directory = try TemporaryDirectory()
        let process = try start(directory, hold: true)
        try await wait(for: "GH", directory)
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        // Nothing runs after SIGKILL: the console is left in graphics mode.
        #expect(console(directory) == "GH")
        let next = try start(directory, hold: false)
        next.waitUntilExit()
        let output = String(decoding: (next.standardOutput as! Pipe).fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(next.terminationStatus == 0)
        #expect(output.contains("left in graphics mode"))
        #expect(console(directory) == "TS")
    }

    @Test func theScreenshotIsWhatThePanelShowsTurnedUpright() throws {
        let directory = try TemporaryDirectory()
        let info = FramebufferInfo.make(.xrgb8888, width: 30, height: 20, pages: 2)
        var frame = Canvas(width: 20, height: 30, fill: Color(r: 10, g: 20, b: 30))
        frame.fill(PixelRect(x: 0, y: 0, width: 3, height: 2), Color(r: 250, g: 0, b: 0))
        do {
            let backend = try FramebufferBackend(device: try FileFramebuffer(path: directory.file("fb"), info: info), rotation: .clockwise90)
            try backend.present(frame, dirty: frame.bounds)
        }
        // Another process's view: a new device on the same file, as `kiosk diag screenshot` opens it.
        let reader = try FramebufferBackend(device: try FileFramebuffer(path: directory.file("fb"), info: info), rotation: .clockwise90)
        let shot = try reader.screenshot()
        #expect(shot == frame)
    }
}
