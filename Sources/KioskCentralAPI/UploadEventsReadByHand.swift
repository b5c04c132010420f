// Written by hand (not generated): the server's `uploadEvents` with its request body read by
// `EventBatchJSON` instead of JSONDecoder (BENCHMARKS.md, sync section). Everything else is the
// generated path: the same middlewares around it, the same handler (`APIProtocol.uploadEvents`),
// the same content negotiation, and the answers written as the generated serializer writes them.
@_spi(Generated) import OpenAPIRuntime
import Foundation
import HTTPTypes

extension APIProtocol {
    /// `registerHandlers(on:serverURL:configuration:middlewares:)` with `POST /v1/events`
    /// reading its body by hand.
    public func registerHandlersReadingBatchesByHand(
        on transport: any ServerTransport, serverURL: URL = .defaultOpenAPIServerURL,
        configuration: Configuration = .init(), middlewares: [any ServerMiddleware] = []
    ) throws {
        let server = UniversalServer(serverURL: serverURL, handler: self, configuration: configuration, middlewares: middlewares)
        let path = try server.apiPathComponentsWithServerPrefix("/v1/events")
        try registerHandlers(on: SkippingTransport(wrapped: transport, method: .post, path: path),
                             serverURL: serverURL, configuration: configuration, middlewares: middlewares)
        try transport.register({ try await server.uploadEventsReadByHand(request: $0, body: $1, metadata: $2) },
                               method: .post, path: path)
    }
}

/// A transport that registers every handler but one with the transport it wraps.
private struct SkippingTransport: ServerTransport {
    let wrapped: any ServerTransport
    let method: HTTPRequest.Method
    let path: String

    func register(_ handler: @Sendable @escaping (HTTPRequest, HTTPBody?, ServerRequestMetadata) async throws -> (HTTPResponse, HTTPBody?),
                  method: HTTPRequest.Method, path: String) throws {
        if method == self.method && path == self.path { return }
        try wrapped.register(handler, method: method, path: path)
    }
}

extension UniversalServer where APIHandler: APIProtocol {
    func uploadEventsReadByHand(request: HTTPRequest, body: HTTPBody?, metadata: ServerRequestMetadata)
        async throws -> (HTTPResponse, HTTPBody?) {
        try await handle(
            request: request, requestBody: body, metadata: metadata, forOperation: Operations.UploadEvents.id,
            using: { APIHandler.uploadEvents($0) },
            deserializer: { (request: HTTPRequest, requestBody: HTTPBody?, _: ServerRequestMetadata) async throws -> Operations.UploadEvents.Input in
                let headers = Operations.UploadEvents.Input.Headers(accept: try converter.extractAcceptHeaderIfPresent(in: request.headerFields))
                _ = try converter.bestContentType(received: converter.extractContentTypeIfPresent(in: request.headerFields),
                                                  options: ["application/json"])
                guard let requestBody else {
                    throw DecodingError.valueNotFound(Components.Schemas.EventBatch.self, .init(codingPath: [], debugDescription: "a JSON body is required"))
                }
                let bytes = try await Data(collecting: requestBody, upTo: .max)
                do {
                    return Operations.UploadEvents.Input(headers: headers, body: .json(try EventBatchJSON.read(bytes)))
                } catch {
                    throw DecodingError.dataCorrupted(.init(codingPath: [], debugDescription: "\(error)"))
                }
            },
            serializer: { (output: Operations.UploadEvents.Output, request: HTTPRequest) throws -> (HTTPResponse, HTTPBody?) in
                func json(_ status: Int, _ value: some Encodable & Sendable, retryAfter: Int? = nil) throws -> (HTTPResponse, HTTPBody?) {
                    var response = HTTPResponse(soar_statusCode: status)
                    if let retryAfter {
                        try converter.setHeaderFieldAsURI(in: &response.headerFields, name: "Retry-After", value: retryAfter)
                    }
                    try converter.validateAcceptIfPresent("application/json", in: request.headerFields)
                    let body = try converter.setResponseBodyAsJSON(value, headerFields: &response.headerFields,
                                                                   contentType: "application/json; charset=utf-8")
                    return (response, body)
                }
                switch output {
                case .ok(let value):
                    switch value.body {
                    case .json(let result):
                        try converter.validateAcceptIfPresent("application/json", in: request.headerFields)
                        var response = HTTPResponse(soar_statusCode: 200)
                        response.headerFields[.contentType] = "application/json; charset=utf-8"
                        return (response, HTTPBody(EventBatchJSON.write(result)))
                    }
                case .badRequest(let value): switch value.body { case .json(let body): return try json(400, body) }
                case .unauthorized(let value): switch value.body { case .json(let body): return try json(401, body) }
                case .conflict(let value): switch value.body { case .json(let body): return try json(409, body) }
                case .contentTooLarge(let value): switch value.body { case .json(let body): return try json(413, body) }
                case .tooManyRequests(let value):
                    switch value.body { case .json(let body): return try json(429, body, retryAfter: value.headers.retryAfter) }
                case .serviceUnavailable(let value):
                    switch value.body { case .json(let body): return try json(503, body, retryAfter: value.headers.retryAfter) }
                case .undocumented(let statusCode, _):
                    return (HTTPResponse(soar_statusCode: statusCode), nil)
                }
            })
    }
}
