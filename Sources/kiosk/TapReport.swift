import KioskCards
import KioskReaders

/// A tap as the diagnostics print it. Member ids appear (they are opaque, not personal data);
/// names and phones never do. Live credentials (a SUN URL's `picc_data` and `cmac`, a member
/// URL's token) are shown by kind only, unless `reveal` is set (`kiosk diag card --reveal`).
struct TapReport: Encodable {
    var reader: String
    var atr: String
    var kind: String
    var uid: String?
    var ndef: [String]
    var result: String
    var credential: String?
    var member: String?
    var card: String?
    var counter: UInt32?
    var reason: String?
    var apdus: Int
    /// The LED/buzzer feedback given, on readers that have it.
    var feedback: String?
    /// Milliseconds from pcscd's card-present event to the conclusion (watch mode only).
    var milliseconds: Double?

    init(_ tap: Tap, reveal: Bool = false) {
        reader = tap.reader
        atr = Hex.string(tap.atr)
        kind = tap.kind.rawValue
        uid = tap.uid.map { Hex.string($0) }
        ndef = tap.ndef.map { Self.summary($0, reveal: reveal) }
        apdus = tap.apdus
        feedback = tap.feedback?.description
        milliseconds = tap.elapsed.map { Double($0.components.seconds) * 1000 + Double($0.components.attoseconds) / 1e15 }
        switch tap.outcome {
        case .identified(let credential):
            result = "identified"
            card = credential.cardID.rawValue
            switch credential {
            case .memberToken(let id, _):
                self.credential = "member-token"
                member = id.rawValue
            case .sun(_, let counter, _):
                self.credential = "ntag424-sun"
                self.counter = counter
            case .bareUID:
                self.credential = "bare-uid"
            }
        case .refused(let refusal):
            result = "refused"
            reason = refusal.description
        case .failed(let failure):
            result = "failed"
            reason = failure.description
        }
    }

    static func summary(_ content: NDEFRecord.Content, reveal: Bool) -> String {
        switch content {
        case .uri(let uri):
            if let kind = CredentialRedaction.kind(ofURI: uri) {
                reveal ? "URI \(uri) (\(kind.rawValue))" : "URI \(CredentialRedaction.redact(uri: uri)) (\(kind.rawValue), hidden; --reveal shows it)"
            } else {
                "URI \(uri)"
            }
        case .text(let language, let text): "Text [\(language)] \(text.prefix(60))"
        case .mime(let type, let payload): "MIME \(type) (\(payload.count) bytes)"
        case .external(let type, let payload): "External \(type) (\(payload.count) bytes)"
        case .empty: "Empty"
        case .other(let tnf, _, let payload): "TNF \(tnf) (\(payload.count) bytes)"
        }
    }

    /// One line for people.
    var line: String {
        var parts = ["\(reader): \(kind) uid=\(uid ?? "-") \(result)"]
        if let credential { parts.append(credential) }
        if let member { parts.append("member=\(member)") }
        if let card { parts.append("card=\(card)") }
        if let counter { parts.append("counter=\(counter)") }
        if let reason { parts.append("(\(reason))") }
        parts.append("apdus=\(apdus)")
        if let milliseconds { parts.append(String(format: "%.1fms", milliseconds)) }
        return parts.joined(separator: " ")
    }
}
