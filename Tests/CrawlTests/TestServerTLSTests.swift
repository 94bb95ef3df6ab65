import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import NIOSSL
import TestHTTPServer
import Testing

/// The TLS modes of TestHTTPServer, checked with AsyncHTTPClient so the crawler's own client can
/// rely on them: the certificate, ALPN and the protocol that really served each request.
@Suite("TestHTTPServer over TLS")
struct TestServerTLSTests {
    private func client(httpVersion: HTTPClient.Configuration.HTTPVersion = .automatic, verify: Bool = true) throws -> HTTPClient {
        var tls = TLSConfiguration.makeClientConfiguration()
        tls.trustRoots = .certificates(try NIOSSLCertificate.fromPEMBytes(Array(TestHTTPServer.trustRootPEM.utf8)))
        if !verify { tls.certificateVerification = .none }
        var configuration = HTTPClient.Configuration(tlsConfiguration: tls)
        configuration.httpVersion = httpVersion
        return HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }

    private func get(
        _ url: String, with client: HTTPClient, timeout: TimeAmount = .seconds(5)
    ) async throws -> (status: UInt, version: HTTPVersion, body: String, headers: HTTPHeaders) {
        let response = try await client.execute(HTTPClientRequest(url: url), timeout: timeout)
        let body = try await response.body.collect(upTo: 1 << 20)
        return (response.status.code, response.version, String(buffer: body), response.headers)
    }

    private static func page(_ request: TestHTTPServer.Request) -> TestHTTPServer.Response {
        request.path == "/missing"
            ? .init(status: 404, contentType: "text/plain", body: "no such page")
            : .init(status: 200, headers: [("Content-Type", "text/plain"), ("ETag", "\"v1\"")], body: Data("served \(request.path)".utf8))
    }

    @Test func http1OnlyServesHTTPSWithHTTP1() async throws {
        let server = try await TestHTTPServer(tls: .http1Only, respond: Self.page)
        let client = try client()
        #expect(server.baseURL == "https://127.0.0.1:\(server.port)")
        let page = try await get(server.baseURL + "/feed", with: client)
        #expect(page.status == 200)
        #expect(page.body == "served /feed")
        #expect(page.version == .http1_1)
        #expect(server.receivedRequests.map(\.version) == ["HTTP/1.1"])
        #expect(server.acceptedConnections == 1)
        try await client.shutdown()
        await server.shutdown()
    }

    @Test func http2IsServedWhenTheClientNegotiatesH2() async throws {
        let server = try await TestHTTPServer(tls: .http2AndHTTP1, respond: Self.page)
        let client = try client()
        let page = try await get(server.baseURL + "/feed", with: client)
        let missing = try await get(server.baseURL + "/missing", with: client)
        #expect(page.status == 200)
        #expect(page.body == "served /feed")
        #expect(page.headers["ETag"] == ["\"v1\""])
        #expect(page.version == .http2)
        #expect(missing.status == 404)
        #expect(missing.body == "no such page")
        #expect(server.receivedRequests.map(\.version) == ["HTTP/2", "HTTP/2"])
        #expect(server.receivedRequests.map(\.path) == ["/feed", "/missing"])
        // Both requests went as streams on one connection.
        #expect(server.acceptedConnections == 1)
        try await client.shutdown()
        await server.shutdown()
    }

    @Test func theH2ServerFallsBackToHTTP1ForAClientWithoutH2() async throws {
        let server = try await TestHTTPServer(tls: .http2AndHTTP1, respond: Self.page)
        let client = try client(httpVersion: .http1Only)
        let page = try await get(server.baseURL + "/feed", with: client)
        #expect(page.body == "served /feed")
        #expect(server.receivedRequests.map(\.version) == ["HTTP/1.1"])
        try await client.shutdown()
        await server.shutdown()
    }

    @Test func aDelayedDrippedBodyArrivesWholeOverH2() async throws {
        let server = try await TestHTTPServer(tls: .http2AndHTTP1) { _ in
            .init(status: 200, headers: [("Content-Type", "text/plain")], body: Data("slow".utf8), delay: .milliseconds(20), delivery: .drip(.milliseconds(5)))
        }
        let client = try client()
        let page = try await get(server.baseURL + "/slow", with: client)
        #expect(page.body == "slow")
        #expect(page.version == .http2)
        try await client.shutdown()
        await server.shutdown()
    }

    @Test func anEndlessBodyOverH2StopsAtTheClientsLimit() async throws {
        let server = try await TestHTTPServer(tls: .http2AndHTTP1) { _ in .init(status: 200, body: Data("spam".utf8), delivery: .endless) }
        let client = try client()
        let response = try await client.execute(HTTPClientRequest(url: server.baseURL + "/"), timeout: .seconds(5))
        #expect(response.version == .http2)
        await #expect(throws: NIOTooManyBytesError.self) { _ = try await response.body.collect(upTo: 256 * 1024) }
        try await client.shutdown()
        await server.shutdown()
    }

    @Test func theUntrustedCertificateIsRefused() async throws {
        let server = try await TestHTTPServer(tls: .untrustedCertificate, respond: Self.page)
        let client = try client()
        // AsyncHTTPClient retries a failed connection until the deadline, then reports the last error.
        let error = await #expect(throws: NIOSSLError.self) { _ = try await get(server.baseURL + "/feed", with: client, timeout: .milliseconds(300)) }
        #expect(String(describing: error).contains("CERTIFICATE_VERIFY_FAILED"))
        #expect(server.receivedRequests.isEmpty)
        try await client.shutdown()
        await server.shutdown()
    }

    @Test func theUntrustedServerAnswersAClientThatDoesNotVerify() async throws {
        let server = try await TestHTTPServer(tls: .untrustedCertificate, respond: Self.page)
        let client = try client(verify: false)
        let page = try await get(server.baseURL + "/feed", with: client)
        #expect(page.body == "served /feed")
        #expect(server.receivedRequests.map(\.version) == ["HTTP/1.1"])
        try await client.shutdown()
        await server.shutdown()
    }

    @Test func everyLoopbackHostTheCertificateNamesVerifies() async throws {
        let server = try await TestHTTPServer(host: "127.0.0.11", tls: .http2AndHTTP1, respond: Self.page)
        let client = try client()
        #expect(server.baseURL == "https://127.0.0.11:\(server.port)")
        let page = try await get(server.baseURL + "/feed", with: client)
        #expect(page.body == "served /feed")
        #expect(page.version == .http2)
        try await client.shutdown()
        await server.shutdown()
    }

    @Test func theTrustRootIsTheTestCA() throws {
        let root = try NIOSSLCertificate.fromPEMBytes(Array(TestHTTPServer.trustRootPEM.utf8))
        #expect(root.count == 1)
        #expect(FileManager.default.fileExists(atPath: TestHTTPServer.trustRootPath))
    }
}
