import Foundation
import GRDB
import Stories
import Testing
@testable import Store

@Suite("Store retention: prune and tombstones")
struct RetentionTests {
    let now = Date(timeIntervalSince1970: 1_795_000_000)

    private func makeStore() throws -> (Store, URL) {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("parallax-retention-\(UUID().uuidString)")
        return (try Store(path: directory.appendingPathComponent("state.sqlite").path), directory)
    }

    private func article(_ slug: String, daysAgo: Double) -> Article {
        let time = now.addingTimeInterval(-daysAgo * 86400)
        let url = "https://news.example/\(slug)"
        return Article(
            canonicalURL: url, url: url, outletID: "a", domain: "news.example", title: "\(slug.capitalized) \(slug) \(slug)", summary: "",
            language: "en", publishedAt: time, firstSeenAt: time, feedURL: "https://news.example/feed")
    }

    /// Each article opens its own story, so story age equals article age.
    private func clusterEachAlone(_ store: Store) throws {
        try store.clusterPendingArticles(activeWindowHours: 48) { input in
            let decisions = Dictionary(uniqueKeysWithValues: input.pending.enumerated().map { offset, article in
                (article.id!, Assignment(storyID: input.nextStoryID + Int64(offset), similarity: 0, reason: .newStory))
            })
            return Store.ClusteringOutcome(decisions: decisions, threshold: 0.1)
        }
    }

    @Test func pruneRemovesOnlyStoriesLastSeenBeforeTheCutoffWithTheirArticles() throws {
        let (store, directory) = try makeStore()
        defer { try? FileManager.default.removeItem(at: directory) }
        try store.insertNewArticles([article("old", daysAgo: 100), article("recent", daysAgo: 10)])
        try clusterEachAlone(store)

        let summary = try store.prune(before: now.addingTimeInterval(-90 * 86400), now: now)

        #expect(summary.stories == 1)
        #expect(summary.articles == 1)
        #expect(try store.stories().map(\.title) == ["Recent recent recent"])
        #expect(try store.articleCount() == 1)
        #expect(try store.integrityCheck() == "ok")
    }

    @Test func aPrunedArticleListedAgainByItsFeedIsNotStoredAgain() throws {
        let (store, directory) = try makeStore()
        defer { try? FileManager.default.removeItem(at: directory) }
        try store.insertNewArticles([article("old", daysAgo: 100)])
        try clusterEachAlone(store)
        try store.prune(before: now.addingTimeInterval(-90 * 86400), now: now)

        let inserted = try store.insertNewArticles([article("old", daysAgo: 100), article("fresh", daysAgo: 0)])

        #expect(inserted.map(\.canonicalURL) == ["https://news.example/fresh"])
        #expect(try store.articleCount() == 1)
    }

    @Test func tombstonesExpireAfterTwiceTheRetention() throws {
        let (store, directory) = try makeStore()
        defer { try? FileManager.default.removeItem(at: directory) }
        try store.insertNewArticles([article("old", daysAgo: 100)])
        try clusterEachAlone(store)
        try store.prune(before: now.addingTimeInterval(-90 * 86400), now: now)
        let later = now.addingTimeInterval(181 * 86400)

        try store.prune(before: later.addingTimeInterval(-90 * 86400), now: later)

        let tombstones = try store.database.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM prunedArticle") }
        #expect(tombstones == 0)
    }

    @Test func theIDsOfPrunedStoriesAreNeverGivenAgain() throws {
        let (store, directory) = try makeStore()
        defer { try? FileManager.default.removeItem(at: directory) }
        try store.insertNewArticles([article("one", daysAgo: 100), article("two", daysAgo: 99)])
        try clusterEachAlone(store)
        try store.prune(before: now.addingTimeInterval(-90 * 86400), now: now)
        #expect(try store.stories().isEmpty)

        try store.insertNewArticles([article("three", daysAgo: 0)])
        try clusterEachAlone(store)

        #expect(try store.stories().map(\.id) == [3])
    }

    @Test func unclusteredArticlesOlderThanTheCutoffArePrunedToo() throws {
        let (store, directory) = try makeStore()
        defer { try? FileManager.default.removeItem(at: directory) }
        try store.insertNewArticles([article("stray", daysAgo: 200), article("new", daysAgo: 1)])

        let summary = try store.prune(before: now.addingTimeInterval(-90 * 86400), now: now)

        #expect(summary.articles == 1)
        #expect(try store.articleCount() == 1)
    }
}
