import Foundation
import GRDB
import Stories

extension SQLiteStore {
    static func registerStoryMigration(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v2-stories: group keys, join reasons, merges and redirects, clustering queue") { db in
            try db.alter(table: "article") { t in t.add(column: "groupKey", .text) }
            try db.alter(table: "storyMember") { t in
                t.add(column: "reason", .text).notNull().defaults(to: "joined")
                t.add(column: "threshold", .double)
                t.add(column: "mergedFrom", .integer)
                t.add(column: "mergeScore", .double)
            }
            try db.alter(table: "story") { t in t.add(column: "titleArticleID", .integer) }
            // A merged story's id keeps working: it redirects to the story that absorbed it.
            try db.create(table: "storyRedirect") { t in
                t.primaryKey("fromID", .integer)
                t.column("toID", .integer).notNull().indexed()
                t.column("similarity", .double).notNull()
                t.column("reason", .text).notNull()
            }
            // Articles waiting for a story, so a run finds them without scanning every article.
            try db.create(table: "clusterQueue") { t in
                t.primaryKey("articleID", .integer).references("article", onDelete: .cascade)
            }
            try db.execute(sql: "INSERT INTO clusterQueue (articleID) SELECT id FROM article WHERE id NOT IN (SELECT articleID FROM storyMember)")
            try db.execute(sql: """
                CREATE TRIGGER article_awaits_clustering AFTER INSERT ON article
                BEGIN INSERT INTO clusterQueue (articleID) VALUES (NEW.id); END
                """)
        }
    }

    /// Runs `assign` over the unclustered articles and records its decisions, all in one
    /// transaction: either every pending article gets its story or none does.
    /// - Parameter activeWindowHours: when set, the stories seen within this many hours before
    ///   the earliest pending article are loaded with their members for seeding.
    /// - Returns: the ids of the stories that gained articles (merged-away ids excluded).
    @discardableResult
    public func clusterPendingArticles(
        activeWindowHours: Double?, assign: (ClusteringInput) throws -> ClusteringOutcome
    ) throws -> Set<Int64> {
        try database.write { db in
            let pending = try Self.queuedArticles(db).sorted { ($0.time, $0.id ?? 0) < ($1.time, $1.id ?? 0) }
            guard let earliest = pending.first?.time else { return [] }
            var active: [Int64: [Article]] = [:]
            if let activeWindowHours {
                for row in try Row.fetchAll(
                    db,
                    sql: """
                        SELECT \(Self.articleColumns) FROM article JOIN storyMember ON storyMember.articleID = article.id
                        JOIN story ON story.id = storyMember.storyID WHERE story.lastSeenAt >= ?
                        """,
                    arguments: [earliest.addingTimeInterval(-activeWindowHours * 3600)])
                {
                    let article = Self.article(from: row)
                    active[article.storyID!, default: []].append(article)
                }
            }
            let outcome = try assign(ClusteringInput(
                pending: pending, activeStories: active, nextStoryID: try Self.nextStoryID(db),
                constraints: try Self.clusteringConstraints(db), hasCorrections: try Self.hasCorrections(db)))

            var added: [Int64: [Article]] = [:]
            var created: Set<Int64> = []
            // The write lock is held since the queue was read, so it holds exactly `pending`.
            let everyArticleDecided = pending.allSatisfy { $0.id.map { outcome.decisions[$0] != nil } ?? false }
            if everyArticleDecided { try db.execute(sql: "DELETE FROM clusterQueue") }
            // Looked up once per batch, not once per article: the cache is keyed by the SQL text.
            let insertStory = try db.cachedStatement(sql: "INSERT OR IGNORE INTO story (id, title, firstSeenAt, lastSeenAt, articleCount) VALUES (?, ?, ?, ?, 0)")
            let insertMember = try db.cachedStatement(sql: "INSERT INTO storyMember (articleID, storyID, similarity, reason, threshold) VALUES (?, ?, ?, ?, ?)")
            let dequeue = try db.cachedStatement(sql: "DELETE FROM clusterQueue WHERE articleID = ?")
            let setFingerprint = try db.cachedStatement(sql: "UPDATE article SET fingerprint = ? WHERE id = ?")
            for var article in pending {
                guard let id = article.id, let decision = outcome.decisions[id] else { continue }
                if decision.isNewStory, !created.contains(decision.storyID), added[decision.storyID] == nil {
                    try insertStory.execute(arguments: [decision.storyID, article.title, StorageDate.text(article.time), StorageDate.text(article.time)])
                    created.insert(decision.storyID)
                }
                try insertMember.execute(arguments: [id, decision.storyID, decision.similarity, decision.reason.rawValue, outcome.threshold])
                if !everyArticleDecided { try dequeue.execute(arguments: [id]) }
                if let fingerprint = decision.duplicateOf {
                    try setFingerprint.execute(arguments: [fingerprint, id])
                    article.fingerprint = fingerprint
                }
                added[decision.storyID, default: []].append(article)
            }

            var recompute: Set<Int64> = []
            for merge in outcome.merges {
                try db.execute(
                    sql: "UPDATE storyMember SET mergedFrom = ?, mergeScore = ? WHERE storyID = ? AND mergedFrom IS NULL",
                    arguments: [merge.from, merge.similarity, merge.from])
                try db.execute(sql: "UPDATE storyMember SET storyID = ? WHERE storyID = ?", arguments: [merge.into, merge.from])
                try db.execute(sql: "DELETE FROM story WHERE id = ?", arguments: [merge.from])
                try db.execute(
                    sql: "INSERT OR REPLACE INTO storyRedirect (fromID, toID, similarity, reason) VALUES (?, ?, ?, ?)",
                    arguments: [merge.from, merge.into, merge.similarity, merge.reason.rawValue])
                try db.execute(sql: "UPDATE storyRedirect SET toID = ? WHERE toID = ?", arguments: [merge.into, merge.from])
                added.removeValue(forKey: merge.from)
                created.remove(merge.from)
                recompute.remove(merge.from)
                recompute.insert(merge.into)
            }
            for (storyID, articles) in added where !recompute.contains(storyID) {
                if created.contains(storyID) {
                    try Self.writeSummary(db, storyID: storyID, members: articles, count: articles.count, titleURL: outcome.titles[storyID])
                } else if !(try Self.extendSummary(db, storyID: storyID, with: articles, titleURL: outcome.titles[storyID])) {
                    recompute.insert(storyID)
                }
            }
            for storyID in recompute {
                let members = try Self.articles(db, inStory: storyID)
                try Self.writeSummary(db, storyID: storyID, members: members, count: members.count, titleURL: outcome.titles[storyID])
            }
            let corrected = try Self.enforceCorrections(db)
            return Set(added.keys).union(recompute).union(corrected.changed).subtracting(corrected.removed)
        }
    }

    /// The articles waiting for a story. Columns are named once and read by position: decoding
    /// by name dominated the cost of a batch.
    private static func queuedArticles(_ db: Database) throws -> [Article] {
        let rows = try Row.fetchCursor(
            db,
            sql: """
                SELECT article.id, canonicalURL, url, outletID, domain, sourceName, title, summary, language, publishedAt,
                  firstSeenAt, feedURL, groupKey, fingerprint
                FROM clusterQueue JOIN article ON article.id = clusterQueue.articleID
                """)
        var articles: [Article] = []
        while let row = try rows.next() {
            articles.append(Article(
                id: row[0], canonicalURL: row[1], url: row[2], outletID: row[3], domain: row[4], sourceName: row[5],
                title: row[6], summary: row[7], language: row[8], publishedAt: storedDate(row, 9), firstSeenAt: storedDate(row, 10) ?? Date(timeIntervalSince1970: 0), feedURL: row[11],
                groupKey: row[12], fingerprint: row[13]))
        }
        return articles
    }

    /// - Parameter titleURL: the member the clusterer chose to stand for the story, if any.
    static func writeSummary(_ db: Database, storyID: Int64, members: [Article], count: Int, titleURL: String? = nil) throws {
        let representative = members.first { $0.canonicalURL == titleURL } ?? Story.representative(of: members)
        try db.cachedStatement(sql: "UPDATE story SET title = ?, titleArticleID = ?, firstSeenAt = ?, lastSeenAt = ?, articleCount = ? WHERE id = ?")
            .execute(arguments: [
                representative?.title ?? "", representative?.id, members.map(\.time).min().map(StorageDate.text),
                members.map(\.time).max().map(StorageDate.text), count, storyID,
            ])
    }

    /// Adds later articles to a story's summary without reading its members: when the clusterer
    /// chose the title, or when they cannot change it (they are in the title's language and no
    /// earlier than the title's article).
    /// - Returns: false when the summary must be recomputed from all members instead.
    private static func extendSummary(_ db: Database, storyID: Int64, with articles: [Article], titleURL: String?) throws -> Bool {
        // Read by position, and only what decides: decoding whole rows by name dominated a batch.
        guard
            let row = try Row.fetchOne(
                db.cachedStatement(
                    sql: """
                        SELECT article.language, article.publishedAt, article.firstSeenAt, article.canonicalURL,
                          story.firstSeenAt, story.lastSeenAt, story.articleCount
                        FROM story JOIN article ON article.id = story.titleArticleID WHERE story.id = ?
                        """),
                arguments: [storyID]),
            let titleFirstSeen = storedDate(row, 2), let first = storedDate(row, 4), let last = storedDate(row, 5)
        else { return false }
        let titleLanguage: String? = row[0], currentTitleURL: String = row[3], count: Int = row[6]
        let titleTime = storedDate(row, 1).map { min($0, titleFirstSeen) } ?? titleFirstSeen
        if let chosen = titleURL {
            if chosen != currentTitleURL {
                try db.cachedStatement(
                    sql: """
                        UPDATE story SET (title, titleArticleID) = (SELECT title, id FROM article WHERE canonicalURL = ?)
                        WHERE id = ? AND EXISTS (SELECT 1 FROM article WHERE canonicalURL = ?)
                        """
                ).execute(arguments: [chosen, storyID, chosen])
            }
        } else {
            for added in articles {
                guard (added.language ?? "") == (titleLanguage ?? ""), (added.time, added.canonicalURL) > (titleTime, currentTitleURL) else {
                    return false
                }
            }
        }
        try db.cachedStatement(sql: "UPDATE story SET firstSeenAt = ?, lastSeenAt = ?, articleCount = ? WHERE id = ?")
            .execute(arguments: [
                StorageDate.text(min(first, articles.map(\.time).min()!)), StorageDate.text(max(last, articles.map(\.time).max()!)),
                count + articles.count, storyID,
            ])
        return true
    }

    /// A stored date column: the fast path for GRDB's own text format, GRDB's decoder for the rest.
    static func storedDate(_ row: Row, _ index: Int) -> Date? {
        let value: DatabaseValue = row[index]
        if case .string(let text) = value.storage, let date = StorageDate.date(text) { return date }
        return Date.fromDatabaseValue(value)
    }

    /// The story an id names now: itself, or the story it was merged into. nil when unknown.
    public func resolveStoryID(_ id: Int64) throws -> Int64? {
        try database.read { db in
            if try Int64.fetchOne(db, sql: "SELECT id FROM story WHERE id = ?", arguments: [id]) != nil { return id }
            return try Int64.fetchOne(db, sql: "SELECT toID FROM storyRedirect WHERE fromID = ?", arguments: [id])
        }
    }

    /// A story's members with how each was placed, for `parallax explain`.
    public func explanationRecords(storyID: Int64) throws -> [StoryExplanation.Record] {
        try database.read { db in
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT \(Self.articleColumns), storyMember.similarity AS score, storyMember.reason AS reason,
                      storyMember.threshold AS threshold, storyMember.mergedFrom AS mergedFrom, storyMember.mergeScore AS mergeScore,
                      storyMember.correctionID AS correctionID, storyMember.mergeCorrectionID AS mergeCorrectionID
                    FROM article JOIN storyMember ON storyMember.articleID = article.id WHERE storyMember.storyID = ?
                    """,
                arguments: [storyID]
            )
            let corrections = try Self.placementTexts(
                db, correctionIDs: Set(rows.compactMap { $0["correctionID"] as Int64? } + rows.compactMap { $0["mergeCorrectionID"] as Int64? }))
            return rows.map { row in
                let correctionID: Int64? = row["correctionID"], mergeCorrectionID: Int64? = row["mergeCorrectionID"]
                return StoryExplanation.Record(
                    article: Self.article(from: row), reason: row["reason"], score: row["score"], threshold: row["threshold"],
                    mergedFrom: row["mergedFrom"], mergeScore: row["mergeScore"], correction: correctionID.flatMap { corrections[$0]?.placed },
                    mergeCorrection: mergeCorrectionID.flatMap { corrections[$0]?.merged }, correctionID: correctionID)
            }
        }
    }
}
