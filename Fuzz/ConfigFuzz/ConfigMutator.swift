import Foundation

/// Mutated configuration files for the fuzz harness's own mode: a seed corpus of valid files,
/// changed by byte flips, insertions of TOML's special characters, deletions and splices.
struct ConfigMutator {
    static let corpus: [String] = [
        "[kiosk]\nid = \"k-1\"\nbranch = \"tehran-1\"\nlocale = \"fa-IR\"\ntime_zone = \"Asia/Tehran\"\n",
        "[store]\npath = \"/var/lib/kiosk/kiosk.sqlite\"\nmax_size_mib = 512\n[log]\nlevel = \"info\"\n",
        "[readers]\nallow = [\"ACS\", \"Virtual\"]\naccept_bare_uid = false\ncard_timeout_ms = 1500\n",
        "[display]\nbackend = \"terminal\"\nrotation = 90\n[central]\nurl = \"https://api.example.com\"\ntimeout_seconds = 10\n",
        "a = 1978-05-27T07:32:00Z\nb = 07:32:00\nc = 1979-05-27\nd = [1, 2, 3]\ne = { x = 1, y = \"z\" }\n",
        "[receipts]\nclaim_window_days = 30\n# comment\n[[x.y]]\nz = '''lit'''\nw = \"\"\"\nmulti\n\"\"\"\n",
    ]
    static let specials: [UInt8] = Array("[]{}=\"'.,#\n\\ -:T0Z+_\t".utf8) + [0, 0xFF, 0xC3]

    private var state: UInt64

    init(seed: UInt64) { state = seed }

    private mutating func random() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    private mutating func below(_ n: Int) -> Int { Int(random() % UInt64(max(1, n))) }

    mutating func next() -> [UInt8] {
        var bytes = Array(Self.corpus[below(Self.corpus.count)].utf8)
        for _ in 0...below(4) {
            let at = below(bytes.count + 1)
            switch below(5) {
            case 0 where !bytes.isEmpty: bytes[min(at, bytes.count - 1)] ^= UInt8(1 << below(8))
            case 1: bytes.insert(Self.specials[below(Self.specials.count)], at: at)
            case 2 where !bytes.isEmpty: bytes.remove(at: min(at, bytes.count - 1))
            case 3:
                let other = Array(Self.corpus[below(Self.corpus.count)].utf8)
                let from = below(other.count)
                bytes.insert(contentsOf: other[from..<min(other.count, from + below(24))], at: at)
            default: bytes.insert(UInt8(below(256)), at: at)
            }
        }
        return bytes
    }
}
