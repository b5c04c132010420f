/// A catalogue gift's link, printed beside the gift on the shelf or a poster:
///
///     https://<host>/<path>/gift?item=<catalogue item id>
///
/// The item is 1–64 of `A-Z a-z 0-9 _ -`; other query items are ignored. The last path segment
/// is `gift` (in any case). Scanned at the kiosk it asks for the gift; the member's card tapped
/// next confirms it.
public struct GiftLink: Sendable, Hashable {
    public let item: String

    public init(item: String) { self.item = item }

    /// Nil when `url` is not a gift link; throws when it is one without a good item.
    static func parse(_ url: ScanURL) throws(ScanError) -> GiftLink? {
        guard url.lastPathSegment.lowercased() == "gift" else { return nil }
        let items = url.queryItems.filter { $0.0.lowercased() == "item" }
        guard items.count == 1, let item = items.first?.1, EnrollmentLink.isIdentifier(item) else {
            throw ScanError(.gift, "a gift link names exactly one item of 1 to 64 letters, digits, _ or -")
        }
        return GiftLink(item: item)
    }
}
