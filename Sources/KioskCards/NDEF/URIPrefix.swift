/// The URI identifier codes of the NFC Forum URI record type definition.
public enum URIPrefix {
    static let table: [String] = [
        "", "http://www.", "https://www.", "http://", "https://", "tel:", "mailto:",
        "ftp://anonymous:anonymous@", "ftp://ftp.", "ftps://", "sftp://", "smb://", "nfs://",
        "ftp://", "dav://", "news:", "telnet://", "imap:", "rtsp://", "urn:", "pop:", "sip:",
        "sips:", "tftp:", "btspp://", "btl2cap://", "btgoep://", "tcpobex://", "irdaobex://",
        "file://", "urn:epc:id:", "urn:epc:tag:", "urn:epc:pat:", "urn:epc:raw:", "urn:epc:",
        "urn:nfc:",
    ]

    /// The prefix for a code, or nil for the reserved codes (0x24 and above).
    public static func prefix(for code: UInt8) -> String? {
        Int(code) < table.count ? table[Int(code)] : nil
    }

    /// The code of the longest prefix of `uri`, and the rest of it.
    public static func abbreviate(_ uri: String) -> (UInt8, String) {
        var best = 0
        for (code, prefix) in table.enumerated() where !prefix.isEmpty && uri.hasPrefix(prefix) {
            if prefix.count > table[best].count { best = code }
        }
        return (UInt8(best), String(uri.dropFirst(table[best].count)))
    }
}
