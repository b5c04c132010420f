import Foundation
import KioskSync
import KioskTestSupport
import Testing

/// The kiosk verifies the central's certificate: one issued for another name is refused even
/// when it is the very certificate the kiosk pins, and so is one no trusted root signed. Nothing
/// is marked delivered. The server is `openssl s_server` on loopback.
@Suite(.serialized) struct TLSTests {
    @Test func aCertificateThatDoesNotMatchIsRefusedAndNothingIsDelivered() async throws {
        let directory = try TemporaryDirectory()
        let certificate = directory.file("cert.pem"), key = directory.file("key.pem")
        let openssl = try ChildProcess("/usr/bin/openssl", [
            "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=wrong.example", "-addext", "subjectAltName=DNS:wrong.example",
            "-keyout", key, "-out", certificate, "-days", "1"])
        #expect(await openssl.wait() == 0, "\(openssl.printed)")
        let port = try { let l = try SilentListener(); return l.port }()
        let server = try ChildProcess("/usr/bin/openssl", ["s_server", "-accept", "127.0.0.1:\(port)", "-cert", certificate, "-key", key, "-www", "-quiet"])
        defer { server.kill9() }
        try await Task.sleep(nanoseconds: 700_000_000)

        let kiosk = try KioskUnderTest()
        for trusted in [certificate, nil] as [String?] {
            let client = try CentralClient(endpoint: CentralEndpoint(
                url: URL(string: "https://127.0.0.1:\(port)")!, token: "t", timeout: 5, trustedCertificatesFile: trusted))
            let forwarder = Forwarder(store: kiosk.store, uploader: client, sleep: { _ in })
            let attempt = try await forwarder.attempt()
            #expect(attempt.delivered == 0)
            let failure = try #require(attempt.failure)
            #expect(failure.lowercased().contains("certificate") || failure.contains("handshake") || failure.contains("SSL"),
                    "\(failure)")
            #expect(try kiosk.pendingIDs().count == 2)
            try await client.shutdown()
        }
    }
}
