import Feeds
import Foundation
import GRDB
import Stories

/// Everything the crawler remembers about one configured feed between runs: its validators,
/// its schedule, its health and whether it is parked. The crawler computes it; the store only
/// keeps it.
public struct FeedState: Sendable, Equatable {
    /// The feed's URL as configured: the key, even after a permanent redirect.
    public var url: String
    /// Where the feed is fetched from once a 301/308 was seen consistently; nil means `url`.
    public var fetchURL: String?
    /// Validators exactly as the server sent them on the last 200.
    public var etag: String?
    public var lastModified: String?
    public var lastAttemptAt: Date?
    public var lastSuccessAt: Date?
    public var lastStatus: Int?
    public var lastError: String?
    public var consecutiveErrors: Int = 0
    /// When the current run of failures began; nil while the feed is healthy.
    public var failingSince: Date?
    /// nil: due now.
    public var nextPollAt: Date?
    /// A parked feed is not polled again (410 Gone, or failing for many days).
    public var parkedAt: Date?
    public var parkedReason: String?
    /// A permanent redirect target seen on the latest fetches, and how many fetches in a row saw it.
    public var redirectCandidate: String?
    public var redirectSeenCount: Int = 0
    /// Fetches that reached the server and got an answer, and how many of them were 304.
    public var responseCount: Int = 0
    public var notModifiedCount: Int = 0
    public var lastLatencyMilliseconds: Int?
    public var itemCount: Int = 0

    public init(url: String) {
        self.url = url
    }

    public var isParked: Bool { parkedAt != nil }

    /// The URL to request: the adopted permanent redirect target, else the configured one.
    public var effectiveURL: String { fetchURL ?? url }
}

