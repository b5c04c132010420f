import Foundation
import KioskText
import Testing

/// The bidi layer against the Unicode Consortium's BidiCharacterTest.txt (Unicode 15, from
/// Debian's unicode-data): every case whose resolved levels contain no "x" (characters removed
/// by rule X9, which a renderer keeps) is run, levels after L1 and the visual order compared.
@Suite struct BidiConformanceTests {
    static let path = "/usr/share/unicode/BidiCharacterTest.txt"

    @Test func everyHandledCaseOfBidiCharacterTestPasses() throws {
        let text = try String(contentsOfFile: Self.path, encoding: .utf8)
        var run = 0, skipped = 0
        var failures: [String] = []
        for line in text.split(separator: "\n") where !line.hasPrefix("#") && !line.isEmpty {
            let fields = line.split(separator: ";", omittingEmptySubsequences: false)
            guard fields.count >= 5 else { continue }
            if fields[3].contains("x") { skipped += 1; continue }
            let codepoints = fields[0].split(separator: " ").map { UInt32($0, radix: 16)! }
            let base: BaseDirection = switch fields[1] { case "0": .ltr; case "1": .rtl; default: .auto }
            let expectedParagraphRTL = fields[2] == "1"
            let expectedLevels = fields[3].split(separator: " ").map { UInt8($0)! }
            let expectedOrder = fields[4].split(separator: " ").map { Int($0)! }
            let paragraph = BidiParagraph(codepoints: codepoints, base: base)
            let (order, levels) = paragraph.reorderLine(0..<codepoints.count)
            run += 1
            if paragraph.isRTL != expectedParagraphRTL || levels != expectedLevels || order != expectedOrder {
                failures.append(String(line))
            }
        }
        #expect(failures.isEmpty, "\(failures.count) failures, first: \(failures.prefix(3))")
        // 91,707 cases in Unicode 15's file, 91 with removed characters.
        #expect(run == 91_616)
        #expect(skipped == 91)
    }
}
