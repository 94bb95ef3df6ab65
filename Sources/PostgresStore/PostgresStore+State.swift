import Feeds
import Foundation
import Outlets
import PostgresNIO
import Store
import Stories

/// The same statements as `SQLiteStore`'s, in PostgreSQL's words where SQLite's differ
/// (`ON CONFLICT … DO UPDATE` for `INSERT OR REPLACE`, `RETURNING` for the changes count and the
/// last row id, `GREATEST` for the two-argument `MAX`).
extension PostgresStore {
    // MARK: - Outlets and articles

    public func replaceOutlets(_ outlets: [Outlet]) async throws {
        let encoder = JSONEncoder()
        let rows = try outlets.map { ($0.id, $0.name, String(decoding: try encoder.encode($0), as: UTF8.self)) }
        try await write { sql in
            try await sql.execute("DELETE FROM outlet")
            for (id, name, definition) in rows {
                try await sql.execute("INSERT INTO outlet (id, name, definition) VALUES (?, ?, ?)", [.text(id), .text(name), .text(definition)])
            }
        }
    }

    @discardableResult
    public func insertNewArticles(_ articles: [Article]) async throws -> [Article] {
        try await write { sql in try await Self.insertNewArticles(articles, sql) }
    }

    static func insertNewArticles(_ articles: [Article], _ sql: SQL) async throws -> [Article] {
        var inserted: [Article] = []
        for var article in articles {
            let rows = try await sql.rows(
                """
                INSERT INTO article (canonicalURL, url, outletID, domain, sourceName, title, summary, language,
                  publishedAt, firstSeenAt, feedURL, fingerprint, groupKey, content, imageURL)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (canonicalURL) DO NOTHING RETURNING id
                """,
                [
                    .text(article.canonicalURL), .text(article.url), .text(article.outletID), .text(article.domain),
                    .text(article.sourceName), .text(article.title), .text(article.summary), .text(article.language),
                    .date(article.publishedAt), .date(article.firstSeenAt), .text(article.feedURL), .text(article.fingerprint),
                    .text(article.groupKey), .text(article.content), .text(article.imageURL),
                ])
            if let row = rows.first {
                article.id = try row.int64(0)
                inserted.append(article)
            }
        }
        return inserted
    }

    public func articleCount() async throws -> Int {
        try await read { sql in try await sql.int("SELECT COUNT(*) FROM article") }
    }

    public func articles(inStory storyID: Int64) async throws -> [Article] {
        try await read { sql in try await Self.articles(sql, inStory: storyID, withContent: true) }
    }

    static let articleColumns = """
        article.id, article.canonicalURL, article.url, article.outletID, article.domain, article.sourceName, article.title,
        article.summary, article.language, article.publishedAt, article.firstSeenAt, article.feedURL, article.groupKey,
        article.fingerprint, storyMember.storyID
        """

    static func articles(_ sql: SQL, inStory storyID: Int64, withContent: Bool = false) async throws -> [Article] {
        try await sql.rows(
            """
            SELECT \(articleColumns)\(withContent ? ", article.content, article.imageURL" : "")
            FROM article JOIN storyMember ON storyMember.articleID = article.id WHERE storyMember.storyID = ?
            """, [.integer(storyID)]
        ).map { row in
            var article = try Self.article(row)
            if withContent {
                article.content = try row.string(15)
                article.imageURL = try row.optionalString(16)
            }
            return article
        }
    }

    /// An article from `articleColumns`, by position.
    static func article(_ row: PostgresRandomAccessRow) throws -> Article {
        Article(
            id: try row.int64(0), canonicalURL: try row.string(1), url: try row.string(2), outletID: try row.optionalString(3),
            domain: try row.string(4), sourceName: try row.optionalString(5), title: try row.string(6), summary: try row.string(7),
            language: try row.optionalString(8), publishedAt: try row.date(9),
            firstSeenAt: try row.date(10) ?? Date(timeIntervalSince1970: 0), feedURL: try row.string(11),
            storyID: try row.optionalInt64(14), groupKey: try row.optionalString(12), fingerprint: try row.string(13))
    }

    // MARK: - Stories

