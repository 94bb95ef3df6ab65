import Config
import Coverage
import Brief
import Crawl
import Feeds
import Foundation
import Logging
import Outlets
import Reports
import ReportsIO
import PostgresStore
import Store
import Stories

/// Why a command could not do its work at all.
public enum FrontendError: Error, CustomStringConvertible {
    case config(ConfigError)
    case state(StoreError)
    case reports(path: String, reason: String)
    case noSuchStory(Int64)
    case locked(path: String)
    case other(String)

    public var description: String {
        switch self {
        case .config(let error): "\(error)"
        case .state(let error): "\(error)"
        case .reports(let path, let reason): "\(path): cannot write reports: \(reason)"
        case .noSuchStory(let id): "no story with id \(id) (see `parallax stories`)"
        case .locked(let path): "another parallax run holds \(path); this one did not start (it exits at once so cron never piles runs up)"
        case .other(let message): message
        }
    }
}

public struct CrawlSummary: Sendable {
    public var results: [FeedResult]
    /// Configured feeds that were not due and so not requested.
    public var notDue: Int
    /// Crawled as one of the workers sharing a server store: feeds not fetched here may have
    /// been fetched by another worker, or be parked.
    public var shared = false
    public var newArticles: Int { results.reduce(0) { $0 + $1.newArticleCount } }
    public var failedFeeds: [FeedResult] { results.filter { $0.outcome == .failed } }

    public func count(_ outcome: FeedResult.Outcome) -> Int { results.filter { $0.outcome == outcome }.count }

    /// "12 feeds fetched, 30 not modified, 1 failed (…)": what the crawl did, feed by feed kind.
    public var line: String {
        var line = "\(count(.fetched)) feeds fetched, \(count(.notModified)) not modified, \(count(.failed)) failed"
        var others: [String] = []
        if count(.deferred) > 0 { others.append("\(count(.deferred)) deferred (host asked to wait)") }
        if count(.parked) > 0 { others.append("\(count(.parked)) parked (see `parallax feeds health`)") }
        if notDue > 0 { others.append(shared ? "\(notDue) not due, parked or taken by other workers" : "\(notDue) not due") }
        if !others.isEmpty { line += " (\(others.joined(separator: ", ")))" }
        return line + ", \(newArticles) new articles"
    }
}

/// What one stage of a run cost: wall-clock seconds and the process's CPU seconds (user + system).
public struct StageCost: Sendable, Equatable {
    public var stage: String
    public var wallSeconds: Double
    public var cpuSeconds: Double

    /// The CPU seconds (user + system) this process has used so far.
    public static func processCPUSeconds() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
    }

    /// The most memory this process has held so far (VmHWM), in MiB; nil where /proc cannot tell.
    public static func peakMemoryMegabytes() -> Double? {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
            let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
            let kilobytes = Double(line.split(separator: " ").dropFirst().first ?? "")
        else { return nil }
        return kilobytes / 1024
    }

    /// Runs `body` and adds what it cost to this stage.
    mutating func add<T>(_ body: () async throws -> T) async rethrows -> T {
        let wall = ContinuousClock.now, cpu = Self.processCPUSeconds()
        let result = try await body()
        let elapsed = ContinuousClock.now - wall
        wallSeconds += Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        cpuSeconds += Self.processCPUSeconds() - cpu
        return result
    }

    /// Runs `body` and appends what it cost to `costs` under `stage`.
    static func measure<T>(_ stage: String, into costs: inout [StageCost], _ body: () async throws -> T) async rethrows -> T {
        var cost = StageCost(stage: stage, wallSeconds: 0, cpuSeconds: 0)
        let result = try await cost.add(body)
        costs.append(cost)
        return result
    }
}

public struct RunSummary: Sendable {
    public var crawl: CrawlSummary
    public var storiesTouched: Int
    public var pruned: PruneSummary?
    public var reportsWritten: Int
    public var seconds: Double
    /// Whether this run clustered and wrote the reports: on a server store only the leader does.
    public var wasLeader = true
    /// Crawl, cluster, prune (with a retention), report: what each stage cost, in order.
    public var stages: [StageCost] = []

