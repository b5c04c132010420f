import Foundation
import HTTPTypes
import Hummingbird
import OpenAPIRuntime

/// A request the generated server cannot turn into an operation's input (a query parameter out
/// of its type's range, a missing or undecodable body) is the client's error: 400 with a Problem
/// body, not the 500 the framework would answer.
struct MalformedRequestMiddleware: ServerMiddleware {
    func intercept(_ request: HTTPRequest, body: HTTPBody?, metadata: ServerRequestMetadata, operationID: String,
                   next: @Sendable (HTTPRequest, HTTPBody?, ServerRequestMetadata) async throws -> (HTTPResponse, HTTPBody?))
        async throws -> (HTTPResponse, HTTPBody?) {
        do {
            return try await next(request, body, metadata)
        } catch let error as ServerError where error.operationInput == nil {
            var response = HTTPResponse(status: .badRequest)
            response.headerFields[.contentType] = "application/json; charset=utf-8"
            return (response, ProblemBody.json(code: "bad-request", message: error.causeDescription))
        }
    }
}

/// A method the contract does not define on one of its paths is 405, not 404.
struct MethodNotAllowedMiddleware<Context: RequestContext>: RouterMiddleware {
    /// The contract's paths and the method each allows.
    static var paths: [String: String] {
        ["/v1/time": "GET", "/v1/device": "GET", "/v1/events": "POST", "/v1/config": "GET", "/v1/members/changes": "GET",
         "/v1/claims": "POST", "/v1/sun": "POST", "/v1/corrections": "GET"]
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as HTTPError where error.status == .notFound {
            let path = request.uri.path
            let allowed = Self.paths[path]
                ?? (path.hasPrefix("/v1/members/by-card/") || path.hasPrefix("/v1/members/by-token/") ? "GET" : nil)
            if let allowed { throw HTTPError(.methodNotAllowed, headers: [.allow: allowed]) }
            throw error
        }
    }
}

/// `If-None-Match` longer than the contract's 200 characters is a 400, measured on the raw header
/// (the generated code reads a header value up to its first comma).
struct HeaderLimitsMiddleware: ServerMiddleware {
    func intercept(_ request: HTTPRequest, body: HTTPBody?, metadata: ServerRequestMetadata, operationID: String,
                   next: @Sendable (HTTPRequest, HTTPBody?, ServerRequestMetadata) async throws -> (HTTPResponse, HTTPBody?))
        async throws -> (HTTPResponse, HTTPBody?) {
        let raw = request.headerFields[values: .ifNoneMatch].joined(separator: ", ")
        guard raw.unicodeScalars.count <= 200 else {
            var response = HTTPResponse(status: .badRequest)
            response.headerFields[.contentType] = "application/json; charset=utf-8"
            return (response, HTTPBody(#"{"code":"bad-request","message":"If-None-Match is at most 200 characters"}"#))
        }
        return try await next(request, body, metadata)
    }
}