    static let storyColumns = "id, title, firstSeenAt, lastSeenAt, articleCount"

    public func stories(since: Date?) async throws -> [Story] {
        try await read { sql in
            try await sql.rows(
                "SELECT \(Self.storyColumns) FROM story WHERE lastSeenAt >= ? ORDER BY articleCount DESC, lastSeenAt DESC, id",
                [.text(since.map(StorageDate.text) ?? "")]
            ).map(Self.story)
        }
    }

    public func story(id: Int64) async throws -> Story? {
        try await read { sql in
            try await sql.rows("SELECT \(Self.storyColumns) FROM story WHERE id = ?", [.integer(id)]).first.map(Self.story)
        }
    }

    private static func story(_ row: PostgresRandomAccessRow) throws -> Story {
        Story(
            id: try row.int64(0), title: try row.string(1), firstSeenAt: try row.date(2) ?? Date(timeIntervalSince1970: 0),
            lastSeenAt: try row.date(3) ?? Date(timeIntervalSince1970: 0), articleCount: try row.int(4))
    }

    public func storyAssignments() async throws -> [(canonicalURL: String, storyID: Int64)] {
        try await read { sql in
            try await sql.rows("SELECT article.canonicalURL, storyMember.storyID FROM article JOIN storyMember ON storyMember.articleID = article.id")
                .map { (try $0.string(0), try $0.int64(1)) }
        }
    }

    public func resolveStoryID(_ id: Int64) async throws -> Int64? {
        try await read { sql in
            if try await !sql.rows("SELECT id FROM story WHERE id = ?", [.integer(id)]).isEmpty { return id }
            return try await sql.rows("SELECT toID FROM storyRedirect WHERE fromID = ?", [.integer(id)]).first?.int64(0)
        }
    }

    public func explanationRecords(storyID: Int64) async throws -> [StoryExplanation.Record] {
        try await read { sql in
            let rows = try await sql.rows(
                """
                SELECT \(Self.articleColumns), storyMember.similarity, storyMember.reason, storyMember.threshold,
                  storyMember.mergedFrom, storyMember.mergeScore, storyMember.correctionID, storyMember.mergeCorrectionID
                FROM article JOIN storyMember ON storyMember.articleID = article.id WHERE storyMember.storyID = ?
                """, [.integer(storyID)])
            let correctionIDs = Set(try rows.compactMap { try $0.optionalInt64(20) } + rows.compactMap { try $0.optionalInt64(21) })
            let corrections = try await Self.placementTexts(sql, correctionIDs: correctionIDs)
            return try rows.map { row in
                let correctionID = try row.optionalInt64(20), mergeCorrectionID = try row.optionalInt64(21)
                return StoryExplanation.Record(
                    article: try Self.article(row), reason: try row.string(16), score: try row.double(15), threshold: try row.optionalDouble(17),
                    mergedFrom: try row.optionalInt64(18), mergeScore: try row.optionalDouble(19),
                    correction: correctionID.flatMap { corrections[$0]?.placed },
                    mergeCorrection: mergeCorrectionID.flatMap { corrections[$0]?.merged }, correctionID: correctionID)
            }
        }
    }

    // MARK: - Clustering

