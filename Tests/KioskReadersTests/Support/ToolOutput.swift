import Foundation

/// What `kiosk diag card --json` prints, and the card part of `diag readers --json` (TapReport).
struct CardLine: Decodable, Equatable {
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
    var feedback: String?
}

/// One reader in `kiosk diag readers --json`.
struct ReaderLine: Decodable {
    var name: String
    var used: Bool
    var state: String
    var feedback: String
    var firmware: String?
    var card: CardLine?
    var error: String?
}

/// One line of `kiosk diag readers --watch --json`.
struct WatchLine: Decodable {
    var event: String
    var reader: String?
    var detail: String?
    var tap: CardLine?

    /// The JSON lines of a watch's output so far (a partial last line is left out).
    static func parse(_ output: String) -> [WatchLine] {
        output.split(separator: "\n").compactMap { try? JSONDecoder().decode(WatchLine.self, from: Data($0.utf8)) }
    }
}

extension KioskChild.Result {
    /// The stdout decoded as JSON.
    func json<T: Decodable>(_ type: T.Type) throws -> T {
        try JSONDecoder().decode(type, from: Data(stdout.utf8))
    }
}
