import Foundation
import KioskDisplay
import KioskRender
import KioskText
import KioskTestSupport
import Testing

@Suite struct TerminalBackendTests {
    final class Capture: @unchecked Sendable {
        var bytes: [UInt8] = []
        var text: String { String(decoding: bytes, as: UTF8.self) }
    }

    static func grid(_ columns: Int, _ rows: Int, _ color: Color) -> CellGrid {
        CellGrid(columns: columns, rows: rows, picture: Canvas(width: columns * 8, height: rows * 16, fill: color), text: [])
    }

    @Test func onlyChangedCellsAreSentAndRepeatedColoursAreNot() {
        let capture = Capture()
        let backend = TerminalBackend(columns: 10, rows: 4, colors: .truecolor) { capture.bytes += $0 }
        backend.start()
        #expect(capture.text.hasPrefix("\u{1B}[?1049h\u{1B}[?25l"))
        var grid = Self.grid(10, 4, Color(r: 1, g: 2, b: 3))
        capture.bytes = []
        backend.present(grid)
        // A uniform frame: one colour escape for all 40 cells, one cursor move per row.
        #expect(capture.text.components(separatedBy: "38;2;1;2;3").count - 1 == 1)
        #expect(capture.text.components(separatedBy: "\u{1B}[").count - 1 == 4 + 1)
        capture.bytes = []
        backend.present(grid)
        #expect(capture.bytes.isEmpty)
        #expect(backend.lastFrameBytes == 0)
        grid.cells[2 * 10 + 5].background = Color(r: 200, g: 0, b: 0)
        backend.present(grid)
        #expect(capture.text == "\u{1B}[3;6H\u{1B}[38;2;1;2;3;48;2;200;0;0m▀")
        backend.close()
        #expect(capture.text.hasSuffix("\u{1B}[0m\u{1B}[?25h\u{1B}[?1049l"))
    }

    @Test func aResizeRedrawsEverything() {
        let capture = Capture()
        let backend = TerminalBackend(columns: 4, rows: 2, colors: .palette256) { capture.bytes += $0 }
        backend.present(Self.grid(4, 2, .white))
        backend.resize(columns: 6, rows: 3)
        capture.bytes = []
        backend.present(Self.grid(6, 3, .white))
        #expect(capture.text.filter { $0 == "▀" }.count == 18)
        #expect(capture.text.contains("38;5;231"))
    }

    @Test func coloursFallBackTo256AndTo16() {
        #expect(TerminalColors.palette256.sgr(Color(r: 255, g: 0, b: 0), background: false) == "38;5;196")
        #expect(TerminalColors.palette256.sgr(Color(r: 128, g: 128, b: 128), background: true) == "48;5;244")
        #expect(TerminalColors.ansi16.sgr(Color(r: 250, g: 250, b: 250), background: false) == "97")
        // The Linux console has 8 background colours: white becomes light grey.
        #expect(TerminalColors.ansi16.sgr(Color(r: 250, g: 250, b: 250), background: true) == "47")
        #expect(TerminalColors.detect(environment: ["TERM": "linux"]) == .ansi16)
        #expect(TerminalColors.detect(environment: ["TERM": "xterm-256color"]) == .palette256)
        #expect(TerminalColors.detect(environment: ["TERM": "xterm-256color", "COLORTERM": "truecolor"]) == .truecolor)
    }
}

/// The terminal backend in a real terminal: tmux (a private server), read back with capture-pane.
@Suite(.serialized) struct TerminalUnderTmuxTests {
    let socket = "kiosk-test-\(UUID().uuidString.prefix(8))"

