import Foundation
import TestHTTPServer
import Testing

@Suite("parallax parse and feeds import/export")
struct ParseCommandTests {
    let feed = """
        <rss version="2.0"><channel><title>Good</title><link>https://good.example/</link>
        <item><title>Tunnel &amp; bridge</title><link>https://Good.example/t?utm_source=x&amp;id=3#top</link>
        <pubDate>Thu, 19 Nov 2026 08:00:00 GMT</pubDate><description>Opens.</description></item>
        </channel></rss>
        """

    @Test func jsonIsStableAndNamesEveryField() throws {
        let scratch = try TemporaryDirectory()
        try Data(feed.utf8).write(to: URL(fileURLWithPath: scratch.path("good.xml")))
        let outcome = try CommandRunner.run(["parse", scratch.path("good.xml"), "--format", "json"])
        #expect(outcome.status == 0, "\(outcome.stderr)")
        let documents = try #require(try JSONSerialization.jsonObject(with: Data(outcome.stdout.utf8)) as? [[String: Any]])
        let document = try #require(documents.first)
        #expect(document["kind"] as? String == "feed")
        #expect(document["format"] as? String == "rss2.0")
        #expect(document["encoding"] as? String == "UTF-8")
        #expect(document["bozo"] as? Bool == false)
        let item = try #require((document["items"] as? [[String: Any]])?.first)
        #expect(item["title"] as? String == "Tunnel & bridge")
        #expect(item["canonicalURL"] as? String == "https://good.example/t?id=3")
        #expect(item["published"] as? String == "2026-11-19T08:00:00Z")
        #expect(item["summary"] as? String == "Opens.")
    }

    @Test func brokenAndMissingInputsAreNamedAndFailTheCommand() throws {
        let scratch = try TemporaryDirectory()
        try Data("<rss version='2.0'><channel><title>Cut".utf8).write(to: URL(fileURLWithPath: scratch.path("cut.xml")))
        let outcome = try CommandRunner.run(["parse", scratch.path("cut.xml"), scratch.path("missing.xml")])
        #expect(outcome.status == 2)
        #expect(outcome.stdout.contains("bozo: true  first error: line 1"))
        #expect(outcome.stderr == "parallax: \(scratch.path("missing.xml")): no such file\n")
    }

    static let fixtures = CommandRunner.packageRoot.appendingPathComponent("Tests/FeedsTests/Fixtures")

    /// A podcast's show notes are lists of links: one item per episode, and the output says the
    /// lists were not expanded and how to have them read as an aggregator's.
    @Test func linkListsAreExpandedOnlyForAggregatorsAndTheOutputSaysSo() throws {
        let podcast = Self.fixtures.appendingPathComponent("podcast-show-notes.xml").path
        let plain = try CommandRunner.run(["parse", podcast])
        #expect(plain.status == 0, "\(plain.stderr)")
        #expect(plain.stdout.contains("link lists: 12 items' descriptions are lists of links, not expanded: not a known aggregator's feed"))
        #expect(plain.stdout.contains("\n12. Episode 12: Building things slowly\n"))
        #expect(!plain.stdout.contains("\n13. "))
        let forced = try CommandRunner.run(["parse", podcast, "--aggregator"])
        #expect(forced.stdout.contains("link lists: 12 items' descriptions are lists of links, expanded as related coverage: read as an aggregator's feed (--aggregator)"))
        #expect(forced.stdout.contains("\n72. "))
    }

