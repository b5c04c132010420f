import Foundation
import KioskInput
import KioskScan

/// One scan as `kiosk diag scanners --watch` shows it: raw bytes, symbology and what it means
/// (member tokens and receipts as valid or refused and why, never their MAC or signature).
struct ScanReport: Encodable {
    var event = "scan"
    var source: String
    var device: String
    var hex: String
    var symbology: String?
    var kind: String
    var meaning: String

    init(_ scan: Scan, interpreter: ScanInterpreter) {
        source = scan.source.rawValue
        device = scan.device
        let meaning = interpreter.interpret(scan.bytes, symbology: scan.symbology, now: Int64(Date().timeIntervalSince1970))
        // Member tokens and receipts carry a MAC: their bytes are not shown, only their length.
        switch meaning {
        case .member, .receipt: hex = "(\(scan.bytes.count) bytes, not shown: signed code)"
        case .refused(let e) where [.memberToken, .receipt, .memberNotConfigured, .receiptNotConfigured].contains(e.code):
            hex = "(\(scan.bytes.count) bytes, not shown: signed code)"
        default: hex = scan.bytes.map { String($0, radix: 16).count == 1 ? "0" + String($0, radix: 16) : String($0, radix: 16) }.joined(separator: " ")
        }
        symbology = scan.effectiveSymbology.map { "\($0) (\($0.symbology.rawValue))" }
        kind = Self.kind(meaning)
        self.meaning = meaning.summary
    }

    static func kind(_ m: ScanMeaning) -> String { m.kind }

    var text: String { "scan \(device) [\(source)] \(symbology ?? "no AIM id"): \(meaning)\n  bytes: \(hex)" }
}

/// The other watch events.
struct ScannerEventLine: Encodable {
    var event: String
    var source: String
    var device: String
    var detail: String

    init?(_ e: ScannerEvent) {
        switch e {
        case .deviceAdded(let s, let d, let description): (event, source, device, detail) = ("added", s.rawValue, d, description)
        case .deviceRemoved(let s, let d, let reason): (event, source, device, detail) = ("removed", s.rawValue, d, reason)
        case .discarded(let s, let d, let reason, let count): (event, source, device, detail) = ("discarded", s.rawValue, d, "\(reason) (\(count) characters, not shown)")
        case .scan: return nil
        }
    }

    var text: String { "\(event) \(device) [\(source)]: \(detail)" }
}
