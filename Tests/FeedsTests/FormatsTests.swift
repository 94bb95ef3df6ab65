import Foundation
import Testing
@testable import Feeds

@Suite("JSON Feed")
struct JSONFeedTests {
    @Test func version11WithEveryModelledField() throws {
        let feed = try parseFixture("jsonfeed11.json", url: "https://harbor.example/feed.json")
        #expect(feed.format == .jsonFeed11)
        #expect(feed.title == "Harbor Times")
        #expect(feed.link == "https://harbor.example/")
        #expect(feed.language == "en-GB")
        #expect(feed.items.count == 3)
        var first = item(
            title: "Ferry & tug collide near pier", link: "https://harbor.example/2026/11/18/ferry", guid: "2026-11-18-ferry",
            summary: "A minor collision.", author: "Ann Reporter", published: utc(2026, 11, 18, 7, 30), updated: utc(2026, 11, 18, 9),
            language: "en-GB", categories: ["harbor", "transport"],
            enclosures: [Enclosure(url: "https://harbor.example/audio/ferry.mp3", type: "audio/mpeg", length: 12345)])
        first.authors = ["Ann Reporter", "Bo Photographer"]
        first.imageURL = "https://harbor.example/img/ferry.jpg"
        #expect(feed.items[0] == first)
        // A title-less micropost: the feed's authors, its text as headline, a numeric id.
        #expect(feed.items[1].guid == "17")
        #expect(feed.items[1].link == "https://elsewhere.example/post")
        #expect(feed.items[1].title == "A micropost without a title.")
        #expect(feed.items[1].author == "Harbor Desk")
        // Fields of the wrong type are ignored, the item is kept.
        #expect(feed.items[2].guid == "3" && feed.items[2].title.isEmpty && feed.items[2].link == nil)
    }

    @Test func version10AuthorAndBOM() throws {
        let json = #"{"version":"https://jsonfeed.org/version/1","title":"T","author":{"name":"Solo"},"items":[{"id":"a","url":"https://t.example/a","title":"A"}]}"#
        let feed = try FeedParser.parse(Data([0xEF, 0xBB, 0xBF] + Array(json.utf8)))
        #expect(feed.format == .jsonFeed10)
        #expect(feed.items.map(\.author) == ["Solo"])
    }

    @Test func badJSONAndOtherJSONAreClearErrors() {
        #expect {
            try FeedParser.parse(Data(#"{"version": "https://jsonfeed.org/version/1.1", "items": ["#.utf8))
        } throws: { error in
            // Named once as what it is: never "not readable as XML: not valid JSON".
            guard case FeedParseError.invalidJSON = error else { return false }
            let text = "\(error)"
            return text.hasPrefix("not valid JSON: ") && !text.contains("XML")
        }
        #expect(throws: FeedParseError.notAJSONFeed("a JSON object with neither a jsonfeed.org 'version' nor items with a 'url' or 'title'")) {
            try FeedParser.parse(Data(#"{"name": "package.json"}"#.utf8))
        }
    }
}

@Suite("OPML")
struct OPMLTests {
    @Test func readsFoldersAnySpellingAndSkipsDuplicates() throws {
        let document = try OPML.parse(fixture("subscriptions.opml"))
        #expect(document.title == "My feeds")
        #expect(document.problems.isEmpty)
        #expect(document.feeds == [
            OPMLFeed(url: "https://harbor.example/feed.xml", title: "Harbor Times", siteURL: "https://harbor.example/", folders: ["World"]),
            OPMLFeed(url: "http://cafe.example/rss", title: "Café Daily", folders: ["World"]),
            OPMLFeed(url: "https://deep.example/atom.xml", title: "Deep", folders: ["World", "Nested"]),
            OPMLFeed(url: "https://loose.example/feed", title: "Loose & free"),
        ])
    }

    @Test func exportReadsBackTheSameFeeds() throws {
        let feeds = [
            OPMLFeed(url: "https://a.example/feed?x=1&y=2", title: "A \"quoted\" <feed>", siteURL: "https://a.example/", folders: ["News"]),
            OPMLFeed(url: "https://b.example/rss", title: nil),
            OPMLFeed(url: "https://c.example/rss", title: "C\u{1}", folders: ["News"]),
        ]
        let text = OPML.export(title: "Parallax & co", feeds: feeds)
        let back = try OPML.parse(Data(text.utf8))
        #expect(back.problems.isEmpty)
        #expect(back.title == "Parallax & co")
        #expect(back.feeds == [
            feeds[0], feeds[2].with(title: "C"), OPMLFeed(url: "https://b.example/rss", title: "https://b.example/rss"),
        ])
    }

    @Test func notOPMLIsRefused() {
        #expect(throws: FeedParseError.notAFeed(rootElement: "rss")) { try OPML.parse(Data("<rss/>".utf8)) }
        #expect(throws: FeedParseError.empty) { try OPML.parse(Data("  ".utf8)) }
    }
}

