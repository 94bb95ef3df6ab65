import Foundation
import Outlets
import Stories
import Testing
@testable import Coverage

private let t0 = Date(timeIntervalSince1970: 1_795_000_000)

private func outlet(_ id: String, _ bias: Bias?, factuality: Factuality? = nil) -> Outlet {
    Outlet(id: id, name: "Outlet \(id.uppercased())", domains: ["\(id).example"], manualBias: bias, manualFactuality: factuality)
}

private func article(
    _ outletID: String?, minutes: Double, domain: String? = nil, title: String? = nil, summary: String = "",
    sourceName: String? = nil
) -> Article {
    let host = domain ?? "\(outletID ?? "unknown").example"
    let url = "https://\(host)/\(Int(minutes))-\(title ?? "story")".replacingOccurrences(of: " ", with: "-")
    let time = t0.addingTimeInterval(minutes * 60)
    return Article(
        canonicalURL: url, url: url, outletID: outletID, domain: host, sourceName: sourceName,
        title: title ?? "Headline from \(host) at \(Int(minutes))", summary: summary, language: "en",
        publishedAt: time, firstSeenAt: time, feedURL: "file:///\(host).xml", storyID: 1)
}

private let story = Story(id: 1, title: "Test story", firstSeenAt: t0, lastSeenAt: t0, articleCount: 0)

private func tally(_ articles: [Article], outlets: [Outlet], rule: BlindspotRule = BlindspotRule()) -> Coverage {
    CoverageTally.tally(story: story, articles: articles, registry: OutletRegistry(outlets), rule: rule)
}

@Suite("CoverageTally counts")
struct CoverageCountTests {
    let outlets = [
        outlet("a", .left, factuality: .high), outlet("b", .right, factuality: .mixed), outlet("c", .center),
        outlet("u", nil),
    ]

    @Test func distinctOutletsAndArticlesPerOutlet() {
        let coverage = tally(
            [article("a", minutes: 10), article("b", minutes: 5), article("a", minutes: 20), article("a", minutes: 30)],
            outlets: outlets)
        #expect(coverage.articleCount == 4)
        #expect(coverage.outletCount == 2)
        #expect(coverage.outlets.map(\.key) == ["b", "a"])  // by first article
        #expect(coverage.outlets.map(\.articleCount) == [1, 3])
        #expect(coverage.outlets.map(\.name) == ["Outlet B", "Outlet A"])
        #expect(coverage.outlets.map(\.factuality) == [.mixed, .high])
        #expect(coverage.outlets.first { $0.key == "a" }?.firstArticleAt == t0.addingTimeInterval(600))
        // Articles come back in time order.
        #expect(coverage.articles.map(\.time) == [5, 10, 20, 30].map { t0.addingTimeInterval(Double($0) * 60) })
        #expect(coverage.factualityByOutlet == [.mixed: 1, .high: 1])
    }

    @Test func outletsOutsideTheConfigAreUnratedAndKeyedByDomain() {
        let coverage = tally(
            [
                article(nil, minutes: 1, domain: "blog.example", sourceName: "A Blog"),
                article(nil, minutes: 2, domain: "blog.example"),
                article(nil, minutes: 3, domain: "other.example"),
                // An outlet id the registry does not know falls back to the domain too.
                article("ghost", minutes: 4, domain: "ghost.example"),
                article("u", minutes: 5),  // configured but without any rating
            ], outlets: outlets)
        #expect(coverage.outlets.map(\.key) == ["blog.example", "other.example", "ghost.example", "u"])
        #expect(coverage.outlets.map(\.name) == ["A Blog", "other.example", "ghost.example", "Outlet U"])
        #expect(coverage.outlets.map(\.bias) == [.unrated, .unrated, .unrated, .unrated])
        #expect(coverage.outlets.map(\.articleCount) == [2, 1, 1, 1])
        #expect(coverage.ratedOutletCount == 0)
        #expect(coverage.unratedOutletShare == 1)
        #expect(coverage.factualityByOutlet == [.unrated: 4])
    }

    @Test func biasByOutletAndByArticle() {
        // Outlet A (left) writes three articles, B (right) one, an unknown blog one.
        let coverage = tally(
            [
                article("a", minutes: 1), article("a", minutes: 2), article("a", minutes: 3), article("b", minutes: 4),
                article(nil, minutes: 5, domain: "blog.example"),
            ], outlets: outlets)
        #expect(coverage.biasByOutlet.counts == [.left: 1, .right: 1, .unrated: 1])
        #expect(coverage.biasByOutlet.total == 3)
        #expect(coverage.biasByOutlet.ratedTotal == 2)
        #expect(abs(coverage.biasByOutlet.share(.left) - 1.0 / 3) < 1e-12)
        #expect(abs(coverage.biasByOutlet.share(.unrated) - 1.0 / 3) < 1e-12)
        #expect(coverage.biasByOutlet.share(.center) == 0)
        #expect(coverage.biasByOutlet.ratedShare(.left) == 0.5)
        #expect(coverage.biasByOutlet.ratedShare(.right) == 0.5)

        #expect(coverage.biasByArticle.counts == [.left: 3, .right: 1, .unrated: 1])
        #expect(coverage.biasByArticle.share(.left) == 0.6)
        #expect(coverage.biasByArticle.share(.right) == 0.2)
        #expect(coverage.biasByArticle.ratedShare(.left) == 0.75)
        #expect(abs(coverage.unratedOutletShare - 1.0 / 3) < 1e-12)
        #expect(coverage.ratedOutletCount == 2)
    }

