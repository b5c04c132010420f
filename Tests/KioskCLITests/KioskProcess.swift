import Foundation
import KioskTestSupport

/// Runs the built `kiosk` executable as a user would, in an environment of its own.
struct KioskProcess {
    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    let home: String
    var environment: [String: String]

    init() throws {
        home = NSTemporaryDirectory() + "kiosk-cli-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true)
        environment = ["HOME": home, "PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"]
    }

    var databasePath: String { home + "/.local/state/kiosk/kiosk.sqlite" }

    func file(_ name: String, _ contents: String) throws -> String {
        let path = home + "/" + name
        try Data(contents.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    /// Starts `kiosk ARGS` and returns the running process with its output pipes; through a
    /// launcher, `launcher[0]` is run with the rest of `launcher`, then the kiosk's path, then
    /// `arguments` (`setpriv --reuid=…`, or `sh -c 'umask 077; exec "$0" "$@"'`).
    func start(_ arguments: [String], through launcher: [String] = []) throws -> (Process, Pipe, Pipe) {
        let kiosk = try ProductLocator.executable("kiosk")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: launcher.first ?? kiosk)
        process.arguments = launcher.isEmpty ? arguments : Array(launcher.dropFirst()) + [kiosk] + arguments
        process.environment = environment
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        return (process, out, err)
    }

    @discardableResult
    func run(_ arguments: String...) throws -> Result { try run(through: [], arguments) }

    /// Runs `kiosk ARGS` to its end, through `launcher` (see `start`) when one is given.
    func run(through launcher: [String], _ arguments: [String]) throws -> Result {
        let (process, out, err) = try start(arguments, through: launcher)
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
                      stderr: String(decoding: stderr, as: UTF8.self))
    }

    func cleanUp() { try? FileManager.default.removeItem(atPath: home) }
}
