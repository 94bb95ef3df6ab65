import Crawl
import Feeds
import Foundation
import Outlets
import Store
import TestHTTPServer
import Testing
import TestStates

private func feed(_ slugs: [String]) -> Data {
    let items = slugs.map { "<item><title>Story \($0)</title><link>https://harbor.example/\($0)</link></item>" }.joined()
    return Data("<rss version=\"2.0\"><channel><title>Harbor</title>\(items)</channel></rss>".utf8)
}

/// 200 with an ETag, then 304 to it.
private func conditional(_ request: TestHTTPServer.Request) -> TestHTTPServer.Response {
    if request.header("If-None-Match") == "\"v1\"" { return .init(status: 304, headers: [("ETag", "\"v1\"")]) }
    return .init(headers: [("Content-Type", "application/rss+xml"), ("ETag", "\"v1\"")], body: feed(["a", "b"]))
}

/// The test CA is trusted besides the system's, as a private CA would be.
private func settings(_ change: (inout CrawlSettings) -> Void = { _ in }) -> CrawlSettings {
    localSettings {
        $0.additionalTrustRoots = [TestHTTPServer.trustRootPEM]
        change(&$0)
    }
}

/// Feeds one after the other, so the connections a test counts follow from the order.
private func oneRequestAtATime(_ settings: inout CrawlSettings) {
    settings.concurrency = 1
    settings.perHostConcurrency = 1
}

@Suite("Direct connections: keep-alive HTTP/1.1 and HTTP/2 over TLS")
struct DirectConnectionTests {
    @Test(arguments: StateBackend.available) func httpsOverHTTP1KeepsOneConnectionForA200AndThe304sAfterIt(_ backend: StateBackend) async throws {
        let scratch = try await CrawlScratch(backend)
        let server = try await TestHTTPServer(tls: .http1Only, respond: conditional)
        let sources = (0..<3).map { FeedSource(url: server.baseURL + "/feed-\($0).xml", outletID: "harbor") }
        let oneAtATime = settings(oneRequestAtATime)
        let first = try await Crawler(settings: oneAtATime, registry: harborRegistry).crawl(sources, store: scratch.store, force: true)
        let second = try await Crawler(settings: oneAtATime, registry: harborRegistry).crawl(sources, store: scratch.store, force: true)
        await server.shutdown()
        #expect(first.map(\.outcome) == [.fetched, .fetched, .fetched])
        #expect(second.map(\.outcome) == [.notModified, .notModified, .notModified])
        #expect(try await scratch.state(sources[2].url).etag == "\"v1\"")
        #expect(try await scratch.store.articleCount() == 2)
        #expect(server.receivedRequests.allSatisfy { $0.version == "HTTP/1.1" })
        #expect(server.acceptedConnections == 2, "one connection per crawl, kept across its feeds")
    }

    @Test(arguments: StateBackend.available) func http2IsUsedWhereTLSNegotiatesItAndOneConnectionCarriesTheHost(_ backend: StateBackend) async throws {
        let scratch = try await CrawlScratch(backend)
        let server = try await TestHTTPServer(tls: .http2AndHTTP1, respond: conditional)
        let sources = (0..<4).map { FeedSource(url: server.baseURL + "/feed-\($0).xml", outletID: "harbor") }
        let oneAtATime = settings { $0.perHostConcurrency = 1 }
        let first = try await Crawler(settings: oneAtATime, registry: harborRegistry).crawl(sources, store: scratch.store, force: true)
        let second = try await Crawler(settings: oneAtATime, registry: harborRegistry).crawl(sources, store: scratch.store, force: true)
        await server.shutdown()
        #expect(first.allSatisfy { $0.outcome == .fetched })
        #expect(second.allSatisfy { $0.outcome == .notModified })
        #expect(try await scratch.state(sources[3].url).notModifiedCount == 1)
        #expect(server.receivedRequests.count == 8)
        #expect(server.receivedRequests.allSatisfy { $0.version == "HTTP/2" })
        #expect(server.receivedRequests.last?.header("If-None-Match") == "\"v1\"")
        #expect(server.acceptedConnections == 2, "one HTTP/2 connection per crawl")
    }

