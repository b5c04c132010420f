import Foundation
import KioskCentralServer
import KioskSync
import KioskTestSupport
import Testing

/// The reference server over TLS, with and without client certificates required: certificates
/// from a test authority made by openssl, the server in this process on loopback.
@Suite(.serialized) struct ServerTLSTests {
    /// A certificate authority, a server certificate for 127.0.0.1, a kiosk's client certificate
    /// from that authority and one from another authority.
    struct Certificates {
        let directory: TemporaryDirectory
        var path: (String) -> String { directory.file }

        init() async throws {
            directory = try TemporaryDirectory()
            try await Self.authority("ca", in: directory)
            try await Self.authority("rogue-ca", in: directory)
            try await Self.issue("server", cn: "127.0.0.1", san: "IP:127.0.0.1", by: "ca", in: directory)
            try await Self.issue("kiosk", cn: "kiosk-a", san: "DNS:kiosk-a", by: "ca", in: directory)
            try await Self.issue("rogue", cn: "kiosk-a", san: "DNS:kiosk-a", by: "rogue-ca", in: directory)
            try await Self.issue("kiosk-b", cn: "kiosk-b", san: "DNS:kiosk-b", by: "ca", in: directory)
        }

        static func openssl(_ arguments: [String]) async throws {
            let run = try ChildProcess("/usr/bin/openssl", arguments)
            let status = await run.wait()
            try #require(status == 0, "openssl \(arguments.joined(separator: " ")): \(run.printed)")
        }

        static func authority(_ name: String, in directory: TemporaryDirectory) async throws {
            try await openssl(["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=\(name)", "-days", "1",
                               "-keyout", directory.file("\(name).key"), "-out", directory.file("\(name).pem")])
        }

        static func issue(_ name: String, cn: String, san: String, by ca: String, in directory: TemporaryDirectory) async throws {
            try "subjectAltName=\(san)\n".write(toFile: directory.file("\(name).ext"), atomically: true, encoding: .utf8)
            try await openssl(["req", "-new", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=\(cn)",
                               "-keyout", directory.file("\(name).key"), "-out", directory.file("\(name).csr")])
            try await openssl(["x509", "-req", "-in", directory.file("\(name).csr"), "-CA", directory.file("\(ca).pem"),
                               "-CAkey", directory.file("\(ca).key"), "-CAcreateserial", "-days", "1",
                               "-extfile", directory.file("\(name).ext"), "-out", directory.file("\(name).pem")])
        }
    }

    func attempt(_ central: CentralHarness, _ kiosk: KioskUnderTest, certificates: Certificates,
                 client: String?) async throws -> Forwarder.Attempt {
        let endpoint = CentralEndpoint(
            url: central.url, token: CentralHarness.kioskA.token, timeout: 5, trustedCertificatesFile: certificates.path("ca.pem"),
            clientCertificateFile: client.map { certificates.path("\($0).pem") }, clientKeyFile: client.map { certificates.path("\($0).key") })
        let uploader = try CentralClient(endpoint: endpoint)
        let attempt = try await Forwarder(store: kiosk.store, uploader: uploader, sleep: { _ in }).attempt()
        try await uploader.shutdown()
        return attempt
    }

    @Test func theServerServesHTTPSAndTheKioskVerifiesIt() async throws {
        let certificates = try await Certificates()
        let directory = try TemporaryDirectory()
        let central = try await CentralHarness(.sqlite, directory: directory.path)
        central.tls = try CentralTLS(certificateFile: certificates.path("server.pem"), keyFile: certificates.path("server.key")).configuration()
        try await central.start()
        #expect(central.url.scheme == "https")
        let kiosk = try KioskUnderTest()
        try kiosk.purchases(3)
        let attempt = try await attempt(central, kiosk, certificates: certificates, client: nil)
        #expect(attempt.failure == nil)
        #expect(attempt.delivered == 5)
        #expect(try await central.storedIDs() == kiosk.allIDs())
        await central.stop()
    }

