import Foundation
import Testing
@testable import Feeds

/// A description that is only a list of links is an aggregator's related coverage in an
/// aggregator's feed and nothing but the item's summary anywhere else.
@Suite("Link lists: expanded for aggregators only")
struct LinkListTests {
    static let outletURL = "https://harbortimes.example/rss"

    @Test func anOutletsRelatedCoverageListStaysTheItemsSummary() throws {
        let feed = try FeedSource(url: Self.outletURL, outletID: "harbor-times").parse(fixture("outlet-related-links.xml"))
        #expect(feed.items.map(\.title) == ["Council approves harbor bridge budget", "Ferry fares rise in January"])
        #expect(feed.items.allSatisfy { $0.group == nil })
        #expect(feed.items[0].summary == "Related coverage: the bridge plan, explained Read more: the ferry it replaces Video: the vote")
        #expect(feed.items[0].link == "https://harbortimes.example/2026/11/bridge-budget")
        // The list is kept as read, for a caller that knows better.
        #expect(feed.items.allSatisfy { $0.linkList != nil })
    }

    @Test func theSameListInAnAggregatorsFeedExpands() throws {
        let feed = try FeedSource(url: Self.outletURL, kind: .aggregator).parse(fixture("outlet-related-links.xml"))
        let key = "\(Self.outletURL)#https://harbortimes.example/2026/11/bridge-budget"
        #expect(feed.items.map(\.title) == [
            "Council approves harbor bridge budget", "Related coverage: the bridge plan, explained", "Read more: the ferry it replaces",
            "Video: the vote", "Ferry fares rise in January", "Read more: fifty years of fares", "Related: the bridge budget",
        ])
        #expect(feed.items.prefix(4).allSatisfy { $0.group == key })
        #expect(feed.items[3].link == "https://video.example/watch/bridge")
        // A relative href resolves against the feed's address.
        #expect(feed.items[5].link == "https://harbortimes.example/2026/10/fares-history")
        #expect(feed.items.allSatisfy { $0.linkList == nil })
    }

    @Test func aPodcastsShowNotesStayOneItemPerEpisode() throws {
        let data = try fixture("podcast-show-notes.xml")
        let feed = try FeedSource(url: "https://slowcast.example/feed.xml", outletID: "slowcast").parse(data)
        #expect(feed.items.count == 12)
        #expect(feed.items.map(\.title) == (1...12).map { "Episode \($0): Building things slowly" })
        #expect(feed.items.allSatisfy { $0.group == nil && $0.enclosures.count == 1 })
        #expect(feed.items[0].summary.hasPrefix("Show note 1 of episode 1 Show note 2 of episode 1"))
        // The bare parser never expands: the conformance harness and benchmarks read what the feed says.
        #expect(try FeedParser.parse(data).items.count == 12)
    }

    @Test func aKnownAggregatorIsToldByItsHost() {
        #expect(RelatedCoverage.aggregatorHost(among: ["file:///tmp/top.xml", "https://news.google.com/?hl=ja&gl=JP"]) == "news.google.com")
        #expect(RelatedCoverage.aggregatorHost(among: ["https://NEWS.GOOGLE.COM/rss/search?q=x"]) == "news.google.com")
        #expect(RelatedCoverage.aggregatorHost(among: ["https://harbortimes.example/rss", nil]) == nil)
        #expect(RelatedCoverage.aggregatorHost(among: ["https://news.google.com.evil.example/rss"]) == nil)
    }
}
