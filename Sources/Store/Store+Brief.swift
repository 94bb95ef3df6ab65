import Foundation
import GRDB

extension SQLiteStore {
    /// Adds what the story brief reads: each article's full content and picture, and the edge
    /// sentences each outlet used in each story, from which boilerplate is learned. Existing
    /// articles keep working with no content and no picture.
    static func registerBriefMigration(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v3-brief: article content and image, outlet sentences per story") { db in
            try db.alter(table: "article") { t in
                t.add(column: "content", .text).notNull().defaults(to: "")
                t.add(column: "imageURL", .text)
            }
            try db.create(table: "outletSentence", options: .withoutRowID) { t in
                t.column("outlet", .text).notNull()
                t.column("sentence", .integer).notNull()
                t.column("storyID", .integer).notNull().indexed().references("story", onDelete: .cascade)
                t.primaryKey(["outlet", "sentence", "storyID"])
            }
        }
    }

    /// The same for many stories in one transaction: a commit per story (and its fsync) cost
    /// more than choosing the briefs.
    public func recordOutletSentences(_ stories: [(storyID: Int64, sentences: [(outlet: String, sentence: UInt64)])]) throws {
        guard !stories.isEmpty else { return }
        try database.write { db in
            let delete = try db.cachedStatement(sql: "DELETE FROM outletSentence WHERE storyID = ?")
            let insert = try db.cachedStatement(sql: "INSERT OR IGNORE INTO outletSentence (outlet, sentence, storyID) VALUES (?, ?, ?)")
            for (storyID, sentences) in stories {
                try delete.execute(arguments: [storyID])
                for entry in sentences {
                    try insert.execute(arguments: [entry.outlet, Int64(bitPattern: entry.sentence), storyID])
                }
            }
        }
    }

    /// The sentences of a story that the same outlet also used in another story: boilerplate.
    public func repeatedOutletSentences(storyID: Int64) throws -> [(outlet: String, sentence: UInt64)] {
        try database.read { db in
            // Asked once per story briefed: the statement is prepared once per connection.
            let statement = try db.cachedStatement(
                sql: """
                    SELECT mine.outlet, mine.sentence FROM outletSentence AS mine
                    WHERE mine.storyID = ? AND EXISTS (
                      SELECT 1 FROM outletSentence AS other
                      WHERE other.outlet = mine.outlet AND other.sentence = mine.sentence AND other.storyID != mine.storyID)
                    """)
            return try Row.fetchAll(statement, arguments: [storyID]).map { ($0[0], UInt64(bitPattern: $0[1])) }
        }
    }
}
