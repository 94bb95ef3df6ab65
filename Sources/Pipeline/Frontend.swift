import Config
import Coverage
import Crawl
import Feeds
import Foundation
import Logging
import Outlets
import Reports
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
        Method(outlets: config.outlets, clustering: config.clustering.summary, blindspot: config.blindspot)
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
        var session: IncrementalClusterer?
        return try Self.clusterPendingArticles(in: store, settings: config.clustering, session: &session)
    }

    /// The one clustering path, shared by `run` and `eval clustering`: every unclustered article,
    /// oldest first, placed by `session` in one transaction, then the batch's merge pass. A nil
    /// session is made and seeded from the stories still open in the store (what a `run` does);
    /// `eval` keeps the same session across batches instead of rebuilding it each time. When
    /// the transaction fails, the session is dropped, so the next call reseeds from the store.
    static func clusterPendingArticles(in store: Store, settings: ClusteringSettings, session: inout IncrementalClusterer?) throws -> Set<Int64> {
        var clusterer = session
        // The caller's copy is released so the clusterer's storage is uniquely owned and mutated in place.
        session = nil
        let touched = try store.clusterPendingArticles(activeWindowHours: clusterer == nil ? settings.windowHours : nil) { input in
            if clusterer == nil {
                var fresh = IncrementalClusterer(settings: settings, nextStoryID: input.nextStoryID)
                fresh.seed(input.activeStories.sorted { $0.key < $1.key }.map { (storyID: $0.key, members: $0.value) })
                clusterer = fresh
            }
            var decisions: [Int64: Assignment] = [:]
            for article in input.pending {
                guard let id = article.id else { continue }
                decisions[id] = clusterer!.assign(article)
            }
            return Store.ClusteringOutcome(decisions: decisions, merges: clusterer!.endBatch(), threshold: settings.threshold)
        }
        session = clusterer
        return touched
    }

    public func coverages(since: Date? = nil) throws -> [Coverage] {
        try store.stories(since: since).map { story in
            CoverageTally.tally(story: story, articles: try store.articles(inStory: story.id), registry: registry, rule: config.blindspot)
        }
    }

    /// A story's coverage; an id merged into another story gives the surviving story.
    public func coverage(storyID: Int64) throws -> Coverage {
        guard let storyID = try store.resolveStoryID(storyID), let story = try store.story(id: storyID) else {
            throw FrontendError.noSuchStory(storyID)
        }
        return CoverageTally.tally(story: story, articles: try store.articles(inStory: storyID), registry: registry, rule: config.blindspot)
    }

    /// Writes the reports folder; each file is written to a temporary name and renamed, so a
    /// reader never sees half a report.
    @discardableResult
    public func writeReports(now: Date = Date()) throws -> Int {
        let files = FileReports.files(for: try coverages(), method: method, generatedAt: now)
        do {
            for file in files {
                let url = reportsDirectory.appendingPathComponent(file.path)
                try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                try file.contents.write(to: url, options: .atomic)
            }
        } catch {
            throw FrontendError.reports(path: reportsDirectory.path, reason: error.localizedDescription)
        }
        return files.count
    }

    /// The cron entry point: crawl, cluster, report.
    public func run(settings: CrawlSettings = CrawlSettings()) async throws -> RunSummary {
        let started = Date()
        let crawl = try await crawl(settings: settings)
        let touched = try cluster()
        let written = try writeReports()
        return RunSummary(crawl: crawl, storiesTouched: touched.count, reportsWritten: written, seconds: Date().timeIntervalSince(started))
    }
}