    @discardableResult
    public func clusterPendingArticles(
        activeWindowHours: Double?, assign: (ClusteringInput) throws -> ClusteringOutcome
    ) async throws -> Set<Int64> {
        try await write { sql in
            let pending = try await Self.queuedArticles(sql).sorted { ($0.time, $0.id ?? 0) < ($1.time, $1.id ?? 0) }
            guard let earliest = pending.first?.time else { return [] }
            var active: [Int64: [Article]] = [:]
            if let activeWindowHours {
                for row in try await sql.rows(
                    """
                    SELECT \(Self.articleColumns) FROM article JOIN storyMember ON storyMember.articleID = article.id
                    JOIN story ON story.id = storyMember.storyID WHERE story.lastSeenAt >= ?
                    """, [.date(earliest.addingTimeInterval(-activeWindowHours * 3600))])
                {
                    let article = try Self.article(row)
                    active[article.storyID!, default: []].append(article)
                }
            }
            let outcome = try assign(ClusteringInput(
                pending: pending, activeStories: active, nextStoryID: try await Self.nextStoryID(sql),
                constraints: try await Self.clusteringConstraints(sql), hasCorrections: try await Self.hasCorrections(sql)))

            var added: [Int64: [Article]] = [:]
            var created: Set<Int64> = []
            // The writer lock is held since the queue was read, so it holds exactly `pending`.
            let everyArticleDecided = pending.allSatisfy { $0.id.map { outcome.decisions[$0] != nil } ?? false }
            if everyArticleDecided { try await sql.execute("DELETE FROM clusterQueue") }
            for var article in pending {
                guard let id = article.id, let decision = outcome.decisions[id] else { continue }
                if decision.isNewStory, !created.contains(decision.storyID), added[decision.storyID] == nil {
                    try await sql.execute(
                        "INSERT INTO story (id, title, firstSeenAt, lastSeenAt, articleCount) VALUES (?, ?, ?, ?, 0) ON CONFLICT DO NOTHING",
                        [.integer(decision.storyID), .text(article.title), .date(article.time), .date(article.time)])
                    created.insert(decision.storyID)
                }
                try await sql.execute(
                    "INSERT INTO storyMember (articleID, storyID, similarity, reason, threshold) VALUES (?, ?, ?, ?, ?)",
                    [.integer(id), .integer(decision.storyID), .real(decision.similarity), .text(decision.reason.rawValue), .real(outcome.threshold)])
                if !everyArticleDecided { try await sql.execute("DELETE FROM clusterQueue WHERE articleID = ?", [.integer(id)]) }
                if let fingerprint = decision.duplicateOf {
                    try await sql.execute("UPDATE article SET fingerprint = ? WHERE id = ?", [.text(fingerprint), .integer(id)])
                    article.fingerprint = fingerprint
                }
                added[decision.storyID, default: []].append(article)
            }

            var recompute: Set<Int64> = []
            for merge in outcome.merges {
                try await sql.execute(
                    "UPDATE storyMember SET mergedFrom = ?, mergeScore = ? WHERE storyID = ? AND mergedFrom IS NULL",
                    [.integer(merge.from), .real(merge.similarity), .integer(merge.from)])
                try await sql.execute("UPDATE storyMember SET storyID = ? WHERE storyID = ?", [.integer(merge.into), .integer(merge.from)])
                try await sql.execute("DELETE FROM story WHERE id = ?", [.integer(merge.from)])
                try await sql.execute(
                    """
                    INSERT INTO storyRedirect (fromID, toID, similarity, reason) VALUES (?, ?, ?, ?)
                    ON CONFLICT (fromID) DO UPDATE SET toID = excluded.toID, similarity = excluded.similarity, reason = excluded.reason
                    """, [.integer(merge.from), .integer(merge.into), .real(merge.similarity), .text(merge.reason.rawValue)])
                try await sql.execute("UPDATE storyRedirect SET toID = ? WHERE toID = ?", [.integer(merge.into), .integer(merge.from)])
                added.removeValue(forKey: merge.from)
                created.remove(merge.from)
                recompute.remove(merge.from)
                recompute.insert(merge.into)
            }
            for (storyID, articles) in added where !recompute.contains(storyID) {
                if created.contains(storyID) {
                    try await Self.writeSummary(sql, storyID: storyID, members: articles, count: articles.count, titleURL: outcome.titles[storyID])
                } else if !(try await Self.extendSummary(sql, storyID: storyID, with: articles, titleURL: outcome.titles[storyID])) {
                    recompute.insert(storyID)
                }
            }
            for storyID in recompute {
                let members = try await Self.articles(sql, inStory: storyID)
                try await Self.writeSummary(sql, storyID: storyID, members: members, count: members.count, titleURL: outcome.titles[storyID])
            }
            let corrected = try await Self.enforceCorrections(sql)
            return Set(added.keys).union(recompute).union(corrected.changed).subtracting(corrected.removed)
        }
    }

