import Foundation
import KioskCentralAPI

/// What `kiosk diag central` finds: reachability (and TLS, when the URL is https), the clock
/// skew against the server's time, and whether the device token is accepted. Prints no token.
public struct CentralDiagnosis: Sendable, Encodable {
    public var url: String
    public var reachable = false
    public var tls: Bool
    public var error: String?
    public var roundTripMilliseconds: Double?
    /// Server time minus kiosk time, at the middle of the round trip.
    public var skewSeconds: Double?
    public var skewOK = false
    public var authenticated = false
    public var kioskID: String?

    public var passed: Bool { reachable && skewOK && authenticated }

    public var lines: [String] {
        var lines = ["central: \(url)"]
        lines.append("reachable: \(reachable ? "yes" : "no")" + (tls ? " (TLS verified)" : "") + (error.map { " — \($0)" } ?? ""))
        if let roundTripMilliseconds { lines.append(String(format: "round trip: %.1f ms", roundTripMilliseconds)) }
        if let skewSeconds { lines.append(String(format: "clock skew: %+.2f s (%@)", skewSeconds, skewOK ? "ok" : "too large")) }
        if reachable { lines.append("device token: " + (authenticated ? "accepted (kiosk \(kioskID ?? "?"))" : "refused")) }
        return lines
    }

    public static func run(_ client: CentralClient, maxSkew: Double, now: @Sendable () -> Date) async -> CentralDiagnosis {
        var report = CentralDiagnosis(url: client.endpoint.url.absoluteString, tls: client.endpoint.url.scheme == "https")
        let sent = now()
        do {
            guard case .ok(let ok) = try await client.client.getTime() else {
                report.error = "GET /v1/time did not answer 200"
                return report
            }
            let received = now()
            let server = try ok.body.json.now
            report.reachable = true
            report.roundTripMilliseconds = received.timeIntervalSince(sent) * 1000
            let skew = server.timeIntervalSince(sent.addingTimeInterval(received.timeIntervalSince(sent) / 2))
            report.skewSeconds = skew
            report.skewOK = abs(skew) <= maxSkew
        } catch {
            report.error = CentralClient.describe(error)
            return report
        }
        do {
            if case .ok(let ok) = try await client.client.getDevice() {
                report.authenticated = true
                report.kioskID = try ok.body.json.kioskID
            }
        } catch {
            report.error = CentralClient.describe(error)
        }
        return report
    }
}
