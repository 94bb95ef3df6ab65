import Crawl
import Feeds
import Foundation
import Outlets
import Stories
import TestHTTPServer
import Testing

private let registry = OutletRegistry([
    Outlet(id: "harbor", name: "The Harbor Ledger", domains: ["harbor.example"], manualBias: .left),
    Outlet(id: "granite", name: "The Granite Post", domains: ["granite.example"], manualBias: .leanRight),
])

private let rss = """
    <?xml version="1.0" encoding="UTF-8"?>
    <rss version="2.0"><channel><title>Harbor</title><link>https://harbor.example/</link>
    <item><title>Bridge closes after inspection</title><link>https://harbor.example/a?utm_source=rss</link>
    <description>Engineers closed the Kessler Bridge.</description><pubDate>Wed, 18 Nov 2026 07:30:00 +0000</pubDate></item>
    <item><title>Council votes on budget</title><link>/b</link><pubDate>Wed, 18 Nov 2026 09:00:00 GMT</pubDate></item>
    <item><title></title><link>https://harbor.example/untitled</link></item>
    </channel></rss>
    """

/// The server is on 127.0.0.1, so these tests let the crawler reach private addresses.
private let testSettings: CrawlSettings = {
    var settings = CrawlSettings()
    settings.addressGuard = AddressGuard(allowPrivateNetworks: true)
    settings.hostSpacing = 0
    return settings
}()

@Suite("Crawler against a real HTTP server on 127.0.0.1")
struct CrawlerTests {
    @Test func readsAFeedOverHTTPAndTurnsItemsIntoArticles() async throws {
        let server = try await TestHTTPServer { request in
            request.path == "/feed.xml" ? .init(contentType: "application/rss+xml", body: rss) : .init(status: 404)
        }
        let source = FeedSource(url: server.baseURL + "/feed.xml", outletID: "harbor")
        let results = try await Crawler(settings: testSettings, registry: registry).crawl([source])
        await server.shutdown()

        let result = try #require(results.first)
        #expect(result.error == nil)
        #expect(result.httpStatus == 200)
        #expect(result.articles.map(\.canonicalURL) == ["https://harbor.example/a", "http://127.0.0.1:\(server.port)/b"])
        #expect(result.articles.allSatisfy { $0.outletID == "harbor" })
        #expect(result.articles.first?.publishedAt == Date(timeIntervalSince1970: 1_794_987_000))
        #expect(result.warnings.contains { $0.contains("1 items") })
        let userAgent = try #require(server.receivedRequests.first?.header("User-Agent"))
        #expect(userAgent.hasPrefix("parallax/"))
    }

    @Test func reportsHTTPErrorsPerFeedWithoutStoppingOthers() async throws {
        let server = try await TestHTTPServer { request in
            request.path == "/ok.xml" ? .init(contentType: "application/rss+xml", body: rss) : .init(status: 500)
        }
        let results = try await Crawler(settings: testSettings, registry: registry).crawl([
            FeedSource(url: server.baseURL + "/broken.xml", outletID: "harbor"),
            FeedSource(url: server.baseURL + "/ok.xml", outletID: "harbor"),
        ])
        await server.shutdown()
        #expect(results.count == 2)
        #expect(results[0].error == .httpStatus(500))
        #expect(results[0].articles.isEmpty)
        #expect(results[1].error == nil)
        #expect(results[1].articles.count == 2)
    }

    @Test func refusesBodiesOverTheCap() async throws {
        let big = String(repeating: "<!-- padding -->", count: 10_000)
        let server = try await TestHTTPServer { _ in .init(contentType: "application/rss+xml", body: rss + big) }
        var settings = testSettings
        settings.maximumBodyBytes = 64 * 1024
        let results = try await Crawler(settings: settings, registry: registry).crawl([FeedSource(url: server.baseURL + "/big.xml", outletID: "harbor")])
        await server.shutdown()
        #expect(results.first?.error == .tooLarge(limit: 64 * 1024))
    }

    @Test func anHTMLPageIsNotAFeed() async throws {
        let server = try await TestHTTPServer { _ in
            .init(contentType: "text/html", body: "<!DOCTYPE html><html><head><title>Home</title></head><body><p>Hi</p></body></html>")
        }
        let results = try await Crawler(settings: testSettings, registry: registry).crawl([FeedSource(url: server.baseURL + "/", outletID: "harbor")])
        await server.shutdown()
        let error = try #require(results.first?.error)
        #expect(error.description.contains("not a feed"))
    }

