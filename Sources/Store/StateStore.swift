import Feeds
import Foundation
import Outlets
import Stories

/// Parallax's state as the pipeline sees it: outlets, feeds, articles, stories and corrections.
/// Two implementations: `SQLiteStore` (one file, the default) and `PostgresStore` (a shared
/// server, `state: postgresql://…`). Both keep the same schema under the same migration ids, and
/// every method that changes several rows does it in one transaction, so a killed run leaves
/// either all of a step or none of it.
public protocol StateStore: Sendable {
    /// Where the state is, for messages: a file path, or `user@host:port/db` (never a password).
    var location: String { get }

    /// Makes the stored outlets exactly the configured ones.
    func replaceOutlets(_ outlets: [Outlet]) async throws

    /// Stores the articles whose canonical URL is not known yet, in one transaction, and returns
    /// those that were new (with their ids). Known articles are left exactly as they were.
    @discardableResult
    func insertNewArticles(_ articles: [Article]) async throws -> [Article]
    func articleCount() async throws -> Int
    /// A story's articles with everything stored of them, full content and picture included.
    func articles(inStory storyID: Int64) async throws -> [Article]

    /// Stories, most covered first, optionally only those seen since a date.
    func stories(since: Date?) async throws -> [Story]
    func story(id: Int64) async throws -> Story?
    /// Every clustered article's canonical URL with its story id.
    func storyAssignments() async throws -> [(canonicalURL: String, storyID: Int64)]
    /// The story an id names now: itself, or the story it was merged into. nil when unknown.
    func resolveStoryID(_ id: Int64) async throws -> Int64?
    /// A story's members with how each was placed, for `parallax explain`.
    func explanationRecords(storyID: Int64) async throws -> [StoryExplanation.Record]

    /// The stored state of every feed the crawler has seen, keyed by configured URL.
    func feedStates() async throws -> [String: FeedState]
    /// Stores several fetches in one transaction; each feed's articles and state go in together.
    /// - Returns: for each fetch, the articles that were new.
    @discardableResult
    func recordFetches(_ fetches: [FeedFetch]) async throws -> [[Article]]
    /// Makes a parked feed due again. - Returns: false when no stored feed has that URL.
    func unpark(feedURL: String) async throws -> Bool
    /// Hosts that asked (429/503 with Retry-After) not to be contacted before a time.
    func hostPauses(after now: Date) async throws -> [String: Date]
    func pauseHost(_ host: String, until: Date, reason: String) async throws

    /// Runs `assign` over the unclustered articles and records its decisions, all in one
    /// transaction: either every pending article gets its story or none does.
    /// - Returns: the ids of the stories that gained articles (merged-away ids excluded).
    @discardableResult
    func clusterPendingArticles(
        activeWindowHours: Double?, assign: (ClusteringInput) throws -> ClusteringOutcome
    ) async throws -> Set<Int64>

    func correctMerge(keep kept: Int64, absorb absorbed: Int64, at now: Date) async throws -> CorrectionResult
    func correctSplit(story id: Int64, articles urls: [String], at now: Date) async throws -> CorrectionResult
    func correctMove(articles urls: [String], to id: Int64, at now: Date) async throws -> [CorrectionResult]
    /// The corrections that apply, oldest first (with those superseded when asked).
    func corrections(includingSuperseded: Bool) async throws -> [Correction]
    func importCorrections(_ imported: [Correction]) async throws -> (results: [CorrectionResult], skipped: Int)
    /// Per story, the applying corrections that shaped it, in words with today's ids.
    func correctionNotes() async throws -> [Int64: [CorrectionNote]]

    /// Removes stories last seen before `cutoff`, their articles, and unclustered articles that
    /// old, in one transaction.
    @discardableResult
    func prune(before cutoff: Date, now: Date) async throws -> PruneSummary

