import Foundation
import GRDB
import Stories
import Testing
@testable import Store
import TestStates

@Suite("Store retention: prune and tombstones")
struct RetentionTests {
    let now = Date(timeIntervalSince1970: 1_795_000_000)

    private func makeStore(_ backend: StateBackend) async throws -> (any StateStore, URL) {
        let state = try await TestState(backend)
        return (try await state.open(), state.directory)
    }

    private func article(_ slug: String, daysAgo: Double) -> Article {
        let time = now.addingTimeInterval(-daysAgo * 86400)
        let url = "https://news.example/\(slug)"
        return Article(
            canonicalURL: url, url: url, outletID: "a", domain: "news.example", title: "\(slug.capitalized) \(slug) \(slug)", summary: "",
            language: "en", publishedAt: time, firstSeenAt: time, feedURL: "https://news.example/feed")
    }

    /// Each article opens its own story, so story age equals article age.
    private func clusterEachAlone(_ store: any StateStore) async throws {
        try await store.clusterPendingArticles(activeWindowHours: 48) { input in
            let decisions = Dictionary(uniqueKeysWithValues: input.pending.enumerated().map { offset, article in
                (article.id!, Assignment(storyID: input.nextStoryID + Int64(offset), similarity: 0, reason: .newStory))
            })
            return ClusteringOutcome(decisions: decisions, threshold: 0.1)
        }
    }

    @Test(arguments: StateBackend.available) func pruneRemovesOnlyStoriesLastSeenBeforeTheCutoffWithTheirArticles(_ backend: StateBackend) async throws {
        let (store, directory) = try await makeStore(backend)
        defer { try? FileManager.default.removeItem(at: directory) }
        try await store.insertNewArticles([article("old", daysAgo: 100), article("recent", daysAgo: 10)])
        try await clusterEachAlone(store)

        let summary = try await store.prune(before: now.addingTimeInterval(-90 * 86400), now: now)

        #expect(summary.stories == 1)
        #expect(summary.articles == 1)
        #expect(try await store.stories().map(\.title) == ["Recent recent recent"])
        #expect(try await store.articleCount() == 1)
        #expect(try await store.integrityCheck() == "ok")
    }

    @Test(arguments: StateBackend.available) func aPrunedArticleListedAgainByItsFeedIsNotStoredAgain(_ backend: StateBackend) async throws {
        let (store, directory) = try await makeStore(backend)
        defer { try? FileManager.default.removeItem(at: directory) }
        try await store.insertNewArticles([article("old", daysAgo: 100)])
        try await clusterEachAlone(store)
        try await store.prune(before: now.addingTimeInterval(-90 * 86400), now: now)

        let inserted = try await store.insertNewArticles([article("old", daysAgo: 100), article("fresh", daysAgo: 0)])

        #expect(inserted.map(\.canonicalURL) == ["https://news.example/fresh"])
        #expect(try await store.articleCount() == 1)
    }

    @Test(arguments: StateBackend.available) func tombstonesExpireAfterTwiceTheRetention(_ backend: StateBackend) async throws {
        let (store, directory) = try await makeStore(backend)
        defer { try? FileManager.default.removeItem(at: directory) }
        try await store.insertNewArticles([article("old", daysAgo: 100)])
        try await clusterEachAlone(store)
        try await store.prune(before: now.addingTimeInterval(-90 * 86400), now: now)
        let later = now.addingTimeInterval(181 * 86400)

        try await store.prune(before: later.addingTimeInterval(-90 * 86400), now: later)

        // The tombstone is gone: a feed that still lists the article brings it back.
        #expect(try await store.insertNewArticles([article("old", daysAgo: 100)]).count == 1)
    }

    @Test(arguments: StateBackend.available) func theIDsOfPrunedStoriesAreNeverGivenAgain(_ backend: StateBackend) async throws {
        let (store, directory) = try await makeStore(backend)
        defer { try? FileManager.default.removeItem(at: directory) }
        try await store.insertNewArticles([article("one", daysAgo: 100), article("two", daysAgo: 99)])
        try await clusterEachAlone(store)
        try await store.prune(before: now.addingTimeInterval(-90 * 86400), now: now)
        #expect(try await store.stories().isEmpty)

        try await store.insertNewArticles([article("three", daysAgo: 0)])
        try await clusterEachAlone(store)

        #expect(try await store.stories().map(\.id) == [3])
    }

    @Test(arguments: StateBackend.available) func unclusteredArticlesOlderThanTheCutoffArePrunedToo(_ backend: StateBackend) async throws {
        let (store, directory) = try await makeStore(backend)
        defer { try? FileManager.default.removeItem(at: directory) }
        try await store.insertNewArticles([article("stray", daysAgo: 200), article("new", daysAgo: 1)])

        let summary = try await store.prune(before: now.addingTimeInterval(-90 * 86400), now: now)

        #expect(summary.articles == 1)
        #expect(try await store.articleCount() == 1)
    }
}