    @Test func aMalformedFeedKeepsWhatCouldBeRead() async throws {
        let broken = """
            <rss version="2.0"><channel><title>Broken</title>
            <item><title>First story survives</title><link>https://harbor.example/first</link></item>
            <item><title>Second & broken</title><link>https://harbor.example/second</link></item>
            <item><title>Unclosed
            """
        let server = try await TestHTTPServer { _ in .init(contentType: "application/xml", body: broken) }
        let results = try await Crawler(settings: testSettings, registry: registry).crawl([FeedSource(url: server.baseURL + "/broken.xml", outletID: "harbor")])
        await server.shutdown()
        let result = try #require(results.first)
        #expect(result.error == nil)
        #expect(result.articles.first?.title == "First story survives")
        #expect(result.warnings.contains { $0.hasPrefix("bozo") })
    }

    @Test func honoursContentLocationAndContentLanguageAndFlagsANonXMLType() async throws {
        let atom = """
            <feed xmlns="http://www.w3.org/2005/Atom"><title>Harbor</title>
            <entry><title>Ferry service resumes</title><link href="stories/ferry"/><id>/ids/ferry</id></entry>
            </feed>
            """
        let server = try await TestHTTPServer { _ in
            .init(
                headers: [
                    ("Content-Type", "text/plain; charset=utf-8"), ("Content-Location", "https://harbor.example/news/feed.atom"),
                    ("Content-Language", "de"),
                ], body: Data(atom.utf8))
        }
        let results = try await Crawler(settings: testSettings, registry: registry).crawl([FeedSource(url: server.baseURL + "/cdn/x", outletID: "harbor")])
        await server.shutdown()
        let result = try #require(results.first)
        #expect(result.error == nil)
        #expect(result.articles.first?.canonicalURL == "https://harbor.example/news/stories/ferry")
        #expect(result.articles.first?.language == "de")
        #expect(result.warnings.contains { $0.contains("served as text/plain, which is not an XML media type") })
    }

    @Test func honoursTheHTTPCharset() async throws {
        let latin1 = "<rss version=\"2.0\"><channel><title>Caf\u{E9}</title><item><title>Caf\u{E9} reopens</title><link>https://harbor.example/cafe</link></item></channel></rss>"
        let server = try await TestHTTPServer { _ in
            .init(headers: [("Content-Type", "application/rss+xml; charset=ISO-8859-1")], body: latin1.data(using: .isoLatin1)!)
        }
        let results = try await Crawler(settings: testSettings, registry: registry).crawl([FeedSource(url: server.baseURL + "/latin1.xml", outletID: "harbor")])
        await server.shutdown()
        #expect(results.first?.articles.first?.title == "Café reopens")
    }

    @Test func aggregatorItemsBelongToTheirSourceOutlet() async throws {
        let aggregator = """
            <rss version="2.0"><channel><title>NewsRiver</title>
            <item><title>Bridge closes</title><link>https://granite.example/bridge</link><source url="https://granite.example/">The Granite Post</source></item>
            <item><title>Port reopens</title><link>https://river.example/r?id=9</link><source url="https://www.harbor.example/feed">Harbor</source></item>
            <item><title>Dam study</title><link>https://unknown.example/dam</link></item>
            </channel></rss>
            """
        let server = try await TestHTTPServer { _ in .init(contentType: "application/rss+xml", body: aggregator) }
        let results = try await Crawler(settings: testSettings, registry: registry).crawl([FeedSource(url: server.baseURL + "/agg.xml", kind: .aggregator)])
        await server.shutdown()
        let articles = try #require(results.first?.articles)
        #expect(articles.map(\.outletID) == ["granite", "harbor", nil])
        #expect(articles.map(\.domain) == ["granite.example", "harbor.example", "unknown.example"])
    }

    @Test func readsFilesAndNamesMissingOnes() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("parallax-crawl-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("feed.xml")
        try Data(rss.utf8).write(to: file)
        let missing = directory.appendingPathComponent("missing.xml")
        let results = try await Crawler(settings: testSettings, registry: registry).crawl([
            FeedSource(url: file.absoluteString, outletID: "harbor"), FeedSource(url: missing.absoluteString, outletID: "harbor"),
        ])
        #expect(results[0].articles.count == 2)
        #expect(results[0].httpStatus == nil)
        #expect(results[1].error == .fileMissing(missing.path))
    }
}
