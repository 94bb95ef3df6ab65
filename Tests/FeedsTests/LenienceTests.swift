import Foundation
import Testing
@testable import Feeds

/// Documents seen in the wild that feedparser reads: Parallax reads them too, and says what was
/// wrong with them (bozo), as it does for ill-formed XML.
@Suite("Lenience: what feedparser reads")
struct LenienceTests {
    @Test func anAtomFeedWithoutANamespace() throws {
        let feed = try parseFixture("atom-no-namespace.xml", url: "https://valleynotes.example/feed")
        #expect(feed.format == .atom10)
        #expect(feed.title == "Valley Notes")
        #expect(feed.link == "https://valleynotes.example/")
        #expect(feed.problems == ["the root <feed> has no namespace: read as Atom 1.0"])
        #expect(feed.items.map(\.title) == ["Orchard harvest ends early", "Mill reopens"])
        #expect(feed.items.map(\.link) == ["https://valleynotes.example/2026/11/harvest", "https://valleynotes.example/2026/11/mill"])
        #expect(feed.items[0].guid == "tag:valleynotes.example,2026:harvest")
        #expect(feed.items[0].author == "Ina Grower")
        #expect(feed.items[0].updated == utc(2026, 11, 17, 8))
        #expect(feed.items[1].content == "After two years.")
    }

    @Test func anRSS10RootWithoutTheRDFNamespace() throws {
        let feed = try parseFixture("rdf-no-namespace.xml")
        #expect(feed.format == .rss10)
        #expect(feed.title == "Lakeshore Weekly")
        #expect(feed.problems == ["the root <RDF> is not RDF's <rdf:RDF>: read as RSS 1.0"])
        #expect(feed.items.map(\.title) == ["Ice fishing season delayed", "Pier repairs finished"])
        #expect(feed.items[0].published == utc(2026, 11, 17, 7, 30))
        #expect(feed.items[0].author == "Lou Angler")
        let lower = try FeedParser.parse(Data("<rdf><item><title>x</title><link>https://l.example/x</link></item></rdf>".utf8))
        #expect(lower.format == .rss10 && lower.items.map(\.link) == ["https://l.example/x"])
    }

    @Test func anAtomEntryDocumentIsOneItem() throws {
        let feed = try parseFixture("atom-entry.xml", url: "https://ridgeline.example/posts/trail.atom")
        #expect(feed.format == .atom10)
        #expect(!feed.isBozo)
        #expect(feed.items.count == 1)
        let entry = try #require(feed.items.first)
        #expect(entry.title == "Trail closed after rockfall")
        #expect(entry.link == "https://ridgeline.example/posts/trail-closed")
        #expect(entry.guid == "urn:uuid:6f3b1a2e-1111-4c2d-9e0f-aaaaaaaaaaaa")
        #expect(entry.published == utc(2026, 11, 17, 6))
        #expect(entry.language == "en")
        #expect(entry.author == "Rae Ranger")
        #expect(entry.categories == ["Outdoors"])
        #expect(entry.summary == "The north trail is closed until spring.")
        // Without a namespace too, flagged.
        let bare = try FeedParser.parse(Data("<entry><title>Bare</title><link href=\"https://b.example/1\"/></entry>".utf8))
        #expect(bare.items.map(\.link) == ["https://b.example/1"] && bare.isBozo)
    }

    @Test func aJSONFeedWithoutAVersionIsReadByItsShape() throws {
        let feed = try parseFixture("json-no-version.json", url: "https://tidepool.example/feed.json")
        #expect(feed.format == .json)
        #expect(feed.format.isJSON)
        #expect(feed.problems == ["no jsonfeed.org 'version': read as a JSON Feed by its items"])
        #expect(feed.title == "Tidepool Dispatch")
        #expect(feed.items.map(\.title) == ["Crab count rises", "Kelp forest mapped"])
        #expect(feed.items.map(\.link) == ["https://tidepool.example/crabs", "https://tidepool.example/kelp"])
        #expect(feed.items[1].published == utc(2026, 11, 17, 5))
    }

    @Test func rawControlCharactersInJSONStringsAreRepairedAndFlagged() throws {
        let data = try fixture("json-control-chars.json")
        #expect(throws: (any Error).self) { try JSONSerialization.jsonObject(with: data) }
        let feed = try FeedParser.parse(data)
        #expect(feed.format == .jsonFeed11)
        #expect(feed.problems == ["6 raw control characters inside JSON strings were read as if escaped"])
        #expect(feed.title == "Dune Notes")
        #expect(feed.items.map(\.title) == ["Wind moves the dune"])
        #expect(feed.items[0].link == "https://dune.example/a")
        // Only bytes inside strings are touched: the newlines between tokens were never a problem.
        #expect(JSONFeedParser.escapingControlCharactersInStrings(Data("{\n\"a\": \"b\"\n}".utf8)) == nil)
        let escaped = try #require(JSONFeedParser.escapingControlCharactersInStrings(Data("{\"a\": \"x\\\"\ty\"}".utf8)))
        #expect(String(decoding: escaped.0, as: UTF8.self) == "{\"a\": \"x\\\"\\u0009y\"}" && escaped.1 == 1)
    }

    @Test func errorsNameTheRealProblemOnce() {
        #expect(FeedParseError.invalidJSON("Unexpected end of file").description == "not valid JSON: Unexpected end of file")
        // A feed-like root in a namespace Parallax does not know is named with its namespace.
        #expect {
            try FeedParser.parse(Data(#"<feed xmlns="http://example.com/not-atom"><entry/></feed>"#.utf8))
        } throws: { error in
            "\(error)" == #"not a feed: the document's root element is <feed xmlns="http://example.com/not-atom">, expected <rss>, Atom's <feed> or <entry>, RSS 1.0's <rdf:RDF> or a JSON Feed"#
        }
        // Truncated JSON says so, without a word about XML.
        #expect {
            try FeedParser.parse(Data(#"{"version": "https://jsonfeed.org/version/1", "items": [{"title": "a"#.utf8))
        } throws: { error in
            "\(error)".hasPrefix("not valid JSON: ") && !"\(error)".contains("XML")
        }
    }
}
