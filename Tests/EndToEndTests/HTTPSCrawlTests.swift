import Foundation
import TestHTTPServer
import Testing

@Suite("parallax crawl over HTTPS")
struct HTTPSCrawlTests {
    private static let feed = """
        <rss version="2.0"><channel><title>Harbor</title>
        <item><title>Ferry timetable changes</title><link>https://harbor.example/ferry</link></item>
        </channel></rss>
        """

    /// A feed on a server whose certificate a private CA signed: refused without `ca-file`,
    /// read with it, over HTTP/2 as the server offers.
    @Test func aPrivateCAIsTrustedOnlyWhenTheConfigNamesIt() async throws {
        let server = try await TestHTTPServer(tls: .http2AndHTTP1) { _ in
            .init(headers: [("Content-Type", "application/rss+xml")], body: Data(Self.feed.utf8))
        }
        let scratch = try TemporaryDirectory()
        func config(caFile: String?) -> String {
            """
            allow-private-networks: true
            \(caFile.map { "crawl: { ca-file: \"\($0)\" }" } ?? "")
            outlets: [{ id: harbor, name: The Harbor Ledger, domains: [harbor.example] }]
            feeds:
              - url: \(server.baseURL)/feed.xml
                outlet: harbor
            """
        }
        try Data(config(caFile: nil).utf8).write(to: URL(fileURLWithPath: scratch.path("plain.yaml")))
        try Data(config(caFile: TestHTTPServer.trustRootPath).utf8).write(to: URL(fileURLWithPath: scratch.path("private-ca.yaml")))

        let refused = try CommandRunner.run(["crawl", "--config", scratch.path("plain.yaml"), "--state", scratch.path("a.sqlite")])
        let trusted = try CommandRunner.run(["crawl", "--config", scratch.path("private-ca.yaml"), "--state", scratch.path("b.sqlite")])
        await server.shutdown()
        #expect(refused.status == 3, "\(refused.stderr)")
        #expect(refused.stderr.contains("TLS with 127.0.0.1:\(server.port) failed"))
        #expect(trusted.status == 0, "\(trusted.stderr)")
        #expect(trusted.stdout.contains("1 new article"))
        #expect(server.receivedRequests.map(\.version) == ["HTTP/2"])
    }
}
