import Feeds
import Foundation
// GRDB comes with Store; it is imported here only to look at the schema the migrations made.
import GRDB
import Outlets
import Stories
import Testing
@testable import Store
import TestStates

private let t0 = Date(timeIntervalSince1970: 1_795_000_000)

/// A fresh SQLite database in its own temporary folder, removed when the test ends (for the
/// tests of SQLite's own schema and files).
private final class TemporaryStore {
    let directory: URL
    let path: String
    let store: SQLiteStore

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("parallax-store-\(UUID().uuidString)")
        path = directory.appendingPathComponent("nested/state.sqlite").path
        store = try SQLiteStore(path: path)
    }

    deinit { try? FileManager.default.removeItem(at: directory) }
}

private func article(_ slug: String, title: String, summary: String = "", minutes: Double, outletID: String? = "a") -> Article {
    let url = "https://\(outletID ?? "blog").example/\(slug)"
    let time = t0.addingTimeInterval(minutes * 60)
    return Article(
        canonicalURL: url, url: url + "?utm_source=rss", outletID: outletID, domain: "\(outletID ?? "blog").example",
        title: title, summary: summary, language: "en", publishedAt: time, firstSeenAt: time.addingTimeInterval(30),
        feedURL: "file:///feed.xml")
}

private let quake1 = article("quake-1", title: "Magnitude 6.1 earthquake strikes southern Chile coast",
                             summary: "A strong earthquake shook the coast of Chile near Valdivia.", minutes: 0)
private let budget1 = article("budget-1", title: "Parliament passes budget with tax cuts for farmers",
                              summary: "Lawmakers approved the spending plan after a debate over farm subsidies.", minutes: 10, outletID: "b")
private let quake2 = article("quake-2", title: "Strong 6.1 quake hits Chile's southern coast near Valdivia",
                             summary: "The earthquake struck off Valdivia, Chile.", minutes: 20, outletID: "b")
private let budget2 = article("budget-2", title: "Farmers welcome parliament budget tax cuts",
                              summary: "Farm groups praised the budget's tax cuts for farmers.", minutes: 30, outletID: nil)

/// The assignment the pipeline makes: seed the active stories, then place the pending articles in order.
private func cluster(_ input: ClusteringInput) -> ClusteringOutcome {
    var clusterer = IncrementalClusterer(settings: ClusteringSettings(), nextStoryID: input.nextStoryID)
    clusterer.seed(input.activeStories.sorted(by: { $0.key < $1.key }).map { (storyID: $0.key, members: $0.value) })
    var decisions: [Int64: Assignment] = [:]
    for article in input.pending {
        decisions[article.id!] = clusterer.assign(article)
    }
    return ClusteringOutcome(decisions: decisions, merges: clusterer.endBatch(), threshold: 0.16)
}

@Suite("Store")
struct StoreTests {
    @Test(arguments: StateBackend.available) func migrationsCreateAnEmptySoundDatabase(_ backend: StateBackend) async throws {
        let store = try await TestState(backend).open()
        #expect(try await store.appliedMigrations() == StateSchema.migrations)
        #expect(try await store.integrityCheck() == "ok")
        #expect(try await store.articleCount() == 0)
        #expect(try await store.stories().isEmpty)
        #expect(try await store.feedStates().isEmpty)
        #expect(try await store.story(id: 1) == nil)
    }

