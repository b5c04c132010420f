import AsyncHTTPClient
import Foundation
import HTTPTypes
import KioskGzip
import NIOCore
import KioskCentralAPI
import KioskStore
import NIOSSL
import OpenAPIAsyncHTTPClient
import OpenAPIRuntime

/// The kiosk's client of the central API: the generated client over AsyncHTTPClient, with the
/// device token, timeouts, TLS verification (optionally against a pinned certificate) and gzip
/// for batches. It maps every answer and failure to what the kiosk does next; it logs nothing
/// itself, and no error it returns carries the token.
public final class CentralClient: EventUploader, ConfigurationSource, Sendable {
    public let endpoint: CentralEndpoint
    /// The generated client, for operations this type does not wrap (member lookups and changes).
    public let client: Client
    private let http: HTTPClient
    private let eventsURL: String
    private let wireCounter: WireCounter?

    public init(endpoint: CentralEndpoint, wireCounter: WireCounter? = nil) throws {
        self.endpoint = endpoint
        self.wireCounter = wireCounter
        eventsURL = endpoint.url.appendingPathComponent("v1/events").absoluteString
        var tls = TLSConfiguration.makeClientConfiguration()
        tls.certificateVerification = .fullVerification
        if let file = endpoint.trustedCertificatesFile {
            tls.trustRoots = .certificates(try NIOSSLCertificate.fromPEMFile(file))
        }
        if let certificate = endpoint.clientCertificateFile, let key = endpoint.clientKeyFile {
            tls.certificateChain = try NIOSSLCertificate.fromPEMFile(certificate).map { .certificate($0) }
            tls.privateKey = .privateKey(try NIOSSLPrivateKey(file: key, format: .pem))
        }
        var configuration = HTTPClient.Configuration(
            tlsConfiguration: tls,
            timeout: .init(connect: .milliseconds(Int64(min(endpoint.timeout, 5) * 1000)),
                           read: .milliseconds(Int64(endpoint.timeout * 1000))))
        configuration.decompression = .enabled(limit: .size(64 * 1024 * 1024))
        configuration.httpVersion = .http1Only
        http = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        let middlewares: [any ClientMiddleware] = [
            BearerTokenMiddleware(token: endpoint.token), GzipBatchMiddleware(threshold: endpoint.gzipAboveBytes),
        ]
        client = Client(
            serverURL: endpoint.url,
            configuration: .central,
            transport: AsyncHTTPClientTransport(configuration: .init(client: http, timeout: .milliseconds(Int64(endpoint.timeout * 1000)))),
            middlewares: middlewares)
    }

    /// Closes the connections; call once, before the client goes.
    public func shutdown() async throws { try await http.shutdown() }

    /// A client dropped without `shutdown()` (a caller that threw or returned early) still closes
    /// its connections: AsyncHTTPClient traps when an HTTPClient that was not shut down is freed.
    /// The task holds the HTTPClient until it is shut down; a second shutdown is refused, harmlessly.
    deinit {
        let http = self.http
        Task { try? await http.shutdown() }
    }

    // MARK: Events

    /// Sends one batch. The body is written by `EventBatchJSON` with each event's stored body as
    /// it is (checked here to be one JSON object; one that is not is answered `rejected` without
    /// sending it), gzip-compressed above `gzipAboveBytes`, and sent on the client's HTTP
    /// connection; the answer is read by hand too. This is the contract's `uploadEvents` (a test
    /// decodes the body as the generated `EventBatch`), without Codable: through the generated
    /// client a batch cost several times the CPU of storing it (BENCHMARKS.md, sync section).
    public func upload(_ events: [OutboxDeliveryEvent]) async -> DeliveryOutcome {
        var wire: [EventBatchJSON.Outgoing] = []
        var unreadable: [DeliveryOutcome.EventAnswer] = []
        wire.reserveCapacity(events.count)
        for event in events {
            guard let outgoing = Self.wireEvent(event) else {
                unreadable.append(.init(eventID: event.eventID, status: .rejected, reason: "unreadable: the body is not a JSON object"))
                continue
            }
            wire.append(outgoing)
        }
        guard !wire.isEmpty else { return .answered(unreadable) }
        let outcome = await send(EventBatchJSON.write(wire))
        guard case .answered(let answers) = outcome else { return outcome }
        return .answered(answers + unreadable)
    }

