import Hummingbird
import KioskGzip
import Foundation

/// Inflates a request body sent with `Content-Encoding: gzip` before the contract's handlers
/// read it; a damaged one, or one that inflates past the limit, is a 400.
struct GzipRequestMiddleware<Context: RequestContext>: RouterMiddleware {
    static var limit: Int { 16 * 1024 * 1024 }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let encoding = request.headers[.contentEncoding], encoding.lowercased() == "gzip" else {
            return try await next(request, context)
        }
        var request = request
        let compressed = try await request.collectBody(upTo: Self.limit)
        let inflated: [UInt8]
        do {
            inflated = Array(try Gzip.decompress(Data(compressed.readableBytesView), limit: Self.limit))
        } catch {
            throw HTTPError(.badRequest, message: "the gzip body cannot be read: \(error)")
        }
        var head = request.head
        head.headerFields[.contentEncoding] = nil
        head.headerFields[.contentLength] = String(inflated.count)
        return try await next(Request(head: head, body: .init(buffer: ByteBuffer(bytes: inflated))), context)
    }
}