extension SQLiteStore {
    static func registerCrawlMigration(in migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v2-crawl: validators, schedule, health and parking per feed; host pauses") { db in
            try db.alter(table: "feed") { t in
                t.add(column: "fetchURL", .text)
                t.add(column: "etag", .text)
                t.add(column: "lastModified", .text)
                t.add(column: "failingSince", .datetime)
                t.add(column: "nextPollAt", .datetime)
                t.add(column: "parkedAt", .datetime)
                t.add(column: "parkedReason", .text)
                t.add(column: "redirectCandidate", .text)
                t.add(column: "redirectSeenCount", .integer).notNull().defaults(to: 0)
                t.add(column: "responseCount", .integer).notNull().defaults(to: 0)
                t.add(column: "notModifiedCount", .integer).notNull().defaults(to: 0)
                t.add(column: "lastLatencyMilliseconds", .integer)
            }
            try db.create(table: "hostPause") { t in
                t.primaryKey("host", .text)
                t.column("until", .datetime).notNull()
                t.column("reason", .text).notNull()
            }
        }
    }

    /// The stored state of every feed the crawler has seen, keyed by configured URL.
    public func feedStates() throws -> [String: FeedState] {
        try database.read { db in
            var states: [String: FeedState] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT \(Self.feedStateColumns) FROM feed") {
                let state = Self.feedState(from: row)
                states[state.url] = state
            }
            return states
        }
    }

    /// Stores several fetches in one transaction (a crawl of thousands of feeds would otherwise
    /// spend its time committing). Each feed's articles and state still go in together.
    /// - Returns: for each fetch, the articles that were new.
    @discardableResult
    public func recordFetches(_ fetches: [FeedFetch]) throws -> [[Article]] {
        try database.write { db in
            try fetches.map { fetch in
                let inserted = try Self.insertNewArticles(fetch.articles, in: db)
                try Self.saveFeedState(fetch.state, source: fetch.source, in: db)
                return inserted
            }
        }
    }

    private static func saveFeedState(_ state: FeedState, source: FeedSource, in db: Database) throws {
        try db.cachedStatement(
            sql: """
                INSERT INTO feed (url, kind, outletID, lastAttemptAt, lastSuccessAt, lastStatus, lastError, consecutiveErrors,
                  itemCount, fetchURL, etag, lastModified, failingSince, nextPollAt, parkedAt, parkedReason,
                  redirectCandidate, redirectSeenCount, responseCount, notModifiedCount, lastLatencyMilliseconds)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT(url) DO UPDATE SET kind = excluded.kind, outletID = excluded.outletID,
                  lastAttemptAt = excluded.lastAttemptAt, lastSuccessAt = excluded.lastSuccessAt,
                  lastStatus = excluded.lastStatus, lastError = excluded.lastError,
                  consecutiveErrors = excluded.consecutiveErrors, itemCount = excluded.itemCount,
                  fetchURL = excluded.fetchURL, etag = excluded.etag, lastModified = excluded.lastModified,
                  failingSince = excluded.failingSince, nextPollAt = excluded.nextPollAt, parkedAt = excluded.parkedAt,
                  parkedReason = excluded.parkedReason, redirectCandidate = excluded.redirectCandidate,
                  redirectSeenCount = excluded.redirectSeenCount, responseCount = excluded.responseCount,
                  notModifiedCount = excluded.notModifiedCount, lastLatencyMilliseconds = excluded.lastLatencyMilliseconds
                """
        ).execute(
            arguments: [
                state.url, source.kind.rawValue, source.outletID, state.lastAttemptAt.map(StorageDate.text),
                state.lastSuccessAt.map(StorageDate.text), state.lastStatus, state.lastError, state.consecutiveErrors,
                state.itemCount, state.fetchURL, state.etag, state.lastModified, state.failingSince.map(StorageDate.text),
                state.nextPollAt.map(StorageDate.text), state.parkedAt.map(StorageDate.text), state.parkedReason,
                state.redirectCandidate, state.redirectSeenCount, state.responseCount, state.notModifiedCount,
                state.lastLatencyMilliseconds,
            ])
    }

    /// Makes a parked feed due again: it keeps its validators and history.
    /// - Returns: false when no stored feed has that URL.
    public func unpark(feedURL: String) throws -> Bool {
        try database.write { db in
            try db.execute(
                sql: """
                    UPDATE feed SET parkedAt = NULL, parkedReason = NULL, nextPollAt = NULL, consecutiveErrors = 0,
                      failingSince = NULL WHERE url = ?
                    """,
                arguments: [feedURL])
            return db.changesCount > 0
        }
    }

    /// Hosts that asked (429/503 with Retry-After) not to be contacted before a time.
    public func hostPauses(after now: Date) throws -> [String: Date] {
        try database.read { db in
            var pauses: [String: Date] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT host, until FROM hostPause WHERE until > ?", arguments: [now]) {
                pauses[row["host"]] = row["until"]
            }
            return pauses
        }
    }

    public func pauseHost(_ host: String, until: Date, reason: String) throws {
        try database.write { db in
            try db.execute(
                sql: """
                    INSERT INTO hostPause (host, until, reason) VALUES (?, ?, ?)
                    ON CONFLICT(host) DO UPDATE SET until = MAX(until, excluded.until), reason = excluded.reason
                    """,
                arguments: [host, until, reason])
        }
    }

    /// Read by position in `feedState(from:)`: a crawl loads every feed's state, and looking
    /// each column up by name costs more than the rest of the decoding.
    private static let feedStateColumns = """
        url, fetchURL, etag, lastModified, lastAttemptAt, lastSuccessAt, lastStatus, lastError, consecutiveErrors,
        failingSince, nextPollAt, parkedAt, parkedReason, redirectCandidate, redirectSeenCount, responseCount,
        notModifiedCount, lastLatencyMilliseconds, itemCount
        """

    private static func feedState(from row: Row) -> FeedState {
        var state = FeedState(url: row[0])
        state.fetchURL = row[1]
        state.etag = row[2]
        state.lastModified = row[3]
        state.lastAttemptAt = storedDate(row, 4)
        state.lastSuccessAt = storedDate(row, 5)
        state.lastStatus = row[6]
        state.lastError = row[7]
        state.consecutiveErrors = row[8]
        state.failingSince = storedDate(row, 9)
        state.nextPollAt = storedDate(row, 10)
        state.parkedAt = storedDate(row, 11)
        state.parkedReason = row[12]
        state.redirectCandidate = row[13]
        state.redirectSeenCount = row[14]
        state.responseCount = row[15]
        state.notModifiedCount = row[16]
        state.lastLatencyMilliseconds = row[17]
        state.itemCount = row[18]
        return state
    }
}
