// Fuzzes the configuration loader (ConfigLoader.parse(data:)): every input must give a
// configuration or a ConfigError, never a crash.
//
// Built normally, it mutates a seed corpus itself:  config-fuzz [--runs N] [--seed S]
// (the test suite runs it briefly; a crash kills the process and fails the test).
// Built with libFuzzer (coverage-guided, see docs/configuration.md "Fuzzing"):
//   swift build -c release --scratch-path .build-fuzz --product config-fuzz \
//     -Xswiftc -sanitize=fuzzer -Xswiftc -DFUZZING -Xcxx -fsanitize=fuzzer-no-link \
//     -Xlinker --allow-multiple-definition
// (SwiftPM's main and libFuzzer's both exist then; either runs the same harness.)
//   .build-fuzz/release/config-fuzz -runs=1000000 Fuzz/ConfigFuzz/corpus
import Foundation
import KioskConfig
#if FUZZING
import CFuzzerDriver
#endif

func parseOne(_ bytes: UnsafeRawBufferPointer) {
    do {
        _ = try ConfigLoader.parse(data: Data(bytes), file: "fuzz.toml", environment: [:])
    } catch {
        // A ConfigError is the expected outcome for most inputs.
    }
}

#if FUZZING
/// libFuzzer's entry point, for when its own main is the one linked.
@_cdecl("LLVMFuzzerTestOneInput")
func fuzzerTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    parseOne(UnsafeRawBufferPointer(start: data, count: size))
    return 0
}

var argc = CommandLine.argc
var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
let status = LLVMFuzzerRunDriver(&argc, &argv) { data, size in
    parseOne(UnsafeRawBufferPointer(start: data, count: size))
    return 0
}
exit(status)
#else
var runs = 20_000
var seed = UInt64.random(in: 1...UInt64.max)
var arguments = CommandLine.arguments.dropFirst().makeIterator()
while let argument = arguments.next() {
    switch argument {
    case "--runs": runs = arguments.next().flatMap(Int.init) ?? runs
    case "--seed": seed = arguments.next().flatMap(UInt64.init) ?? seed
    default:
        FileHandle.standardError.write(Data("usage: config-fuzz [--runs N] [--seed S]\n".utf8))
        exit(64)
    }
}
print("config-fuzz: \(runs) runs, seed \(seed)")
var generator = ConfigMutator(seed: seed)
for run in 0..<runs {
    let input = generator.next()
    if let trace = ProcessInfo.processInfo.environment["CONFIG_FUZZ_TRACE"] {
        // The input about to be parsed, so that a crash leaves it behind.
        FileManager.default.createFile(atPath: trace, contents: Data(input))
        _ = run
    }
    input.withUnsafeBytes(parseOne)
}
print("config-fuzz: done, no crash")
#endif
