import ArgumentParser
import Foundation
import KioskInput
import KioskScan

/// `kiosk sim scan`: feeds one scan to a running kiosk (or `kiosk diag scanners --watch`) through
/// the development socket `scanners.dev_socket`, as a scanner with AIM identifiers on sends it.
struct SimScanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scan",
        abstract: "Scan DATA into a running kiosk through the development socket (scanners.dev_socket).",
        discussion: """
            DATA is sent as the scanner would send it, after the AIM symbology identifier given with --aim \
            (e.g. ]Q1 for a QR code, ]E0 for EAN-13, ]Q3 or ]C1 for GS1). In DATA, {GS} stands for the GS1 \
            separator (FNC1, byte 0x1D). --hex gives the bytes in hex instead.
            """)

    @Argument(help: "The scanned text.")
    var data: String?

    @Option(help: ArgumentHelp("The AIM symbology identifier to send first, e.g. ]Q3.", valueName: "ID"))
    var aim: String?

    @Option(help: ArgumentHelp("The scan's bytes in hex, instead of DATA.", valueName: "HEX"))
    var hex: String?

    @Option(help: ArgumentHelp("The socket (default: the configured scanners.dev_socket).", valueName: "PATH"))
    var socket: String?

    @OptionGroup var options: CommonOptions

    func run() throws {
        var bytes: [UInt8]
        switch (data, hex) {
        case (let text?, nil): bytes = Array(text.replacingOccurrences(of: "{GS}", with: "\u{1D}").utf8)
        case (nil, let h?):
            let digits = h.filter { !$0.isWhitespace }
            guard digits.count % 2 == 0, let parsed = Optional(stride(from: 0, to: digits.count, by: 2).compactMap({ i -> UInt8? in
                let s = digits.index(digits.startIndex, offsetBy: i)
                return UInt8(digits[s...digits.index(after: s)], radix: 16)
            })), parsed.count * 2 == digits.count else { throw ValidationError("--hex must be pairs of hex digits") }
            bytes = parsed
        default: throw ValidationError("give either DATA or --hex")
        }
        if let aim {
            guard SymbologyIdentifier(aim) != nil else { throw ValidationError("--aim must be ] followed by a symbology letter and a modifier, e.g. ]Q3") }
            bytes = Array(aim.utf8) + bytes
        }
        guard !bytes.isEmpty, bytes.count <= 4_096 else { throw ValidationError("a scan is 1 to 4096 bytes") }
        let path: String
        if let socket {
            path = socket
        } else {
            guard let configured = try options.loadConfiguration().scanners.devSocket else {
                throw fail("scanners.dev_socket is not configured: the kiosk has no development scan source", KioskExit.unavailable)
            }
            path = configured
        }
        do { try DevScanSocket.send(bytes, to: path) } catch {
            throw fail("no kiosk listening at \(path): \(error)", KioskExit.unavailable)
        }
    }
}
