import Feeds
import Foundation
import GRDB
import Stories

/// Why a correction was refused. Nothing was changed.
public enum CorrectionError: Error, CustomStringConvertible, Equatable {
    case noSuchStory(Int64)
    case noSuchArticle(String)
    case notInStory(url: String, storyID: Int64)
    case alreadyOneStory(Int64, Int64)
    case alreadyInStory(url: String, storyID: Int64)
    case wholeStory(Int64)

    public var description: String {
        switch self {
        case .noSuchStory(let id): "no story with id \(id) (see `parallax stories`)"
        case .noSuchArticle(let url): "\(url): no article with this URL in the state (see `parallax story ID`)"
        case .notInStory(let url, let id): "\(url): not an article of story \(id)"
        case .alreadyOneStory(let a, let b): a == b ? "story \(a) cannot be merged with itself" : "stories \(a) and \(b) are already one story (\(b) was merged into \(a))"
        case .alreadyInStory(let url, let id): "\(url): already in story \(id)"
        case .wholeStory(let id): "those are all the articles of story \(id): a split must leave some behind"
        }
    }
}

/// What recording a correction did.
public struct CorrectionResult: Sendable, Equatable {
    public var correction: Correction
    /// Stories whose members changed (they get new reports on the next `report` or `run`).
    public var changedStories: Set<Int64>
    /// Earlier corrections this one contradicted; they no longer apply.
    public var superseded: [Int64]
    /// Whether every article it names is in the state (an imported correction may wait for some).
    public var applied: Bool

    public init(correction: Correction, changedStories: Set<Int64>, superseded: [Int64], applied: Bool) {
        self.correction = correction
        self.changedStories = changedStories
        self.superseded = superseded
        self.applied = applied
    }
}

