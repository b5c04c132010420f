import Foundation
import KioskConfig
import KioskTestSupport
import Testing

/// Malformed files are clear errors with file and line, never a crash: the bundled toml++ 3.4.0
/// asserts (SIGABRT) on some of them, so they are refused before it sees them. Without that
/// guard, each of the first test's inputs aborts the test process.
@Suite struct MalformedConfigTests {
    private func issue(_ text: String) -> ConfigIssue? {
        let error = #expect(throws: ConfigError.self) { try ConfigLoader.parse(text: text, file: "k.toml", environment: [:]) }
        #expect(error?.issues.count == 1, "\(error?.issues ?? [])")
        return error?.issues.first
    }

    @Test(arguments: [
        ("[.kiosk]", 1), ("[=]", 1), ("[kiosk]\nid = \"x\"\n[ !store]", 3), ("[[=]]", 1), ("[\t#]", 1),
        ("a = 1978-05-27Tx7:00", 1), ("[kiosk]\nb = [\n  1978-05-27t ]", 3),
        ("a = 1978-05-27 9", 1), ("a = [1978-04-a= 9 ]", 1), ("a = 1978-05-27 0,", 1),
        ("a = [}]", 1), ("a = [1,}]", 1), ("x = {a = [ [ } ]]}", 1), ("a = [ # note\n }]", 2),
    ])
    func whatCrashedTheParserIsAnErrorOnItsLine(text: String, line: Int) {
        let found = issue(text)
        #expect(found?.line == line, "\(text): \(String(describing: found))")
        #expect(found?.message.hasPrefix("not valid TOML: ") == true)
    }

    @Test func validFilesWithTheSameCharactersStillParse() throws {
        // Brackets in strings and comments, dates with times, arrays across lines, headers with
        // quoted names: the guard refuses none of them.
        let text = """
            # [.not a header]
            [kiosk]
            id = "[=] 1978-05-27Tx"
            branch = '[.x]'
            [readers]
            allow = [
              "ACS", # ]}
              "}",
            ]
            ignore = ['''a
            [.b]''']
            ["display"]
            backend = "terminal"
            """
        let config = try ConfigLoader.parse(text: text, file: "k.toml", environment: [:])
        #expect(config.kiosk.id == "[=] 1978-05-27Tx")
        #expect(config.readers.allow == ["ACS", "}"])
        #expect(config.readers.ignore == ["a\n[.b]"])
        #expect(config.display.backend == .terminal)
        for time in ["1978-05-27T07:32:00", "1978-05-27 07:32:00", "1978-05-27", "07:32:00"] {
            let error = #expect(throws: ConfigError.self) {
                try ConfigLoader.parse(text: "[kiosk]\nid = \(time)\n", file: "k.toml", environment: [:])
            }
            #expect(error?.issues.first?.message == "expected a string, got a date or time", "\(time)")
        }
    }

    @Test func aNULByteIsRefusedWithItsLineNotTheEndOfTheFile() throws {
        // TOMLKit passes the text as a C string: everything after a NUL was silently ignored and
        // `store.path` fell back to the default database.
        let text = "[kiosk]\nid = \"k1\"\n\u{0}\n[store]\npath = \"/srv/kiosk.sqlite\"\n"
        let found = issue(text)
        #expect(found?.line == 3)
        #expect(found?.description == "k.toml:3: not valid TOML: contains a NUL byte; everything after it would be ignored")
    }

    @Test func anUnclosedMultiLineStringIsReportedWhereItOpens() {
        let found = issue("[kiosk]\nid = \"\"\"\nk1\n\n[store]\npath = \"/x\"\n")
        #expect(found?.line == 2)
        #expect(found?.message == "not valid TOML: the multi-line string opened here with \"\"\" is never closed")
        #expect(issue("a = '''\n")?.line == 1)
    }

    @Test func bytesThatAreNotUTF8AreNamedByLine() {
        let data = Data("[kiosk]\nid = \"k1\"\n# caf".utf8) + Data([0xE9]) + Data("\n".utf8)
        let error = #expect(throws: ConfigError.self) { try ConfigLoader.parse(data: data, file: "k.toml", environment: [:]) }
        #expect(error?.issues.first?.description == "k.toml:3: the file is not UTF-8 text (save it as UTF-8)")
    }

    @Test func anUnknownSectionSetByADottedKeyHasItsLine() {
        #expect(issue("[kiosk]\nid = \"k\"\nfoo.bar = 1\n")?.description == "k.toml:3: kiosk.foo: unknown setting")
        #expect(issue("# top\nstor.path = \"/x\"\n")?.description == "k.toml:2: stor: unknown section (did you mean \"store\"?)")
    }

    @Test func aRotationOutsideTheAllowedValuesListsThem() {
        #expect(issue("[display]\nrotation = -90\n")?.message == "must be 0, 90, 180 or 270, not -90")
        #expect(issue("[display]\nrotation = 45\n")?.message == "must be 0, 90, 180 or 270, not 45")
    }

    @Test func aLongValueIsClippedInTheMessage() {
        let long = String(repeating: "x", count: 100_000)
        for text in ["[kiosk]\nlocale = \"\(long)\"\n", "[kiosk]\ntime_zone = \"\(long)\"\n", "[central]\nurl = \"\(long)\"\n",
                     "[kiosk]\n\(long) = 1\n"] {
            let found = issue(text)
            #expect((found?.description.count ?? .max) < 300, "\(found?.description.prefix(200) ?? "")")
            #expect(found?.description.contains(" characters)") == true)
        }
    }

    @Test func aShortFuzzRunOfTheLoaderEndsWithoutACrash() throws {
        // The harness's own mutations of a seed corpus, in a child process (a crash there is an
        // abort of that process, reported here with the seed). The long libFuzzer run is in
        // docs/configuration.md.
        var generator = SeededRandom.forTest("configFuzz")
        let seed = generator.next()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try ProductLocator.executable("config-fuzz"))
        process.arguments = ["--runs", "20000", "--seed", "\(seed)"]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationReason == .exit && process.terminationStatus == 0,
                "config-fuzz --seed \(seed) crashed: \(text.suffix(2_000))")
        #expect(text.contains("done, no crash"))
    }
}
