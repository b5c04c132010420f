/// An enrollment link, printed on posters and flyers and shared by members:
///
///     https://<host>/<path>/join?src=<campaign source>&ref=<referral code>
///
/// Both items are optional, each 1–64 of `A-Z a-z 0-9 _ -`; other query items are ignored. The
/// last path segment is `join` (in any case).
public struct EnrollmentLink: Sendable, Hashable {
    /// The campaign the link belongs to (the member's enrollment source).
    public let source: String?
    /// The referral code of the member who shared it.
    public let referralCode: String?

    public init(source: String?, referralCode: String?) {
        self.source = source
        self.referralCode = referralCode
    }

    /// Nil when `url` is not an enrollment link; throws when it is one with a bad item.
    static func parse(_ url: ScanURL) throws(ScanError) -> EnrollmentLink? {
        guard url.lastPathSegment.lowercased() == "join" else { return nil }
        var source: String?, referral: String?
        for (name, value) in url.queryItems {
            switch name.lowercased() {
            case "src":
                guard isIdentifier(value) else { throw ScanError(.enrollment, "bad campaign source in enrollment link") }
                source = value
            case "ref":
                guard isIdentifier(value) else { throw ScanError(.enrollment, "bad referral code in enrollment link") }
                referral = value
            default: continue
            }
        }
        return EnrollmentLink(source: source, referralCode: referral)
    }

    static func isIdentifier(_ s: String) -> Bool {
        !s.isEmpty && s.utf8.count <= 64 && s.utf8.allSatisfy { c in
            (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A) || c == 0x5F || c == 0x2D
        }
    }
}