extension OPMLFeed {
    fileprivate func with(title: String) -> OPMLFeed {
        var copy = self
        copy.title = title
        return copy
    }
}

@Suite("Namespaces: Media RSS, atom:link, categories, authors, enclosures")
struct NamespaceTests {
    @Test func mediaRSSItem() throws {
        let feed = try parseFixture("media-rss.xml", url: "https://pics.example/feed.xml")
        #expect(feed.link == "https://pics.example/")
        let only = try #require(feed.items.first)
        #expect(only.link == "https://pics.example/flood")
        #expect(only.categories == ["Weather", "Floods", "Valley"])
        #expect(only.authors == ["Ann Reporter", "Bo Photographer"])
        #expect(only.author == "Ann Reporter")
        #expect(only.enclosures == [
            Enclosure(url: "https://pics.example/media/flood.mp4", type: "video/mp4", length: 9000),
            Enclosure(url: "https://pics.example/media/flood.jpg", type: "image", length: 300),
        ])
        #expect(only.imageURL == "https://pics.example/media/flood-small.jpg")
    }
}

@Suite("Google News related coverage")
struct RelatedCoverageTests {
    static let url = "https://aggregator.example/rss?hl=en"

    @Test func itemBecomesAGroupOfMembersEachWithItsOutlet() throws {
        let feed = try FeedSource(url: Self.url, kind: .aggregator).parse(fixture("google-news.xml"))
        let key = "\(Self.url)#AAA1"
        #expect(feed.items.map(\.title) == [
            "Council approves harbor bridge budget - Harbor Times", "Bridge money: what the vote means & who pays",
            "Opinion: the bridge we cannot afford", "Storm closes schools - Coast Radio",
        ])
        #expect(feed.items.map(\.group) == [key, key, key, nil])
        #expect(feed.items[0].sourceName == "Harbor Times")
        #expect(feed.items[0].sourceURL == "https://harbor.example")
        #expect(feed.items[1] == item(
            title: "Bridge money: what the vote means & who pays", link: "https://aggregator.example/rss/articles/BBB2?oc=5",
            sourceName: "Daily Ledger", group: key))
        #expect(feed.items[2].sourceName == "The Right Review")
        // A single-article item (no list) stays one item, without a group.
        #expect(feed.items[3].summary == "Storm closes schools Coast Radio")
    }

    @Test func aSummaryThatMerelyContainsAListIsNotExpanded() throws {
        let rss = """
            <rss version="2.0"><channel><title>t</title><item><title>Ten links</title><link>https://b.example/1</link>
            <description>&lt;p&gt;Read:&lt;/p&gt;&lt;ul&gt;&lt;li&gt;&lt;a href="https://x.example/"&gt;x&lt;/a&gt;&lt;/li&gt;&lt;/ul&gt;</description></item></channel></rss>
            """
        let feed = try FeedParser.parse(Data(rss.utf8))
        #expect(feed.items.count == 1 && feed.items[0].group == nil)
    }

    @Test func theRealGoogleNewsFileWhenPresent() throws {
        let directory = URL(fileURLWithPath: "/work/shared/data/google-news-rss")
        guard let files = try? FileManager.default.contentsOfDirectory(at: directory, includingPropertiesForKeys: nil), !files.isEmpty else {
            print("skipped: /work/shared/data/google-news-rss is absent")
            return
        }
        for file in files where file.pathExtension == "xml" {
            let feed = try FeedSource(url: "https://news.google.com/rss", kind: .aggregator).parse(Data(contentsOf: file))
            let groups = Dictionary(grouping: feed.items.filter { $0.group != nil }, by: { $0.group! })
            #expect(groups.count >= 10, "\(file.lastPathComponent): \(groups.count) groups")
            #expect(groups.values.allSatisfy { members in members.dropFirst().allSatisfy { $0.sourceName != nil } })
        }
    }
}

