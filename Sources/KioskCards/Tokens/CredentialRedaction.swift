/// Credentials read off a card, as diagnostics may show them: a SUN URL not yet consumed is
/// replayable until the card is read again, and a member URL's token is a bearer credential, so
/// their secret parts are hidden unless a technician asks for them explicitly.
public enum CredentialRedaction {
    /// The kind of credential a URI carries, if any.
    public enum Kind: String, Sendable {
        case sun = "ntag424-sun"
        case memberURL = "member-url"
    }

    /// What `uri` carries: a SUN message (`picc_data=`), a member token (`t=`), or nothing.
    public static func kind(ofURI uri: String) -> Kind? {
        guard let query = uri.split(separator: "?", maxSplits: 1).dropFirst().first else { return nil }
        let names = query.split(separator: "&").map { $0.split(separator: "=", maxSplits: 1).first.map(String.init) ?? "" }
        if names.contains("picc_data") || names.contains("cmac") { return .sun }
        if names.contains("t") { return .memberURL }
        return nil
    }

    /// `uri` with the values of its credential query items (`picc_data`, `cmac`, `t`) replaced
    /// by `…`; other URIs unchanged.
    public static func redact(uri: String) -> String {
        guard kind(ofURI: uri) != nil, let mark = uri.firstIndex(of: "?") else { return uri }
        let query = uri[uri.index(after: mark)...]
        let items = query.split(separator: "&", omittingEmptySubsequences: false).map { item -> String in
            let pair = item.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard pair.count == 2, ["picc_data", "cmac", "t"].contains(String(pair[0])) else { return String(item) }
            return pair[0] + "=…"
        }
        return uri[...mark] + items.joined(separator: "&")
    }
}
