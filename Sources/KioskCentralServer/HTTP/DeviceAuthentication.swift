import Foundation
import HTTPTypes
import OpenAPIRuntime

/// The calling kiosk, set by `DeviceAuthentication` for the handler of one request.
enum RequestDevice {
    @TaskLocal static var current: CentralDevice?
}

/// Finds the kiosk behind `Authorization: Bearer <token>`; answers 401 itself when there is none.
/// The token is looked up by its hash and never logged.
struct DeviceAuthentication: ServerMiddleware {
    let storage: any CentralStorage
    /// Operations anyone may call.
    static let open: Set<String> = ["getTime"]

    func intercept(_ request: HTTPRequest, body: HTTPBody?, metadata: ServerRequestMetadata, operationID: String,
                   next: @Sendable (HTTPRequest, HTTPBody?, ServerRequestMetadata) async throws -> (HTTPResponse, HTTPBody?))
        async throws -> (HTTPResponse, HTTPBody?) {
        if Self.open.contains(operationID) { return try await next(request, body, metadata) }
        guard let value = request.headerFields[.authorization], value.lowercased().hasPrefix("bearer "),
              case let token = String(value.dropFirst(7)).trimmingCharacters(in: .whitespaces), !token.isEmpty
        else { return Self.unauthorized("no device token (Authorization: Bearer …)") }
        guard let device = try await storage.device(token: token) else {
            return Self.unauthorized("the device token is not known")
        }
        // A device bound to a client certificate is known by both: its token copied to another
        // machine (with another certificate of the same authority, or none) is refused.
        if let bound = device.certificateSHA256, RequestPeer.certificateSHA256 != bound {
            return Self.unauthorized(RequestPeer.certificateSHA256 == nil
                ? "this device must present its client certificate"
                : "the client certificate is not this device's")
        }
        return try await RequestDevice.$current.withValue(device) { try await next(request, body, metadata) }
    }

    static func unauthorized(_ message: String) -> (HTTPResponse, HTTPBody?) {
        var response = HTTPResponse(status: .unauthorized)
        response.headerFields[.contentType] = "application/json; charset=utf-8"
        response.headerFields[.wwwAuthenticate] = "Bearer"
        return (response, ProblemBody.json(code: "unauthorized", message: message))
    }
}
