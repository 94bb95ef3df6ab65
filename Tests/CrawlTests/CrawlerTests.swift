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

    /// Show notes and "Read more" lists in an outlet's own feed are its own items' summaries, not
    /// other outlets' articles; the same list in a feed configured as an aggregator is coverage.
    @Test func linkListsAreRelatedCoverageOnlyInAnAggregatorsFeed() async throws {
        let list = ["https://granite.example/bridge-plan", "https://elsewhere.example/tweet/1", "https://harbor.example/ferry"]
            .map { "&lt;li&gt;&lt;a href=\"\($0)\"&gt;Read more: \($0.suffix(6))&lt;/a&gt;&lt;/li&gt;" }.joined()
        let body = """
            <rss version="2.0"><channel><title>Harbor</title><link>https://harbor.example/</link>
            <item><title>Bridge closes</title><link>https://harbor.example/bridge</link><description>&lt;ul&gt;\(list)&lt;/ul&gt;</description></item>
            <item><title>Port reopens</title><link>https://harbor.example/port</link><description>&lt;ul&gt;\(list)&lt;/ul&gt;</description></item>
            </channel></rss>
            """
        let server = try await TestHTTPServer { _ in .init(contentType: "application/rss+xml", body: body) }
        let results = try await Crawler(settings: testSettings, registry: registry).crawl([
            FeedSource(url: server.baseURL + "/own.xml", outletID: "harbor"), FeedSource(url: server.baseURL + "/agg.xml", kind: .aggregator),
        ])
        await server.shutdown()
        let own = try #require(results.first { $0.source.url.hasSuffix("/own.xml") }?.articles)
        #expect(own.map(\.canonicalURL) == ["https://harbor.example/bridge", "https://harbor.example/port"])
        #expect(own.allSatisfy { $0.outletID == "harbor" && $0.groupKey == nil })
        let aggregated = try #require(results.first { $0.source.url.hasSuffix("/agg.xml") }?.articles)
        #expect(aggregated.count == 8)
        #expect(aggregated.filter { $0.canonicalURL == "https://granite.example/bridge-plan" }.map(\.outletID) == ["granite", "granite"])
    }

    /// A Google News item and its related coverage link through news.google.com; the older links
    /// hold the publisher's URL, so each article dedups with the outlet's own and maps by domain.
    @Test func googleNewsLinksMapToThePublisherByDomain() async throws {
        func google(_ url: String) -> String {
            let bytes = Array(url.utf8)
            let payload = Data([0x08, 0x13, 0x22, UInt8(bytes.count)] + bytes + [0xD2, 0x01, 0x00]).base64EncodedString()
                .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
            return "https://news.google.com/rss/articles/\(payload)?oc=5"
        }
        let lead = google("https://harbor.example/bridge?utm_source=gn"), member = google("https://www.granite.example/bridge-view")
        let list = "&lt;ol&gt;&lt;li&gt;&lt;a href=\"\(lead)\"&gt;Bridge closes&lt;/a&gt;&amp;nbsp;&lt;font&gt;Harbor Ledger (as Google names it)&lt;/font&gt;&lt;/li&gt;"
            + "&lt;li&gt;&lt;a href=\"\(member)\"&gt;Why the bridge had to close&lt;/a&gt;&amp;nbsp;&lt;font&gt;Granite&lt;/font&gt;&lt;/li&gt;&lt;/ol&gt;"
        let aggregator = """
            <rss version="2.0"><channel><title>Top stories - Google News</title><link>https://news.google.com/</link>
            <item><title>Bridge closes - Harbor Ledger</title><link>\(lead)</link><guid isPermaLink="false">L1</guid><description>\(list)</description></item>
            </channel></rss>
            """
        let ownFeed = """
            <rss version="2.0"><channel><title>Harbor</title>
            <item><title>Bridge closes after inspection</title><link>https://harbor.example/bridge</link></item></channel></rss>
            """
        let server = try await TestHTTPServer { request in
            .init(contentType: "application/rss+xml", body: request.path == "/own.xml" ? ownFeed : aggregator)
        }
        let results = try await Crawler(settings: testSettings, registry: registry).crawl([
            FeedSource(url: server.baseURL + "/gn.xml", kind: .aggregator), FeedSource(url: server.baseURL + "/own.xml", outletID: "harbor"),
        ])
        await server.shutdown()
        let articles = try #require(results.first { $0.source.url.hasSuffix("/gn.xml") }?.articles)
        #expect(articles.map(\.canonicalURL) == ["https://harbor.example/bridge", "https://www.granite.example/bridge-view"])
        #expect(articles.map(\.outletID) == ["harbor", "granite"])
        #expect(articles.map(\.domain) == ["harbor.example", "granite.example"])
        // The link kept is the one the feed gave; only the identity is the publisher's.
        #expect(articles[0].url == lead)
        let own = try #require(results.first { $0.source.url.hasSuffix("/own.xml") }?.articles)
        #expect(own.map(\.canonicalURL) == [articles[0].canonicalURL])
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
