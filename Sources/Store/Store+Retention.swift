import Foundation
import GRDB

/// What `prune` removed.
public struct PruneSummary: Sendable, Equatable {
    public var stories: Int
    public var articles: Int
    /// Whether the file was compacted afterwards (only when much of it had become free space).
    public var vacuumed: Bool

    public init(stories: Int, articles: Int, vacuumed: Bool) {
        self.stories = stories
        self.articles = articles
        self.vacuumed = vacuumed
    }
}

extension SQLiteStore {
    static func registerRetentionMigration(in migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v2-retention: tombstones of pruned articles") { db in
            // A feed that still lists a pruned article must not bring it back as news: the
            // canonical URL is remembered, and a trigger drops any insert of it.
            try db.create(table: "prunedArticle") { t in
                t.primaryKey("canonicalURL", .text)
                t.column("prunedAt", .datetime).notNull().indexed()
            }
            try db.execute(sql: """
                CREATE TRIGGER article_not_pruned BEFORE INSERT ON article
                WHEN EXISTS (SELECT 1 FROM prunedArticle WHERE canonicalURL = NEW.canonicalURL)
                BEGIN SELECT RAISE(IGNORE); END
                """)
            // The highest story id ever given, so ids of pruned stories are never handed out again.
            try db.create(table: "storyIDHighWater") { t in
                t.primaryKey("id", .integer)
            }
        }
    }

    /// Removes stories last seen before `cutoff`, their articles, and articles that never joined
    /// a story and are that old, in one transaction. Tombstones older than twice the retention
    /// go too, so the table stays bounded by what feeds still list.
    @discardableResult
    public func prune(before cutoff: Date, now: Date = Date()) throws -> PruneSummary {
        var summary = try database.write { db -> PruneSummary in
            let storyIDs = try Int64.fetchAll(db, sql: "SELECT id FROM story WHERE lastSeenAt < ?", arguments: [cutoff])
            let doomed = """
                SELECT article.id FROM article LEFT JOIN storyMember ON storyMember.articleID = article.id
                WHERE storyMember.storyID IN (SELECT id FROM story WHERE lastSeenAt < :cutoff)
                   OR (storyMember.articleID IS NULL AND article.firstSeenAt < :cutoff)
                """
            try db.execute(
                sql: """
                    INSERT OR REPLACE INTO prunedArticle (canonicalURL, prunedAt)
                    SELECT canonicalURL, :now FROM article WHERE id IN (\(doomed))
                    """,
                arguments: ["cutoff": cutoff, "now": now])
            try db.execute(sql: "DELETE FROM article WHERE id IN (\(doomed))", arguments: ["cutoff": cutoff])
            let articles = db.changesCount
            try db.execute(sql: """
                INSERT INTO storyIDHighWater (id) SELECT MAX(id) FROM story WHERE id IS NOT NULL
                  AND id > COALESCE((SELECT MAX(id) FROM storyIDHighWater), 0) HAVING MAX(id) IS NOT NULL
                """)
            try db.execute(sql: "DELETE FROM story WHERE lastSeenAt < ?", arguments: [cutoff])
            try db.execute(sql: "DELETE FROM storyRedirect WHERE toID NOT IN (SELECT id FROM story)")
            let tombstoneCutoff = now.addingTimeInterval(-2 * max(0, now.timeIntervalSince(cutoff)))
            try db.execute(sql: "DELETE FROM prunedArticle WHERE prunedAt < ?", arguments: [tombstoneCutoff])
            return PruneSummary(stories: storyIDs.count, articles: articles, vacuumed: false)
        }
        summary.vacuumed = try vacuumIfMostlyFree()
        return summary
    }

    /// SQLite reuses freed pages for new rows, so the file only needs compacting when pruning
    /// freed a large share of it (after lowering the retention, say).
    private func vacuumIfMostlyFree() throws -> Bool {
        let (free, total) = try database.read { db in
            (try Int.fetchOne(db, sql: "PRAGMA freelist_count") ?? 0, try Int.fetchOne(db, sql: "PRAGMA page_count") ?? 0)
        }
        guard total > 256, free * 4 > total else { return false }
        try database.writeWithoutTransaction { db in try db.execute(sql: "VACUUM") }
        return true
    }

    /// Bytes of the database file and its write-ahead log.
    public func sizeOnDisk() -> Int {
        [path, path + "-wal"].reduce(0) { total, file in
            total + ((try? FileManager.default.attributesOfItem(atPath: file)[.size] as? Int) ?? 0)
        }
    }
}