    /// "1250 new articles, 830 stories touched; crawl 12.10 s wall 9.80 s CPU · cluster …": what `--timings` prints.
    public var timingLine: String {
        "parallax run: \(crawl.newArticles) new articles, \(storiesTouched) stories touched; "
            + stages.map { String(format: "%@ %.2f s wall %.2f s CPU", $0.stage, $0.wallSeconds, $0.cpuSeconds) }.joined(separator: " · ")
            + (StageCost.peakMemoryMegabytes().map { String(format: "; peak memory %.0f MiB", $0) } ?? "")
    }

    public var line: String {
        guard wasLeader else {
            return "parallax run: \(crawl.line); not the leader: another process clusters and writes the reports, in \(String(format: "%.1f", seconds)) s"
        }
        return "parallax run: \(crawl.line), \(storiesTouched) stories touched, \(pruned.map { "\($0.stories) stories pruned, " } ?? "")"
            + "\(reportsWritten) report files written in \(String(format: "%.1f", seconds)) s"
    }
}

/// Does what the commands ask: every stage wired in order, each one testable on its own.
/// The CLI only parses flags and prints what this returns.
public struct Frontend: Sendable {
    public let config: ParallaxConfig
    public let store: any StateStore
    public let registry: OutletRegistry
    public let reportsDirectory: URL
    private let logger: Logger
    /// Told how far a long step has come (a stage name, the count done, the count in all), for a
    /// progress bar; nil when nobody watches.
    public var progress: (@Sendable (_ stage: String, _ done: Int, _ total: Int) -> Void)?

    /// Loads the config and opens (creating or migrating) the state database.
    /// - Parameters:
    ///   - statePath: overrides `PARALLAX_STATE` in `environment`, which overrides the config's `state:`.
    ///   - reportsPath: overrides the config's `reports:`; the default is `reports/` in the working directory.
    public init(
        configPath: String, statePath: String? = nil, reportsPath: String? = nil,
        environment: [String: String] = ProcessInfo.processInfo.environment, logger: Logger = Logger(label: "parallax")
    ) async throws(FrontendError) {
        do {
            config = try ConfigLoader.load(path: configPath)
        } catch {
            throw .config(error)
        }
        do {
            store = try await StateLocation.open(StateLocation.resolve(flag: statePath, environment: environment, configured: config.statePath))
        } catch {
            throw .state(error)
        }
        registry = OutletRegistry(config.outlets)
        reportsDirectory = URL(fileURLWithPath: reportsPath ?? config.reportsPath ?? "reports").standardizedFileURL
        self.logger = logger
    }

    /// A frontend over a config built in code and a store already open (`eval coverage`'s
    /// replay, which changes the feed list from run to run).
    public init(config: ParallaxConfig, store: any StateStore, reportsDirectory: URL, logger: Logger = Logger(label: "parallax")) {
        self.config = config
        self.store = store
        registry = OutletRegistry(config.outlets)
        self.reportsDirectory = reportsDirectory
        self.logger = logger
    }

    /// Where a scheduled run's log goes by default: beside an SQLite state, else in
    /// `.parallax/` beside the config (a PostgreSQL state has no folder of its own here).
    /// Whether the state is a server store shared by several processes (PostgreSQL).
    public var isShared: Bool { store is PostgresStore }

    public var logFolder: String {
        let besideState = (store as? SQLiteStore)?.path
            ?? URL(fileURLWithPath: config.path).deletingLastPathComponent().appendingPathComponent(".parallax/state").path
        return URL(fileURLWithPath: besideState).deletingLastPathComponent().path
    }

    public var method: Method {
        Method(
            outlets: config.outlets, clustering: config.clustering.summary, blindspot: config.blindspot, rule: config.ratingRule,
            remoteImages: config.remoteImages)
    }

    // MARK: - Stages