@Suite("HTMLExtractor with the shipped rules")
struct HTMLExtractorTests {
    static func shippedRules(_ name: String) -> ExtractionRules {
        // The same expressions as feeds/rules/aggregator-pages.yaml; the config test reads the file itself.
        switch name {
        case "cluster-page":
            return ExtractionRules(
                item: "//div[@class='clus']/div[contains(concat(' ', normalize-space(@class), ' '), ' item ')]",
                title: ".//a[@class='ourh']", link: ".//a[@class='ourh']/@href",
                outlet: "substring-before(concat(normalize-space(cite), ':'), ':')", outletLink: "cite/a/@href",
                time: ".//span[@class='time']/@title", summary: "div[@class='ii']", group: "ancestor::div[@class='clus'][1]/@id")
        default:
            return ExtractionRules(
                item: "//tr[@class='story']", title: ".//a[@class='hl']", link: ".//a[@class='hl']/@href",
                outlet: ".//span[@class='src']", time: "td[@class='when']", summary: ".//p[@class='blurb']", group: "@data-cluster")
        }
    }

    @Test func clusterPage() throws {
        let page = "https://clusterboard.example/"
        let feed = try HTMLExtractor.extract(html: fixture("cluster-page.html"), pageURL: page, rules: Self.shippedRules("cluster-page"))
        #expect(feed.format == .html)
        #expect(feed.title == "Clusterboard — the political news, clustered")
        #expect(feed.language == "en")
        #expect(feed.items.count == 3)
        #expect(feed.problems == ["1 of 4 items had no title or no usable link"])
        var lead = item(
            title: "Council approves harbor bridge budget", link: "https://harbor.example/2026/11/17/bridge-budget",
            guid: "https://harbor.example/2026/11/17/bridge-budget", summary: "The council voted 7–2 on Tuesday evening…",
            published: utc(2026, 11, 17, 19, 5), language: "en", sourceName: "Harbor Times", sourceURL: "https://harbor.example/",
            group: "\(page)#c101")
        lead.authors = []
        #expect(feed.items[0] == lead)
        #expect(feed.items[1].link == "https://clusterboard.example/r?u=https%3A%2F%2Fledger.example%2Fbridge")
        #expect(feed.items[1].sourceName == "Daily Ledger" && feed.items[1].sourceURL == nil)
        #expect(feed.items[1].group == "\(page)#c101")
        #expect(feed.items[2].group == "\(page)#c102")
    }

    @Test func headlineRiverInWindows1252() throws {
        let page = "https://techriver.example/river"
        let feed = try HTMLExtractor.extract(html: fixture("headline-river.html"), pageURL: page, rules: Self.shippedRules("headline-river"))
        #expect(feed.items.map(\.title) == ["Chipmaker agrees to merger", "Regulators to review chip deal", "App store fees cut – finally"])
        #expect(feed.items.map(\.sourceName) == ["Chips Weekly", "Wire Service", "Apps Today"])
        #expect(feed.items.map(\.group) == ["\(page)#s-9", "\(page)#s-9", "\(page)#s-10"])
        #expect(feed.items[0].published == utc(2026, 11, 17, 21, 40))
        #expect(feed.items[2].published == nil)
        #expect(feed.items[2].link == "https://apps.example/store")
        #expect(feed.items[0].summary == "The deal values the company at €4bn.")
    }

    @Test func invalidRuleIsNamed() {
        let rules = ExtractionRules(item: "//tr[", title: ".", link: "@href")
        #expect(throws: FeedParseError.invalidRule("//tr[")) { try rules.validate() }
        #expect(throws: FeedParseError.invalidRule("//tr[")) { try HTMLExtractor.extract(html: Data("<p>x</p>".utf8), pageURL: "https://a.example/", rules: rules) }
    }

    @Test func sourceDispatchesOnKind() throws {
        let rules = Self.shippedRules("headline-river")
        let source = FeedSource(url: "https://techriver.example/", kind: .htmlRules, rules: rules)
        #expect(try source.parse(fixture("headline-river.html")).items.count == 3)
        #expect(try FeedSource(url: "https://a.example/feed", kind: .aggregator).parse(fixture("google-news.xml")).items.count == 4)
    }
}

