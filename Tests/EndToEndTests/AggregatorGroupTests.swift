import Foundation
import Testing

/// A Google News item lists related coverage; Parallax must keep that group together as one
/// story, attribute each member to its outlet by the name the aggregator shows, and join the
/// group with the story its own feeds found for the same event.
@Suite("Aggregator groups end to end")
struct AggregatorGroupTests {
    let related = """
        &lt;ol&gt;&lt;li&gt;&lt;a href="https://aggregator.example/rss/articles/A1"&gt;Council approves harbor bridge budget&lt;/a&gt;&amp;nbsp;&lt;font color="#6f6f6f"&gt;Harbor Times&lt;/font&gt;&lt;/li&gt;\
        &lt;li&gt;&lt;a href="https://aggregator.example/rss/articles/B2"&gt;Who pays for the crossing? Answers after the vote&lt;/a&gt;&amp;nbsp;&lt;font color="#6f6f6f"&gt;Daily Ledger&lt;/font&gt;&lt;/li&gt;\
        &lt;li&gt;&lt;a href="https://aggregator.example/rss/articles/C3"&gt;Opinion: a span we cannot afford&lt;/a&gt;&amp;nbsp;&lt;font color="#6f6f6f"&gt;The Right Review&lt;/font&gt;&lt;/li&gt;&lt;/ol&gt;
        """

    /// An RFC 822 date some minutes ago: an aggregator lists what is current, and the members it
    /// lists without dates are placed at the time Parallax first sees them.
    func minutesAgo(_ minutes: Double) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
        return formatter.string(from: Date().addingTimeInterval(-minutes * 60))
    }

    @Test func relatedCoverageLandsInOneStoryWithTheOutletsOwnArticles() throws {
        let scratch = try TemporaryDirectory()
        let aggregator = """
            <?xml version="1.0" encoding="UTF-8"?>
            <rss version="2.0"><channel><title>Top stories - Aggregator</title><link>https://aggregator.example/</link>
            <item><title>Council approves harbor bridge budget - Harbor Times</title>
            <link>https://aggregator.example/rss/articles/A1</link><guid isPermaLink="false">A1</guid>
            <pubDate>\(minutesAgo(90))</pubDate><description>\(related)</description>
            <source url="https://harbortimes.example">Harbor Times</source></item>
            <item><title>Volcano erupts near remote fishing village - Daily Ledger</title>
            <link>https://aggregator.example/rss/articles/V9</link><guid isPermaLink="false">V9</guid>
            <pubDate>\(minutesAgo(60))</pubDate><description>Lava reached the sea.</description>
            <source url="https://dailyledger.example">Daily Ledger</source></item>
            </channel></rss>
            """
        let ownFeed = """
            <rss version="2.0"><channel><title>Harbor Times</title><link>https://harbortimes.example/</link>
            <item><title>Harbor council approves bridge budget after long debate</title>
            <link>https://harbortimes.example/bridge-budget</link><pubDate>\(minutesAgo(120))</pubDate></item>
            </channel></rss>
            """
        try Data(aggregator.utf8).write(to: URL(fileURLWithPath: scratch.path("aggregator.xml")))
        try Data(ownFeed.utf8).write(to: URL(fileURLWithPath: scratch.path("harbor.xml")))
        let yaml = """
            retention: never
            outlets:
              - { id: harbor-times, name: Harbor Times, domains: [harbortimes.example], bias: lean-left }
              - { id: daily-ledger, name: Daily Ledger, domains: [dailyledger.example], bias: center }
              - { id: right-review, name: The Right Review, domains: [rightreview.example], bias: right }
            feeds:
              - { url: aggregator.xml, kind: aggregator }
              - { url: harbor.xml, outlet: harbor-times }
            """
        try Data(yaml.utf8).write(to: URL(fileURLWithPath: scratch.path("config.yaml")))

        let run = try CommandRunner.run(["run", "--config", scratch.path("config.yaml"), "--reports", scratch.path("reports")])
        #expect(run.status == 0, "\(run.stderr)")

        let listing = try CommandRunner.run(["stories", "--config", scratch.path("config.yaml"), "--format", "json"])
        let index = try #require(try JSONSerialization.jsonObject(with: Data(listing.stdout.utf8)) as? [String: Any])
        let stories = try #require(index["stories"] as? [[String: Any]])
        #expect(stories.count == 2)
        let bridge = try #require(stories.first { ($0["title"] as? String)?.contains("ridge") == true })
        // The three listed articles (the lead item is the first of them) and the outlet's own one.
        #expect(bridge["articleCount"] as? Int == 4)
        #expect(bridge["outletCount"] as? Int == 3)
        let byOutlet = try #require(bridge["biasByOutlet"] as? [String: Int])
        #expect(byOutlet["lean-left"] == 1 && byOutlet["center"] == 1 && byOutlet["right"] == 1)
        #expect(byOutlet["unrated"] ?? 0 == 0)
    }
}