    /// The crawl settings the config asks for: its `crawl:` section over the defaults, and the
    /// SSRF guard as `allow-private-networks` says.
    public var crawlSettings: CrawlSettings {
        var settings = CrawlSettings()
        settings.addressGuard = AddressGuard(allowPrivateNetworks: config.allowPrivateNetworks)
        let options = config.crawl
        if let value = options.concurrency { settings.concurrency = value }
        if let value = options.perHost { settings.perHostConcurrency = value }
        if let value = options.hostSpacingSeconds { settings.hostSpacing = value }
        if let value = options.intervalMinutes { settings.policy.baseInterval = value * 60 }
        if let value = options.timeoutSeconds { settings.totalTimeout = value }
        // A lease must outlast the slot a request holds (its timeout), or no claimed feed could be fetched.
        if let value = options.leaseSeconds { settings.leaseDuration = max(value, settings.totalTimeout + 40) }
        if let value = options.userAgent { settings.userAgent = value }
        settings.additionalTrustRoots = options.trustedCertificates
        return settings
    }

    /// Fetches the feeds that are due (every feed with `force`) and stores their new articles
    /// and states, feed by feed.
    public func crawl(
        settings: CrawlSettings? = nil, force: Bool = false, now: @escaping @Sendable () -> Date = Date.init
    ) async throws -> CrawlSummary {
        try await store.replaceOutlets(config.outlets)
        let crawler = Crawler(settings: settings ?? crawlSettings, registry: registry)
        let results: [FeedResult]
        if let postgres = store as? PostgresStore {
            let coordination = try await PostgresCrawlCoordination.open(store: postgres, feeds: config.feeds, worker: worker)
            do {
                results = try await crawler.crawl(config.feeds, store: store, coordination: coordination, force: force, now: now) { done, total in
                    progress?("Crawling", done, total)
                }
                await coordination.close()
            } catch {
                await coordination.close()
                throw error
            }
        } else {
            results = try await crawler.crawl(config.feeds, store: store, force: force, now: now) { done, total in progress?("Crawling", done, total) }
        }
        for result in results {
            switch result.outcome {
            case .failed:
                let parked = result.state.parkedReason.map { " — now parked: \($0)" } ?? ""
                logger.error("\(result.source.url): \(result.error.map { "\($0)" } ?? "failed")\(parked)")
            case .fetched:
                for warning in result.warnings { logger.warning("\(result.source.url): \(warning)") }
                logger.info("\(result.source.url): \(result.articles.count) items, \(result.newArticleCount) new")
            case .notModified:
                logger.info("\(result.source.url): not modified")
            case .deferred:
                logger.warning("\(result.source.url): deferred: \(result.state.lastError ?? "its host asked to wait")")
            case .parked:
                logger.info("\(result.source.url): parked: \(result.state.parkedReason ?? "")")
            }
        }
        return CrawlSummary(results: results, notDue: max(0, config.feeds.count - results.count), shared: store is PostgresStore)
    }

    /// The feeds a web page links to, fetched with the config's crawl settings.
    public func discoverFeeds(on pageURL: String) async throws(FetchError) -> [DiscoveredFeed] {
        try await Crawler(settings: crawlSettings, registry: registry).discover(pageURL)
    }

    /// Makes a parked feed due again. - Returns: false when the state holds no such feed.
    public func unpark(feedURL: String) async throws -> Bool {
        try await store.unpark(feedURL: feedURL)
    }

    /// Every configured feed with its stored state (nil: never fetched), in config order.
    public func feedHealth() async throws -> [(source: FeedSource, state: FeedState?)] {
        let states = try await store.feedStates()
        return config.feeds.map { ($0, states[$0.url]) }
    }

    /// Places every article not yet in a story, oldest first, into stories.
    /// - Returns: the ids of the stories that gained articles.
    public func cluster() async throws -> Set<Int64> {
        var session: IncrementalClusterer?
        return try await Self.clusterPendingArticles(in: store, settings: config.clustering, session: &session)
    }

