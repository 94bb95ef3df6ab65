import Foundation
import Testing
@testable import Stories

private let start = Date(timeIntervalSince1970: 1_795_000_000)

private func item(_ title: String, hours: Double = 0, url: String? = nil, groupKey: String? = nil) -> Article {
    let time = start.addingTimeInterval(hours * 3600)
    let link = url ?? "https://news.example/\(abs(title.hashValue))"
    return Article(
        canonicalURL: link, url: link, outletID: nil, domain: "news.example", title: title, summary: "", language: "en",
        publishedAt: time, firstSeenAt: time, feedURL: "file:///feed.xml", groupKey: groupKey)
}

/// The user's corrections as the clusterer obeys them. Each test also shows what the clusterer
/// does without the constraint, so that it cannot pass by accident.
@Suite("Clustering constraints")
struct ClusteringConstraintsTests {
    let settings = ClusteringSettings(threshold: 0.95, mergeThreshold: 0.3)
    let rates = "Central bank raises interest rates to curb inflation"
    let ratesAgain = "Interest rates raised again as inflation climbs, central bank says"

    @Test func storiesKeptApartAreNeverMergedButWouldBeOtherwise() {
        for keptApart in [false, true] {
            var clusterer = IncrementalClusterer(settings: settings, nextStoryID: 1)
            let a = clusterer.assign(item(rates))
            let b = clusterer.assign(item(ratesAgain, hours: 1))
            #expect(a.storyID != b.storyID)
            if keptApart { clusterer.constraints = ClusteringConstraints(separated: [(a.storyID, b.storyID)]) }
            #expect(clusterer.endBatch().isEmpty == keptApart)
        }
    }

    @Test func aSeparationFollowsAMergeOfEitherStory() {
        var constraints = ClusteringConstraints(separated: [(1, 2)])
        constraints.merged(3, into: 1)
        #expect(!constraints.mayMerge(1, 2))
        constraints.merged(2, into: 4)
        #expect(!constraints.mayMerge(4, 1) && !constraints.mayMerge(1, 4))
        #expect(constraints.mayMerge(2, 3), "ids that are gone no longer matter")
    }

    @Test func anAggregatorGroupDoesNotJoinStoriesKeptApart() {
        var clusterer = IncrementalClusterer(settings: ClusteringSettings(), nextStoryID: 1)
        let own = clusterer.assign(item("Volcano erupts near Grindavik, Iceland evacuates town"))
        let group = clusterer.assign(item("Live coverage from Reykjanes", hours: 1, groupKey: "agg-7"))
        clusterer.constraints = ClusteringConstraints(separated: [(own.storyID, group.storyID)])
        let bridge = clusterer.assign(item("Iceland volcano erupts near Grindavik as lava flows", hours: 2, groupKey: "agg-7"))
        #expect(bridge.storyID == group.storyID)
        #expect(clusterer.endBatch().isEmpty)
    }

    @Test func aPinnedArticleGoesToItsStoryInsteadOfTheOneItResembles() {
        for pinnedToFootball in [false, true] {
            var clusterer = IncrementalClusterer(settings: ClusteringSettings(), nextStoryID: 1)
            let rates1 = clusterer.assign(item(rates))
            let football = clusterer.assign(item("Football club signs new striker", hours: 1))
            let url = "https://news.example/pinned"
            if pinnedToFootball { clusterer.constraints = ClusteringConstraints(pinned: [url: football.storyID]) }
            let placed = clusterer.assign(item(ratesAgain, hours: 2, url: url))
            #expect(placed.storyID == (pinnedToFootball ? football.storyID : rates1.storyID))
            #expect(placed.reason == (pinnedToFootball ? .corrected : .joined))
        }
    }
}
