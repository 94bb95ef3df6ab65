import Foundation
import Testing
@testable import Feeds

@Suite("Bidi controls and invisible characters")
struct InvisibleTextTests {
    @Test func bidiControlsAndInvisibleFormatCharactersGo() {
        #expect(InvisibleText.neutralised("Mayor \u{202E}tnemngised\u{202C} resigns") == "Mayor tnemngised resigns")
        for control in [0x202A, 0x202B, 0x202C, 0x202D, 0x202E, 0x2066, 0x2067, 0x2068, 0x2069] {
            #expect(InvisibleText.neutralised("a\(Character(Unicode.Scalar(control)!))b") == "ab", "U+\(String(control, radix: 16))")
        }
        #expect(InvisibleText.neutralised("Un\u{AD}glaub\u{AD}lich \u{200B}news\u{2060} \u{FEFF}here\u{2062}") == "Un\u{AD}glaub\u{AD}lich news here")
        #expect(InvisibleText.neutralised("gone \u{202E} ") == "gone")
        #expect(InvisibleText.neutralised("\u{202E}") == "")
        // Tag characters outside a flag sequence carry hidden ASCII ("AB" here).
        #expect(InvisibleText.neutralised("hidden\u{E0041}\u{E0042} tags") == "hidden tags")
    }

    @Test func whatScriptsNeedStays() {
        let kept = [
            "می\u{200C}خواهم",  // Persian: ZWNJ keeps the letters apart
            "क्\u{200D}ष",  // Devanagari: ZWJ asks for the half form
            "\u{1F469}\u{200D}\u{1F4BB}",  // woman technologist: a ZWJ emoji sequence
            "\u{1F3F4}\u{E0067}\u{E0062}\u{E0073}\u{E0063}\u{E0074}\u{E007F}",  // the flag of Scotland: tag characters
            "העירייה \u{200F}(2026)\u{200F}",  // right-to-left marks place the punctuation
            "Bundes\u{AD}regierung",  // a soft hyphen: where the writer allows a line break
            "\u{0661}\u{061C}\u{0662}", "Caf\u{E9} \u{2014} \u{201C}quoted\u{201D}\u{A0}text", "plain ASCII",
        ]
        for text in kept { #expect(InvisibleText.neutralised(text) == text) }
    }

    @Test func everyTextFieldOfAFeedIsCleanedWhereItIsRead() throws {
        let feed = try parseFixture("bidi-controls.xml")
        #expect(feed.title == "Mirror Daily")
        let first = try #require(feed.items.first)
        #expect(first.title == "Mayor tnemngised resigns")
        #expect(first.summary == "In\u{AD}cred\u{AD}ible news from the council.")
        #expect(first.author == "Ann Scribe" && first.authors == ["Ann Scribe"])
        #expect(first.categories == ["Local"])
        #expect(first.sourceName == "Wire Service")
        let second = try #require(feed.items.last)
        #expect(second.title == "העירייה \u{200F}(2026)\u{200F} — می\u{200C}خواهم \u{1F469}\u{200D}\u{1F4BB} \u{1F3F4}\u{E0067}\u{E0062}\u{E0073}\u{E0063}\u{E0074}\u{E007F}")
        #expect(second.summary == "hidden tags")
    }

    @Test func jsonFeedsPagesAndRelatedCoverageToo() throws {
        let json = #"{"version": "https://jsonfeed.org/version/1.1", "title": "J\u202eSON", "authors": [{"name": "Bo\u2066b"}], "items": [{"url": "https://j.example/1", "title": "T\u202eitle", "content_html": "<p>x\u200by</p>"}]}"#
        let feed = try FeedParser.parse(Data(json.utf8))
        #expect(feed.title == "JSON" && feed.items[0].title == "Title" && feed.items[0].summary == "xy" && feed.items[0].author == "Bob")

        let list = "&lt;ol&gt;&lt;li&gt;&lt;a href=\"https://a.example/1\"&gt;One \u{202E}eno&lt;/a&gt; &lt;font&gt;Out\u{202E}let&lt;/font&gt;&lt;/li&gt;&lt;li&gt;&lt;a href=\"https://b.example/2\"&gt;Two&lt;/a&gt;&lt;/li&gt;&lt;/ol&gt;"
        let rss = "<rss version=\"2.0\"><channel><item><title>Lead</title><link>https://a.example/0</link><description>\(list)</description></item></channel></rss>"
        let expanded = try FeedSource(url: "https://agg.example/rss", kind: .aggregator).parse(Data(rss.utf8))
        #expect(expanded.items.map(\.title) == ["Lead", "One eno", "Two"])
        #expect(expanded.items[1].sourceName == "Outlet")

        let page = Data("<html><head><title>P\u{202E}age</title><meta property=\"og:title\" content=\"Head\u{202E}line\"></head><body></body></html>".utf8)
        #expect(ArticleMetadata.read(html: page, pageURL: "https://p.example/", encoding: "UTF-8").title == "Headline")
        let rules = ExtractionRules(item: "//li", title: "a", link: "a/@href")
        let extracted = try HTMLExtractor.extract(
            html: Data("<ul><li><a href=\"https://p.example/x\">Ru\u{2067}le\u{2069}d</a></li></ul>".utf8), pageURL: "https://p.example/", rules: rules, encoding: "UTF-8")
        #expect(extracted.items.map(\.title) == ["Ruled"])
    }
}