    /// The one clustering path, shared by `run` and `eval clustering`: every unclustered article,
    /// oldest first, placed by `session` in one transaction, then the batch's merge pass. A nil
    /// session is made and seeded from the stories still open in the store (what a `run` does);
    /// `eval` keeps the same session across batches instead of rebuilding it each time. When
    /// the transaction fails, the session is dropped, so the next call reseeds from the store.
    public static func clusterPendingArticles(
        in store: any StateStore, settings: ClusteringSettings, session: inout IncrementalClusterer?
    ) async throws -> Set<Int64> {
        var clusterer = session
        // The caller's copy is released so the clusterer's storage is uniquely owned and mutated in place.
        session = nil
        var corrected = false
        let touched = try await store.clusterPendingArticles(activeWindowHours: clusterer == nil ? settings.windowHours : nil) { input in
            if clusterer == nil {
                var fresh = IncrementalClusterer(settings: settings, nextStoryID: input.nextStoryID)
                fresh.seed(input.activeStories.sorted { $0.key < $1.key }.map { (storyID: $0.key, members: $0.value) })
                clusterer = fresh
            }
            clusterer!.constraints = input.constraints
            corrected = input.hasCorrections
            var decisions: [Int64: Assignment] = [:]
            for article in input.pending {
                guard let id = article.id else { continue }
                decisions[id] = clusterer!.assign(article)
            }
            let merges = clusterer!.endBatch()
            return ClusteringOutcome(decisions: decisions, merges: merges, threshold: settings.threshold, titles: clusterer!.chosenTitles)
        }
        // The store may have moved articles to keep a correction: a kept clusterer would not know.
        session = corrected ? nil : clusterer
        return touched
    }

    public func coverages(since: Date? = nil) async throws -> [Coverage] {
        let notes = try await store.correctionNotes()
        var coverages: [Coverage] = []
        for story in try await store.stories(since: since) { coverages.append(try await tally(story, notes: notes)) }
        return coverages
    }

    /// A story's coverage; an id merged into another story gives the surviving story.
    public func coverage(storyID: Int64) async throws -> Coverage {
        guard let storyID = try await store.resolveStoryID(storyID), let story = try await store.story(id: storyID) else {
            throw FrontendError.noSuchStory(storyID)
        }
        return try await tallyRecordingSentences(story, notes: try await store.correctionNotes())
    }

    /// Tallies a story from the store and records the edge sentences each of its outlets used,
    /// so that the briefs of this and other stories learn the outlets' boilerplate.
    func tallyRecordingSentences(_ story: Story, notes: [Int64: [CorrectionNote]]) async throws -> Coverage {
        let coverage = try await tally(story, notes: notes)
        try await store.recordOutletSentences(storyID: story.id, Self.edgeSentences(of: coverage))
        return coverage
    }

    /// Each outlet's first and last sentences in a story, the ones boilerplate is learned from.
    static func edgeSentences(of coverage: Coverage) -> [(outlet: String, sentence: UInt64)] {
        var sentences: Set<Boilerplate.RepeatKey> = []
        for article in coverage.articles {
            let outlet = article.outletID ?? article.domain
            for hash in Boilerplate.edgeSentenceHashes(of: article) { sentences.insert(Boilerplate.RepeatKey(outlet: outlet, sentence: hash)) }
        }
        return sentences.map { ($0.outlet, $0.sentence) }
    }

    /// A tallied story's brief, without its related stories, leaving out what its outlets repeat elsewhere.
    func brief(_ coverage: Coverage, workspace: inout BriefWorkspace) async throws -> StoryBrief {
        let repeated = Set(try await store.repeatedOutletSentences(storyID: coverage.story.id).map { Boilerplate.RepeatKey(outlet: $0.outlet, sentence: $0.sentence) })
        return BriefBuilder.brief(for: coverage, repeated: repeated, workspace: &workspace)
    }

    /// The reports folder's memory of every story but `id`, when it knows each of them as the state
    /// has it now (written from this state, nothing changed since); nil for another state's
    /// folder, a crawl since the last write, or no manifest.
    func rememberedStories(matching stories: [Story], except id: Int64) -> [(profile: RelatedStories.Profile, summary: StorySummary)]? {
        guard let remembered = ReportsFolder(directory: reportsDirectory).storedStories() else { return nil }
        let byID = Dictionary(remembered.map { ($0.profile.id, $0) }, uniquingKeysWith: { first, _ in first })
        var others: [(profile: RelatedStories.Profile, summary: StorySummary)] = []
        for story in stories where story.id != id {
            guard let known = byID[story.id], known.summary.title == story.title, known.summary.firstSeenAt == story.firstSeenAt,
                known.summary.articleCount == story.articleCount
            else { return nil }
            others.append(known)
        }
        return others
    }

