/// The parts of an `http`/`https` URL that member and enrollment links use: the path's last
/// segment and the query items (not percent-decoded: the values the kiosk reads need no escaping).
/// Read over the UTF-8 bytes in one pass.
struct ScanURL {
    private let bytes: [UInt8]
    /// The path (after the host), the query (after `?`, before `#`).
    private let path: Range<Int>
    private let query: Range<Int>?

    init?(_ text: String) {
        let bytes = Array(text.utf8)
        guard bytes.count >= 8, bytes[0] | 0x20 == UInt8(ascii: "h") else { return nil }
        let scheme: Int
        if Self.hasPrefix(bytes, "https://") { scheme = 8 } else if Self.hasPrefix(bytes, "http://") { scheme = 7 } else { return nil }
        guard !bytes.contains(where: { $0 <= 0x20 }) else { return nil }
        let end = bytes.firstIndex(of: UInt8(ascii: "#")) ?? bytes.count
        let q = bytes[scheme..<end].firstIndex(of: UInt8(ascii: "?"))
        let hostEnd = bytes[scheme..<(q ?? end)].firstIndex(of: UInt8(ascii: "/")) ?? (q ?? end)
        self.bytes = bytes
        path = hostEnd..<(q ?? end)
        query = q.map { ($0 + 1)..<end }
    }

    private static func hasPrefix(_ bytes: [UInt8], _ prefix: StaticString) -> Bool {
        let p = UnsafeBufferPointer(start: prefix.utf8Start, count: prefix.utf8CodeUnitCount)
        guard bytes.count >= p.count else { return false }
        for i in 0..<p.count where bytes[i] | (bytes[i] >= 0x41 && bytes[i] <= 0x5A ? 0x20 : 0) != p[i] { return false }
        return true
    }

    var lastPathSegment: String {
        var segment = bytes[path]
        while segment.last == UInt8(ascii: "/") { segment = segment.dropLast() }
        let start = segment.lastIndex(of: UInt8(ascii: "/")).map { $0 + 1 } ?? segment.startIndex
        return String(decoding: segment[start...], as: UTF8.self)
    }

    var queryItems: [(String, String)] {
        guard let query else { return [] }
        return bytes[query].split(separator: UInt8(ascii: "&")).map { item in
            let eq = item.firstIndex(of: UInt8(ascii: "=")) ?? item.endIndex
            let value = eq < item.endIndex ? item[(eq + 1)...] : []
            return (String(decoding: item[..<eq], as: UTF8.self), String(decoding: value, as: UTF8.self))
        }
    }

    /// The value of the first item named `name` (`t` also matches `T`: a scanner's case inversion).
    func item(_ name: UInt8) -> String? {
        guard let query else { return nil }
        for item in bytes[query].split(separator: UInt8(ascii: "&")) {
            let s = item.startIndex
            guard item.count >= 2, item[s] | 0x20 == name, item[s + 1] == UInt8(ascii: "=") else { continue }
            return String(decoding: item[(s + 2)...], as: UTF8.self)
        }
        return nil
    }
}
