import Foundation
import Testing

/// The program loader's libFuzzer harness (`Fuzz/program`, see docs/engine.md) builds and survives a
/// short run: a crash, a hang or a refusal without an issue makes libFuzzer exit non-zero. The
/// long runs (at least 1,000,000 inputs) are run by hand and their figures kept in docs/engine.md.
@Suite("The program loader under libFuzzer")
struct FuzzHarnessTests {
    @Test func aShortFuzzRunFindsNothing() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let process = Process()
        process.executableURL = root.appendingPathComponent("Fuzz/program")
        process.arguments = ["-runs=3000", "-seed=1"]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "\(text.suffix(4000))")
        #expect(text.contains("Done 3000 runs"), "\(text.suffix(4000))")
    }
}