@Suite("ArticleMetadata")
struct ArticleMetadataTests {
    @Test func openGraphFirstThenJSONLDThenHTML() throws {
        let metadata = ArticleMetadata.read(html: try fixture("article-page.html"), pageURL: "https://harbor.example/x?utm_source=a")
        var expected = ArticleMetadata()
        expected.title = "Council approves harbor bridge budget"
        expected.siteName = "Harbor Times"
        expected.canonicalURL = "https://harbor.example/2026/11/17/bridge-budget"
        expected.language = "en-GB"
        expected.published = utc(2026, 11, 17, 19, 5)
        expected.modified = utc(2026, 11, 17, 21, 30)
        expected.authors = ["Ann Reporter"]
        expected.summary = "The council voted 7–2."
        expected.imageURL = "https://harbor.example/img/bridge.jpg"
        expected.type = "article"
        expected.section = "Local"
        #expect(metadata == expected)
    }

    @Test func jsonLDAloneInAnArray() throws {
        let metadata = ArticleMetadata.read(html: try fixture("article-jsonld-only.html"), pageURL: "https://coastradio.example/p")
        #expect(metadata.title == "Storm & schools")
        #expect(metadata.siteName == "Coast Radio")
        #expect(metadata.canonicalURL == "https://coastradio.example/storm")
        #expect(metadata.language == "fr")
        #expect(metadata.published == utc(2026, 11, 17, 18))
        #expect(metadata.authors == ["Coast Desk"])
        #expect(metadata.imageURL == "https://coastradio.example/s.jpg")
        #expect(metadata.type == "ReportageNewsArticle")
        #expect(metadata.section == "Weather")
        #expect(metadata.summary == "Schools shut.")
    }

    @Test func aBarePageGivesItsTitleOnly() {
        let metadata = ArticleMetadata.read(html: Data("<title> Just  a page </title><p>x".utf8), pageURL: "https://a.example/")
        #expect(metadata.title == "Just a page")
        #expect(metadata.canonicalURL == nil && metadata.published == nil && metadata.authors.isEmpty)
        #expect(ArticleMetadata.read(html: Data(), pageURL: "https://a.example/") == ArticleMetadata())
    }
}

