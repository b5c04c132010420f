import Foundation
import HTTPTypes
import KioskGzip
import OpenAPIRuntime

/// Adds the device token to every request.
struct BearerTokenMiddleware: ClientMiddleware {
    let token: String

    func intercept(_ request: HTTPRequest, body: HTTPBody?, baseURL: URL, operationID: String,
                   next: @Sendable (HTTPRequest, HTTPBody?, URL) async throws -> (HTTPResponse, HTTPBody?))
        async throws -> (HTTPResponse, HTTPBody?) {
        var request = request
        request.headerFields[.authorization] = "Bearer \(token)"
        return try await next(request, body, baseURL)
    }
}

/// Compresses an event batch larger than `threshold` bytes (`Content-Encoding: gzip`).
struct GzipBatchMiddleware: ClientMiddleware {
    let threshold: Int

    func intercept(_ request: HTTPRequest, body: HTTPBody?, baseURL: URL, operationID: String,
                   next: @Sendable (HTTPRequest, HTTPBody?, URL) async throws -> (HTTPResponse, HTTPBody?))
        async throws -> (HTTPResponse, HTTPBody?) {
        guard operationID == "uploadEvents", let body else { return try await next(request, body, baseURL) }
        let bytes = try await Data(collecting: body, upTo: 64 * 1024 * 1024)
        guard bytes.count > threshold else { return try await next(request, HTTPBody(bytes), baseURL) }
        let compressed = try Gzip.compress(bytes, level: 1)
        var request = request
        request.headerFields[.contentEncoding] = "gzip"
        request.headerFields[.contentLength] = String(compressed.count)
        return try await next(request, HTTPBody(compressed), baseURL)
    }
}

/// Counts the bytes of event batches as sent (after compression), for the benchmark's
/// bytes-per-event figure.
public final class WireCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var bytes = 0
    public init() {}
    public var requestBytes: Int { lock.withLock { bytes } }
    func add(_ count: Int) { lock.withLock { bytes += count } }
}