    private static func queuedArticles(_ sql: SQL) async throws -> [Article] {
        try await sql.rows(
            """
            SELECT article.id, canonicalURL, url, outletID, domain, sourceName, title, summary, language, publishedAt,
              firstSeenAt, feedURL, groupKey, fingerprint
            FROM clusterQueue JOIN article ON article.id = clusterQueue.articleID
            """
        ).map { row in
            Article(
                id: try row.int64(0), canonicalURL: try row.string(1), url: try row.string(2), outletID: try row.optionalString(3),
                domain: try row.string(4), sourceName: try row.optionalString(5), title: try row.string(6), summary: try row.string(7),
                language: try row.optionalString(8), publishedAt: try row.date(9), firstSeenAt: try row.date(10) ?? Date(timeIntervalSince1970: 0),
                feedURL: try row.string(11), groupKey: try row.optionalString(12), fingerprint: try row.string(13))
        }
    }

    static func writeSummary(_ sql: SQL, storyID: Int64, members: [Article], count: Int, titleURL: String? = nil) async throws {
        let representative = members.first { $0.canonicalURL == titleURL } ?? Story.representative(of: members)
        try await sql.execute(
            "UPDATE story SET title = ?, titleArticleID = ?, firstSeenAt = ?, lastSeenAt = ?, articleCount = ? WHERE id = ?",
            [
                .text(representative?.title ?? ""), .integer(representative?.id), .date(members.map(\.time).min()),
                .date(members.map(\.time).max()), .int(count), .integer(storyID),
            ])
    }

    /// As `SQLiteStore.extendSummary`: later articles extend a story's summary without reading
    /// its members when they cannot change its title. - Returns: false when it must be recomputed.
    private static func extendSummary(_ sql: SQL, storyID: Int64, with articles: [Article], titleURL: String?) async throws -> Bool {
        guard
            let row = try await sql.rows(
                """
                SELECT article.language, article.publishedAt, article.firstSeenAt, article.canonicalURL,
                  story.firstSeenAt, story.lastSeenAt, story.articleCount
                FROM story JOIN article ON article.id = story.titleArticleID WHERE story.id = ?
                """, [.integer(storyID)]
            ).first,
            let titleFirstSeen = try row.date(2), let first = try row.date(4), let last = try row.date(5)
        else { return false }
        let titleLanguage = try row.optionalString(0), currentTitleURL = try row.string(3), count = try row.int(6)
        let titleTime = try row.date(1).map { min($0, titleFirstSeen) } ?? titleFirstSeen
        if let chosen = titleURL {
            if chosen != currentTitleURL {
                try await sql.execute(
                    """
                    UPDATE story SET (title, titleArticleID) = (SELECT title, id FROM article WHERE canonicalURL = ?)
                    WHERE id = ? AND EXISTS (SELECT 1 FROM article WHERE canonicalURL = ?)
                    """, [.text(chosen), .integer(storyID), .text(chosen)])
            }
        } else {
            for added in articles {
                guard (added.language ?? "") == (titleLanguage ?? ""), (added.time, added.canonicalURL) > (titleTime, currentTitleURL) else {
                    return false
                }
            }
        }
        try await sql.execute(
            "UPDATE story SET firstSeenAt = ?, lastSeenAt = ?, articleCount = ? WHERE id = ?",
            [
                .date(min(first, articles.map(\.time).min()!)), .date(max(last, articles.map(\.time).max()!)), .int(count + articles.count),
                .integer(storyID),
            ])
        return true
    }

    // MARK: - Feeds

    static let feedStateColumns = """
        url, fetchURL, etag, lastModified, lastAttemptAt, lastSuccessAt, lastStatus, lastError, consecutiveErrors,
        failingSince, nextPollAt, parkedAt, parkedReason, redirectCandidate, redirectSeenCount, responseCount,
        notModifiedCount, lastLatencyMilliseconds, itemCount
        """

    public func feedStates() async throws -> [String: FeedState] {
        try await read { sql in
            var states: [String: FeedState] = [:]
            for row in try await sql.rows("SELECT \(Self.feedStateColumns) FROM feed") {
                let state = try Self.feedState(from: row)
                states[state.url] = state
            }
            return states
        }
    }

