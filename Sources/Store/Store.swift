import Feeds
import Foundation
import GRDB
import Outlets
import Stories

/// Why the state could not be opened or used. Each names the database (a path, or
/// `user@host:port/db`: never a password) and says what is wrong, in one line.
public enum StoreError: Error, CustomStringConvertible {
    case cannotOpen(path: String, reason: String)
    /// A `postgresql://` location that cannot be used as written.
    case badLocation(String, reason: String)
    /// The server could not be reached, or refused the login.
    case cannotConnect(location: String, reason: String)
    /// The state was migrated by a newer Parallax: this one does not know its schema.
    case newerSchema(location: String, migration: String)
    /// The connection went away while a command was using it; the open transaction was rolled back.
    case connectionLost(location: String, reason: String)
    /// The database answered a statement with an error.
    case failed(location: String, reason: String)
    /// The leader lock's connection ended while this process led: another process may lead now,
    /// so this one changes nothing more.
    case leadershipLost(location: String)

    public var description: String {
        switch self {
        case .cannotOpen(let path, let reason): "\(path): cannot open the state database: \(reason)"
        case .badLocation(let location, let reason): "\(location): not a usable state location: \(reason)"
        case .cannotConnect(let location, let reason): "\(location): cannot connect to the state database: \(reason)"
        case .newerSchema(let location, let migration):
            "\(location): the state database has a newer schema than this parallax knows (migration '\(migration)'); use a newer parallax"
        case .connectionLost(let location, let reason):
            "\(location): lost the connection to the state database (\(reason)); what was committed before is kept"
        case .failed(let location, let reason): "\(location): the state database refused a statement: \(reason)"
        case .leadershipLost(let location):
            "\(location): this process lost the leader lock (its connection ended) and stopped before changing more; another process may lead now; what was committed before is kept"
        }
    }
}

/// Parallax's state in one SQLite file (WAL mode): the default `StateStore`.
/// Every multi-row change happens in one transaction, so a killed run leaves either all of a
/// step or none of it.
public final class SQLiteStore: StateStore {
    let database: DatabasePool
    public let path: String
    public var location: String { path }

    public init(path: String) throws(StoreError) {
        self.path = path
        do {
            let directory = URL(fileURLWithPath: path).deletingLastPathComponent()
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            var configuration = Configuration()
            configuration.foreignKeysEnabled = true
            configuration.busyMode = .timeout(10)
            database = try DatabasePool(path: path, configuration: configuration)
        } catch {
            throw .cannotOpen(path: path, reason: "\(error)")
        }
        let applied: [String]
        do {
            applied = Array(try database.read { db in try Self.migrator.appliedIdentifiers(db) })
        } catch {
            throw .cannotOpen(path: path, reason: "\(error)")
        }
        try StateSchema.refuseNewer(applied, location: path)
        do {
            try Self.migrator.migrate(database)
        } catch {
            throw .cannotOpen(path: path, reason: "\(error)")
        }
    }