    /// One story's coverage and complete brief, related stories included, for `parallax story`.
    /// Related stories are ranked against every stored story, as the reports folder does: from
    /// the profiles and summaries its last write remembered (reading every story's articles
    /// instead grew with the whole history), or from the store when the folder's manifest is not
    /// this state's as it is now.
    public func storyReport(storyID: Int64) async throws -> (coverage: Coverage, brief: StoryBrief) {
        let coverage = try await coverage(storyID: storyID)
        var workspace = BriefWorkspace()
        var storyBrief = try await brief(coverage, workspace: &workspace)
        let stories = try await store.stories()
        if let others = rememberedStories(matching: stories, except: coverage.story.id) {
            let summaries = Dictionary(others.map { ($0.profile.id, $0.summary) }, uniquingKeysWith: { first, _ in first })
            let own = RelatedStories.profile(id: coverage.story.id, firstSeenAt: coverage.story.firstSeenAt, articles: coverage.articles)
            storyBrief.related = (RelatedStories.rank(others.map(\.profile) + [own])[coverage.story.id] ?? []).compactMap { relation in
                summaries[relation.id].map {
                    RelatedStory(
                        id: relation.id, title: $0.title, score: relation.score, firstSeenAt: $0.firstSeenAt, outletCount: $0.outletCount,
                        biasByOutlet: $0.biasByOutlet)
                }
            }
            return (coverage, storyBrief)
        }
        var profiles: [RelatedStories.Profile] = []
        var byID: [Int64: Story] = [:]
        for story in stories {
            let members = story.id == coverage.story.id ? coverage.articles : try await store.articles(inStory: story.id)
            profiles.append(RelatedStories.profile(id: story.id, firstSeenAt: story.firstSeenAt, articles: members))
            byID[story.id] = story
        }
        storyBrief.related = []
        for relation in RelatedStories.rank(profiles)[coverage.story.id] ?? [] {
            guard let story = byID[relation.id] else { continue }
            let related = CoverageTally.tally(story: story, articles: try await store.articles(inStory: story.id), registry: registry, rule: config.blindspot)
            storyBrief.related.append(RelatedStory(
                id: relation.id, title: story.title, score: relation.score, firstSeenAt: story.firstSeenAt, outletCount: related.outletCount,
                biasByOutlet: related.biasByOutlet.counts))
        }
        return (coverage, storyBrief)
    }

    /// Brings the reports folder up to date: only stories whose signature changed are tallied
    /// and rewritten, files of vanished stories are removed, every file is written atomically.
    /// - Parameter withBrief: false writes the reports with an empty brief, no related stories, and
    ///   records no outlet sentences: only for measuring what the brief costs (`bench-brief`).
    @discardableResult
    public func writeReports(now: Date = Date(), withBrief: Bool = true) async throws -> ReportsFolder.Update {
        var tallies = StageCost(stage: "tally", wallSeconds: 0, cpuSeconds: 0)
        return try await writeReports(now: now, withBrief: withBrief, tallies: &tallies)
    }