@Suite("Variants seen in the wild")
struct VariantTests {
    @Test func earlyAtomInAnotherNamespaceIsAtom03() throws {
        let feed = try FeedParser.parse(Data(#"<feed version="0.3" xmlns="http://example.com/newformat#"><title>Early</title><entry><title>E</title></entry></feed>"#.utf8))
        #expect(feed.format == .atom03)
        #expect(feed.title == "Early")
        #expect(feed.items.map(\.title) == ["E"])
    }

    @Test func misspelledNamespacesAndNamespacedRSS() throws {
        let feed = try FeedParser.parse(Data("""
            <rss version="2.0" xmlns="http://backend.userland.com/rss2" xmlns:media="http://search.yahoo.com/mrss"
                 xmlns:itunes="http://www.itunes.com/DTDs/Podcast-1.0.dtd" xmlns:dc="http://purl.org/dc/elements/1.1/">
            <channel><title>NS</title><item><media:title>fallback</media:title><title>Own title</title>
            <media:category>cat1</media:category><itunes:category text="Technology"/><dc:author>Ann (ann@x.example)</dc:author>
            <itunes:summary>Podcast summary</itunes:summary></item></channel></rss>
            """.utf8))
        #expect(feed.format == .rss20)
        let only = try #require(feed.items.first)
        #expect(only.title == "Own title")
        #expect(only.categories == ["cat1", "Technology"])
        // dc:author takes RSS <author>'s "address (name)" form too.
        #expect(only.author == "Ann")
        #expect(only.summary == "Podcast summary")
    }

    @Test func atomBase64ContentAndRSSAuthorNames() throws {
        let atom = try FeedParser.parse(Data(#"<feed xmlns="http://www.w3.org/2005/Atom"><entry><title type="application/octet-stream">RXhhbXBsZSA8Yj5BdG9tPC9iPg==</title></entry></feed>"#.utf8))
        #expect(atom.items.first?.title == "Example Atom")
        #expect(AuthorName.name("City Desk (desk@news.example)") == "City Desk")
        #expect(AuthorName.name("desk@news.example (City Desk)") == "City Desk")
        #expect(AuthorName.name("desk@news.example") == "desk@news.example")
        #expect(AuthorName.name("Jane (Editor)") == "Jane (Editor)")
    }
}

@Suite("Full content beside the summary, and which element a field comes from")
struct ContentAndPrecedenceTests {
    @Test func everyFullContentElementIsKeptApartFromTheSummary() throws {
        let feed = try FeedParser.parse(Data("""
            <rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">
            <channel><title>C</title>
            <item><title>a</title><description>Short</description><content:encoded><![CDATA[<p>Long <b>body</b></p>]]></content:encoded></item>
            <item><title>b</title><fullitem>&lt;p&gt;Full item&lt;/p&gt;</fullitem></item>
            <item><title>c</title><body xmlns="http://www.w3.org/1999/xhtml"><p>Kept &amp;lt;tags&amp;gt; as text</p><p>two</p></body></item>
            <item><title>d</title><description>Only a summary</description></item>
            <item><title>e</title><content:encoded>first</content:encoded><content:encoded>second</content:encoded></item>
            </channel></rss>
            """.utf8))
        #expect(feed.items.map(\.summary) == ["Short", "Full item", "Kept &lt;tags&gt; as text two", "Only a summary", "first"])
        #expect(feed.items.map(\.content) == ["Long body", "Full item", "Kept &lt;tags&gt; as text two", "", "first"])
    }

    @Test func fieldsOfNestedExtensionElementsDoNotReplaceTheEntrysOwn() throws {
        let feed = try FeedParser.parse(Data("""
            <feed xmlns="http://www.w3.org/2005/Atom"><title>P</title>
            <entry><id>right</id><title>Right</title><image><id>wrong</id><title>Wrong</title></image>
              <author><name>Ann</name></author></entry>
            <entry><image><id>wrong</id><title>Wrong</title></image><id>right</id><title>Right</title></entry>
            </feed>
            """.utf8))
        #expect(feed.items.map(\.guid) == ["right", "right"])
        #expect(feed.items.map(\.title) == ["Right", "Right"])
        #expect(feed.items.map(\.author) == ["Ann", nil])
    }

    @Test func anAtomSourceGivesItsTitleAsTheOutletNotAllItsText() throws {
        let feed = try FeedParser.parse(Data("""
            <feed xmlns="http://www.w3.org/2005/Atom"><title>S</title>
            <entry><title>Own</title><source><id>urn:x</id><title type="html">The &lt;b&gt;Courier&lt;/b&gt;</title>
              <updated>2026-11-18T00:00:00Z</updated></source></entry>
            <entry><source><title type="application/octet-stream">RXhhbXBsZSA8Yj5BdG9tPC9iPg==</title></source></entry>
            </feed>
            """.utf8))
        #expect(feed.items.map(\.sourceName) == ["The Courier", "Example Atom"])
        #expect(feed.items.map(\.title) == ["Own", ""])
        #expect(feed.items[0].updated == nil)
    }

    @Test func anAtomLinkWithItsURLAsTextIsReadOnlyWhenItIsTheAlternate() throws {
        let feed = try FeedParser.parse(Data("""
            <feed xmlns="http://www.w3.org/2005/Atom"><title>L</title>
            <entry><link rel="enclosure">https://x.example/audio.mp3</link><link>https://x.example/story</link></entry>
            <entry><link rel="alternate" href="https://x.example/href">https://x.example/text</link></entry>
            <entry><link rel="related">https://x.example/related</link></entry>
            </feed>
            """.utf8))
        #expect(feed.items.map(\.link) == ["https://x.example/story", "https://x.example/href", nil])
    }
}

@Suite("GB2312 read as its superset")
struct GB18030Tests {
    @Test func aGB2312FeedKeepsACharacterOnlyGBKHas() throws {
        // "朱镕基" in GBK: the middle character is not in GB2312, as in many real "gb2312" feeds.
        var bytes = Array(#"<?xml version="1.0" encoding="gb2312"?><rss version="2.0"><channel><title>"#.utf8)
        bytes += [214, 236, 233, 70, 187, 249]
        bytes += Array("</title></channel></rss>".utf8)
        let declared = try FeedParser.parse(Data(bytes))
        #expect(declared.title == "朱镕基")
        #expect(declared.encoding == "GB18030")
        #expect(!declared.isBozo)
        let fromHTTP = try FeedParser.parse(Data(bytes), encoding: "GBK")
        #expect(fromHTTP.title == "朱镕基")
        let undeclared = Array(bytes.drop { $0 != UInt8(ascii: ">") }.dropFirst())
        let onlyHTTP = try FeedParser.parse(Data(undeclared), encoding: "gb2312")
        #expect(onlyHTTP.title == "朱镕基")
        #expect(onlyHTTP.encoding == "GB18030")
    }
}