    @Test func aRequiredClientCertificateIsCheckedBeforeAnyRequest() async throws {
        let certificates = try await Certificates()
        let directory = try TemporaryDirectory()
        let central = try await CentralHarness(.sqlite, directory: directory.path)
        central.tls = try CentralTLS(certificateFile: certificates.path("server.pem"), keyFile: certificates.path("server.key"),
                                     clientCertificateAuthorityFile: certificates.path("ca.pem")).configuration()
        try await central.start()
        let kiosk = try KioskUnderTest()
        try kiosk.purchases(3)

        // No client certificate, or one another authority issued: the handshake fails, nothing is stored.
        for client in [nil, "rogue"] as [String?] {
            let refused = try await attempt(central, kiosk, certificates: certificates, client: client)
            #expect(refused.delivered == 0, "\(client ?? "no certificate")")
            #expect(refused.failure != nil, "\(client ?? "no certificate")")
            #expect(try await central.storedIDs().isEmpty)
            #expect(try kiosk.pendingIDs().count == 5)
        }
        // The kiosk's own certificate: delivered.
        let accepted = try await attempt(central, kiosk, certificates: certificates, client: "kiosk")
        #expect(accepted.failure == nil, "\(accepted.failure ?? "")")
        #expect(accepted.delivered == 5)
        #expect(try await central.storedIDs() == kiosk.allIDs())
        await central.stop()
    }

    /// A kiosk bound to its certificate (`add-device --client-certificate`): its token is taken
    /// only with that certificate. Another kiosk's certificate from the same authority passes the
    /// handshake but not the binding. A server that asks for no client certificates (no
    /// `--client-ca`) never sees one: a bound kiosk is refused there whatever it holds (closed,
    /// not open, on a server set up wrongly).
    @Test(arguments: Backend.available)
    func aDeviceBoundToItsCertificateIsRefusedWithAnyOther(_ backend: Backend) async throws {
        let certificates = try await Certificates()
        for requireClientCertificates in [true, false] {
            let directory = try TemporaryDirectory()
            let central = try await CentralHarness(backend, directory: directory.path)
            let bound = try CentralDevice.certificateSHA256(pemFile: certificates.path("kiosk.pem"))
            try await central.storage.register(CentralDevice(kioskID: CentralHarness.kioskA.id, branchID: "tehran-1", certificateSHA256: bound),
                                               token: CentralHarness.kioskA.token)
            #expect(try await central.storage.device(token: CentralHarness.kioskA.token)?.certificateSHA256 == bound)
            central.tls = try CentralTLS(certificateFile: certificates.path("server.pem"), keyFile: certificates.path("server.key"),
                                         clientCertificateAuthorityFile: requireClientCertificates ? certificates.path("ca.pem") : nil)
                .configuration()
            try await central.start()
            let kiosk = try KioskUnderTest()
            try kiosk.purchases(2)
            let others: [String?] = requireClientCertificates ? ["kiosk-b"] : [nil, "kiosk-b", "kiosk"]
            for other in others {
                let refused = try await attempt(central, kiosk, certificates: certificates, client: other)
                #expect(refused.delivered == 0, "\(other ?? "no certificate"), required: \(requireClientCertificates)")
                #expect(refused.failure != nil)
                #expect(try await central.storedIDs().isEmpty)
            }
            if requireClientCertificates {
                let accepted = try await attempt(central, kiosk, certificates: certificates, client: "kiosk")
                #expect(accepted.failure == nil, "\(accepted.failure ?? "")")
                #expect(accepted.delivered == 4)
                #expect(try await central.storedIDs() == kiosk.allIDs())
            }
            await central.stop()
            // Registered again without a certificate (the device re-issued): its token alone again.
            try await central.storage.register(CentralDevice(kioskID: CentralHarness.kioskA.id, branchID: "tehran-1"),
                                               token: CentralHarness.kioskA.token)
            #expect(try await central.storage.device(token: CentralHarness.kioskA.token)?.certificateSHA256 == nil)
        }
    }
}