    /// A Google News file read from disk is known by its own site link; its older links show the
    /// publisher's URL as canonical, the newer opaque one says why it has none.
    @Test func googleNewsIsKnownByItsLinkAndItsLinksAreDecoded() throws {
        let file = Self.fixtures.appendingPathComponent("google-news-links.xml").path
        let outcome = try CommandRunner.run(["parse", file, "--format", "json"])
        #expect(outcome.status == 0, "\(outcome.stderr)")
        let document = try #require((try JSONSerialization.jsonObject(with: Data(outcome.stdout.utf8)) as? [[String: Any]])?.first)
        let lists = try #require(document["linkLists"] as? [String: Any])
        #expect(lists["expanded"] as? Bool == true && lists["items"] as? Int == 1)
        #expect(lists["reason"] as? String == "news.google.com is an aggregator")
        let items = try #require(document["items"] as? [[String: Any]])
        #expect(items.map { $0["canonicalURL"] as? String } == [
            "https://harbortimes.example/2026/11/bridge-budget", "https://ledger.example/news/bridge-money",
            "https://news.google.com/rss/articles/CBMiLkFVX3lxTFBmaWN0aW9uYWxPcGFxdWVQYXlsb2FkMDEyMzQ1Njc4OWFiY2RlZmfSAQA?oc=5",
        ])
        #expect(items[0]["canonicalNote"] as? String == "the publisher's URL, decoded from the Google News link")
        #expect((items[2]["canonicalNote"] as? String)?.hasPrefix("an opaque Google News link") == true)
        let text = try CommandRunner.run(["parse", file])
        #expect(text.stdout.contains("(an opaque Google News link (the newer form holds no publisher URL): the outlet comes from <source url>)"))
    }

    @Test func statsPrintsTotalsOnly() throws {
        let scratch = try TemporaryDirectory()
        for name in ["a.xml", "b.xml"] { try Data(feed.utf8).write(to: URL(fileURLWithPath: scratch.path(name))) }
        let outcome = try CommandRunner.run(["parse", "--stats", scratch.path("a.xml"), scratch.path("b.xml")])
        #expect(outcome.status == 0)
        #expect(outcome.stdout.hasPrefix("2 files, \(2 * feed.utf8.count) bytes, 2 items, 0 errors, 0 bozo, "))
        #expect(outcome.stdout.hasSuffix(" MB/s\n"))
    }

    @Test func opmlImportThenExportRoundTrips() throws {
        let scratch = try TemporaryDirectory()
        let config = scratch.path("config.yaml")
        try Data("""
            include: [more.yaml]
            outlets:
              - id: good
                name: Good News
                domains: [good.example]
                bias: center
            feeds:
              - url: https://good.example/already.xml
                outlet: good
            """.utf8).write(to: URL(fileURLWithPath: config))
        try Data("outlets: []\n".utf8).write(to: URL(fileURLWithPath: scratch.path("more.yaml")))
        try Data("""
            <opml version="2.0"><head><title>Mine</title></head><body>
            <outline text="Good" xmlUrl="https://www.good.example/rss"/>
            <outline text="Other: &quot;quoted&quot;" xmlUrl="https://other.example/feed"/>
            <outline text="Known" xmlUrl="https://good.example/already.xml"/>
            </body></opml>
            """.utf8).write(to: URL(fileURLWithPath: scratch.path("list.opml")))

        let printed = try CommandRunner.run(["feeds", "import", scratch.path("list.opml"), "--config", config])
        #expect(printed.status == 0)
        #expect(printed.stdout.contains("  - url: \"https://www.good.example/rss\"\n    outlet: good\n"))
        #expect(printed.stdout.contains("    kind: aggregator"))
        #expect(printed.stderr.contains("2 new feeds, 1 already listed"))

        let refused = try CommandRunner.run(["feeds", "import", scratch.path("list.opml"), "--config", config, "--append", config])
        #expect(refused.status == 2 && refused.stderr.contains("already has a top-level 'feeds:'"))
        let appended = try CommandRunner.run(["feeds", "import", scratch.path("list.opml"), "--config", config, "--append", scratch.path("more.yaml")])
        #expect(appended.status == 0, "\(appended.stderr)")
        let again = try CommandRunner.run(["feeds", "import", scratch.path("list.opml"), "--config", config, "--append", scratch.path("more.yaml")])
        #expect(again.stdout.contains("nothing to add (3 feeds already listed)"))

        let exported = try CommandRunner.run(["feeds", "export", "--config", config])
        #expect(exported.status == 0, "\(exported.stderr)")
        for url in ["https://good.example/already.xml", "https://www.good.example/rss", "https://other.example/feed"] {
            #expect(exported.stdout.contains("xmlUrl=\"\(url)\""))
        }
        #expect(exported.stdout.contains("title=\"Other: &quot;quoted&quot;\""))
    }

    @Test func urlsAreFetchedWithTheServersCharset() async throws {
        let latin1 = Data("<rss version=\"2.0\"><channel><title>Caf".utf8) + Data([0xE9]) + Data("</title></channel></rss>".utf8)
        let server = try await TestHTTPServer { request in
            request.path == "/feed"
                ? .init(status: 200, headers: [("Content-Type", "application/rss+xml; charset=ISO-8859-1")], body: latin1)
                : .init(status: 404, contentType: "text/plain", body: "no")
        }
        let outcome = try CommandRunner.run(["parse", "\(server.baseURL)/feed", "\(server.baseURL)/gone", "--format", "json"])
        await server.shutdown()
        #expect(outcome.status == 2)
        #expect(outcome.stdout.contains("\"title\" : \"Café\""))
        #expect(outcome.stderr == "parallax: \(server.baseURL)/gone: HTTP status 404\n")
    }

    @Test func urlsAreReadWithTheirContentLocationLanguageAndType() async throws {
        let atom = #"<feed xmlns="http://www.w3.org/2005/Atom"><link href="home"/></feed>"#
        let server = try await TestHTTPServer { _ in
            .init(
                status: 200,
                headers: [("Content-Type", "text/html"), ("Content-Location", "/site/feed.atom"), ("Content-Language", "nl")],
                body: Data(atom.utf8))
        }
        let outcome = try CommandRunner.run(["parse", "\(server.baseURL)/feed", "--format", "json"])
        await server.shutdown()
        #expect(outcome.status == 0)
        #expect(outcome.stdout.contains("\"link\" : \"\(server.baseURL)/site/home\""))
        #expect(outcome.stdout.contains("\"language\" : \"nl\""))
        #expect(outcome.stdout.contains("served as text/html, which is not an XML media type"))
    }

    @Test func anUndeclaredLegacyFeedShowsItsGuessedEncoding() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("parallax-guess-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        // "Новости дня" in KOI8-R, with no declaration.
        let title: [UInt8] = [0xEE, 0xCF, 0xD7, 0xCF, 0xD3, 0xD4, 0xC9, 0x20, 0xC4, 0xCE, 0xD1]
        let file = directory.appendingPathComponent("koi8.xml")
        try (Data("<rss version=\"2.0\"><channel><title>".utf8) + Data(title) + Data("</title></channel></rss>".utf8)).write(to: file)
        let outcome = try CommandRunner.run(["parse", file.path, "--format", "json"])
        #expect(outcome.status == 0)
        #expect(outcome.stdout.contains("\"encoding\" : \"KOI8-R\""))
        #expect(outcome.stdout.contains("\"title\" : \"Новости дня\""))
        #expect(outcome.stdout.contains("guessed from the text"))
    }
}