    @Test func migrationsCreateTheSchema() throws {
        let temporary = try TemporaryStore()
        let database = try DatabaseQueue(path: temporary.path)
        try database.read { db in
            let tables = try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
            // Later migrations may add to the schema; these must always be there.
            #expect(Set(tables).isSuperset(of: ["article", "feed", "grdb_migrations", "outlet", "story", "storyMember"]))
            #expect(Set(try db.columns(in: "article").map(\.name)).isSuperset(of: [
                "id", "canonicalURL", "url", "outletID", "domain", "sourceName", "title", "summary", "language",
                "publishedAt", "firstSeenAt", "feedURL", "fingerprint",
            ]))
            #expect(Set(try db.columns(in: "story").map(\.name)).isSuperset(of: ["id", "title", "firstSeenAt", "lastSeenAt", "articleCount"]))
            #expect(try db.indexes(on: "article").contains { $0.columns == ["canonicalURL"] && $0.isUnique })
            #expect(try db.foreignKeys(on: "storyMember").map(\.destinationTable).sorted() == ["article", "story"])
            #expect(try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations").first == "v1: outlets, feeds, articles, stories")
            #expect(try String.fetchOne(db, sql: "PRAGMA journal_mode") == "wal")
        }
    }

    @Test(arguments: StateBackend.available) func reopeningKeepsTheDataAndDoesNotMigrateTwice(_ backend: StateBackend) async throws {
        let state = try await TestState(backend)
        try await state.open().insertNewArticles([quake1])
        let reopened = try await state.open()
        #expect(try await reopened.articleCount() == 1)
        #expect(try await reopened.integrityCheck() == "ok")
    }

    @Test func unopenablePathThrows() throws {
        let temporary = try TemporaryStore()
        // A folder where the database file should be.
        let folder = temporary.directory.appendingPathComponent("is-a-folder")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        #expect(throws: StoreError.self) { try SQLiteStore(path: folder.path) }
    }

    @Test(arguments: StateBackend.available) func insertNewArticlesIsIdempotentByCanonicalURL(_ backend: StateBackend) async throws {
        let store = try await TestState(backend).open()
        let first = try await store.insertNewArticles([quake1, budget1])
        #expect(first.map(\.canonicalURL) == [quake1.canonicalURL, budget1.canonicalURL])
        #expect(first.allSatisfy { $0.id != nil })
        #expect(Set(first.compactMap(\.id)).count == 2)

        #expect(try await store.insertNewArticles([quake1, budget1]) == [])

        // Same canonical URL with other text: still the known article, left as it was.
        var changed = quake1
        changed.title = "Edited headline"
        changed.url = "https://a.example/quake-1#comments"
        let mixed = try await store.insertNewArticles([changed, quake2])
        #expect(mixed.map(\.canonicalURL) == [quake2.canonicalURL])
        #expect(try await store.articleCount() == 3)

        // Duplicates inside one batch are stored once.
        #expect(try await store.insertNewArticles([budget2, budget2]).count == 1)
        #expect(try await store.articleCount() == 4)
    }

    @Test(arguments: StateBackend.available) func clusterPendingArticlesAssignsEveryPendingArticleInOneCall(_ backend: StateBackend) async throws {
        let store = try await TestState(backend).open()
        try await store.insertNewArticles([budget2, quake2, budget1, quake1])

        var calls = 0
        var seenPending: [String] = []
        let touched = try await store.clusterPendingArticles(activeWindowHours: 72) { input in
            calls += 1
            seenPending = input.pending.map(\.canonicalURL)
            #expect(input.activeStories.isEmpty)
            #expect(input.nextStoryID == 1)
            return cluster(input)
        }
        #expect(calls == 1)
        // Pending articles come oldest first, whatever the insertion order.
        #expect(seenPending == [quake1, budget1, quake2, budget2].map(\.canonicalURL))
        #expect(touched == [1, 2])

        let stories = try await store.stories()
        #expect(stories.count == 2)
        let quake = try #require(try await store.story(id: 1))
        #expect(quake.title == quake1.title)
        #expect(quake.firstSeenAt == quake1.time)
        #expect(quake.lastSeenAt == quake2.time)
        #expect(quake.articleCount == 2)
        let budget = try #require(try await store.story(id: 2))
        #expect(budget.title == budget1.title)
        #expect(budget.firstSeenAt == budget1.time)
        #expect(budget.lastSeenAt == budget2.time)
        #expect(budget.articleCount == 2)

        let quakeMembers = try await store.articles(inStory: 1)
        #expect(Set(quakeMembers.map(\.canonicalURL)) == [quake1.canonicalURL, quake2.canonicalURL])
        #expect(quakeMembers.allSatisfy { $0.storyID == 1 })
        // What comes back is what went in.
        let storedQuake1 = try #require(quakeMembers.first { $0.canonicalURL == quake1.canonicalURL })
        #expect(storedQuake1.url == quake1.url)
        #expect(storedQuake1.title == quake1.title)
        #expect(storedQuake1.summary == quake1.summary)
        #expect(storedQuake1.outletID == "a")
        #expect(storedQuake1.publishedAt == quake1.publishedAt)
        #expect(storedQuake1.firstSeenAt == quake1.firstSeenAt)
        #expect(storedQuake1.fingerprint == quake1.fingerprint)
        #expect(try await store.articles(inStory: 2).count == 2)
        #expect(try await store.integrityCheck() == "ok")
    }

    @Test(arguments: StateBackend.available) func secondCallWithNothingPendingDoesNothing(_ backend: StateBackend) async throws {
        let store = try await TestState(backend).open()
        try await store.insertNewArticles([quake1, budget1])
        try await store.clusterPendingArticles(activeWindowHours: 72, assign: cluster)
        let before = try await store.stories()

        var calls = 0
        let touched = try await store.clusterPendingArticles(activeWindowHours: 72) { input in
            calls += 1
            return cluster(input)
        }
        #expect(touched.isEmpty)
        #expect(calls == 0)
        #expect(try await store.stories() == before)
    }

    @Test(arguments: StateBackend.available) func laterArticlesJoinStoredStoriesAndNewIDsContinue(_ backend: StateBackend) async throws {
        let store = try await TestState(backend).open()
        try await store.insertNewArticles([quake1, budget1])
        try await store.clusterPendingArticles(activeWindowHours: 72, assign: cluster)

        try await store.insertNewArticles([quake2, article("volcano", title: "Volcano erupts in Iceland near Grindavik", minutes: 40)])
        var input: ClusteringInput?
        let touched = try await store.clusterPendingArticles(activeWindowHours: 72) { given in
            input = given
            return cluster(given)
        }
        #expect(input?.nextStoryID == 3)
        #expect(input.map { Set($0.activeStories.keys) } == [1, 2])
        #expect(input?.pending.count == 2)
        #expect(touched == [1, 3])
        #expect(try await store.story(id: 1)?.articleCount == 2)
        #expect(try await store.story(id: 1)?.lastSeenAt == quake2.time)
        #expect(try await store.story(id: 2)?.articleCount == 1)
        #expect(try await store.story(id: 3)?.title == "Volcano erupts in Iceland near Grindavik")
        // Most covered first.
        #expect(try await store.stories().map(\.id) == [1, 3, 2])
    }

    @Test(arguments: StateBackend.available) func storiesSinceFiltersByLastSeen(_ backend: StateBackend) async throws {
        let store = try await TestState(backend).open()
        try await store.insertNewArticles([quake1, budget1])
        try await store.clusterPendingArticles(activeWindowHours: 72, assign: cluster)
        #expect(try await store.stories(since: t0.addingTimeInterval(5 * 60)).map(\.id) == [2])
        #expect(try await store.stories(since: t0.addingTimeInterval(3600)).isEmpty)
    }

    @Test(arguments: StateBackend.available) func mergedStoriesRedirectAndKeepTheOlderID(_ backend: StateBackend) async throws {
        let store = try await TestState(backend).open()
        try await store.insertNewArticles([quake1, budget1])
        try await store.clusterPendingArticles(activeWindowHours: 72, assign: cluster)
        try await store.insertNewArticles([quake2])
        // A clusterer that puts quake2 in a story of its own, then finds it is story 1's event.
        let touched = try await store.clusterPendingArticles(activeWindowHours: nil) { input in
            #expect(input.activeStories.isEmpty, "not asked for")
            let id = input.pending[0].id!
            return ClusteringOutcome(
                decisions: [id: Assignment(storyID: input.nextStoryID, similarity: 0.05, reason: .newStory)],
                merges: [StoryMerge(from: input.nextStoryID, into: 1, similarity: 0.7, reason: .similar)], threshold: 0.16)
        }
        #expect(touched == [1])
        #expect(try await store.story(id: 3) == nil)
        #expect(try await store.resolveStoryID(3) == 1)
        #expect(try await store.resolveStoryID(1) == 1)
        #expect(try await store.resolveStoryID(99) == nil)
        let quake = try #require(try await store.story(id: 1))
        #expect(quake.articleCount == 2)
        #expect(quake.lastSeenAt == quake2.time)
        let records = try await store.explanationRecords(storyID: 1)
        let moved = try #require(records.first { $0.article.canonicalURL == quake2.canonicalURL })
        #expect(moved.reason == "new")
        #expect(moved.mergedFrom == 3)
        #expect(moved.mergeScore == 0.7)
        #expect(moved.threshold == 0.16)
        // A merged-away id is never given again.
        try await store.insertNewArticles([article("volcano", title: "Volcano erupts in Iceland near Grindavik", minutes: 40)])
        var next: Int64 = 0
        try await store.clusterPendingArticles(activeWindowHours: 72) { input in
            next = input.nextStoryID
            return cluster(input)
        }
        #expect(next == 4)
    }

    @Test(arguments: StateBackend.available) func nearDuplicatesTakeTheFirstCopysFingerprintAndGroupKeysAreStored(_ backend: StateBackend) async throws {
        let store = try await TestState(backend).open()
        var grouped = budget1
        grouped.groupKey = "news.example/cluster/42"
        try await store.insertNewArticles([quake1, grouped])
        try await store.clusterPendingArticles(activeWindowHours: 72) { input in
            let ids = input.pending.map { $0.id! }
            return ClusteringOutcome(
                decisions: [
                    ids[0]: Assignment(storyID: 1, similarity: 0, reason: .newStory),
                    ids[1]: Assignment(storyID: 1, similarity: 0.4, reason: .joined, duplicateOf: "00000000000000aa"),
                ], threshold: 0.16)
        }
        let members = try await store.articles(inStory: 1)
        #expect(members.first { $0.canonicalURL == budget1.canonicalURL }?.fingerprint == "00000000000000aa")
        #expect(members.first { $0.canonicalURL == budget1.canonicalURL }?.groupKey == "news.example/cluster/42")
        #expect(members.first { $0.canonicalURL == quake1.canonicalURL }?.fingerprint == quake1.fingerprint)
        #expect(members.first { $0.canonicalURL == quake1.canonicalURL }?.groupKey == nil)
    }

    @Test(arguments: StateBackend.available) func aStoryTitleFollowsTheMajorityLanguage(_ backend: StateBackend) async throws {
        let store = try await TestState(backend).open()
        var korean = article("ko-1", title: "칠레 남부 해안 지진", minutes: -5, outletID: "k")
        korean.language = "ko"
        try await store.insertNewArticles([korean])
        try await store.clusterPendingArticles(activeWindowHours: 72) { input in
            ClusteringOutcome(decisions: [input.pending[0].id!: Assignment(storyID: 1, similarity: 0, reason: .newStory)], threshold: 0.16)
        }
        #expect(try await store.story(id: 1)?.title == korean.title)
        try await store.insertNewArticles([quake1, quake2])
        try await store.clusterPendingArticles(activeWindowHours: 72) { input in
            ClusteringOutcome(
                decisions: Dictionary(uniqueKeysWithValues: input.pending.map { ($0.id!, Assignment(storyID: 1, similarity: 0.3, reason: .joined)) }),
                threshold: 0.16)
        }
        let story = try #require(try await store.story(id: 1))
        #expect(story.title == quake1.title)
        #expect(story.articleCount == 3)
        #expect(story.firstSeenAt == korean.time)
    }

    @Test(arguments: StateBackend.available) func feedStateIsStoredExactlyAndReplacedWhole(_ backend: StateBackend) async throws {
        let store = try await TestState(backend).open()
        let source = FeedSource(url: "https://a.example/rss", kind: .feed, outletID: "a")
        var state = FeedState(url: source.url)
        state.etag = "W/\"abc\"  "
        state.lastModified = "Wed, 18 Nov 2026 07:30:00 GMT"
        state.lastAttemptAt = t0
        state.lastSuccessAt = t0
        state.lastStatus = 200
        state.nextPollAt = t0.addingTimeInterval(1800)
        state.responseCount = 4
        state.notModifiedCount = 3
        state.redirectCandidate = "https://b.example/rss"
        state.redirectSeenCount = 2
        let inserted = try await store.recordFetch(of: source, state: state, articles: [quake1])
        #expect(inserted.count == 1)
        #expect(try await store.feedStates()[source.url] == state)

        state.lastStatus = 503
        state.lastError = "HTTP 503"
        state.consecutiveErrors = 1
        state.failingSince = t0.addingTimeInterval(3600)
        state.parkedAt = t0.addingTimeInterval(7200)
        state.parkedReason = "gone"
        try await store.recordFetch(of: source, state: state, articles: [quake1])
        #expect(try await store.feedStates()[source.url] == state)
        #expect(try await store.articleCount() == 1)
        #expect(try await store.unpark(feedURL: source.url))
        let unparked = try #require(try await store.feedStates()[source.url])
        #expect(!unparked.isParked && unparked.nextPollAt == nil && unparked.etag == state.etag)
    }

    @Test(arguments: StateBackend.available) func hostPausesKeepTheLatestEnd(_ backend: StateBackend) async throws {
        let store = try await TestState(backend).open()
        try await store.pauseHost("a.example", until: t0.addingTimeInterval(600), reason: "429")
        try await store.pauseHost("a.example", until: t0.addingTimeInterval(300), reason: "503")
        #expect(try await store.hostPauses(after: t0) == ["a.example": t0.addingTimeInterval(600)])
        #expect(try await store.hostPauses(after: t0.addingTimeInterval(601)).isEmpty)
    }
}