    /// A feed's state from a row of `feedStateColumns`.
    static func feedState(from row: PostgresRandomAccessRow) throws -> FeedState {
        var state = FeedState(url: try row.string(0))
        state.fetchURL = try row.optionalString(1)
        state.etag = try row.optionalString(2)
        state.lastModified = try row.optionalString(3)
        state.lastAttemptAt = try row.date(4)
        state.lastSuccessAt = try row.date(5)
        state.lastStatus = try row.optionalInt(6)
        state.lastError = try row.optionalString(7)
        state.consecutiveErrors = try row.int(8)
        state.failingSince = try row.date(9)
        state.nextPollAt = try row.date(10)
        state.parkedAt = try row.date(11)
        state.parkedReason = try row.optionalString(12)
        state.redirectCandidate = try row.optionalString(13)
        state.redirectSeenCount = try row.int(14)
        state.responseCount = try row.int(15)
        state.notModifiedCount = try row.int(16)
        state.lastLatencyMilliseconds = try row.optionalInt(17)
        state.itemCount = try row.int(18)
        return state
    }

    @discardableResult
    public func recordFetches(_ fetches: [FeedFetch]) async throws -> [[Article]] {
        try await write { sql in
            var inserted: [[Article]] = []
            for fetch in fetches {
                inserted.append(try await Self.insertNewArticles(fetch.articles, sql))
                try await Self.saveFeedState(fetch.state, source: fetch.source, sql)
            }
            return inserted
        }
    }

    private static func saveFeedState(_ state: FeedState, source: FeedSource, _ sql: SQL) async throws {
        try await sql.execute(
            """
            INSERT INTO feed (url, kind, outletID, lastAttemptAt, lastSuccessAt, lastStatus, lastError, consecutiveErrors,
              itemCount, fetchURL, etag, lastModified, failingSince, nextPollAt, parkedAt, parkedReason,
              redirectCandidate, redirectSeenCount, responseCount, notModifiedCount, lastLatencyMilliseconds)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (url) DO UPDATE SET kind = excluded.kind, outletID = excluded.outletID,
              lastAttemptAt = excluded.lastAttemptAt, lastSuccessAt = excluded.lastSuccessAt,
              lastStatus = excluded.lastStatus, lastError = excluded.lastError,
              consecutiveErrors = excluded.consecutiveErrors, itemCount = excluded.itemCount,
              fetchURL = excluded.fetchURL, etag = excluded.etag, lastModified = excluded.lastModified,
              failingSince = excluded.failingSince, nextPollAt = excluded.nextPollAt, parkedAt = excluded.parkedAt,
              parkedReason = excluded.parkedReason, redirectCandidate = excluded.redirectCandidate,
              redirectSeenCount = excluded.redirectSeenCount, responseCount = excluded.responseCount,
              notModifiedCount = excluded.notModifiedCount, lastLatencyMilliseconds = excluded.lastLatencyMilliseconds,
              leaseOwner = NULL, leaseUntil = NULL
            """,
            [
                .text(state.url), .text(source.kind.rawValue), .text(source.outletID), .date(state.lastAttemptAt),
                .date(state.lastSuccessAt), .int(state.lastStatus), .text(state.lastError), .int(state.consecutiveErrors),
                .int(state.itemCount), .text(state.fetchURL), .text(state.etag), .text(state.lastModified), .date(state.failingSince),
                .date(state.nextPollAt), .date(state.parkedAt), .text(state.parkedReason),
                .text(state.redirectCandidate), .int(state.redirectSeenCount), .int(state.responseCount), .int(state.notModifiedCount),
                .int(state.lastLatencyMilliseconds),
            ])
    }

    public func unpark(feedURL: String) async throws -> Bool {
        try await write { sql in
            try await !sql.rows(
                """
                UPDATE feed SET parkedAt = NULL, parkedReason = NULL, nextPollAt = NULL, consecutiveErrors = 0,
                  failingSince = NULL WHERE url = ? RETURNING url
                """, [.text(feedURL)]
            ).isEmpty
        }
    }

