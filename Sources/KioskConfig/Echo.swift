/// Values and key names echoed in messages, clipped: a 100 KB value is named by its start and
/// its length, not printed whole.
enum Echo {
    static let limit = 60

    /// `text` quoted, or its first `limit` characters and how long it is.
    static func quoted(_ text: String) -> String {
        text.count <= limit ? "\"\(text)\"" : "\"\(text.prefix(limit))…\" (\(text.count) characters)"
    }

    /// A key name, clipped the same way (without quotes).
    static func clipped(_ key: String) -> String {
        key.count <= limit ? key : "\(key.prefix(limit))… (\(key.count) characters)"
    }
}
