import Config
import Coverage
import Crawl
import Feeds
import Foundation
import Logging
import Outlets
import Reports
import ReportsIO
import Store
import Stories

/// Why a command could not do its work at all.
public enum FrontendError: Error, CustomStringConvertible {
    case config(ConfigError)
    case state(StoreError)
    case reports(path: String, reason: String)
    case noSuchStory(Int64)
    case other(String)

    public var description: String {
        switch self {
        case .config(let error): "\(error)"
        case .state(let error): "\(error)"
        case .reports(let path, let reason): "\(path): cannot write reports: \(reason)"
        case .noSuchStory(let id): "no story with id \(id) (see `parallax stories`)"
        case .other(let message): message
        }
    }
}

public struct CrawlSummary: Sendable {
    public var results: [FeedResult]
    public var newArticles: Int
    public var failedFeeds: [FeedResult] { results.filter { !$0.succeeded } }
}

public struct RunSummary: Sendable {
    public var crawl: CrawlSummary
    public var storiesTouched: Int
    public var reportsWritten: Int
    public var seconds: Double

    public var line: String {
        let failed = crawl.failedFeeds.count
        return "parallax run: \(crawl.results.count - failed) feeds read, \(failed) failed, \(crawl.newArticles) new articles, "
            + "\(storiesTouched) stories touched, \(reportsWritten) report files written in \(String(format: "%.1f", seconds)) s"
    }
}

/// Does what the commands ask: every stage wired in order, each one testable on its own.
/// The CLI only parses flags and prints what this returns.
public struct Frontend: Sendable {
    public let config: ParallaxConfig
    public let store: Store
    public let registry: OutletRegistry
    public let reportsDirectory: URL
    private let logger: Logger

    /// Loads the config and opens (creating or migrating) the state database.
    /// - Parameters:
    ///   - statePath: overrides the config's `state:`.
    ///   - reportsPath: overrides the config's `reports:`; the default is `reports/` in the working directory.
    public init(configPath: String, statePath: String? = nil, reportsPath: String? = nil, logger: Logger = Logger(label: "parallax")) throws(FrontendError) {
        do {
            config = try ConfigLoader.load(path: configPath)
        } catch {
            throw .config(error)
        }
        do {
            store = try Store(path: statePath.map { URL(fileURLWithPath: $0).standardizedFileURL.path } ?? config.statePath)
        } catch {
            throw .state(error)
        }
        registry = OutletRegistry(config.outlets)
        reportsDirectory = URL(fileURLWithPath: reportsPath ?? config.reportsPath ?? "reports").standardizedFileURL
        self.logger = logger
    }

    public var method: Method {
        Method(outlets: config.outlets, clustering: config.clustering.summary, blindspot: config.blindspot, rule: config.ratingRule)
    }

    // MARK: - Stages

    /// Reads every feed and stores the articles not seen before.
    public func crawl(settings: CrawlSettings = CrawlSettings(), now: @escaping @Sendable () -> Date = Date.init) async throws -> CrawlSummary {
        try store.replaceOutlets(config.outlets)
        let results = await Crawler(settings: settings, registry: registry).crawl(config.feeds, now: now)
        var newArticles = 0
        for result in results {
            // One transaction per feed: a failure later in the run keeps what earlier feeds gave.
            let inserted = try store.insertNewArticles(result.articles)
            newArticles += inserted.count
            try store.recordFeedStatus(
                FeedStatus(
                    url: result.source.url, lastAttemptAt: result.fetchedAt,
                    lastSuccessAt: result.succeeded ? result.fetchedAt : nil, lastStatus: result.httpStatus,
                    lastError: result.error?.description, consecutiveErrors: 0, itemCount: result.articles.count),
                source: result.source)
            if let error = result.error {
                logger.error("\(result.source.url): \(error)")
            } else {
                for warning in result.warnings { logger.warning("\(result.source.url): \(warning)") }
                logger.info("\(result.source.url): \(result.articles.count) items, \(inserted.count) new")
            }
        }
        return CrawlSummary(results: results, newArticles: newArticles)
    }

    /// Places every article not yet in a story, oldest first, into stories.
    /// - Returns: the ids of the stories that gained articles.
    public func cluster() throws -> Set<Int64> {
        try Self.clusterPendingArticles(in: store, settings: config.clustering)
    }

    /// The one clustering path, shared by `run` and `eval clustering`: every unclustered article,
    /// oldest first, against the stories still open, in one transaction.
    static func clusterPendingArticles(in store: Store, settings: ClusteringSettings) throws -> Set<Int64> {
        try store.clusterPendingArticles(windowHours: settings.windowHours) { input in
            var clusterer = IncrementalClusterer(settings: settings, nextStoryID: input.nextStoryID)
            for (storyID, members) in input.activeStories.sorted(by: { $0.key < $1.key }) {
                clusterer.seed(storyID: storyID, members: members)
            }
            var decisions: [Int64: Assignment] = [:]
            for article in input.pending {
                guard let id = article.id else { continue }
                decisions[id] = clusterer.assign(article)
            }
            return decisions
        }
    }

    public func coverages(since: Date? = nil) throws -> [Coverage] {
        try store.stories(since: since).map { story in
            CoverageTally.tally(story: story, articles: try store.articles(inStory: story.id), registry: registry, rule: config.blindspot)
        }
    }

    public func coverage(storyID: Int64) throws -> Coverage {
        guard let story = try store.story(id: storyID) else { throw FrontendError.noSuchStory(storyID) }
        return CoverageTally.tally(story: story, articles: try store.articles(inStory: storyID), registry: registry, rule: config.blindspot)
    }

    /// Brings the reports folder up to date: only stories whose signature changed are tallied
    /// and rewritten, files of vanished stories are removed, every file is written atomically.
    @discardableResult
    public func writeReports(now: Date = Date()) throws -> ReportsFolder.Update {
        let key = reportsKey
        let stories = try store.stories().map { story in
            (story: story, signature: "\(story.id)|\(story.articleCount)|\(story.firstSeenAt.timeIntervalSince1970)|\(story.lastSeenAt.timeIntervalSince1970)|\(story.title)|\(key)")
        }
        do {
            return try ReportsFolder(directory: reportsDirectory).update(
                stories: stories,
                coverage: { story in
                    CoverageTally.tally(story: story, articles: try store.articles(inStory: story.id), registry: registry, rule: config.blindspot)
                },
                outlets: config.outlets, method: method, generatedAt: now)
        } catch let error as ReportsFolder.WriteError {
            throw FrontendError.reports(path: error.path, reason: error.reason)
        }
    }

    /// Everything besides a story's own articles that its report depends on: the outlets and their
    /// ratings, the rules, and the renderer's version.
    var reportsKey: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let outlets = (try? encoder.encode(config.outlets)) ?? Data()
        let methodData = (try? encoder.encode(method)) ?? Data()
        return Hash.fnv1a(outlets + methodData + Data(FileReports.rendererVersion.utf8))
    }

    /// The cron entry point: crawl, cluster, report.
    public func run(settings: CrawlSettings = CrawlSettings()) async throws -> RunSummary {
        let started = Date()
        let crawl = try await crawl(settings: settings)
        let touched = try cluster()
        let written = try writeReports()
        return RunSummary(crawl: crawl, storiesTouched: touched.count, reportsWritten: written.filesWritten, seconds: Date().timeIntervalSince(started))
    }
}
