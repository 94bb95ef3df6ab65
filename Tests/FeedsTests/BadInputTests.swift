import Foundation
import Testing
@testable import Feeds

private func rss(_ itemTitle: String) -> String {
    "<rss version=\"2.0\"><channel><title>t</title><item><title>\(itemTitle)</title><link>https://a.example/1</link></item></channel></rss>"
}

@Suite("Feeds: bad input")
struct FeedsBadInputTests {
    @Test func illFormedFeedIsBozoWithItsFirstErrorAndKeepsItsItems() throws {
        let feed = try FeedParser.parse(Data("<rss version=\"2.0\"><channel><title>t</title><item><title>One</title></item><item><title>Two & three</title></item></channel></rss>".utf8))
        #expect(feed.isBozo)
        #expect(feed.problems.first?.hasPrefix("line 1, column ") == true)
        #expect(feed.items.count == 2)
        #expect(feed.items[1].title.hasSuffix("three"))
    }

    @Test func billionLaughsInAFeedStaysBounded() throws {
        var entities = #"<!ENTITY lol0 "lol">"#
        for level in 1...9 { entities += "<!ENTITY lol\(level) \"" + String(repeating: "&lol\(level - 1);", count: 10) + "\">" }
        let feed = try FeedParser.parse(Data("<?xml version=\"1.0\"?><!DOCTYPE rss [\(entities)]>\(rss("a &lol9; b"))".utf8))
        #expect(feed.items.count == 1)
        #expect(feed.items[0].title.utf8.count < 100)
    }

    @Test func quadraticBlowupInAFeedStaysBounded() throws {
        let big = String(repeating: "x", count: 100_000)
        let references = String(repeating: "&big;", count: 10_000)
        let feed = try FeedParser.parse(Data("<!DOCTYPE rss [<!ENTITY big \"\(big)\">]>\(rss(references))".utf8))
        #expect(feed.items.first.map { $0.title.utf8.count < 1000 } == true)
    }

    @Test func externalEntityPointingAtALocalFileDoesNotLeak() throws {
        let secret = FileManager.default.temporaryDirectory.appendingPathComponent("parallax-xxe-\(UUID().uuidString)")
        try "TOP-SECRET-\(UUID().uuidString)".write(to: secret, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: secret) }
        let document = "<?xml version=\"1.0\"?><!DOCTYPE rss [<!ENTITY xxe SYSTEM \"\(secret.absoluteString)\">]>\(rss("&xxe;"))"
        let feed = try FeedParser.parse(Data(document.utf8))
        #expect(!feed.items.contains { $0.title.contains("TOP-SECRET") })
        #expect(!feed.title.contains("TOP-SECRET"))
    }

    @Test func deepNestingDoesNotOverflowTheStack() throws {
        let depth = 100_000
        let document = "<rss version=\"2.0\"><channel><title>deep</title><item><title>x</title><description>"
            + String(repeating: "<d>", count: depth) + "y" + String(repeating: "</d>", count: depth)
            + "</description></item></channel></rss>"
        let feed = try FeedParser.parse(Data(document.utf8))
        // The SAX handler keeps no recursion per level, so depth costs only the element stack.
        #expect(feed.title == "deep")
        #expect(feed.items.first?.summary == "y")
    }

    @Test func inputOverTheCapIsRefusedWithAClearError() {
        let data = Data(rss("x").utf8)
        #expect(throws: FeedParseError.tooLarge(bytes: data.count, limit: 10)) { try FeedParser.parse(data, maximumBytes: 10) }
        #expect(FeedParseError.tooLarge(bytes: 11, limit: 10).description == "the document is 11 bytes, over the 10-byte cap")
    }

    @Test func invalidUTF8IsRepairedNeverPassedOn() throws {
        // "España" with a Latin-1 ñ and a windows-1252 quote inside an otherwise UTF-8 feed.
        let bytes = Array("<rss version=\"2.0\"><channel><title>t</title><item><title>Espa".utf8) + [0xF1] + Array("a \u{2014} ".utf8)
            + [0x93] + Array("ok".utf8) + [0x94] + Array("</title></item></channel></rss>".utf8)
        let feed = try FeedParser.parse(Data(bytes))
        #expect(feed.items.first?.title == "España — “ok”")
        #expect(feed.problems.first == "3 bytes were not valid UTF-8 and were read as windows-1252")
        #expect(feed.items.allSatisfy { !$0.title.contains("\u{FFFD}") })
    }

    @Test func unknownDeclaredEncodingDoesNotLoseTheFeed() throws {
        let feed = try FeedParser.parse(Data("<?xml version=\"1.0\" encoding=\"x-no-such-charset\"?>\(rss("Still here"))".utf8))
        #expect(feed.items.map(\.title) == ["Still here"])
        #expect(feed.isBozo)
        #expect(feed.problems.first?.contains("x-no-such-charset") == true)
    }

    @Test func wrongHTTPCharsetDoesNotLoseTheFeed() throws {
        let feed = try FeedParser.parse(Data(rss("Caf\u{E9}").utf8), encoding: "x-bogus")
        #expect(feed.items.map(\.title) == ["Café"])
    }

    @Test(arguments: [
        ("Shift_JIS", [0x93, 0xFA, 0x96, 0x7B] as [UInt8], "日本"),
        ("EUC-JP", [0xC6, 0xFC, 0xCB, 0xDC], "日本"),
        ("EUC-KR", [0xC7, 0xD1, 0xB1, 0xB9], "한국"),
        ("GB2312", [0xD6, 0xD0, 0xCE, 0xC4], "中文"),
        ("GBK", [0x81, 0x40], "丂"),
        ("Big5", [0xA4, 0xA4, 0xA4, 0xE5], "中文"),
        ("windows-1252", [0x93, 0x80, 0x94], "“€”"),
        ("ISO-8859-2", [0xB1, 0xE6], "ąć"),
        ("ISO-8859-15", [0xA4], "€"),
        ("KOI8-R", [0xF0, 0xD2, 0xC1, 0xD7, 0xC4, 0xC1], "Правда"),
    ])
    func legacyEncodingsDeclaredInTheDocument(_ name: String, _ encoded: [UInt8], _ expected: String) throws {
        let bytes = Array("<?xml version=\"1.0\" encoding=\"\(name)\"?><rss version=\"2.0\"><channel><title>t</title><item><title>".utf8)
            + encoded + Array("</title></item></channel></rss>".utf8)
        let feed = try FeedParser.parse(Data(bytes))
        #expect(feed.items.first?.title == expected, "\(name)")
        #expect(!feed.isBozo, "\(name): \(feed.problems)")
    }
}
