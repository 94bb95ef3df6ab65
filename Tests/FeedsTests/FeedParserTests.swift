import Foundation
import Testing
@testable import Feeds

@Suite("FeedParser: RSS 2.0")
struct RSS20Tests {
    static let feedURL = "https://news.example.com/feeds/rss.xml"

    @Test func channelFields() throws {
        let feed = try parseFixture("rss20.xml", url: Self.feedURL)
        #expect(feed.format == .rss20)
        #expect(feed.title == "Harbor & Bay News")
        #expect(feed.link == "https://news.example.com/")
        #expect(feed.language == "en-us")
        #expect(feed.timeToLiveMinutes == 30)
        #expect(feed.encoding?.uppercased() == "UTF-8")
        #expect(feed.problems == [])
        #expect(!feed.isBozo)
        #expect(feed.items.count == 3)
    }

    @Test func itemWithCDATATitleEscapedDescriptionCreatorAndFeedRelativeLink() throws {
        let feed = try parseFixture("rss20.xml", url: Self.feedURL)
        let first = try #require(feed.items.first)
        #expect(
            first
                == item(
                    title: "Bridge reopens after repairs",
                    // Resolved against the feed's URL; tracking parameters are CanonicalURL's business.
                    link: "https://news.example.com/2026/11/18/bridge-reopens?utm_source=rss",
                    guid: "bridge-2026-11-18",
                    // The description wins over content:encoded, and its escaped HTML becomes text.
                    summary: "The Harbor Bridge reopened & traffic flows again.",
                    // The full content is kept apart from the summary.
                    content: "Full text that must not replace the description.",
                    author: "Jane Doe",
                    published: utc(2026, 11, 18, 9, 30)))
    }

    @Test func itemWithXMLBaseHTMLEntitiesAndContentEncodedOnly() throws {
        let feed = try parseFixture("rss20.xml", url: Self.feedURL)
        try #require(feed.items.count > 1)
        #expect(
            feed.items[1]
                == item(
                    title: "Café owners protest rent rise",
                    link: "https://mirror.example.org/world/story-2.html",
                    // No description: content:encoded, without the script, stands in.
                    summary: "Owners of the cafés marched. More > less.",
                    content: "Owners of the cafés marched. More > less.",
                    author: "City Desk",  // the name from "desk@news.example.com (City Desk)"
                    published: utc(2026, 11, 18, 15, 5)))
    }

    @Test func aggregatorItemWithSource() throws {
        let feed = try parseFixture("rss20.xml", url: Self.feedURL)
        try #require(feed.items.count > 2)
        #expect(
            feed.items[2]
                == item(
                    title: "Ferry strike ends - The Coast Courier",
                    link: "https://news.google.example/rss/articles/CBMiXmh0dHBz?oc=5",
                    guid: "CBMiXmh0dHBz",
                    summary: "Ferry strike ends The Coast Courier",
                    published: utc(2026, 11, 17, 21, 15),
                    sourceName: "The Coast Courier",
                    sourceURL: "https://www.coastcourier.example"))
    }

    @Test func relativeLinkOfAFileFeedResolvesAgainstTheSiteLink() throws {
        // A file path is no web address: the channel's own <link> stands in for the feed URL.
        for url in [nil, "file:///srv/feeds/rss20.xml"] {
            let feed = try parseFixture("rss20.xml", url: url)
            #expect(feed.items.first?.link == "https://news.example.com/2026/11/18/bridge-reopens?utm_source=rss")
            // xml:base still wins where it is set.
            #expect(feed.items.dropFirst().first?.link == "https://mirror.example.org/world/story-2.html")
        }
    }

    @Test func siteRelativeLinksResolveAsFoundationResolvesThem() throws {
        // The origin-plus-path shortcut must give what URL resolution gives, and leave the
        // references it cannot take (dot segments, "//", escapes, spaces) to Foundation.
        let feedURL = "https://user@news.example:8443/feeds/a.xml?x=1#top"
        let references = [
            "/posts/7", "/", "/a/b?c=1&d=e", "/a/./b", "/a/../b", "/a/.", "/..", "//cdn.example/x", "/caf%C3%A9",
            "/a b", "/a#frag", "/a:b,c+d~e_f-g", "/.hidden", "relative/x", "?q", "",
        ]
        let entries = references.map { #"<entry><title>t</title><link href="\#($0.replacingOccurrences(of: "&", with: "&amp;"))"/></entry>"# }.joined()
        let xml = #"<feed xmlns="http://www.w3.org/2005/Atom"><title>f</title>\#(entries)</feed>"#
        let feed = try FeedParser.parse(Data(xml.utf8), url: feedURL)
        let base = try #require(URL(string: feedURL))
        let expected = references.filter { !$0.isEmpty }.map { URL(string: $0, relativeTo: base)?.absoluteString ?? $0 }
        #expect(feed.items.compactMap(\.link) == expected)
        #expect(feed.items.first?.link == "https://user@news.example:8443/posts/7")
    }

    @Test func relativeLinkWithNothingToResolveAgainstStaysAsWritten() throws {
        let xml = #"<rss version="2.0"><channel><item><link> /a/b?c=1 </link></item></channel></rss>"#
        let feed = try FeedParser.parse(Data(xml.utf8))
        #expect(feed.items.map(\.link) == ["/a/b?c=1"])
    }

    @Test func declaredLatin1IsDecoded() throws {
        let feed = try parseFixture("latin1.xml")
        #expect(feed.title == "Le Journal de Montréal")
        #expect(feed.items.map(\.title) == ["Élection à Québec"])
        #expect(feed.encoding?.uppercased() == "ISO-8859-1")
        #expect(feed.problems.isEmpty)
    }

    @Test func encodingOverrideFromHTTPHeaders() throws {
        // A Latin-1 body with no declaration, labelled by the server.
        let bytes: [UInt8] = Array("<rss version=\"2.0\"><channel><item><title>Gr".utf8) + [0xFC, 0xDF, 0x65]
            + Array("</title></item></channel></rss>".utf8)
        let feed = try FeedParser.parse(Data(bytes), encoding: "ISO-8859-1")
        #expect(feed.items.map(\.title) == ["Grüße"])
    }

    @Test func rss09xIsRecognised() throws {
        let feed = try FeedParser.parse(Data(#"<rss version="0.91"><channel><title>Old</title><item><title>x</title></item></channel></rss>"#.utf8))
        #expect(feed.format == .rss09x)
        #expect(feed.items.map(\.title) == ["x"])
    }
}

@Suite("FeedParser: Atom")
struct AtomTests {
    static let feedURL = "https://blog.example.net/feed.atom"

    @Test func feedFields() throws {
        let feed = try parseFixture("atom10.xml", url: Self.feedURL)
        #expect(feed.format == .atom10)
        #expect(feed.title == "Example Atom Desk")
        // rel="self" is skipped; the alternate link resolves against xml:base.
        #expect(feed.link == "https://blog.example.net/")
        #expect(feed.language == "en")
        #expect(feed.problems == [])
        #expect(feed.items.count == 3)
    }

    @Test func entryWithHTMLTitleAlternateLinkAmongOthersAndXHTMLContent() throws {
        let feed = try parseFixture("atom10.xml", url: Self.feedURL)
        #expect(
            feed.items.first
                == item(
                    title: "Rates rise again",
                    link: "https://blog.example.net/posts/rates-rise",
                    guid: "tag:blog.example.net,2026:1",
                    summary: "The central bank moves again.",
                    content: "Long text.",
                    author: "Sam Writer",
                    published: utc(2026, 11, 18, 6, 15, 30.25),
                    updated: utc(2026, 11, 18, 9, 0),
                    language: "en",
                    enclosures: [Enclosure(url: "https://blog.example.net/audio/1.mp3")]))
    }

    @Test func entryWithOwnXMLBaseAndXHTMLContentAsSummary() throws {
        let feed = try parseFixture("atom10.xml", url: Self.feedURL)
        try #require(feed.items.count > 1)
        #expect(
            feed.items[1]
                == item(
                    title: "Zweiter Beitrag",
                    link: "https://other.example.org/archive/item2.html",
                    guid: "tag:other.example.org,2026:2",
                    summary: "Absatz eins Absatz zwei",
                    content: "Absatz eins Absatz zwei",
                    updated: utc(2026, 11, 17),
                    language: "de"))
    }

    @Test func textTitleKeepsAngleBracketsAndHTMLContentIsStripped() throws {
        let feed = try parseFixture("atom10.xml", url: Self.feedURL)
        try #require(feed.items.count > 2)
        #expect(
            feed.items[2]
                == item(
                    // type="text": the characters are the title, even those that look like a tag.
                    title: "Plain & simple <not a tag>",
                    link: "https://blog.example.net/posts/plain?x=1&y=2",
                    guid: "tag:blog.example.net,2026:3",
                    summary: "Escaped HTML content",
                    content: "Escaped HTML content",
                    published: utc(2026, 11, 16, 17, 30),
                    language: "en"))
    }

    @Test func plainTextConstructThatHoldsHTMLAnywayIsStripped() throws {
        let xml = """
            <feed xmlns="http://www.w3.org/2005/Atom"><entry>
            <title>Vec&lt;T&gt; in   depth</title>
            <summary>&lt;p&gt;Escaped &lt;b&gt;HTML&lt;/b&gt; without a type&lt;/p&gt;</summary>
            </entry></feed>
            """
        let feed = try FeedParser.parse(Data(xml.utf8))
        #expect(feed.items.map(\.title) == ["Vec<T> in depth"])
        #expect(feed.items.map(\.summary) == ["Escaped HTML without a type"])
    }

    @Test func atom03IsRecognised() throws {
        let xml = #"<feed version="0.3" xmlns="http://purl.org/atom/ns#"><title>Old</title><entry><title>x</title><link rel="alternate" href="https://a.example/x"/><issued>2026-11-18T00:00:00Z</issued></entry></feed>"#
        let feed = try FeedParser.parse(Data(xml.utf8))
        #expect(feed.format == .atom03)
        #expect(feed.items == [item(title: "x", link: "https://a.example/x", published: utc(2026, 11, 18))])
    }
}

