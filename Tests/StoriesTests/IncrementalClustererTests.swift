import Foundation
import Testing
@testable import Stories

private let start = Date(timeIntervalSince1970: 1_795_000_000)

private func article(
    _ title: String, _ summary: String = "", hours: Double = 0, url: String? = nil, domain: String = "news.example",
    language: String = "en", groupKey: String? = nil
) -> Article {
    let time = start.addingTimeInterval(hours * 3600)
    let link = url ?? "https://\(domain)/\(abs(title.hashValue))"
    return Article(
        canonicalURL: link, url: link, outletID: nil, domain: domain, title: title, summary: summary,
        language: language, publishedAt: time, firstSeenAt: time, feedURL: "file:///feed.xml", groupKey: groupKey)
}

private let quakeA = article(
    "Magnitude 6.1 earthquake strikes southern Chile coast",
    "A strong earthquake shook the southern coast of Chile near Valdivia, officials said, with no tsunami warning.")
private let quakeB = article(
    "Strong 6.1 quake hits Chile's southern coast near Valdivia",
    "The earthquake struck off Valdivia; Chilean officials issued no tsunami warning.", hours: 1)
private let budget = article(
    "Parliament passes budget with tax cuts for farmers",
    "Lawmakers approved the spending plan late on Tuesday after a long debate over farm subsidies.", hours: 2)

@Suite("IncrementalClusterer")
struct IncrementalClustererTests {
    @Test func differentStoriesStayApart() {
        var clusterer = IncrementalClusterer(settings: ClusteringSettings(), nextStoryID: 1)
        let first = clusterer.assign(quakeA)
        let second = clusterer.assign(budget)
        #expect(first == Assignment(storyID: 1, similarity: 0, reason: .newStory))
        #expect(second.storyID == 2)
        #expect(second.isNewStory)
    }

    @Test func paraphrasedHeadlinesJoin() {
        var clusterer = IncrementalClusterer(settings: ClusteringSettings(), nextStoryID: 1)
        _ = clusterer.assign(quakeA)
        _ = clusterer.assign(budget)
        let joined = clusterer.assign(quakeB)
        #expect(joined.storyID == 1)
        #expect(!joined.isNewStory)
        #expect(joined.similarity >= ClusteringSettings().threshold)
        #expect(joined.reason == .joined)
        #expect(joined.similarity <= 1)
    }

    @Test func articleBeyondTheWindowOpensANewStory() {
        let settings = ClusteringSettings(windowHours: 72)
        var clusterer = IncrementalClusterer(settings: settings, nextStoryID: 1)
        _ = clusterer.assign(quakeA)
        // The very same text, 73 hours later, is another event.
        let late = clusterer.assign(article(quakeA.title, quakeA.summary, hours: 73, url: "https://news.example/late"))
        #expect(late.isNewStory)
        #expect(late.storyID == 2)
        // Just inside the window it would have joined.
        let inside = clusterer.assign(article(quakeA.title, quakeA.summary, hours: 71, url: "https://news.example/inside"))
        #expect(!inside.isNewStory)
    }

    @Test func aStoryClosesItsHoursAfterItsFirstArticleEvenWhileItKeepsGrowing() {
        var clusterer = IncrementalClusterer(settings: ClusteringSettings(windowHours: 48, storyHours: 24), nextStoryID: 1)
        let first = clusterer.assign(quakeA)
        // Each article comes long before the story would be idle: only its age closes it.
        let later = clusterer.assign(article(quakeA.title, quakeA.summary, hours: 12, url: "https://news.example/12"))
        let last = clusterer.assign(article(quakeA.title, quakeA.summary, hours: 23.5, url: "https://news.example/23"))
        #expect(later.storyID == first.storyID && last.storyID == first.storyID)
        let next = clusterer.assign(article(quakeA.title, quakeA.summary, hours: 24.5, url: "https://news.example/24"))
        #expect(next.isNewStory, "a day after its first article the story is closed; this is a new development")
    }