    /// Runs tmux with posix_spawn and waitpid: Foundation's Process waits for descriptors the
    /// daemonized tmux server inherits, which would block until the server exits.
    @discardableResult
    func tmux(_ arguments: [String]) throws -> String {
        let outputPath = NSTemporaryDirectory() + "\(socket)-\(UUID().uuidString).out"
        defer { try? FileManager.default.removeItem(atPath: outputPath) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outputPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        let argv = (["tmux", "-L", socket] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, "/usr/bin/tmux", &actions, nil, argv, environ)
        guard spawned == 0 else { throw POSIXError(POSIXErrorCode(rawValue: spawned) ?? .EIO) }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        return (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? ""
    }

    func waitFor(_ condition: (String) -> Bool) async throws -> String {
        var screen = ""
        for _ in 0..<200 {
            screen = try tmux(["capture-pane", "-p", "-t", "show"])
            if condition(screen) { return screen }
            try await Task.sleep(for: .milliseconds(100))
        }
        return screen
    }

    @Test func persianIsSentInVisualOrderAndTheScreenIsGivenBack() async throws {
        let kiosk = try ProductLocator.executable("kiosk")
        defer { _ = try? tmux(["kill-server"]) }
        let errors = NSTemporaryDirectory() + "\(socket).err"
        defer { try? FileManager.default.removeItem(atPath: errors) }
        // Held until interrupted (a test under a busy machine may be scheduled late), then ^C:
        // the alternate screen must be given back by the signal handler too (the shell ignores ^C).
        let started = try tmux(["new-session", "-d", "-s", "show", "-x", "100", "-y", "30",
                  "sh -c 'trap \"\" INT; echo BEFORE; TERM=tmux-256color \(kiosk) diag terminal --screen welcome --locale fa-IR --seconds 600 2>\(errors); echo AFTER $?; sleep 60'"])
        #expect(started.isEmpty, "tmux new-session: \(started)")
        let greeting = "سارا محمدی عزیز، خوش آمدید"
        // Visual order, each letter in its joined presentation form (tmux does not join Arabic letters).
        let joined = BidiParagraph.visual(greeting, base: .rtl, presentationForms: true)
        let shown = try await waitFor { $0.contains(joined) || $0.contains("AFTER") }
        let stderr = (try? String(contentsOfFile: errors, encoding: .utf8)) ?? ""
        #expect(!shown.contains("AFTER"), "kiosk diag terminal ended before it was seen; its stderr: \(stderr)")
        // Letters in visual order and joined (سارا as seen initial, alef final, reh and alef
        // isolated), not merely reversed; numbers kept reading left to right.
        #expect(shown.contains(joined))
        #expect(shown.contains("\u{FE8D}\u{FEAD}\u{FE8E}\u{FEB3}"))
        #expect(!shown.contains(String(greeting.reversed())))
        #expect(shown.contains("۱۲٬۴۸۰"))
        #expect(shown.contains("۱۴۰۵/۰۶/۲۴"))
        #expect(!shown.contains(greeting))
        #expect(!shown.contains("BEFORE"))  // the alternate screen
        try tmux(["send-keys", "-t", "show", "C-c"])
        let after = try await waitFor { $0.contains("AFTER") }
        // 130: ended by SIGINT, after its handler left the alternate screen.
        #expect(after.contains("BEFORE") && after.contains("AFTER 130"))
        #expect(!after.contains("۱۲٬۴۸۰"))
    }

    @Test func aResizedTerminalIsLaidOutAgain() async throws {
        let kiosk = try ProductLocator.executable("kiosk")
        defer { _ = try? tmux(["kill-server"]) }
        let started = try tmux(["new-session", "-d", "-s", "show", "-x", "120", "-y", "30",
                  "TERM=tmux-256color \(kiosk) diag terminal --screen welcome --locale fa-IR --seconds 600; sleep 60"])
        #expect(started.isEmpty, "tmux new-session: \(started)")
        let joined = BidiParagraph.visual("سارا محمدی عزیز، خوش آمدید", base: .rtl, presentationForms: true)
        let wide = try await waitFor { $0.contains(joined) }
        #expect(wide.contains(joined))
        // The greeting sits at the right (the start of a Persian line), beyond column 60 at 120
        // columns: after the resize it is whole only if the screen was laid out again.
        let row = wide.split(separator: "\n", omittingEmptySubsequences: false).first { $0.contains(joined) } ?? ""
        #expect(row.distance(from: row.startIndex, to: row.range(of: joined)!.lowerBound) > 60)
        try tmux(["resize-window", "-t", "show", "-x", "60", "-y", "20"])
        let narrow = try await waitFor { screen in
            screen.split(separator: "\n").count <= 20 && screen.split(separator: "\n").contains { $0.contains(joined) }
        }
        #expect(narrow.contains(joined), "after the resize: \(narrow)")
        #expect(narrow.split(separator: "\n").allSatisfy { $0.count <= 60 })
    }
}
