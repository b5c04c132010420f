import Foundation
import KioskCentralAPI

/// An event's body as the server stores and compares it: canonical JSON, keys sorted, slashes
/// unescaped (`JSONWriter.canonical`: the bytes JSONEncoder wrote with `.sortedKeys` and
/// `.withoutEscapingSlashes` before 2026-12-02, so stored fingerprints still match).
enum EventBody {
    static func canonical(_ payload: JSONObject) -> Data {
        Data(payload.canonicalBytes)
    }
}
