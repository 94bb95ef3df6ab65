import Coverage
import Foundation
import Outlets
import Stories
import Testing

@testable import Evaluation

@Suite("Comparing stories with gold stories")
struct CoverageComparisonTests {
    static func article(_ id: Int, _ title: String, domain: String, minute: Int) -> Article {
        let time = Date(timeIntervalSince1970: 1_400_630_400 + Double(minute * 60))
        return Article(
            canonicalURL: "http://\(domain)/\(id)", url: "http://\(domain)/\(id)", outletID: nil, domain: domain, title: title,
            summary: "", language: "en", publishedAt: time, firstSeenAt: time, feedURL: "file:///feed")
    }

    static func story(_ id: Int64, title: String, _ articles: [Article]) -> Coverage {
        let story = Story(id: id, title: title, firstSeenAt: articles[0].time, lastSeenAt: articles.last!.time, articleCount: articles.count)
        return CoverageTally.tally(story: story, articles: articles, registry: OutletRegistry([]), rule: BlindspotRule())
    }

    /// Story 1 holds gold G1's a, b and gold G2's c, and is titled by c: purity 2/3, title not
    /// the majority's. Story 2 holds G2's d alone. G2 = {c, d}: 2 outlets; story 1 has 3.
    @Test func aTitleFromAMinorityArticleIsCaught() {
        let a = Self.article(1, "Alpha one", domain: "x.example", minute: 5)
        let b = Self.article(2, "Alpha two", domain: "y.example", minute: 6)
        let c = Self.article(3, "Beta one", domain: "z.example", minute: 1)
        let d = Self.article(4, "Beta two", domain: "x.example", minute: 7)
        let gold = [a.canonicalURL: "G1", b.canonicalURL: "G1", c.canonicalURL: "G2", d.canonicalURL: "G2"]
        let comparison = CoverageComparison(
            stories: [Self.story(1, title: "Beta one", [c, a, b]), Self.story(2, title: "Beta two", [d])], gold: gold,
            registry: OutletRegistry([]), rule: BlindspotRule())
        let rows = comparison.topByOutlets
        #expect(rows.map(\.id) == [1, 2])
        #expect(rows[0].goldStory == "G1")
        #expect(abs(rows[0].purity - 2.0 / 3) < 1e-12)
        #expect(rows[0].titleFromMajority == false)
        #expect(rows[1].goldStory == "G2" && rows[1].titleFromMajority)
        let top20 = comparison.top[0]
        #expect(top20.titlesFromMajority == 1)
        // Story 1: 3 outlets vs G1's 2 → 0.5; story 2: 1 vs G2's 2 → 0.5.
        #expect(abs(top20.meanOutletCountError - 0.5) < 1e-12)
        // Everything unrated: the unrated share is 1 on both sides.
        #expect(top20.meanBiasShareL1 == 0)
        #expect(comparison.blindspots.precision == nil && comparison.blindspots.recall == nil)
    }

    @Test func jitterIsSeededBoundedAndPerRow() {
        let time = Date(timeIntervalSince1970: 1_400_630_400)
        let headlines = (1...200).map {
            ClusteringEvaluation.Headline(id: String($0), title: "t", url: "http://x.example/\($0)", host: "x.example", story: "s", time: time)
        }
        let once = ClusteringEvaluation.jittered(headlines, hours: 6, seed: 1)
        let again = ClusteringEvaluation.jittered(headlines, hours: 6, seed: 1)
        let otherSeed = ClusteringEvaluation.jittered(headlines, hours: 6, seed: 2)
        let offsets = once.map { $0.time.timeIntervalSince(time) }
        #expect(offsets == again.map { $0.time.timeIntervalSince(time) })
        #expect(offsets != otherSeed.map { $0.time.timeIntervalSince(time) })
        #expect(offsets.allSatisfy { $0 >= 0 && $0 < 6 * 3600 })
        // Spread over the whole range, not bunched: 200 draws leave no 2-hour third empty.
        #expect(Set(offsets.map { Int($0 / 7200) }) == [0, 1, 2])
        #expect(ClusteringEvaluation.jittered(headlines, hours: 0, seed: 1).map(\.time) == headlines.map(\.time))
    }

    @Test func feedItemsAreWellFormedRSS() {
        #expect(CoverageEvaluation.rfc822(Date(timeIntervalSince1970: 1_400_631_042.9)) == "Wed, 21 May 2014 00:10:42 +0000")
        #expect(CoverageEvaluation.rfc822(Date(timeIntervalSince1970: 0)) == "Thu, 01 Jan 1970 00:00:00 +0000")
        #expect(CoverageEvaluation.escaped("A & B <c>\u{1}\u{FFFE} d") == "A &amp; B &lt;c&gt; d")
    }
}
