import Foundation
import Testing
@testable import Feeds

@Suite("What the HTTP response says about a feed")
struct HTTPHeadersTests {
    private let atom = #"<feed xmlns="http://www.w3.org/2005/Atom"><link href="story/1"/><entry><id>/item/7</id></entry></feed>"#

    @Test func contentLocationIsTheBaseForRelativeLinksAndIDs() throws {
        let feed = try FeedParser.parse(
            Data(atom.utf8), url: "https://cdn.example/x/feed", response: ResponseHeaders(contentLocation: "https://news.example/en/feed.xml"))
        #expect(feed.link == "https://news.example/en/story/1")
        #expect(feed.items.first?.guid == "https://news.example/item/7")
        #expect(!feed.isBozo)
    }

    @Test func aRelativeContentLocationResolvesAgainstTheFetchedURL() throws {
        let feed = try FeedParser.parse(
            Data(atom.utf8), url: "https://news.example/a/b/feed", response: ResponseHeaders(contentLocation: "/c/feed.cgi"))
        #expect(feed.link == "https://news.example/c/story/1")
    }

    @Test(arguments: ["javascript:alert(1)", "file:///etc/passwd", "data:text/plain,x", "   ", "mailto:desk@news.example"])
    func aContentLocationThatIsNoWebAddressIsIgnored(location: String) throws {
        let feed = try FeedParser.parse(
            Data(atom.utf8), url: "https://news.example/feeds/main", response: ResponseHeaders(contentLocation: location))
        #expect(feed.link == "https://news.example/feeds/story/1")
    }

    @Test func contentLanguageIsTheLanguageOnlyWhenTheFeedNamesNone() throws {
        let undeclared = try FeedParser.parse(
            Data(atom.utf8), url: "https://news.example/feed", response: ResponseHeaders(contentLanguage: " de-AT, en"))
        #expect(undeclared.language == "de-AT")
        let declared = #"<rss version="2.0"><channel><language>fr</language></channel></rss>"#
        let feed = try FeedParser.parse(Data(declared.utf8), url: "https://news.example/feed", response: ResponseHeaders(contentLanguage: "en"))
        #expect(feed.language == "fr")
    }

    @Test(arguments: ["text/plain", "text/html; charset=utf-8", "application/octet-stream"])
    func anXMLFeedServedAsAnotherTypeIsReadButFlagged(type: String) throws {
        let feed = try FeedParser.parse(Data(atom.utf8), url: "https://news.example/feed", response: ResponseHeaders(contentType: type))
        #expect(feed.format == .atom10)
        #expect(feed.isBozo)
        #expect(feed.problems.last?.contains("not an XML media type") == true)
    }

    @Test(arguments: [
        "application/atom+xml", "application/rss+xml; charset=utf-8", "TEXT/XML", "application/xml", "text/xml-external-parsed-entity",
        "application/xml-dtd", "",
    ])
    func xmlTypesAndNoTypeAreFine(type: String) throws {
        let feed = try FeedParser.parse(Data(atom.utf8), url: "https://news.example/feed", response: ResponseHeaders(contentType: type))
        #expect(!feed.isBozo)
    }

    @Test func aJSONFeedServedAsJSONIsFine() throws {
        let json = #"{"version": "https://jsonfeed.org/version/1.1", "title": "T", "items": []}"#
        let feed = try FeedParser.parse(Data(json.utf8), url: "https://news.example/feed.json", response: ResponseHeaders(contentType: "application/feed+json"))
        #expect(!feed.isBozo)
    }