    @Test(arguments: StateBackend.available) func aHostNameIsCheckedAgainstTheCertificate(_ backend: StateBackend) async throws {
        let scratch = try await CrawlScratch(backend)
        let server = try await TestHTTPServer(tls: .http2AndHTTP1, respond: conditional)
        let source = FeedSource(url: "https://localhost:\(server.port)/feed.xml", outletID: "harbor")
        let results = try await Crawler(settings: settings(), registry: harborRegistry).crawl([source], store: scratch.store, force: true)
        await server.shutdown()
        #expect(results.first?.outcome == .fetched, "the certificate names localhost")
        #expect(try await scratch.store.articleCount() == 2)
    }

    @Test(arguments: StateBackend.available) func anUntrustedCertificateIsRefusedAndNothingIsRequested(_ backend: StateBackend) async throws {
        let scratch = try await CrawlScratch(backend)
        let server = try await TestHTTPServer(tls: .untrustedCertificate, respond: conditional)
        let source = FeedSource(url: server.baseURL + "/feed.xml", outletID: "harbor")
        let results = try await Crawler(settings: settings(), registry: harborRegistry).crawl([source], store: scratch.store, force: true)
        await server.shutdown()
        let error = try #require(results.first?.error)
        guard case .transport(let detail) = error else {
            Issue.record("expected a TLS failure, got \(error)")
            return
        }
        #expect(detail.hasPrefix("TLS with 127.0.0.1:\(server.port) failed"))
        #expect(try await scratch.state(source.url).lastError?.contains("TLS with 127.0.0.1") == true)
        #expect(try await scratch.state(source.url).consecutiveErrors == 1)
        #expect(server.receivedRequests.isEmpty)
        #expect(try await scratch.store.articleCount() == 0)
    }

    @Test(arguments: StateBackend.available) func withoutTheTestAuthorityTheSystemRootsDoNotTrustIt(_ backend: StateBackend) async throws {
        let scratch = try await CrawlScratch(backend)
        let server = try await TestHTTPServer(tls: .http1Only, respond: conditional)
        let source = FeedSource(url: server.baseURL + "/feed.xml", outletID: "harbor")
        let results = try await Crawler(settings: settings { $0.additionalTrustRoots = [] }, registry: harborRegistry)
            .crawl([source], store: scratch.store, force: true)
        await server.shutdown()
        #expect(results.first?.outcome == .failed)
        #expect(server.receivedRequests.isEmpty)
    }

    @Test(arguments: StateBackend.available) func overHTTP2AnErrorPageIsAnsweredFromItsHeadAndTheCapsHold(_ backend: StateBackend) async throws {
        let scratch = try await CrawlScratch(backend)
        let server = try await TestHTTPServer(tls: .http2AndHTTP1) { request in
            switch request.path {
            case "/broken.xml":
                .init(status: 500, headers: [("Content-Type", "text/html")], body: Data("<p>sorry</p>".utf8), delivery: .endless)
            case "/endless.xml":
                .init(headers: [("Content-Type", "application/rss+xml")], body: Data(String(repeating: "<!-- more -->", count: 1000).utf8), delivery: .endless)
            default:
                conditional(request)
            }
        }
        let sources = ["/broken.xml", "/endless.xml", "/feed.xml"].map { FeedSource(url: server.baseURL + $0, outletID: "harbor") }
        let results = try await Crawler(settings: settings { $0.maximumBodyBytes = 256 * 1024 }, registry: harborRegistry)
            .crawl(sources, store: scratch.store, force: true)
        await server.shutdown()
        #expect(results.map(\.error) == [.httpStatus(500), .tooLarge(limit: 256 * 1024), nil])
        #expect(try await scratch.state(sources[0].url).lastStatus == 500)
        #expect(try await scratch.store.articleCount() == 2, "the stream errors leave the connection's other streams alone")
        #expect(server.receivedRequests.allSatisfy { $0.version == "HTTP/2" })
    }