    @Test func wireCopiesCountOnceAsUniqueArticles() {
        let wire = "Storm hits the coast"
        let coverage = tally(
            [
                article("a", minutes: 1, title: wire, summary: "Winds of 150 km/h."),
                article("b", minutes: 2, title: "STORM HITS THE COAST!", summary: "winds of 150 km/h"),
                article("c", minutes: 3, title: wire, summary: "Winds of 150 km/h."),
                article("c", minutes: 4, title: "Our own reporting on the storm"),
            ], outlets: outlets)
        #expect(coverage.articleCount == 4)
        #expect(coverage.uniqueArticleCount == 2)
    }

    @Test func firstReporterIsTheEarliestOutlet() {
        let coverage = tally(
            [article("a", minutes: 30), article("c", minutes: -15), article("b", minutes: 0), article("c", minutes: 60)],
            outlets: outlets)
        let first = try! #require(coverage.firstReporter)
        #expect(first.key == "c")
        #expect(first.bias == .center)
        #expect(first.firstArticleAt == t0.addingTimeInterval(-15 * 60))
        #expect(first.articleCount == 2)
    }

    @Test func publishedTimeLaterThanFirstSeenDoesNotMakeAnOutletLater() {
        var early = article("a", minutes: 10)
        early.firstSeenAt = t0  // seen before the date the feed claims
        let coverage = tally([early, article("b", minutes: 5)], outlets: outlets)
        #expect(coverage.firstReporter?.key == "a")
    }

    @Test func emptyStory() {
        let coverage = tally([], outlets: outlets)
        #expect(coverage.articleCount == 0)
        #expect(coverage.outletCount == 0)
        #expect(coverage.firstReporter == nil)
        #expect(coverage.unratedOutletShare == 0)
        #expect(coverage.blindspot.smallSample)
    }
}

@Suite("CoverageTally blindspots")
struct BlindspotTests {
    /// One article per outlet, the outlets' biases as given, in order.
    func coverage(_ biases: [Bias?], rule: BlindspotRule = BlindspotRule()) -> Coverage {
        let outlets = biases.enumerated().map { outlet("o\($0.offset)", $0.element) }
        let articles = outlets.enumerated().map { article($0.element.id, minutes: Double($0.offset)) }
        return tally(articles, outlets: outlets, rule: rule)
    }

    @Test func leftBlindspot() {
        let verdict = coverage([.right, .right, .leanRight, .leanRight, .right, .center, nil]).blindspot
        #expect(verdict.missingSide == .left)
        #expect(!verdict.smallSample)
        #expect(verdict.explanation == "blindspot for the Left: Left 0 %, Right 83 % of 6 rated outlets")
    }

    @Test func rightBlindspot() {
        let verdict = coverage([.left, .leanLeft, .left, .leanLeft, .left, .right]).blindspot
        #expect(verdict.missingSide == .right)
        #expect(!verdict.smallSample)
        #expect(verdict.explanation == "blindspot for the Right: Left 83 %, Right 17 % of 6 rated outlets")
    }

    @Test func balanced() {
        let verdict = coverage([.left, .leanLeft, .center, .center, .leanRight, .right]).blindspot
        #expect(verdict.missingSide == nil)
        #expect(!verdict.smallSample)
        #expect(verdict.explanation == "covered across the spectrum: Left 33 %, Right 33 % of 6 rated outlets")
    }

    @Test func smallSampleBelowSixRatedOutlets() {
        // Five rated outlets, all on the right, plus unrated ones that do not count toward the minimum.
        let verdict = coverage([.right, .right, .right, .leanRight, .leanRight, nil, nil, nil]).blindspot
        #expect(verdict.missingSide == nil)
        #expect(verdict.smallSample)
        #expect(verdict.explanation.contains("only 5 rated outlets"))
        #expect(verdict.explanation.contains("fewer than 6"))
    }

    @Test func thresholdsAreInclusive() {
        // 2 of 10 on the left is exactly 20 %, 5 of 10 on the right exactly 50 %.
        let verdict = coverage([.left, .left, .center, .center, .center, .right, .right, .right, .leanRight, .leanRight]).blindspot
        #expect(verdict.missingSide == .left)
        #expect(verdict.explanation.contains("Left 20 %, Right 50 % of 10 rated outlets"))
    }

    @Test func centerHeavyStoryIsNoBlindspot() {
        // The right has 0 %, but the left does not reach 50 %.
        let verdict = coverage([.center, .center, .center, .center, .leanLeft, .left]).blindspot
        #expect(verdict.missingSide == nil)
        #expect(!verdict.smallSample)
    }

    @Test func configuredRuleIsUsed() {
        let rule = BlindspotRule(minimumRatedOutlets: 3, minorityMaximumShare: 0.34, majorityMinimumShare: 0.6)
        let verdict = coverage([.right, .right, .left], rule: rule).blindspot
        #expect(verdict.missingSide == .left)
        #expect(verdict.explanation.contains("of 3 rated outlets"))
        #expect(rule.summary.contains("≥ 3 rated outlets"))
        #expect(rule.summary.contains("≤ 34 %"))
        #expect(rule.summary.contains("≥ 60 %"))
    }
}