    /// Remembers which sentence hashes each outlet used in each story (replacing what was known
    /// of those stories), in one transaction.
    func recordOutletSentences(_ stories: [(storyID: Int64, sentences: [(outlet: String, sentence: UInt64)])]) async throws
    /// The sentences of a story that the same outlet also used in another story: boilerplate.
    func repeatedOutletSentences(storyID: Int64) async throws -> [(outlet: String, sentence: UInt64)]

    /// "ok" for a sound database, else what is wrong.
    func integrityCheck() async throws -> String
    /// Bytes the state takes on disk.
    func sizeOnDisk() async throws -> Int
    /// The migrations applied, oldest first (the last one is the schema version).
    func appliedMigrations() async throws -> [String]
}

extension StateStore {
    public func stories() async throws -> [Story] { try await stories(since: nil) }

    public func corrections() async throws -> [Correction] { try await corrections(includingSuperseded: false) }

    /// Stores what one fetch of a feed gave — its new articles and its new state — in one
    /// transaction, so a killed run never keeps validators for articles it did not store.
    @discardableResult
    public func recordFetch(of source: FeedSource, state: FeedState, articles: [Article]) async throws -> [Article] {
        try await recordFetches([FeedFetch(source: source, state: state, articles: articles)])[0]
    }

    public func recordOutletSentences(storyID: Int64, _ sentences: [(outlet: String, sentence: UInt64)]) async throws {
        try await recordOutletSentences([(storyID, sentences)])
    }
}

/// The migration ids both stores apply, in order. A state that lists an id not here was made
/// by a newer Parallax, and is refused rather than written with an older idea of its schema.
public enum StateSchema {
    public static let migrations = [
        "v1: outlets, feeds, articles, stories",
        "v2-retention: tombstones of pruned articles",
        "v2-crawl: validators, schedule, health and parking per feed; host pauses",
        "v2-stories: group keys, join reasons, merges and redirects, clustering queue",
        "v3-corrections: user merges, splits and moves, and the members they placed",
        "v3-brief: article content and image, outlet sentences per story",
        "v4-workers: feed leases and shared host slots for crawl workers",
    ]

    /// The error for a state whose applied migrations include ids this build does not know.
    public static func refuseNewer(_ applied: [String], location: String) throws(StoreError) {
        let unknown = applied.filter { !migrations.contains($0) }
        if let first = unknown.first { throw .newerSchema(location: location, migration: first) }
    }
}

/// What crawl workers on several machines share through one server store, so that together
/// they behave as one polite crawler: leases on due feeds (a feed is fetched by one worker, and a
/// killed worker's feeds come back when its lease ends) and each host's request slots and
/// spacing. Only `PostgresStore` has it: on SQLite one process crawls, under its flock, and
/// keeps politeness in memory. A protocol because the crawler must not link PostgreSQL.
public protocol CrawlCoordination: Sendable {
    /// Who holds leases and slots taken through this coordination, for `parallax check`.
    var worker: String { get }
    /// Leases up to `limit` of the configured feeds that are due and not leased by a live worker,
    /// until `lease` seconds from now by the database's clock.
    /// - Parameter forcedSince: for a crawl of every feed (`--all`) that began then: also every
    ///   feed not parked that was not tried since, due or not (a feed this crawl fetched is not
    ///   claimed again).
    /// - Returns: each claimed feed with its stored state (nil: never stored before).
    func claimDueFeeds(limit: Int, forcedSince: Date?, now: Date, lease: TimeInterval) async throws -> [(url: String, state: FeedState?)]
    /// Asks for one of a host's `perHost` request slots, to fetch `feed`: at most that many
    /// requests at once to the host, their starts at least `spacing` apart, across every worker.
    /// A slot not released within `hold` seconds (its worker died) is free again. A grant also
    /// renews the feed's lease for `lease` seconds from the request's start, so a feed fetched
    /// by a worker that dies before storing it waits that long before another worker fetches it.
    func acquireHostSlot(host: String, perHost: Int, spacing: TimeInterval, hold: TimeInterval, feed: String, lease: TimeInterval)
        async throws -> HostSlotGrant
    /// Gives a slot back once its request is over (kept: the start time its spacing counts from).
    /// A host that asked to wait (`pause`) is paused in the same transaction, before any other
    /// worker can have the slot.
    func releaseHostSlot(host: String, slot: Int, pause: (until: Date, reason: String)?) async throws
    /// Until when the host asked not to be contacted, if it did and that is still ahead: checked
    /// again after a grant's wait, since another worker may have been told to wait meanwhile.
    func hostPausedUntil(_ host: String) async throws -> Date?
    /// Gives back the leases of claimed feeds left unfetched (the crawl stopped early).
    func releaseLeases(_ urls: [String]) async throws
    /// Closes what the coordination holds; the server drops the rest if the process dies.
    func close() async
}

