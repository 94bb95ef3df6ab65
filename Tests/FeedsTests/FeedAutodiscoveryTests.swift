import Foundation
import Testing
@testable import Feeds

@Suite("FeedAutodiscovery")
struct FeedAutodiscoveryTests {
    @Test func findsAdvertisedFeedsResolvedAgainstBase() throws {
        let found = FeedAutodiscovery.discover(html: try fixture("autodiscovery.html"), pageURL: "https://www.news.example/world/index.html")
        #expect(found == [
            DiscoveredFeed(url: "https://news.example/world/feed.rss", title: "World headlines", type: "application/rss+xml"),
            DiscoveredFeed(url: "https://news.example/atom.xml", title: "Atom", type: "application/atom+xml"),
            DiscoveredFeed(url: "https://cdn.news.example/feed.json", title: nil, type: "application/feed+json"),
            DiscoveredFeed(url: "https://other.example/all.rss", title: nil, type: "application/rss+xml"),
        ])
    }

    @Test func withoutBaseLinksResolveAgainstThePage() {
        let html = #"<head><link rel=alternate type="application/atom+xml" href="../feeds/a.xml"></head>"#
        #expect(FeedAutodiscovery.discover(html: Data(html.utf8), pageURL: "http://site.example/x/y/page") == [
            DiscoveredFeed(url: "http://site.example/x/feeds/a.xml", title: nil, type: "application/atom+xml")
        ])
    }

    @Test func pagesWithoutFeedsOrNotHTMLGiveNothing() {
        #expect(FeedAutodiscovery.discover(html: Data("<html><body>no feeds</body></html>".utf8), pageURL: "https://a.example/").isEmpty)
        #expect(FeedAutodiscovery.discover(html: Data(), pageURL: "https://a.example/").isEmpty)
        #expect(FeedAutodiscovery.discover(html: Data([0xFF, 0xFE, 0x00, 0x00, 0x3C]), pageURL: "https://a.example/").isEmpty)
    }
}