    public func hostPauses(after now: Date) async throws -> [String: Date] {
        try await read { sql in
            var pauses: [String: Date] = [:]
            for row in try await sql.rows("SELECT host, until FROM hostPause WHERE until > ?", [.date(now)]) {
                pauses[try row.string(0)] = try row.date(1)
            }
            return pauses
        }
    }

    public func pauseHost(_ host: String, until: Date, reason: String) async throws {
        try await write { sql in
            try await sql.execute(
                """
                INSERT INTO hostPause (host, until, reason) VALUES (?, ?, ?)
                ON CONFLICT (host) DO UPDATE SET until = GREATEST(hostPause.until, excluded.until), reason = excluded.reason
                """, [.text(host), .date(until), .text(reason)])
        }
    }

    // MARK: - Retention

    @discardableResult
    public func prune(before cutoff: Date, now: Date) async throws -> PruneSummary {
        try await write { sql in
            let stories = try await sql.int("SELECT COUNT(*) FROM story WHERE lastSeenAt < ?", [.date(cutoff)])
            let doomed = """
                SELECT article.id FROM article LEFT JOIN storyMember ON storyMember.articleID = article.id
                WHERE storyMember.storyID IN (SELECT id FROM story WHERE lastSeenAt < ?)
                   OR (storyMember.articleID IS NULL AND article.firstSeenAt < ?)
                """
            try await sql.execute(
                """
                INSERT INTO prunedArticle (canonicalURL, prunedAt) SELECT canonicalURL, ? FROM article WHERE id IN (\(doomed))
                ON CONFLICT (canonicalURL) DO UPDATE SET prunedAt = excluded.prunedAt
                """, [.date(now), .date(cutoff), .date(cutoff)])
            let articles = try await sql.int(
                "WITH deleted AS (DELETE FROM article WHERE id IN (\(doomed)) RETURNING 1) SELECT COUNT(*) FROM deleted",
                [.date(cutoff), .date(cutoff)])
            try await sql.execute(
                """
                INSERT INTO storyIDHighWater (id) SELECT MAX(id) FROM story WHERE id IS NOT NULL
                  AND id > COALESCE((SELECT MAX(id) FROM storyIDHighWater), 0) HAVING MAX(id) IS NOT NULL
                """)
            try await sql.execute("DELETE FROM story WHERE lastSeenAt < ?", [.date(cutoff)])
            try await sql.execute("DELETE FROM storyRedirect WHERE toID NOT IN (SELECT id FROM story)")
            let tombstoneCutoff = now.addingTimeInterval(-2 * max(0, now.timeIntervalSince(cutoff)))
            try await sql.execute("DELETE FROM prunedArticle WHERE prunedAt < ?", [.date(tombstoneCutoff)])
            // PostgreSQL reuses the space of deleted rows itself (autovacuum): nothing to compact.
            return PruneSummary(stories: stories, articles: articles, vacuumed: false)
        }
    }

    // MARK: - Brief

    public func recordOutletSentences(_ stories: [(storyID: Int64, sentences: [(outlet: String, sentence: UInt64)])]) async throws {
        guard !stories.isEmpty else { return }
        try await write { sql in
            for (storyID, sentences) in stories {
                try await sql.execute("DELETE FROM outletSentence WHERE storyID = ?", [.integer(storyID)])
                for entry in sentences {
                    try await sql.execute(
                        "INSERT INTO outletSentence (outlet, sentence, storyID) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
                        [.text(entry.outlet), .integer(Int64(bitPattern: entry.sentence)), .integer(storyID)])
                }
            }
        }
    }

    public func repeatedOutletSentences(storyID: Int64) async throws -> [(outlet: String, sentence: UInt64)] {
        try await read { sql in
            try await sql.rows(
                """
                SELECT mine.outlet, mine.sentence FROM outletSentence AS mine
                WHERE mine.storyID = ? AND EXISTS (
                  SELECT 1 FROM outletSentence AS other
                  WHERE other.outlet = mine.outlet AND other.sentence = mine.sentence AND other.storyID != mine.storyID)
                """, [.integer(storyID)]
            ).map { (try $0.string(0), UInt64(bitPattern: try $0.int64(1))) }
        }
    }
}