    @Test func theHTTPCharsetWinsOverTheDeclaration() throws {
        var bytes = Array(#"<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>"#.utf8)
        bytes += [0xD6, 0xD0, 0xCE, 0xC4]  // "中文" in GB2312
        bytes += Array("</title></channel></rss>".utf8)
        let feed = try FeedParser.parse(
            Data(bytes), url: "https://news.example/feed", response: ResponseHeaders(contentType: "application/rss+xml; charset='gb2312'"))
        #expect(feed.title == "中文")
        #expect(feed.encoding == "GB18030")
    }

    @Test func theHTTPCharsetWinsOverALegacyDeclarationAndIsReported() throws {
        // 0xE9 is "é" in ISO-8859-1 and "й" in windows-1251.
        let bytes = Array(#"<?xml version="1.0" encoding="iso-8859-1"?><rss version="2.0"><channel><title>"#.utf8) + [0xE9]
            + Array("</title></channel></rss>".utf8)
        let feed = try FeedParser.parse(Data(bytes), url: "https://news.example/feed", response: ResponseHeaders(contentType: "text/xml; charset=windows-1251"))
        #expect(feed.title == "й")
        #expect(feed.encoding == "windows-1251")
    }

    @Test func aByteOrderMarkWinsOverTheHTTPCharset() throws {
        let text = "<rss version=\"2.0\"><channel><title>Ünïcödé</title></channel></rss>"
        let utf16 = Data([0xFF, 0xFE]) + text.data(using: .utf16LittleEndian)!
        let feed = try FeedParser.parse(utf16, url: "https://news.example/feed", response: ResponseHeaders(contentType: "text/xml; charset=utf-8"))
        #expect(feed.title == "Ünïcödé")
        let utf8 = Data([0xEF, 0xBB, 0xBF]) + Data(text.utf8)
        let fromUTF8 = try FeedParser.parse(utf8, url: "https://news.example/feed", response: ResponseHeaders(contentType: "text/xml; charset=iso-8859-1"))
        #expect(fromUTF8.title == "Ünïcödé")
    }

    @Test func headerValuesAreParsed() {
        let headers = ResponseHeaders(contentType: #"Application/RSS+XML ; charset="ISO-8859-1""#)
        #expect(headers.mediaType == "application/rss+xml")
        #expect(headers.charset == "ISO-8859-1")
        #expect(ResponseHeaders(contentType: "text/xml; charset=").charset == nil)
        #expect(ResponseHeaders().mediaType == nil && ResponseHeaders().isXMLMediaType)
    }
}

@Suite("Item fields feedparser's suite checks")
struct ItemFieldTests {
    @Test func anRSSItemWithDescriptionAndSummaryKeepsBoth() throws {
        for (first, second) in [("description", "summary"), ("summary", "description")] {
            let xml = "<rss version=\"2.0\"><channel><item><\(first)>Short</\(first)><\(second)>The <b>longer</b> text</\(second)></item></channel></rss>"
            let item = try #require(FeedParser.parse(Data(xml.utf8)).items.first)
            #expect(item.summary == "Short")
            #expect(item.content == "The longer text")
        }
    }

    @Test func extensionDescriptionsDoNotCountAsTheItemsOwn() throws {
        let xml = """
            <rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel><item>
            <dc:description>From Dublin Core</dc:description><description>Own</description>
            </item></channel></rss>
            """
        let item = try #require(FeedParser.parse(Data(xml.utf8)).items.first)
        #expect(item.summary == "Own")
        #expect(item.content.isEmpty)
    }

    @Test func aTagsListAddsCategoriesInOrder() throws {
        let xml = "<rss><channel><item><tags>politics, , local news ,</tags><category>Elections</category></item></channel></rss>"
        let item = try #require(FeedParser.parse(Data(xml.utf8)).items.first)
        #expect(item.categories == ["politics", "local news", "Elections"])
    }

    @Test func relativeAtomIDsResolveAgainstTheWebAddressOnly() throws {
        let xml = """
            <feed xmlns="http://www.w3.org/2005/Atom">
            <entry><id>/relative/link</id></entry>
            <entry xml:base="https://other.example/dir/"><id>post-2</id></entry>
            <entry><id>tag:news.example,2026:3</id></entry>
            <entry><id>Not a URI</id></entry>
            </feed>
            """
        let overHTTP = try FeedParser.parse(Data(xml.utf8), url: "https://news.example/feeds/atom")
        #expect(overHTTP.items.map(\.guid) == ["https://news.example/relative/link", "https://other.example/dir/post-2", "tag:news.example,2026:3", "Not a URI"])
        // Read from a file, a relative id is kept: a file path would make it machine-specific.
        let fromFile = try FeedParser.parse(Data(xml.utf8), url: "file:///tmp/atom.xml")
        #expect(fromFile.items[0].guid == "/relative/link")
        // RSS guids are opaque strings, never resolved.
        let rss = try FeedParser.parse(Data("<rss><channel><item><guid isPermaLink=\"false\">/7</guid></item></channel></rss>".utf8), url: "https://news.example/rss")
        #expect(rss.items[0].guid == "/7")
    }

    @Test func aDTDThatOnlyNamesAnExternalEntitySetIsNotAnError() throws {
        let xml = """
            <?xml version="1.0"?>
            <!DOCTYPE rss [
            <!ENTITY % lat1 PUBLIC "-//W3C//ENTITIES Latin 1 for XHTML//EN" "file:///etc/passwd">
            %lat1;
            ]>
            <rss version="2.0"><channel><title>Caf&amp;e</title></channel></rss>
            """
        let feed = try FeedParser.parse(Data(xml.utf8))
        #expect(!feed.isBozo, "\(feed.problems)")
        #expect(feed.title == "Caf&e")
        // An entity used in the document that nothing defines is still an error.
        let undefined = try FeedParser.parse(Data(xml.replacingOccurrences(of: "&amp;", with: "&eacutx;").utf8))
        #expect(undefined.isBozo)
        #expect(!undefined.title.contains("root:"))
    }
}
