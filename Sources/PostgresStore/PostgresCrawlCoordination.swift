import Feeds
import Foundation
import Logging
import PostgresNIO
import Store

/// Crawl workers sharing one PostgreSQL state: feed leases taken with `FOR UPDATE SKIP LOCKED`,
/// and per-host request slots in `hostSlot`, each changed in one short transaction.
///
/// A connection of its own, so that claims and slots never queue behind a worker's writing
/// transaction (which waits for the other writers); none of its transactions takes the writer
/// lock: row locks are all they need. The configured feeds go into a temporary table of this
/// session once, so that a claim does not send the whole feed list each time. Its commits do not
/// wait for the disk (`synchronous_commit` off for this session only).
public final class PostgresCrawlCoordination: CrawlCoordination {
    public let worker: String
    let store: PostgresStore
    let connection: PostgresConnection
    private let gate = Gate()

    private init(worker: String, store: PostgresStore, connection: PostgresConnection) {
        self.worker = worker
        self.store = store
        self.connection = connection
    }

    deinit { PostgresStore.closeLater(connection) }

    /// Opens the coordination of one crawl over the configured feeds.
    public static func open(store: PostgresStore, feeds: [FeedSource], worker: String) async throws -> PostgresCrawlCoordination {
        let connection = try await PostgresStore.connect(store.postgres, logger: store.logger)
        let coordination = PostgresCrawlCoordination(worker: worker, store: store, connection: connection)
        do {
            // Leases and slots are bookkeeping that expires by itself: a commit of theirs lost in
            // a server crash only frees a feed or a slot early, as its expiry would. So their
            // commits do not wait for the disk (one flush per request made a 50,000-feed crawl
            // wait minutes for the WAL); articles and feed states, written on the store's own
            // connection, keep full durability.
            try await SQL(connection: connection, logger: store.logger).execute("SET synchronous_commit TO off")
            try await coordination.transaction { sql in
                try await sql.execute(
                    #"CREATE TEMPORARY TABLE configuredFeed (url text COLLATE "C" PRIMARY KEY, kind text COLLATE "C" NOT NULL, outletID text COLLATE "C")"#)
                var seen: Set<String> = []
                let unique = feeds.filter { seen.insert($0.url).inserted }
                for start in stride(from: 0, to: unique.count, by: 1000) {
                    let page = unique[start..<min(start + 1000, unique.count)]
                    try await sql.execute(
                        "INSERT INTO configuredFeed (url, kind, outletID) VALUES " + page.map { _ in "(?, ?, ?)" }.joined(separator: ", "),
                        page.flatMap { [SQLValue.text($0.url), .text($0.kind.rawValue), .text($0.outletID)] })
                }
            }
        } catch {
            await coordination.close()
            throw error
        }
        return coordination
    }

    /// "host:pid:random", unique per process, for lease owners and slot holders.
    public static func workerName() -> String {
        "\(ProcessInfo.processInfo.hostName):\(ProcessInfo.processInfo.processIdentifier):\(UUID().uuidString.prefix(6).lowercased())"
    }

    public func close() async {
        try? await connection.close()
    }

    func transaction<T>(_ body: (SQL) async throws -> T) async throws -> T {
        await gate.enter()
        defer { gate.leave() }
        let sql = SQL(connection: connection, logger: store.logger)
        do {
            try await sql.execute("BEGIN")
            let value = try await body(sql)
            try await sql.execute("COMMIT")
            return value
        } catch {
            if !connection.isClosed { try? await sql.execute("ROLLBACK") }
            throw store.translate(error)
        }
    }

    // MARK: - Feed leases

    public func claimDueFeeds(limit: Int, forcedSince: Date?, now: Date, lease: TimeInterval) async throws -> [(url: String, state: FeedState?)] {
        try await transaction { sql in
            // Stored feeds first, those due longest first; the order within is a hash of the URL
            // (salted per worker), so that a batch mixes hosts instead of taking one host's feeds in a row.
            var claimed: [(url: String, state: FeedState?)] = try await sql.rows(
                """
                UPDATE feed SET leaseOwner = ?, leaseUntil = extract(epoch FROM clock_timestamp()) + ?
                WHERE url IN (
                  SELECT feed.url FROM feed JOIN configuredFeed ON configuredFeed.url = feed.url
                  WHERE feed.parkedAt IS NULL
                    AND ((? = 1 AND (feed.lastAttemptAt IS NULL OR feed.lastAttemptAt < ?)) OR feed.nextPollAt IS NULL OR feed.nextPollAt <= ?)
                    AND (feed.leaseUntil IS NULL OR feed.leaseUntil <= extract(epoch FROM clock_timestamp()))
                  ORDER BY feed.nextPollAt NULLS FIRST, md5(feed.url || ?) LIMIT ?
                  FOR UPDATE OF feed SKIP LOCKED)
                RETURNING \(PostgresStore.feedStateColumns)
                """,
                [.text(worker), .real(lease), .int(forcedSince == nil ? 0 : 1), .date(forcedSince ?? now), .date(now), .text(worker), .int(limit)]
            ).map { row in
                let state = try PostgresStore.feedState(from: row)
                return (state.url, state)
            }
            guard claimed.count < limit else { return claimed }
            // Feeds never stored: the row that the insert makes is the lease; of two workers
            // inserting the same feed, the unique key lets one have it. An insert waits for another
            // worker's uncommitted insert of the same key, so every worker inserts in one order (a
            // hash of the URL, unsalted): in orders of their own, two workers each waited for the
            // other, and PostgreSQL ended one of them (deadlock detected).
            claimed += try await sql.rows(
                """
                INSERT INTO feed (url, kind, outletID, leaseOwner, leaseUntil)
                SELECT c.url, c.kind, c.outletID, ?, extract(epoch FROM clock_timestamp()) + ? FROM configuredFeed c
                WHERE NOT EXISTS (SELECT 1 FROM feed WHERE feed.url = c.url) ORDER BY md5(c.url), c.url LIMIT ?
                ON CONFLICT (url) DO NOTHING RETURNING url
                """,
                [.text(worker), .real(lease), .int(limit - claimed.count)]
            ).map { (try $0.string(0), nil) }
            return claimed
        }
    }

    public func releaseLeases(_ urls: [String]) async throws {
        guard !urls.isEmpty else { return }
        try await transaction { sql in
            try await sql.execute(
                "UPDATE feed SET leaseOwner = NULL, leaseUntil = NULL WHERE leaseOwner = ? AND url IN (\(SQL.placeholders(urls.count)))",
                [.text(worker)] + urls.map { .text($0) })
        }
    }

    // MARK: - Host slots

    public func acquireHostSlot(
        host: String, perHost: Int, spacing: TimeInterval, hold: TimeInterval, feed: String, lease: TimeInterval
    ) async throws -> HostSlotGrant {
        let perHost = max(1, perHost)
        return try await transaction { sql in
            // Locking the host's slot rows makes the workers asking for one host take turns; other
            // hosts are not held up.
            let lockSlots = "SELECT slot, holder, heldUntil, startedAt FROM hostSlot WHERE host = ? AND slot < ? ORDER BY slot FOR UPDATE"
            var slots = try await sql.rows(lockSlots, [.text(host), .int(perHost)])
            if slots.count < perHost {
                try await sql.execute(
                    "INSERT INTO hostSlot (host, slot) SELECT ?, s FROM generate_series(0, ? - 1) AS s ON CONFLICT DO NOTHING",
                    [.text(host), .int(perHost)])
                slots = try await sql.rows(lockSlots, [.text(host), .int(perHost)])
            }
            // The clock is read after the rows are locked: a grant counts from the moment it is made.
            let clock = try await sql.rows(
                "SELECT extract(epoch FROM clock_timestamp())::double precision, (SELECT until FROM hostPause WHERE host = ?)", [.text(host)])
            let now = try clock[0].double(0)
            if let until = try clock[0].date(1), until.timeIntervalSince1970 > now {
                return .paused(until: until)
            }
            var free: Int?
            var lastStart = -Double.infinity
            for row in slots {
                let slot = try row.int(0)
                if let started = try row.optionalDouble(3) { lastStart = max(lastStart, started) }
                let holder = try row.optionalString(1)
                let heldUntil = try row.optionalDouble(2) ?? 0
                if free == nil, holder == nil || heldUntil <= now { free = slot }
            }
            guard let free else { return .busy(retryAfter: max(0.05, min(0.25, spacing / 2))) }
            let start = max(now, lastStart + (spacing > 0 ? spacing + HostSlotGrant.slack : 0))
            let renewed = try await sql.rows(
                "UPDATE feed SET leaseUntil = ? WHERE url = ? AND leaseOwner = ? RETURNING url",
                [.real(start + lease), .text(feed), .text(worker)])
            guard !renewed.isEmpty else { return .leaseLost }
            try await sql.execute(
                "UPDATE hostSlot SET holder = ?, heldUntil = ?, startedAt = ? WHERE host = ? AND slot = ?",
                [.text(worker), .real(start + hold), .real(start), .text(host), .int(free)])
            return .granted(slot: free, wait: start - now)
        }
    }

    public func releaseHostSlot(host: String, slot: Int, pause: (until: Date, reason: String)?) async throws {
        try await transaction { sql in
            if let pause {
                try await sql.execute(
                    """
                    INSERT INTO hostPause (host, until, reason) VALUES (?, ?, ?)
                    ON CONFLICT (host) DO UPDATE SET until = GREATEST(hostPause.until, excluded.until), reason = excluded.reason
                    """, [.text(host), .date(pause.until), .text(pause.reason)])
            }
            try await sql.execute(
                "UPDATE hostSlot SET holder = NULL, heldUntil = NULL WHERE host = ? AND slot = ? AND holder = ?",
                [.text(host), .int(slot), .text(worker)])
        }
    }

    public func hostPausedUntil(_ host: String) async throws -> Date? {
        try await transaction { sql in
            let rows = try await sql.rows(
                "SELECT until, extract(epoch FROM clock_timestamp())::double precision FROM hostPause WHERE host = ?", [.text(host)])
            guard let row = rows.first, let until = try row.date(0), until.timeIntervalSince1970 > (try row.double(1)) else { return nil }
            return until
        }
    }
}
