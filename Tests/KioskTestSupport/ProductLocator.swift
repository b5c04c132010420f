import Foundation

/// Finds an executable built by this package (the test bundle lives next to them).
public enum ProductLocator {
    public static func executable(_ name: String) throws -> String {
        var candidates: [String] = []
        if let directory = ProcessInfo.processInfo.environment["KIOSK_BIN_DIR"] { candidates.append(directory) }
        let testBinary = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        var directory = testBinary.deletingLastPathComponent()
        for _ in 0..<4 {
            candidates.append(directory.path)
            directory = directory.deletingLastPathComponent()
        }
        candidates.append(Bundle.main.bundleURL.deletingLastPathComponent().path)
        for candidate in candidates {
            let path = candidate + "/" + name
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        throw NotFound(name: name, searched: candidates)
    }

    public struct NotFound: Error, CustomStringConvertible {
        let name: String
        let searched: [String]
        public var description: String { "cannot find the executable \(name) in \(searched)" }
    }
}