    /// `writeReports`, adding the time spent tallying changed stories to `tallies`.
    func writeReports(now: Date, withBrief: Bool, tallies: inout StageCost) async throws -> ReportsFolder.Update {
        // A leader whose lock is gone must not write beside the one that took over.
        if let postgres = store as? PostgresStore { try await postgres.checkLeadership() }
        let key = reportsKey
        let notes = try await store.correctionNotes()
        let stories = try await store.stories().map { story in
            // A correction can change a story's members without changing its counts or title.
            let corrections = notes[story.id].map { "|" + $0.map(\.line).joined(separator: "|") } ?? ""
            return (story: story, signature: "\(story.id)|\(story.articleCount)|\(story.firstSeenAt.timeIntervalSince1970)|\(story.lastSeenAt.timeIntervalSince1970)|\(story.title)|\(key)\(corrections)")
        }
        // The folder tallies every changed story before it chooses the first brief: their outlet
        // sentences are recorded together, in one transaction, before any brief reads them.
        var unrecorded: [(storyID: Int64, sentences: [(outlet: String, sentence: UInt64)])] = []
        var workspace = BriefWorkspace()
        do {
            return try await ReportsFolder(directory: reportsDirectory).update(
                stories: stories,
                coverage: { story in
                    let coverage = try await tallies.add { try await tally(story, notes: notes) }
                    if withBrief { unrecorded.append((story.id, Self.edgeSentences(of: coverage))) }
                    return coverage
                },
                brief: withBrief
                    ? { coverage in
                        try await store.recordOutletSentences(unrecorded)
                        unrecorded = []
                        return try await brief(coverage, workspace: &workspace)
                    } : nil,
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

    /// Removes stories last seen more than `age` ago (and their articles); the next report
    /// write drops their pages.
    @discardableResult
    public func prune(olderThan age: TimeInterval, now: Date = Date()) async throws -> PruneSummary {
        try await store.prune(before: now.addingTimeInterval(-age), now: now)
    }

    /// The lock that whoever changes stories takes: on SQLite the flock every writer takes; on
    /// PostgreSQL the leader lock (crawl workers do not need it). Released when the value is
    /// dropped or the process ends.
    public func lock() async throws -> any Sendable {
        if let postgres = store as? PostgresStore {
            guard let lock = try await postgres.tryRunLock(holder: worker) else {
                throw FrontendError.other("\(postgres.location): another process is the leader (it clusters and writes the reports now); this one did not start")
            }
            return lock
        }
        return try RunLock(statePath: store.location)
    }

    /// The lock a crawl takes: SQLite's flock; none on PostgreSQL, where workers share the feeds through leases.
    public func crawlLock() async throws -> (any Sendable)? {
        store is PostgresStore ? nil : try await lock()
    }

    /// Who this process is in leases, slots and the leader lock ("host:pid:…").
    public var worker: String { Self.processWorker }
    private static let processWorker = PostgresCrawlCoordination.workerName()

    /// The cron entry point: crawl, cluster, prune past the config's retention, report. On SQLite
    /// all of it under the flock. On PostgreSQL the crawl is shared with every other worker, and
    /// the rest is done only by the leader: the run that takes the leader lock once its crawl is
    /// over; a run that cannot take it has crawled and stored, and says so.
    /// - Parameter withBrief: see `writeReports`; false only for `bench-brief`.
    public func run(settings: CrawlSettings? = nil, force: Bool = false, withBrief: Bool = true) async throws -> RunSummary {
        let started = Date()
        var stages: [StageCost] = []
        let flock = try await crawlLock()
        defer { withExtendedLifetime(flock) {} }
        let crawl = try await StageCost.measure("crawl", into: &stages) { try await self.crawl(settings: settings, force: force) }
        var leader: (any Sendable)? = flock
        if let postgres = store as? PostgresStore {
            leader = try await postgres.tryRunLock(holder: worker)
            if leader == nil {
                let holder = try await postgres.leader().map { " (\($0.holder))" } ?? ""
                logger.warning("not the leader: another process\(holder) clusters and writes the reports; this run \(worker) crawled and stored only")
                return RunSummary(
                    crawl: crawl, storiesTouched: 0, pruned: nil, reportsWritten: 0, seconds: Date().timeIntervalSince(started), wasLeader: false,
                    stages: stages)
            }
        }
        defer { withExtendedLifetime(leader) {} }
        let touched = try await StageCost.measure("cluster", into: &stages) { try await cluster() }
        var pruned: PruneSummary?
        if let retention = config.retention {
            pruned = try await StageCost.measure("prune", into: &stages) { try await prune(olderThan: retention) }
        }
        // The report stage tallies the stories it rewrites: shown as two stages, tally and the rest.
        var tallies = StageCost(stage: "tally", wallSeconds: 0, cpuSeconds: 0)
        let written = try await StageCost.measure("report", into: &stages) { try await writeReports(now: Date(), withBrief: withBrief, tallies: &tallies) }
        stages[stages.count - 1].wallSeconds -= tallies.wallSeconds
        stages[stages.count - 1].cpuSeconds -= tallies.cpuSeconds
        stages.insert(tallies, at: stages.count - 1)
        return RunSummary(
            crawl: crawl, storiesTouched: touched.count, pruned: pruned, reportsWritten: written.filesWritten,
            seconds: Date().timeIntervalSince(started), stages: stages)
    }
}
