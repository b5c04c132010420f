import Foundation
import Hummingbird
import KioskCentralServer
import KioskGzip

/// Faults to inject into the next uploads of events, in front of the real reference server
/// (a Hummingbird middleware on the same router, over real HTTP).
final class FaultSwitch: @unchecked Sendable {
    enum Fault: Sendable {
        /// Answer this status with a Problem body, storing nothing.
        case status(Int)
        /// 429 with `Retry-After: seconds`, storing nothing.
        case tooManyRequests(retryAfter: Int)
        /// 200 with a body that is not JSON, storing nothing.
        case garbage
        /// Store the batch, then answer with JSON cut off in the middle.
        case truncatedAfterStoring
        /// Store the batch, then hold the answer this long (the kiosk has given up, or been
        /// killed, by then). The store runs in a task of its own, so that it completes even when
        /// the client goes away mid-write: Hummingbird cancels a handler whose connection closed,
        /// and GRDB's async write honours the cancellation (the batch would never be stored).
        case delay(TimeInterval)
        /// Store the batch, then answer 409 naming every event of it as held already.
        case conflictAfterStoring
    }

    private let lock = NSLock()
    private var queue: [Fault] = []
    private var uploads = 0
    private var gzipped = 0
    private var heldBack = 0

    func push(_ faults: Fault...) { lock.withLock { queue += faults } }
    var uploadCount: Int { lock.withLock { uploads } }
    var gzippedCount: Int { lock.withLock { gzipped } }
    /// How many delayed batches the server has stored (their answers held back or not).
    var heldBackCount: Int { lock.withLock { heldBack } }
    fileprivate func storedHeldBack() { lock.withLock { heldBack += 1 } }

    fileprivate func next(gzip: Bool) -> Fault? {
        lock.withLock {
            uploads += 1
            if gzip { gzipped += 1 }
            return queue.isEmpty ? nil : queue.removeFirst()
        }
    }
}

private struct UncheckedSendable<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}

struct FaultMiddleware: RouterMiddleware {
    typealias Context = CentralRequestContext
    let faults: FaultSwitch

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard request.uri.path == "/v1/events" else { return try await next(request, context) }
        let fault = faults.next(gzip: request.headers[.contentEncoding] == "gzip")
        switch fault {
        case nil:
            return try await next(request, context)
        case .status(let status):
            return Self.json(status: .init(code: status), #"{"code":"fault","message":"injected \#(status)"}"#)
        case .tooManyRequests(let seconds):
            var response = Self.json(status: .tooManyRequests, #"{"code":"slow-down","message":"injected 429"}"#)
            response.headers[.retryAfter] = String(seconds)
            return response
        case .garbage:
            return Self.json(status: .ok, #"{"results": [ {"id": oops"#)
        case .truncatedAfterStoring:
            _ = try await next(request, context)
            return Self.json(status: .ok, #"{"results": [{"id": "p-1", "status": "acc"#)
        case .delay(let seconds):
            var request = request
            request.body = .init(buffer: try await request.collectBody(upTo: 16 << 20))
            let response = try await withoutActuallyEscaping(next) { next in
                // Awaited before the handler returns, so the closure does not outlive it.
                let call = UncheckedSendable((next, request, context))
                return try await Task { try await call.value.0(call.value.1, call.value.2) }.value  // not cancelled with the handler
            }
            faults.storedHeldBack()
            try await Task.sleep(nanoseconds: UInt64(seconds * 1_000_000_000))
            return response
        case .conflictAfterStoring:
            var request = request
            let body = try await request.collectBody(upTo: 16 << 20)
            request.body = .init(buffer: body)
            _ = try await next(request, context)
            let ids = try Self.eventIDs(in: body, gzip: request.headers[.contentEncoding] == "gzip")
            let list = ids.map { "\"\($0)\"" }.joined(separator: ",")
            return Self.json(status: .conflict, #"{"code":"duplicate","message":"injected 409","duplicates":[\#(list)]}"#)
        }
    }

    static func json(status: HTTPResponse.Status, _ body: String) -> Response {
        Response(status: status, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: body)))
    }

    static func eventIDs(in body: ByteBuffer, gzip: Bool) throws -> [String] {
        var data = Data(body.readableBytesView)
        if gzip { data = try Gzip.decompress(data, limit: 64 << 20) }
        struct Batch: Decodable { struct E: Decodable { var id: String }; var events: [E] }
        return try JSONDecoder().decode(Batch.self, from: data).events.map(\.id)
    }
}