    public func appliedMigrations() throws -> [String] {
        let applied = Array(try database.read { db in try Self.migrator.appliedIdentifiers(db) })
        return StateSchema.migrations.filter(applied.contains)
    }

    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1: outlets, feeds, articles, stories") { db in
            try db.create(table: "outlet") { t in
                t.primaryKey("id", .text)
                t.column("name", .text).notNull()
                t.column("definition", .jsonText).notNull()
            }
            try db.create(table: "feed") { t in
                t.primaryKey("url", .text)
                t.column("kind", .text).notNull()
                t.column("outletID", .text)
                t.column("lastAttemptAt", .datetime)
                t.column("lastSuccessAt", .datetime)
                t.column("lastStatus", .integer)
                t.column("lastError", .text)
                t.column("consecutiveErrors", .integer).notNull().defaults(to: 0)
                t.column("itemCount", .integer).notNull().defaults(to: 0)
            }
            try db.create(table: "article") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("canonicalURL", .text).notNull().unique()
                t.column("url", .text).notNull()
                t.column("outletID", .text)
                t.column("domain", .text).notNull()
                t.column("sourceName", .text)
                t.column("title", .text).notNull()
                t.column("summary", .text).notNull()
                t.column("language", .text)
                t.column("publishedAt", .datetime)
                t.column("firstSeenAt", .datetime).notNull()
                t.column("feedURL", .text).notNull()
                t.column("fingerprint", .text).notNull()
            }
            try db.create(table: "story") { t in
                t.primaryKey("id", .integer)
                t.column("title", .text).notNull()
                t.column("firstSeenAt", .datetime).notNull()
                t.column("lastSeenAt", .datetime).notNull()
                t.column("articleCount", .integer).notNull()
            }
            try db.create(index: "story_lastSeenAt", on: "story", columns: ["lastSeenAt"])
            try db.create(table: "storyMember") { t in
                t.primaryKey("articleID", .integer).references("article", onDelete: .cascade)
                t.column("storyID", .integer).notNull().indexed().references("story", onDelete: .cascade)
                t.column("similarity", .double).notNull()
            }
        }
        registerRetentionMigration(in: &migrator)
        registerCrawlMigration(in: &migrator)
        registerStoryMigration(&migrator)
        registerCorrectionMigration(in: &migrator)
        registerBriefMigration(&migrator)
        registerWorkersMigration(&migrator)
        return migrator
    }

    // MARK: - Outlets and feeds

    /// Makes the stored outlets exactly the configured ones.
    public func replaceOutlets(_ outlets: [Outlet]) throws {
        try database.write { db in
            try db.execute(sql: "DELETE FROM outlet")
            let encoder = JSONEncoder()
            for outlet in outlets {
                let definition = String(decoding: try encoder.encode(outlet), as: UTF8.self)
                try db.execute(
                    sql: "INSERT INTO outlet (id, name, definition) VALUES (?, ?, ?)",
                    arguments: [outlet.id, outlet.name, definition])
            }
        }
    }

    // MARK: - Articles

    /// Stores the articles whose canonical URL is not known yet, in one transaction, and returns
    /// those that were new (with their ids). Known articles are left exactly as they were.
    @discardableResult
    public func insertNewArticles(_ articles: [Article]) throws -> [Article] {
        try database.write { db in try Self.insertNewArticles(articles, in: db) }
    }

    static func insertNewArticles(_ articles: [Article], in db: Database) throws -> [Article] {
        var inserted: [Article] = []
        // Prepared once per connection, not once per article: a crawl inserts thousands.
        let statement = try db.cachedStatement(
            sql: """
                INSERT INTO article (canonicalURL, url, outletID, domain, sourceName, title, summary, language,
                  publishedAt, firstSeenAt, feedURL, fingerprint, groupKey, content, imageURL)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(canonicalURL) DO NOTHING
                """)
        for var article in articles {
            try statement.execute(
                arguments: [
                    article.canonicalURL, article.url, article.outletID, article.domain, article.sourceName,
                    article.title, article.summary, article.language, article.publishedAt.map(StorageDate.text),
                    StorageDate.text(article.firstSeenAt),
                    article.feedURL, article.fingerprint, article.groupKey, article.content, article.imageURL,
                ])
            if db.changesCount > 0 {
                article.id = db.lastInsertedRowID
                inserted.append(article)
            }
        }
        return inserted
    }

    public func articleCount() throws -> Int {
        try database.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM article") ?? 0 }
    }

    /// A story's articles with everything stored of them, full content and picture included.
    public func articles(inStory storyID: Int64) throws -> [Article] {
        try database.read { db in try Self.articles(db, inStory: storyID, withContent: true) }
    }

    /// Every column but the full content, which only the brief reads and which may be long.
    static let articleColumns = """
        article.id, article.canonicalURL, article.url, article.outletID, article.domain, article.sourceName, article.title,
        article.summary, article.language, article.publishedAt, article.firstSeenAt, article.feedURL, article.fingerprint,
        article.groupKey, storyMember.storyID AS storyID
        """

    /// Read by position, with the fast date path: a merge pass rereads whole stories (and needs
    /// neither content nor picture, which only the brief reads).
    static func articles(_ db: Database, inStory storyID: Int64, withContent: Bool = false) throws -> [Article] {
        let rows = try Row.fetchCursor(
            db.cachedStatement(
                sql: """
                    SELECT article.id, canonicalURL, url, outletID, domain, sourceName, title, summary, language, publishedAt,
                      firstSeenAt, feedURL, groupKey, fingerprint, storyMember.storyID\(withContent ? ", content, imageURL" : "")
                    FROM article JOIN storyMember ON storyMember.articleID = article.id WHERE storyMember.storyID = ?
                    """),
            arguments: [storyID])
        var articles: [Article] = []
        while let row = try rows.next() {
            articles.append(Article(
                id: row[0], canonicalURL: row[1], url: row[2], outletID: row[3], domain: row[4], sourceName: row[5],
                title: row[6], summary: row[7], language: row[8], publishedAt: storedDate(row, 9),
                firstSeenAt: storedDate(row, 10) ?? Date(timeIntervalSince1970: 0), feedURL: row[11], storyID: row[14],
                groupKey: row[12], fingerprint: row[13], content: withContent ? row[15] : "", imageURL: withContent ? row[16] : nil))
        }
        return articles
    }

    static func article(from row: Row) -> Article {
        Article(
            id: row["id"], canonicalURL: row["canonicalURL"], url: row["url"], outletID: row["outletID"],
            domain: row["domain"], sourceName: row["sourceName"], title: row["title"], summary: row["summary"],
            language: row["language"], publishedAt: row["publishedAt"], firstSeenAt: row["firstSeenAt"],
            feedURL: row["feedURL"], storyID: row["storyID"], groupKey: row["groupKey"], fingerprint: row["fingerprint"])
    }

    // MARK: - Stories

    /// Stories, most covered first, optionally only those seen since a date.
    public func stories(since: Date? = nil) throws -> [Story] {
        try database.read { db in
            try Row.fetchAll(
                db,
                sql: "SELECT * FROM story WHERE lastSeenAt >= ? ORDER BY articleCount DESC, lastSeenAt DESC, id",
                arguments: [since ?? .distantPast]
            ).map(Self.story(from:))
        }
    }

    public func story(id: Int64) throws -> Story? {
        try database.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM story WHERE id = ?", arguments: [id]).map(Self.story(from:))
        }
    }

    private static func story(from row: Row) -> Story {
        Story(id: row["id"], title: row["title"], firstSeenAt: row["firstSeenAt"], lastSeenAt: row["lastSeenAt"], articleCount: row["articleCount"])
    }

    /// Every clustered article's canonical URL with its story id.
    public func storyAssignments() throws -> [(canonicalURL: String, storyID: Int64)] {
        try database.read { db in
            try Row.fetchAll(db, sql: "SELECT article.canonicalURL, storyMember.storyID FROM article JOIN storyMember ON storyMember.articleID = article.id")
                .map { ($0[0], $0[1]) }
        }
    }

    /// `PRAGMA integrity_check`: "ok" for a sound database.
    public func integrityCheck() throws -> String {
        try database.read { db in try String.fetchOne(db, sql: "PRAGMA integrity_check") ?? "no answer" }
    }
}