@Suite("FeedParser: RSS 1.0")
struct RSS10Tests {
    @Test func rdfFeed() throws {
        let feed = try parseFixture("rss10.xml", url: "https://rdf.example.org/index.rdf")
        #expect(feed.format == .rss10)
        #expect(feed.title == "RDF Nachrichten")
        #expect(feed.link == "https://rdf.example.org/")
        #expect(feed.language == "de")
        #expect(feed.problems == [])
        #expect(
            feed.items == [
                item(
                    title: "Erste Meldung", link: "https://rdf.example.org/a", guid: "https://rdf.example.org/a", summary: "Kurz & knapp.",
                    author: "Erika Muster", published: utc(2026, 11, 18, 6, 0)),
                item(title: "Zweite Meldung", link: "https://rdf.example.org/b", guid: "https://rdf.example.org/b", published: utc(2026, 11, 18)),
            ])
    }
}

@Suite("FeedParser: damaged and wrong input")
struct DamagedFeedTests {
    @Test func truncatedFeedKeepsTheItemsBeforeTheBreak() throws {
        let feed = try parseFixture("truncated.xml")
        #expect(feed.isBozo)
        #expect(!feed.problems.isEmpty)
        #expect(feed.problems.allSatisfy { $0.hasPrefix("line ") })
        #expect(feed.title == "Truncated Times")
        #expect(
            feed.items == [
                item(title: "Kept one", link: "https://truncated.example/1"),
                item(title: "Kept two", link: "https://truncated.example/2"),
            ])
    }

    @Test func unescapedAmpersandsDoNotLoseTheRestOfTheFeed() throws {
        let feed = try parseFixture("bozo-midstream.xml")
        #expect(feed.isBozo)
        #expect(feed.items.count == 3)
        #expect(feed.items.first == item(title: "Before the damage", link: "https://sloppy.example/1"))
        #expect(feed.items.last == item(title: "After the damage & fine", link: "https://sloppy.example/3"))
        // The damaged item is still there with its link host intact.
        #expect(feed.items.dropFirst().first?.link?.hasPrefix("https://sloppy.example/2") == true)
    }

    @Test func htmlPageIsNotAFeed() throws {
        #expect(throws: FeedParseError.notAFeed(rootElement: "html")) {
            try parseFixture("html-page.xml")
        }
    }

    @Test func emptyFileThrowsEmpty() throws {
        #expect(throws: FeedParseError.empty) { try parseFixture("empty.xml") }
        #expect(throws: FeedParseError.empty) { try parseFixture("whitespace.xml") }
    }

    @Test func garbageIsUnreadable() {
        #expect {
            try FeedParser.parse(Data("this is not XML at all".utf8))
        } throws: { error in
            guard case FeedParseError.unreadable(let detail) = error else { return false }
            return !detail.isEmpty
        }
    }

    @Test func otherXMLIsNotAFeed() {
        #expect(throws: FeedParseError.notAFeed(rootElement: "opml")) {
            try FeedParser.parse(Data("<opml version=\"2.0\"><body/></opml>".utf8))
        }
    }

    @Test func errorDescriptionsNameTheProblem() {
        #expect(FeedParseError.empty.description == "the document is empty")
        #expect(FeedParseError.notAFeed(rootElement: "html").description.contains("<html>"))
    }
}