    @Test func slugWordsOfTheLinkCount() {
        #expect(IncrementalClusterer.slugText(of: "http://www.upi.com/Entertainment_News/Music/2014/05/20/Paul-McCartney-cancels-rest-of-Japanese-tour-over-illness/2491400610428/")
            == "Paul McCartney cancels rest of Japanese tour over illness")
        #expect(IncrementalClusterer.slugText(of: "http://www.just-drinks.com/news/fda-approves-aspartame-based-sweetener-advantame_id113750.aspx")
            == "fda approves aspartame based sweetener advantame")
        #expect(IncrementalClusterer.slugText(of: "https://news.example/world/europe/") == nil, "section names are no slug")
        #expect(IncrementalClusterer.slugText(of: "http://www.wpcentral.com/comment/923108") == nil)
        #expect(IncrementalClusterer.slugText(of: "uci:12345") == nil)
        #expect(IncrementalClusterer.slugText(of: "https://a.example/2014/05/storm-hits-coast?utm_source=rss-feed-now") == "storm hits coast")
        // Headlines sharing no word, links naming the same event: the slugs join them.
        var clusterer = IncrementalClusterer(settings: ClusteringSettings(), nextStoryID: 1)
        let a = clusterer.assign(article("A long night for the city", url: "https://a.example/2014/05/20/harbour-bridge-collapses-in-storm"))
        let b = clusterer.assign(article("What we know so far", hours: 1, url: "https://b.example/news/storm-collapses-harbour-bridge.html"))
        #expect(b.storyID == a.storyID)
        var plain = IncrementalClusterer(settings: ClusteringSettings(slugWeight: 0), nextStoryID: 1)
        let c = plain.assign(article("A long night for the city", url: "https://a.example/2014/05/20/harbour-bridge-collapses-in-storm"))
        #expect(plain.assign(article("What we know so far", hours: 1, url: "https://b.example/news/storm-collapses-harbour-bridge.html")).storyID != c.storyID)
    }

    @Test func theShownHeadlineIsTheMemberClosestToTheStorysCentreAndFollowsItsGrowth() {
        var clusterer = IncrementalClusterer(settings: ClusteringSettings(), nextStoryID: 1)
        // An aggregator group puts an off-topic headline first.
        let seed = clusterer.assign(article("Live: everything you need to know this morning", url: "https://a.example/1", groupKey: "g"))
        _ = clusterer.endBatch()
        #expect(clusterer.chosenTitles == [seed.storyID: "https://a.example/1"])
        for (index, title) in [
            "Volcano erupts near Grindavik, Iceland evacuates town", "Iceland volcano erupts near Grindavik as lava flows",
            "Grindavik evacuated as Iceland volcano erupts",
        ].enumerated() {
            #expect(clusterer.assign(article(title, hours: Double(index + 1), url: "https://v.example/\(index)", groupKey: "g")).storyID == seed.storyID)
        }
        _ = clusterer.endBatch()
        let chosen = clusterer.chosenTitles[seed.storyID]
        #expect(chosen?.hasPrefix("https://v.example/") == true, "a volcano headline, not the first article's")
        _ = clusterer.endBatch()
        #expect(clusterer.chosenTitles.isEmpty, "nothing changed since")
    }

    @Test func identicalTextJoinsWithFullSimilarity() {
        var clusterer = IncrementalClusterer(settings: ClusteringSettings(), nextStoryID: 1)
        _ = clusterer.assign(quakeA)
        let copy = clusterer.assign(article(quakeA.title, quakeA.summary, url: "https://wire.example/copy"))
        #expect(copy.storyID == 1)
        #expect(abs(copy.similarity - 1) < 1e-9)
    }

    @Test func seededStoriesKeepTheirIDsAndNewIDsContinueAfterTheLargest() {
        var clusterer = IncrementalClusterer(settings: ClusteringSettings(), nextStoryID: 1)
        clusterer.seed([(storyID: 41, members: [quakeA]), (storyID: 7, members: [budget])])
        let joined = clusterer.assign(quakeB)
        #expect(joined.storyID == 41)
        #expect(!joined.isNewStory)
        let fresh = clusterer.assign(article("Volcano erupts in Iceland", "Lava flows toward the town of Grindavik.", hours: 3))
        #expect(fresh.storyID == 42)
        #expect(fresh.isNewStory)
    }

    @Test func nextStoryIDFromTheStoreIsRespected() {
        var clusterer = IncrementalClusterer(settings: ClusteringSettings(), nextStoryID: 100)
        clusterer.seed([(storyID: 5, members: [budget])])
        #expect(clusterer.assign(quakeA).storyID == 100)
    }

    @Test func emptyTextOpensItsOwnStory() {
        var clusterer = IncrementalClusterer(settings: ClusteringSettings(), nextStoryID: 1)
        _ = clusterer.assign(quakeA)
        let empty = clusterer.assign(article("", "", url: "https://news.example/empty"))
        #expect(empty.isNewStory)
    }

    @Test func sameInputInSameOrderGivesSameAssignments() {
        let articles = [
            quakeA, budget, quakeB,
            article("Farmers welcome budget tax cuts", "Farm groups praised the tax cuts in the budget passed by parliament.", hours: 3),
            article("Tsunami fears ease after Chile earthquake", "No tsunami followed the 6.1 earthquake off Valdivia, Chile.", hours: 4),
            article("Volcano erupts in Iceland", "Lava flows toward the town of Grindavik.", hours: 5),
            article("Iceland volcano eruption threatens Grindavik", "Lava from the eruption flows toward Grindavik.", hours: 6),
            article("Parliament budget vote: what the tax cuts mean", "The budget's farm tax cuts explained.", hours: 7),
        ]
        func run() -> [Assignment] {
            var clusterer = IncrementalClusterer(settings: ClusteringSettings(), nextStoryID: 1)
            clusterer.seed([(storyID: 3, members: [article("Old unrelated story about chess", "A chess final.", hours: -1)])])
            return articles.map { clusterer.assign($0) }
        }
        let first = run()
        for _ in 0..<5 {
            let again = run()
            #expect(again.map(\.storyID) == first.map(\.storyID))
            #expect(again.map(\.isNewStory) == first.map(\.isNewStory))
            for (a, b) in zip(again, first) { #expect(abs(a.similarity - b.similarity) < 1e-12) }
        }
        // And the grouping is the expected one: quake, budget, volcano.
        let ids = first.map(\.storyID)
        #expect(ids[0] == ids[2] && ids[2] == ids[4])
        #expect(ids[1] == ids[3] && ids[3] == ids[7])
        #expect(ids[5] == ids[6])
        #expect(Set(ids).count == 3)
        #expect(!ids.contains(3))
        #expect(ids.min()! >= 4)
    }

    @Test func settingsSummaryNamesTheVersionAndThresholds() {
        let summary = ClusteringSettings(threshold: 0.3, windowHours: 48, titleWeight: 2).summary
        #expect(summary.hasPrefix(ClusteringSettings.version))
        #expect(summary.contains("0.3"))
        #expect(summary.contains("48"))
    }
}

@Suite("Story.representativeTitle")
struct RepresentativeTitleTests {
    @Test func earliestArticleInTheMajorityLanguage() {
        var korean = article("서울에서 지진 발생", hours: -5, url: "https://ko.example/1")
        korean.language = "ko"
        let members = [article("Later English headline", hours: 2, url: "https://a.example/2"), korean,
                       article("Earliest English headline", hours: 1, url: "https://a.example/1")]
        #expect(Story.representativeTitle(of: members) == "Earliest English headline")
        #expect(Story.representativeTitle(of: []) == "")
    }
}

/// Outlet suffixes are trimmed like `trimmingCharacters(in: .whitespaces)`: tabs and Unicode
/// spaces go, line breaks and letters stay.
@Test func outletSuffixTrimmingMatchesFoundation() {
    for text in ["  Reuters\t", "\u{00A0}CNN\u{2009}", "", "   ", "Le Monde", "\u{3000}朝日新聞 ", "BBC\n", " é "] {
        #expect(IncrementalClusterer.trimmed(text) == text.trimmingCharacters(in: .whitespaces), "\(text.debugDescription)")
    }
}