extension SQLiteStore {
    static func registerCorrectionMigration(in migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v3-corrections: user merges, splits and moves, and the members they placed") { db in
            try db.create(table: "correction") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("kind", .text).notNull()
                t.column("createdAt", .datetime).notNull()
                t.column("storyID", .integer)
                t.column("otherStoryID", .integer)
                // A later correction that contradicted this one: it no longer applies.
                t.column("supersededBy", .integer)
            }
            // Stories are named by their articles, so a correction outlives ids and waits for
            // articles not yet crawled. No foreign key to `article`: pruning must not erase it.
            try db.create(table: "correctionArticle") { t in
                t.column("correctionID", .integer).notNull().references("correction", onDelete: .cascade)
                t.column("role", .text).notNull()
                t.column("position", .integer).notNull()
                t.column("canonicalURL", .text).notNull().indexed()
                t.primaryKey(["correctionID", "role", "position"])
            }
            try db.alter(table: "storyMember") { t in
                t.add(column: "correctionID", .integer)
                t.add(column: "mergeCorrectionID", .integer)
            }
        }
    }

    // MARK: - The commands

    /// `parallax story merge A B`: story `absorbed` becomes part of story `kept`, whose id
    /// survives; the absorbed id redirects to it.
    public func correctMerge(keep kept: Int64, absorb absorbed: Int64, at now: Date = Date()) throws -> CorrectionResult {
        try database.write { db in
            let a = try Self.existingStory(db, kept), b = try Self.existingStory(db, absorbed)
            guard a != b else { throw CorrectionError.alreadyOneStory(a, absorbed) }
            let correction = Correction(
                kind: .merge, createdAt: now, into: try Self.anchors(db, story: a), from: try Self.anchors(db, story: b), storyID: a,
                otherStoryID: b)
            return try Self.record(db, correction)
        }
    }

    /// `parallax story split ID --articles URL…`: the articles leave story `id` and become a
    /// story of their own, with a new id that is never given again, and the two never merge.
    public func correctSplit(story id: Int64, articles urls: [String], at now: Date = Date()) throws -> CorrectionResult {
        try database.write { db in
            let story = try Self.existingStory(db, id)
            var parts: [String] = []
            for url in urls {
                let (canonical, storyID) = try Self.clusteredArticle(db, url)
                guard storyID == story else { throw CorrectionError.notInStory(url: url, storyID: story) }
                if !parts.contains(canonical) { parts.append(canonical) }
            }
            let rest = try Self.anchors(db, story: story, excluding: Set(parts))
            guard !rest.isEmpty else { throw CorrectionError.wholeStory(story) }
            return try Self.record(db, Correction(kind: .split, createdAt: now, articles: parts, from: rest, otherStoryID: story))
        }
    }

    /// `parallax article move URL --to ID`: the articles go to story `id` and stay there; the
    /// stories they left are never merged with it. One correction per story left.
    public func correctMove(articles urls: [String], to id: Int64, at now: Date = Date()) throws -> [CorrectionResult] {
        try database.write { db in
            let target = try Self.existingStory(db, id)
            var bySource: [(source: Int64, urls: [String])] = []
            for url in urls {
                let (canonical, storyID) = try Self.clusteredArticle(db, url)
                guard storyID != target else { throw CorrectionError.alreadyInStory(url: url, storyID: target) }
                if let index = bySource.firstIndex(where: { $0.source == storyID }) {
                    if !bySource[index].urls.contains(canonical) { bySource[index].urls.append(canonical) }
                } else {
                    bySource.append((storyID, [canonical]))
                }
            }
            let into = try Self.anchors(db, story: target)
            return try bySource.map { source, moved in
                let from = try Self.anchors(db, story: source, excluding: Set(moved))
                return try Self.record(
                    db, Correction(kind: .move, createdAt: now, articles: moved, into: into, from: from, storyID: target, otherStoryID: source))
            }
        }
    }

    /// The corrections that apply, oldest first (with those superseded when asked).
    public func corrections(includingSuperseded: Bool = false) throws -> [Correction] {
        try database.read { db in try Self.loadCorrections(db, includingSuperseded: includingSuperseded) }
    }

    /// Records corrections read from an export, oldest first, in one transaction. One that says
    /// exactly what an applying correction says is skipped, so importing a file twice changes
    /// nothing. Ids in the file are not trusted (they belong to another state); the articles are.
    public func importCorrections(_ imported: [Correction]) throws -> (results: [CorrectionResult], skipped: Int) {
        try database.write { db in
            var existing = try Self.loadCorrections(db, includingSuperseded: false)
            var results: [CorrectionResult] = []
            var skipped = 0
            for var correction in imported {
                if existing.contains(where: { $0.sameStatement(as: correction) }) {
                    skipped += 1
                    continue
                }
                correction.id = nil
                correction.storyID = nil
                correction.otherStoryID = nil
                let result = try Self.record(db, correction)
                existing.append(result.correction)
                results.append(result)
            }
            return (results, skipped)
        }
    }

    // MARK: - Recording and enforcing

    /// Stores a correction, makes the stories obey it, and retires the earlier corrections it
    /// contradicts (the user's latest word wins).
    private static func record(_ db: Database, _ correction: Correction) throws -> CorrectionResult {
        var correction = correction
        try db.execute(
            sql: "INSERT INTO correction (kind, createdAt, storyID, otherStoryID) VALUES (?, ?, ?, ?)",
            arguments: [correction.kind.rawValue, correction.createdAt, correction.storyID, correction.otherStoryID])
        correction.id = db.lastInsertedRowID
        for (role, urls) in [("article", correction.articles), ("into", correction.into), ("from", correction.from)] {
            for (position, url) in urls.enumerated() {
                try db.execute(
                    sql: "INSERT INTO correctionArticle (correctionID, role, position, canonicalURL) VALUES (?, ?, ?, ?)",
                    arguments: [correction.id, role, position, url])
            }
        }
        let earlier = try loadCorrections(db, includingSuperseded: false).filter { $0.id != correction.id }
        let heldBefore = try earlier.filter { try holds(db, $0) }
        let changed = try enforce(db, &correction)
        var superseded: [Int64] = []
        for old in heldBefore {
            guard !(try holds(db, old)) else { continue }
            try db.execute(sql: "UPDATE correction SET supersededBy = ? WHERE id = ?", arguments: [correction.id, old.id])
            superseded.append(old.id!)
        }
        let named = correction.articles + correction.into + correction.from
        let present = try Int.fetchOne(
            db, sql: "SELECT COUNT(DISTINCT canonicalURL) FROM article WHERE canonicalURL IN (\(placeholders(named.count)))",
            arguments: StatementArguments(named)) ?? 0
        return CorrectionResult(correction: correction, changedStories: changed, superseded: superseded, applied: present == Set(named).count)
    }

    /// Re-asserts every applying correction after the clusterer placed a batch (in its
    /// transaction): what arrived since may be an article a correction names. The clusterer
    /// already obeys pins and separations, so in a state that has not been tampered with this
    /// only reads.
    /// - Returns: the stories changed and those removed (emptied into another).
    static func enforceCorrections(_ db: Database) throws -> (changed: Set<Int64>, removed: Set<Int64>) {
        var changed: Set<Int64> = []
        let corrections = try loadCorrections(db, includingSuperseded: false)
        // Articles the clusterer placed by a pin: name the correction, for `explain`.
        for correction in corrections where correction.kind != .merge {
            try db.execute(
                sql: """
                    UPDATE storyMember SET correctionID = ? WHERE reason = 'corrected' AND correctionID IS NULL
                      AND articleID IN (SELECT id FROM article WHERE canonicalURL IN (\(placeholders(correction.articles.count))))
                    """,
                arguments: StatementArguments([correction.id!]) + StatementArguments(correction.articles))
        }
        var retired: Set<Int64> = []
        for var correction in corrections where !retired.contains(correction.id!) {
            guard !(try holds(db, correction)) else { continue }
            let heldBefore = try corrections.filter { $0.id! < correction.id! && !retired.contains($0.id!) }.filter { try holds(db, $0) }
            changed.formUnion(try enforce(db, &correction))
            for old in heldBefore {
                guard !(try holds(db, old)) else { continue }
                try db.execute(sql: "UPDATE correction SET supersededBy = ? WHERE id = ?", arguments: [correction.id, old.id])
                retired.insert(old.id!)
            }
        }
        let existing = Set(try Int64.fetchAll(db, sql: "SELECT id FROM story WHERE id IN (\(placeholders(changed.count)))", arguments: StatementArguments(Array(changed))))
        return (existing, changed.subtracting(existing))
    }

    /// Whether the stories agree with a correction, judged on the articles it names that are in
    /// the state; one that cannot be judged yet holds.
    static func holds(_ db: Database, _ correction: Correction) throws -> Bool {
        let stories = try storiesOf(db, correction.articles + correction.into + correction.from)
        let into = majority(correction.into, stories), from = majority(correction.from, stories)
        let moved = Set(correction.articles.compactMap { stories[$0] })
        switch correction.kind {
        case .merge:
            return into == nil || from == nil || into == from
        case .split:
            guard !moved.isEmpty else { return true }
            guard let part = try correction.storyID.flatMap({ try resolvedStory(db, $0) }) else { return false }
            return moved == [part] && from != part
        case .move:
            guard let into else { return true }
            return moved.isSubset(of: [into]) && from != into
        }
    }

    /// Moves articles and stories so that a correction holds, as far as the articles present allow.
    /// - Returns: every story whose members changed, removed ones included.
    private static func enforce(_ db: Database, _ correction: inout Correction) throws -> Set<Int64> {
        let id = correction.id!
        let stories = try storiesOf(db, correction.articles + correction.into + correction.from)
        let into = majority(correction.into, stories), from = majority(correction.from, stories)
        let present = correction.articles.filter { stories[$0] != nil }
        switch correction.kind {
        case .merge:
            guard let into, let from, into != from else { return [] }
            try mergeStory(db, from, into: into, correctionID: id)
            return [into, from]
        case .split:
            guard !present.isEmpty else { return [] }
            var part = try correction.storyID.flatMap { try resolvedStory(db, $0) }
            if part == nil || part == from {
                let first = try Row.fetchOne(
                    db, sql: "SELECT title, firstSeenAt FROM article WHERE canonicalURL = ?", arguments: [present[0]])!
                let newID = try nextStoryID(db)
                try db.execute(
                    sql: "INSERT INTO story (id, title, firstSeenAt, lastSeenAt, articleCount) VALUES (?, ?, ?, ?, 0)",
                    arguments: [newID, first["title"] as String, first["firstSeenAt"] as Date, first["firstSeenAt"] as Date])
                part = newID
            }
            if correction.storyID != part {
                correction.storyID = part
                try db.execute(sql: "UPDATE correction SET storyID = ? WHERE id = ?", arguments: [part, id])
            }
            return try moveArticles(db, present.filter { stories[$0] != part }, into: part!, correctionID: id)
        case .move:
            guard let into, into != from else { return [] }
            return try moveArticles(db, present.filter { stories[$0] != into }, into: into, correctionID: id)
        }
    }

    private static func moveArticles(_ db: Database, _ urls: [String], into target: Int64, correctionID: Int64) throws -> Set<Int64> {
        guard !urls.isEmpty else { return [] }
        let sources = Set(try storiesOf(db, urls).values)
        try db.execute(
            sql: """
                UPDATE storyMember SET storyID = ?, correctionID = ?, mergedFrom = NULL, mergeScore = NULL, mergeCorrectionID = NULL
                WHERE articleID IN (SELECT id FROM article WHERE canonicalURL IN (\(placeholders(urls.count))))
                """,
            arguments: StatementArguments([target, correctionID]) + StatementArguments(urls))
        for source in sources {
            // A story whose last article left is gone; its id leads to where the article went.
            if try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM storyMember WHERE storyID = ?", arguments: [source]) == 0 {
                try db.execute(sql: "DELETE FROM story WHERE id = ?", arguments: [source])
                try redirect(db, source, to: target)
            }
        }
        let changed = sources.union([target])
        try refreshSummaries(db, changed)
        return changed
    }

    /// The same bookkeeping as a merge the clusterer found, with the correction named instead of a score.
    private static func mergeStory(_ db: Database, _ from: Int64, into: Int64, correctionID: Int64) throws {
        try db.execute(
            sql: "UPDATE storyMember SET mergedFrom = ?, mergeScore = NULL, mergeCorrectionID = ? WHERE storyID = ? AND mergedFrom IS NULL",
            arguments: [from, correctionID, from])
        try db.execute(sql: "UPDATE storyMember SET storyID = ? WHERE storyID = ?", arguments: [into, from])
        try db.execute(sql: "DELETE FROM story WHERE id = ?", arguments: [from])
        try redirect(db, from, to: into)
        try refreshSummaries(db, [into])
    }

    private static func redirect(_ db: Database, _ from: Int64, to target: Int64) throws {
        try db.execute(
            sql: "INSERT OR REPLACE INTO storyRedirect (fromID, toID, similarity, reason) VALUES (?, ?, 0, 'correction')",
            arguments: [from, target])
        try db.execute(sql: "UPDATE storyRedirect SET toID = ? WHERE toID = ?", arguments: [target, from])
        try db.execute(sql: "DELETE FROM storyRedirect WHERE fromID = toID")
    }

    private static func refreshSummaries(_ db: Database, _ storyIDs: Set<Int64>) throws {
        for storyID in storyIDs {
            let members = try articles(db, inStory: storyID)
            if !members.isEmpty { try writeSummary(db, storyID: storyID, members: members, count: members.count) }
        }
    }

    // MARK: - What the clusterer is told

    /// Pins for the pending articles a correction names and the story pairs corrections keep apart.
    static func clusteringConstraints(_ db: Database) throws -> ClusteringConstraints {
        let corrections = try loadCorrections(db, includingSuperseded: false).filter { $0.kind != .merge }
        guard !corrections.isEmpty else { return ClusteringConstraints() }
        let pending = Set(
            try String.fetchAll(
                db,
                sql: """
                    SELECT article.canonicalURL FROM clusterQueue JOIN article ON article.id = clusterQueue.articleID
                    WHERE article.canonicalURL IN (SELECT canonicalURL FROM correctionArticle WHERE role = 'article')
                    """))
        var pinned: [String: Int64] = [:]
        var separated: [(Int64, Int64)] = []
        for correction in corrections {
            let stories = try storiesOf(db, correction.articles + correction.into + correction.from)
            let from = majority(correction.from, stories)
            let target: Int64?
            switch correction.kind {
            case .split: target = try correction.storyID.flatMap { try resolvedStory(db, $0) }
            case .move: target = majority(correction.into, stories)
            case .merge: target = nil
            }
            guard let target else { continue }
            for url in correction.articles where pending.contains(url) { pinned[url] = target }
            if let from, from != target { separated.append((target, from)) }
        }
        return ClusteringConstraints(pinned: pinned, separated: separated)
    }

    static func hasCorrections(_ db: Database) throws -> Bool {
        try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM correction WHERE supersededBy IS NULL)") ?? false
    }

    // MARK: - What reports and `explain` say

    /// Per story, the applying corrections that shaped it, in words with today's ids.
    public func correctionNotes() throws -> [Int64: [CorrectionNote]] {
        try database.read { db in
            var notes: [Int64: [CorrectionNote]] = [:]
            for correction in try Self.loadCorrections(db, includingSuperseded: false) {
                let stories = try Self.storiesOf(db, correction.articles + correction.into + correction.from)
                let into = Self.majority(correction.into, stories), from = Self.majority(correction.from, stories)
                let moved = correction.articles.filter { stories[$0] != nil }
                func note(_ story: Int64?, _ text: String) {
                    guard let story else { return }
                    notes[story, default: []].append(
                        CorrectionNote(correctionID: correction.id!, kind: correction.kind, date: correction.createdAt, text: text))
                }
                let fromName = from.map { "story \($0)" } ?? correction.otherStoryID.map { "story \($0)" } ?? "another story"
                switch correction.kind {
                case .merge:
                    note(into, "\(correction.otherStoryID.map { "story \($0)" } ?? "another story") merged into this story by a user")
                case .split:
                    let part = try correction.storyID.flatMap { try Self.resolvedStory(db, $0) }
                    note(part, "\(Self.articles(moved.count)) split off from \(fromName) by a user")
                    note(from, "\(Self.articles(moved.count)) split off into \(part.map { "story \($0)" } ?? "a story of their own") by a user")
                case .move:
                    guard let into, !moved.isEmpty else { continue }
                    note(into, "\(Self.articles(moved.count)) moved here from \(fromName) by a user")
                    note(from, "\(Self.articles(moved.count)) moved to story \(into) by a user")
                }
            }
            return notes
        }
    }

    private static func articles(_ count: Int) -> String { count == 1 ? "1 article" : "\(count) articles" }

    /// How corrections placed the members `explain` lists (by article id): what put each article in
    /// its story, and what merged its earlier story in.
    static func placementTexts(_ db: Database, correctionIDs: Set<Int64>) throws -> [Int64: (placed: String, merged: String)] {
        guard !correctionIDs.isEmpty else { return [:] }
        var texts: [Int64: (placed: String, merged: String)] = [:]
        for row in try Row.fetchAll(
            db, sql: "SELECT id, kind, createdAt, otherStoryID FROM correction WHERE id IN (\(placeholders(correctionIDs.count)))",
            arguments: StatementArguments(Array(correctionIDs)))
        {
            let id: Int64 = row["id"], other: Int64? = row["otherStoryID"]
            let by = "by correction #\(id) of \(CorrectionNote.day(row["createdAt"]))"
            let from = other.map { " from story \($0)" } ?? ""
            let placed: String
            switch Correction.Kind(rawValue: row["kind"]) {
            case .split: placed = "split off\(from) \(by)"
            case .move: placed = "moved here\(from) \(by)"
            case .merge, nil: placed = "placed here \(by)"
            }
            texts[id] = (placed, "merged in \(by)")
        }
        return texts
    }

    // MARK: - Reading

    static func loadCorrections(_ db: Database, includingSuperseded: Bool) throws -> [Correction] {
        var corrections: [Correction] = []
        var index: [Int64: Int] = [:]
        for row in try Row.fetchAll(
            db, sql: "SELECT * FROM correction \(includingSuperseded ? "" : "WHERE supersededBy IS NULL") ORDER BY id")
        {
            guard let kind = Correction.Kind(rawValue: row["kind"]) else { continue }
            index[row["id"]] = corrections.count
            corrections.append(Correction(
                id: row["id"], kind: kind, createdAt: row["createdAt"], storyID: row["storyID"], otherStoryID: row["otherStoryID"]))
        }
        guard !corrections.isEmpty else { return [] }
        for row in try Row.fetchAll(db, sql: "SELECT correctionID, role, canonicalURL FROM correctionArticle ORDER BY correctionID, role, position") {
            guard let position = index[row["correctionID"]] else { continue }
            let url: String = row["canonicalURL"]
            switch row["role"] as String {
            case "article": corrections[position].articles.append(url)
            case "into": corrections[position].into.append(url)
            default: corrections[position].from.append(url)
            }
        }
        return corrections
    }

    /// The story each of these articles is in now (articles absent or not yet clustered are left out).
    static func storiesOf(_ db: Database, _ urls: [String]) throws -> [String: Int64] {
        guard !urls.isEmpty else { return [:] }
        var stories: [String: Int64] = [:]
        for row in try Row.fetchAll(
            db,
            sql: """
                SELECT article.canonicalURL, storyMember.storyID FROM article JOIN storyMember ON storyMember.articleID = article.id
                WHERE article.canonicalURL IN (\(placeholders(Set(urls).count)))
                """,
            arguments: StatementArguments(Array(Set(urls))))
        {
            stories[row[0]] = row[1]
        }
        return stories
    }

    /// The story most of these anchors are in; on a tie, the one of the earliest anchor.
    static func majority(_ anchors: [String], _ stories: [String: Int64]) -> Int64? {
        var counts: [Int64: Int] = [:]
        for anchor in anchors { if let story = stories[anchor] { counts[story, default: 0] += 1 } }
        guard let most = counts.values.max() else { return nil }
        return anchors.lazy.compactMap { stories[$0] }.first { counts[$0] == most }
    }

    /// A story's earliest articles, which stand for it in a correction.
    private static func anchors(_ db: Database, story: Int64, excluding: Set<String> = []) throws -> [String] {
        let members = try articles(db, inStory: story).filter { !excluding.contains($0.canonicalURL) }
            .sorted { ($0.time, $0.canonicalURL) < ($1.time, $1.canonicalURL) }
        return members.prefix(Correction.anchorCount).map(\.canonicalURL)
    }

    /// The story an id names now (itself or the story it redirects to), or the error a user sees.
    private static func existingStory(_ db: Database, _ id: Int64) throws -> Int64 {
        guard let story = try resolvedStory(db, id) else { throw CorrectionError.noSuchStory(id) }
        return story
    }

    static func resolvedStory(_ db: Database, _ id: Int64) throws -> Int64? {
        if try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM story WHERE id = ?)", arguments: [id]) == true { return id }
        return try Int64.fetchOne(
            db, sql: "SELECT toID FROM storyRedirect WHERE fromID = ? AND toID IN (SELECT id FROM story)", arguments: [id])
    }

    /// An article by the URL a user copied from a report: its link or its canonical form.
    private static func clusteredArticle(_ db: Database, _ url: String) throws -> (canonicalURL: String, storyID: Int64) {
        let candidates = [url, CanonicalURL.canonicalize(url)].compactMap { $0 }
        for candidate in candidates {
            if let row = try Row.fetchOne(
                db,
                sql: """
                    SELECT article.canonicalURL, storyMember.storyID FROM article JOIN storyMember ON storyMember.articleID = article.id
                    WHERE article.canonicalURL = ? OR article.url = ? LIMIT 1
                    """,
                arguments: [candidate, candidate])
            {
                return (row[0], row[1])
            }
        }
        throw CorrectionError.noSuchArticle(url)
    }

    static func nextStoryID(_ db: Database) throws -> Int64 {
        max(
            try Int64.fetchOne(db, sql: "SELECT MAX(id) FROM story") ?? 0,
            try Int64.fetchOne(db, sql: "SELECT MAX(fromID) FROM storyRedirect") ?? 0,
            try Int64.fetchOne(db, sql: "SELECT MAX(id) FROM storyIDHighWater") ?? 0,
            try Int64.fetchOne(db, sql: "SELECT MAX(storyID) FROM correction") ?? 0) + 1
    }

    private static func placeholders(_ count: Int) -> String {
        count == 0 ? "NULL" : Array(repeating: "?", count: count).joined(separator: ", ")
    }
}