/// The answer to a request for a host slot.
public enum HostSlotGrant: Sendable, Equatable {
    /// Slot `slot` is held; send the request after `wait` seconds (the host's spacing).
    case granted(slot: Int, wait: TimeInterval)
    /// Every slot is taken: ask again after `retryAfter` seconds.
    case busy(retryAfter: TimeInterval)
    /// The host asked (Retry-After) not to be contacted before this time.
    case paused(until: Date)
    /// The feed's lease is no longer this worker's (it ran out and another worker claimed the
    /// feed): it must not be fetched here.
    case leaseLost

    /// The time added to a host's spacing between two grants: a request leaves a little after
    /// its grant's start (the sleep overshoots, the socket opens), and the host must still see
    /// the starts `spacing` apart. A worker later than `lateness` gives its grant up and asks again.
    /// 0.1 s was not enough on a loaded machine: with the two cores busy (load average 3–4), the
    /// distributed drill's server saw two requests to one host 0.487 s apart, the first request
    /// having left about 0.11 s after its lateness check.
    public static let slack: TimeInterval = 0.2
    public static let lateness: TimeInterval = 0.05
}

/// What one fetch of a feed gave: its articles and its new state.
public struct FeedFetch: Sendable {
    public var source: FeedSource
    public var state: FeedState
    public var articles: [Article]

    public init(source: FeedSource, state: FeedState, articles: [Article]) {
        self.source = source
        self.state = state
        self.articles = articles
    }
}

/// What the clusterer is given: articles not yet in a story (oldest first), the stories still
/// open to them with their members (only when asked for, to seed a new clusterer), and the
/// next free story id.
public struct ClusteringInput: Sendable {
    public var pending: [Article]
    public var activeStories: [Int64: [Article]]
    public var nextStoryID: Int64
    /// What the user's corrections require of this batch.
    public var constraints: ClusteringConstraints
    /// Whether any correction applies: after the batch the store re-asserts them, which may
    /// change stories behind a clusterer kept from the previous batch.
    public var hasCorrections: Bool

    public init(
        pending: [Article], activeStories: [Int64: [Article]], nextStoryID: Int64, constraints: ClusteringConstraints,
        hasCorrections: Bool
    ) {
        self.pending = pending
        self.activeStories = activeStories
        self.nextStoryID = nextStoryID
        self.constraints = constraints
        self.hasCorrections = hasCorrections
    }
}

/// What the clusterer decided: a story for each pending article (by article id), the
/// stories it merged afterwards, in order, and the article (by canonical URL) whose headline
/// each changed story shows.
public struct ClusteringOutcome: Sendable {
    public var decisions: [Int64: Assignment]
    public var merges: [StoryMerge]
    public var threshold: Double
    public var titles: [Int64: String]

    public init(decisions: [Int64: Assignment], merges: [StoryMerge] = [], threshold: Double, titles: [Int64: String] = [:]) {
        self.decisions = decisions
        self.merges = merges
        self.threshold = threshold
        self.titles = titles
    }
}