    @Test(arguments: StateBackend.available) func aConnectionTheServerClosesIsNotReused(_ backend: StateBackend) async throws {
        let scratch = try await CrawlScratch(backend)
        let server = try await TestHTTPServer { _ in
            .init(headers: [("Content-Type", "application/rss+xml"), ("Connection", "close")], body: feed(["a"]))
        }
        let sources = (0..<3).map { FeedSource(url: server.baseURL + "/feed-\($0).xml", outletID: "harbor") }
        let oneAtATime = settings(oneRequestAtATime)
        let results = try await Crawler(settings: oneAtATime, registry: harborRegistry).crawl(sources, store: scratch.store, force: true)
        await server.shutdown()
        #expect(results.allSatisfy { $0.outcome == .fetched })
        #expect(server.acceptedConnections == 3)
    }

    @Test(arguments: StateBackend.available) func aConnectionTheServerHangsUpOnIsReplacedAndTheFeedStillRead(_ backend: StateBackend) async throws {
        let scratch = try await CrawlScratch(backend)
        let server = try await TestHTTPServer { _ in
            .init(headers: [("Content-Type", "application/rss+xml")], body: feed(["a"]), delivery: .wholeThenHangUp)
        }
        let sources = (0..<3).map { FeedSource(url: server.baseURL + "/feed-\($0).xml", outletID: "harbor") }
        let oneAtATime = settings(oneRequestAtATime)
        let results = try await Crawler(settings: oneAtATime, registry: harborRegistry).crawl(sources, store: scratch.store, force: true)
        await server.shutdown()
        #expect(results.map(\.error) == [nil, nil, nil])
        #expect(server.receivedRequests.count == 3)
        #expect(server.acceptedConnections == 3)
    }

    @Test(arguments: StateBackend.available) func idleConnectionsOverTheLimitAreClosedLongestIdleFirst(_ backend: StateBackend) async throws {
        let scratch = try await CrawlScratch(backend)
        var servers: [TestHTTPServer] = []
        for _ in 0..<3 { servers.append(try await TestHTTPServer(respond: conditional)) }
        // Hosts take turns: a1, b1, c1, a2. With one idle connection allowed, a's is closed
        // when b's is kept, so a2 needs a new one; with the default, it finds a's again.
        let sources = [0, 1, 2, 0].enumerated().map { FeedSource(url: servers[$1].baseURL + "/feed-\($0).xml", outletID: "harbor") }
        let tight = settings {
            oneRequestAtATime(&$0)
            $0.maximumIdleConnections = 1
        }
        let results = try await Crawler(settings: tight, registry: harborRegistry).crawl(sources, store: scratch.store, force: true)
        #expect(results.allSatisfy { $0.outcome == .fetched })
        #expect(servers.map(\.acceptedConnections) == [2, 1, 1])
        let roomy = settings(oneRequestAtATime)
        _ = try await Crawler(settings: roomy, registry: harborRegistry).crawl(sources, store: scratch.store, force: true)
        #expect(servers.map(\.acceptedConnections) == [3, 2, 2])
        for server in servers { await server.shutdown() }
    }

    @Test(arguments: StateBackend.available) func aRefusedConnectionIsNamed(_ backend: StateBackend) async throws {
        let scratch = try await CrawlScratch(backend)
        let server = try await TestHTTPServer { _ in .init() }
        let url = server.baseURL + "/feed.xml"
        await server.shutdown()
        let results = try await Crawler(settings: settings(), registry: harborRegistry)
            .crawl([FeedSource(url: url, outletID: "harbor")], store: scratch.store, force: true)
        guard case .transport(let detail) = try #require(results.first?.error) else {
            Issue.record("expected a transport error, got \(String(describing: results.first?.error))")
            return
        }
        #expect(detail.hasPrefix("cannot connect to 127.0.0.1:"), "\(detail)")
    }
}