    /// The event as it goes on the wire, or nil when its stored body is not one JSON object.
    static func wireEvent(_ event: OutboxDeliveryEvent) -> EventBatchJSON.Outgoing? {
        let claims: [EventClaims.Claim]
        if event.type == "purchase.recorded" {
            // The once-only keys are read from the body, which is checked on the way.
            guard let body = try? JSONReader.object(event.payload) else { return nil }
            claims = EventClaims.claims(eventID: event.eventID, type: event.type, body: body)
        } else {
            guard JSONReader.isObject(event.payload) else { return nil }
            claims = []
        }
        return EventBatchJSON.Outgoing(
            id: event.eventID, sequence: event.sequence, type: event.type, occurredAt: event.occurredAt,
            programVersion: event.programVersion, memberID: event.memberID,
            claims: claims.map { claim in
                Components.Schemas.EventClaim(
                    kind: claim.kind == .receipt ? .receipt : .voucher, key: claim.key,
                    reversal: claim.reversal.compactMap { posting in
                        Components.Schemas.Posting.AccountPayload(rawValue: posting.account).map { .init(account: $0, amount: posting.amount) }
                    })
            },
            payload: event.payload)
    }

    private func send(_ body: [UInt8]) async -> DeliveryOutcome {
        var request = HTTPClientRequest(url: eventsURL)
        request.method = .POST
        request.headers.add(name: "Authorization", value: "Bearer \(endpoint.token)")
        request.headers.add(name: "Content-Type", value: "application/json; charset=utf-8")
        request.headers.add(name: "Accept", value: "application/json")
        var buffer: ByteBuffer
        if body.count > endpoint.gzipAboveBytes, let compressed = try? Gzip.compress(Data(body), level: 1) {
            request.headers.add(name: "Content-Encoding", value: "gzip")
            buffer = ByteBuffer(bytes: compressed)
        } else {
            buffer = ByteBuffer(bytes: body)
        }
        wireCounter?.add(buffer.readableBytes)
        request.body = .bytes(buffer)
        let status: Int
        let retryAfter: TimeInterval?
        do {
            let response = try await http.execute(request, timeout: .milliseconds(Int64(endpoint.timeout * 1000)))
            status = Int(response.status.code)
            retryAfter = response.headers.first(name: "Retry-After").flatMap(TimeInterval.init)
            buffer = try await response.body.collect(upTo: 64 * 1024 * 1024)
        } catch {
            return .transient(reason: "uploadEvents: " + Self.describe(error), retryAfter: nil)
        }
        let answer = buffer.readableBytesView
        switch status {
        case 200:
            do {
                return .answered(try EventBatchJSON.readResult(Array(answer)).results.map {
                    .init(eventID: $0.id, status: .init(rawValue: $0.status.rawValue) ?? .rejected, reason: $0.reason)
                })
            } catch {
                return .transient(reason: "the central's answer cannot be read: \(error)", retryAfter: nil)
            }
        case 409:
            guard let conflict = try? JSONDecoder().decode(Components.Schemas.BatchConflict.self, from: Data(answer)) else {
                return .transient(reason: "409 without a body", retryAfter: nil)
            }
            return .conflict(duplicates: conflict.duplicates, message: conflict.message)
        case 429:
            return .transient(reason: "429 too many requests", retryAfter: retryAfter)
        case 503:
            return .transient(reason: "503 unavailable", retryAfter: retryAfter)
        case 401, 403:
            return status == 401 ? .unauthorized("the central refused the device token") : .unauthorized("HTTP 403")
        case 400, 413:
            let problem = (try? JSONDecoder().decode(Components.Schemas.Problem.self, from: Data(answer)))
                .map { "\($0.code): \($0.message)" } ?? "HTTP \(status)"
            return .malformed(status == 413 ? "413: " + problem : problem)
        default:
            if status >= 500 { return .transient(reason: "HTTP \(status)", retryAfter: retryAfter) }
            return .malformed("HTTP \(status)")
        }
    }

    static func problemMessage(_ body: Components.Responses.BadRequest.Body) -> String {
        switch body { case .json(let problem): "\(problem.code): \(problem.message)" }
    }

    /// An error as the kiosk shows it: what went wrong, without the request (which holds the token).
    static func describe(_ error: any Error) -> String {
        if let error = error as? ClientError {
            return "\(error.operationID): \(describe(error.underlyingError))"
        }
        if let error = error as? HTTPClientError { return "\(error)" }
        return String(describing: error)
    }

    // MARK: Configuration

    public func configuration(ifNoneMatch etag: String?) async -> ConfigurationFetch {
        do {
            switch try await client.getConfiguration(headers: .init(ifNoneMatch: etag)) {
            case .ok(let ok):
                let document = try ok.body.json
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.sortedKeys]
                return .fetched(etag: ok.headers.eTag, version: document.version,
                                document: try encoder.encode(document), program: try encoder.encode(document.program))
            case .notModified:
                return .notModified
            case .unauthorized:
                return .failed("the central refused the device token")
            case .badRequest(let response):
                return .failed("the central refused the request: " + Self.problemMessage(response.body))
            case .undocumented(let status, _):
                return .failed("HTTP \(status)")
            }
        } catch {
            return .failed(Self.describe(error))
        }
    }
}
