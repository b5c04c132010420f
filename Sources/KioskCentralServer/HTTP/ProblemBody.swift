import Foundation
import OpenAPIRuntime

/// A Problem body (`{"code": …, "message": …}`) written by a middleware, outside the generated
/// types: encoded by JSONSerialization, so that whatever a message quotes of a malformed request
/// (control characters, quotes, invalid text) stays valid JSON. Long messages are clipped.
enum ProblemBody {
    static let maxMessage = 400

    static func json(code: String, message: String) -> HTTPBody {
        let clipped = message.count > maxMessage ? String(message.prefix(maxMessage)) + "…" : message
        let data = (try? JSONSerialization.data(withJSONObject: ["code": code, "message": clipped], options: [.sortedKeys]))
            ?? Data(#"{"code":"bad-request","message":"the request could not be read"}"#.utf8)
        return HTTPBody(data)
    }
}
