import Feeds
import Foundation
import PostgresNIO
import Store
import Stories

/// The user's corrections, as `SQLiteStore` records and enforces them (the same statements and
/// the same order of steps; see Store+Corrections.swift for why each step is there).
extension PostgresStore {
    // MARK: - The commands

    public func correctMerge(keep kept: Int64, absorb absorbed: Int64, at now: Date) async throws -> CorrectionResult {
        try await write { sql in
            let a = try await Self.existingStory(sql, kept), b = try await Self.existingStory(sql, absorbed)
            guard a != b else { throw CorrectionError.alreadyOneStory(a, absorbed) }
            let correction = Correction(
                kind: .merge, createdAt: now, into: try await Self.anchors(sql, story: a), from: try await Self.anchors(sql, story: b),
                storyID: a, otherStoryID: b)
            return try await Self.record(sql, correction)
        }
    }

    public func correctSplit(story id: Int64, articles urls: [String], at now: Date) async throws -> CorrectionResult {
        try await write { sql in
            let story = try await Self.existingStory(sql, id)
            var parts: [String] = []
            for url in urls {
                let (canonical, storyID) = try await Self.clusteredArticle(sql, url)
                guard storyID == story else { throw CorrectionError.notInStory(url: url, storyID: story) }
                if !parts.contains(canonical) { parts.append(canonical) }
            }
            let rest = try await Self.anchors(sql, story: story, excluding: Set(parts))
            guard !rest.isEmpty else { throw CorrectionError.wholeStory(story) }
            return try await Self.record(sql, Correction(kind: .split, createdAt: now, articles: parts, from: rest, otherStoryID: story))
        }
    }

    public func correctMove(articles urls: [String], to id: Int64, at now: Date) async throws -> [CorrectionResult] {
        try await write { sql in
            let target = try await Self.existingStory(sql, id)
            var bySource: [(source: Int64, urls: [String])] = []
            for url in urls {
                let (canonical, storyID) = try await Self.clusteredArticle(sql, url)
                guard storyID != target else { throw CorrectionError.alreadyInStory(url: url, storyID: target) }
                if let index = bySource.firstIndex(where: { $0.source == storyID }) {
                    if !bySource[index].urls.contains(canonical) { bySource[index].urls.append(canonical) }
                } else {
                    bySource.append((storyID, [canonical]))
                }
            }
            let into = try await Self.anchors(sql, story: target)
            var results: [CorrectionResult] = []
            for (source, moved) in bySource {
                let from = try await Self.anchors(sql, story: source, excluding: Set(moved))
                results.append(try await Self.record(
                    sql, Correction(kind: .move, createdAt: now, articles: moved, into: into, from: from, storyID: target, otherStoryID: source)))
            }
            return results
        }
    }

    public func corrections(includingSuperseded: Bool) async throws -> [Correction] {
        try await read { sql in try await Self.loadCorrections(sql, includingSuperseded: includingSuperseded) }
    }

    public func importCorrections(_ imported: [Correction]) async throws -> (results: [CorrectionResult], skipped: Int) {
        try await write { sql in
            var existing = try await Self.loadCorrections(sql, includingSuperseded: false)
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
                let result = try await Self.record(sql, correction)
                existing.append(result.correction)
                results.append(result)
            }
            return (results, skipped)
        }
    }

    // MARK: - Recording and enforcing

    private static func record(_ sql: SQL, _ correction: Correction) async throws -> CorrectionResult {
        var correction = correction
        let id = try await sql.rows(
            "INSERT INTO correction (kind, createdAt, storyID, otherStoryID) VALUES (?, ?, ?, ?) RETURNING id",
            [.text(correction.kind.rawValue), .date(correction.createdAt), .integer(correction.storyID), .integer(correction.otherStoryID)]
        )[0].int64(0)
        correction.id = id
        for (role, urls) in [("article", correction.articles), ("into", correction.into), ("from", correction.from)] {
            for (position, url) in urls.enumerated() {
                try await sql.execute(
                    "INSERT INTO correctionArticle (correctionID, role, position, canonicalURL) VALUES (?, ?, ?, ?)",
                    [.integer(id), .text(role), .int(position), .text(url)])
            }
        }
        var heldBefore: [Correction] = []
        for earlier in try await loadCorrections(sql, includingSuperseded: false) where earlier.id != id {
            if try await holds(sql, earlier) { heldBefore.append(earlier) }
        }
        let changed = try await enforce(sql, &correction)
        var superseded: [Int64] = []
        for old in heldBefore {
            guard !(try await holds(sql, old)) else { continue }
            try await sql.execute("UPDATE correction SET supersededBy = ? WHERE id = ?", [.integer(id), .integer(old.id)])
            superseded.append(old.id!)
        }
        let named = correction.articles + correction.into + correction.from
        let present = try await sql.int(
            "SELECT COUNT(DISTINCT canonicalURL) FROM article WHERE canonicalURL IN (\(SQL.placeholders(named.count)))",
            named.map { .text($0) })
        return CorrectionResult(correction: correction, changedStories: changed, superseded: superseded, applied: present == Set(named).count)
    }

    static func enforceCorrections(_ sql: SQL) async throws -> (changed: Set<Int64>, removed: Set<Int64>) {
        var changed: Set<Int64> = []
        let corrections = try await loadCorrections(sql, includingSuperseded: false)
        for correction in corrections where correction.kind != .merge {
            try await sql.execute(
                """
                UPDATE storyMember SET correctionID = ? WHERE reason = 'corrected' AND correctionID IS NULL
                  AND articleID IN (SELECT id FROM article WHERE canonicalURL IN (\(SQL.placeholders(correction.articles.count))))
                """,
                [.integer(correction.id!)] + correction.articles.map { .text($0) })
        }
        var retired: Set<Int64> = []
        for var correction in corrections where !retired.contains(correction.id!) {
            guard !(try await holds(sql, correction)) else { continue }
            var heldBefore: [Correction] = []
            for old in corrections where old.id! < correction.id! && !retired.contains(old.id!) {
                if try await holds(sql, old) { heldBefore.append(old) }
            }
            changed.formUnion(try await enforce(sql, &correction))
            for old in heldBefore {
                guard !(try await holds(sql, old)) else { continue }
                try await sql.execute("UPDATE correction SET supersededBy = ? WHERE id = ?", [.integer(correction.id), .integer(old.id)])
                retired.insert(old.id!)
            }
        }
        let existing = Set(
            try await sql.rows("SELECT id FROM story WHERE id IN (\(SQL.placeholders(changed.count)))", changed.map { .integer($0) })
                .map { try $0.int64(0) })
        return (existing, changed.subtracting(existing))
    }

    static func holds(_ sql: SQL, _ correction: Correction) async throws -> Bool {
        let stories = try await storiesOf(sql, correction.articles + correction.into + correction.from)
        let into = majority(correction.into, stories), from = majority(correction.from, stories)
        let moved = Set(correction.articles.compactMap { stories[$0] })
        switch correction.kind {
        case .merge:
            return into == nil || from == nil || into == from
        case .split:
            guard !moved.isEmpty else { return true }
            guard let storyID = correction.storyID, let part = try await resolvedStory(sql, storyID) else { return false }
            return moved == [part] && from != part
        case .move:
            guard let into else { return true }
            return moved.isSubset(of: [into]) && from != into
        }
    }

    private static func enforce(_ sql: SQL, _ correction: inout Correction) async throws -> Set<Int64> {
        let id = correction.id!
        let stories = try await storiesOf(sql, correction.articles + correction.into + correction.from)
        let into = majority(correction.into, stories), from = majority(correction.from, stories)
        let present = correction.articles.filter { stories[$0] != nil }
        switch correction.kind {
        case .merge:
            guard let into, let from, into != from else { return [] }
            try await mergeStory(sql, from, into: into, correctionID: id)
            return [into, from]
        case .split:
            guard !present.isEmpty else { return [] }
            var part: Int64? = nil
            if let storyID = correction.storyID { part = try await resolvedStory(sql, storyID) }
            if part == nil || part == from {
                let first = try await sql.rows("SELECT title, firstSeenAt FROM article WHERE canonicalURL = ?", [.text(present[0])])[0]
                let newID = try await nextStoryID(sql)
                let firstSeen = try first.optionalString(1)
                try await sql.execute(
                    "INSERT INTO story (id, title, firstSeenAt, lastSeenAt, articleCount) VALUES (?, ?, ?, ?, 0)",
                    [.integer(newID), .text(try first.string(0)), .text(firstSeen), .text(firstSeen)])
                part = newID
            }
            if correction.storyID != part {
                correction.storyID = part
                try await sql.execute("UPDATE correction SET storyID = ? WHERE id = ?", [.integer(part), .integer(id)])
            }
            return try await moveArticles(sql, present.filter { stories[$0] != part }, into: part!, correctionID: id)
        case .move:
            guard let into, into != from else { return [] }
            return try await moveArticles(sql, present.filter { stories[$0] != into }, into: into, correctionID: id)
        }
    }

    private static func moveArticles(_ sql: SQL, _ urls: [String], into target: Int64, correctionID: Int64) async throws -> Set<Int64> {
        guard !urls.isEmpty else { return [] }
        let sources = Set(try await storiesOf(sql, urls).values)
        try await sql.execute(
            """
            UPDATE storyMember SET storyID = ?, correctionID = ?, mergedFrom = NULL, mergeScore = NULL, mergeCorrectionID = NULL
            WHERE articleID IN (SELECT id FROM article WHERE canonicalURL IN (\(SQL.placeholders(urls.count))))
            """,
            [.integer(target), .integer(correctionID)] + urls.map { .text($0) })
        for source in sources {
            if try await sql.int("SELECT COUNT(*) FROM storyMember WHERE storyID = ?", [.integer(source)]) == 0 {
                try await sql.execute("DELETE FROM story WHERE id = ?", [.integer(source)])
                try await redirect(sql, source, to: target)
            }
        }
        let changed = sources.union([target])
        try await refreshSummaries(sql, changed)
        return changed
    }

    private static func mergeStory(_ sql: SQL, _ from: Int64, into: Int64, correctionID: Int64) async throws {
        try await sql.execute(
            "UPDATE storyMember SET mergedFrom = ?, mergeScore = NULL, mergeCorrectionID = ? WHERE storyID = ? AND mergedFrom IS NULL",
            [.integer(from), .integer(correctionID), .integer(from)])
        try await sql.execute("UPDATE storyMember SET storyID = ? WHERE storyID = ?", [.integer(into), .integer(from)])
        try await sql.execute("DELETE FROM story WHERE id = ?", [.integer(from)])
        try await redirect(sql, from, to: into)
        try await refreshSummaries(sql, [into])
    }

    private static func redirect(_ sql: SQL, _ from: Int64, to target: Int64) async throws {
        try await sql.execute(
            """
            INSERT INTO storyRedirect (fromID, toID, similarity, reason) VALUES (?, ?, 0, 'correction')
            ON CONFLICT (fromID) DO UPDATE SET toID = excluded.toID, similarity = excluded.similarity, reason = excluded.reason
            """, [.integer(from), .integer(target)])
        try await sql.execute("UPDATE storyRedirect SET toID = ? WHERE toID = ?", [.integer(target), .integer(from)])
        try await sql.execute("DELETE FROM storyRedirect WHERE fromID = toID")
    }

    private static func refreshSummaries(_ sql: SQL, _ storyIDs: Set<Int64>) async throws {
        for storyID in storyIDs {
            let members = try await articles(sql, inStory: storyID)
            if !members.isEmpty { try await writeSummary(sql, storyID: storyID, members: members, count: members.count) }
        }
    }

    // MARK: - What the clusterer is told

    static func clusteringConstraints(_ sql: SQL) async throws -> ClusteringConstraints {
        let corrections = try await loadCorrections(sql, includingSuperseded: false).filter { $0.kind != .merge }
        guard !corrections.isEmpty else { return ClusteringConstraints() }
        let pending = Set(
            try await sql.rows(
                """
                SELECT article.canonicalURL FROM clusterQueue JOIN article ON article.id = clusterQueue.articleID
                WHERE article.canonicalURL IN (SELECT canonicalURL FROM correctionArticle WHERE role = 'article')
                """
            ).map { try $0.string(0) })
        var pinned: [String: Int64] = [:]
        var separated: [(Int64, Int64)] = []
        for correction in corrections {
            let stories = try await storiesOf(sql, correction.articles + correction.into + correction.from)
            let from = majority(correction.from, stories)
            let target: Int64?
            switch correction.kind {
            case .split: target = try await correction.storyID.asyncFlatMap { try await resolvedStory(sql, $0) }
            case .move: target = majority(correction.into, stories)
            case .merge: target = nil
            }
            guard let target else { continue }
            for url in correction.articles where pending.contains(url) { pinned[url] = target }
            if let from, from != target { separated.append((target, from)) }
        }
        return ClusteringConstraints(pinned: pinned, separated: separated)
    }

    static func hasCorrections(_ sql: SQL) async throws -> Bool {
        try await sql.rows("SELECT EXISTS (SELECT 1 FROM correction WHERE supersededBy IS NULL)")[0].bool(0)
    }

    // MARK: - What reports and `explain` say

    public func correctionNotes() async throws -> [Int64: [CorrectionNote]] {
        try await read { sql in
            var notes: [Int64: [CorrectionNote]] = [:]
            for correction in try await Self.loadCorrections(sql, includingSuperseded: false) {
                let stories = try await Self.storiesOf(sql, correction.articles + correction.into + correction.from)
                let into = Self.majority(correction.into, stories), from = Self.majority(correction.from, stories)
                let moved = correction.articles.filter { stories[$0] != nil }
                func note(_ story: Int64?, _ text: String) {
                    guard let story else { return }
                    notes[story, default: []].append(
                        CorrectionNote(correctionID: correction.id!, kind: correction.kind, date: correction.createdAt, text: text))
                }
                let fromName = from.map { "story \($0)" } ?? correction.otherStoryID.map { "story \($0)" } ?? "another story"
                let count = moved.count == 1 ? "1 article" : "\(moved.count) articles"
                switch correction.kind {
                case .merge:
                    note(into, "\(correction.otherStoryID.map { "story \($0)" } ?? "another story") merged into this story by a user")
                case .split:
                    let part = try await correction.storyID.asyncFlatMap { try await Self.resolvedStory(sql, $0) }
                    note(part, "\(count) split off from \(fromName) by a user")
                    note(from, "\(count) split off into \(part.map { "story \($0)" } ?? "a story of their own") by a user")
                case .move:
                    guard let into, !moved.isEmpty else { continue }
                    note(into, "\(count) moved here from \(fromName) by a user")
                    note(from, "\(count) moved to story \(into) by a user")
                }
            }
            return notes
        }
    }

    static func placementTexts(_ sql: SQL, correctionIDs: Set<Int64>) async throws -> [Int64: (placed: String, merged: String)] {
        guard !correctionIDs.isEmpty else { return [:] }
        var texts: [Int64: (placed: String, merged: String)] = [:]
        for row in try await sql.rows(
            "SELECT id, kind, createdAt, otherStoryID FROM correction WHERE id IN (\(SQL.placeholders(correctionIDs.count)))",
            correctionIDs.map { .integer($0) })
        {
            let id = try row.int64(0), other = try row.optionalInt64(3)
            let by = "by correction #\(id) of \(CorrectionNote.day(try row.date(2) ?? Date(timeIntervalSince1970: 0)))"
            let from = other.map { " from story \($0)" } ?? ""
            let placed: String
            switch Correction.Kind(rawValue: try row.string(1)) {
            case .split: placed = "split off\(from) \(by)"
            case .move: placed = "moved here\(from) \(by)"
            case .merge, nil: placed = "placed here \(by)"
            }
            texts[id] = (placed, "merged in \(by)")
        }
        return texts
    }

    // MARK: - Reading

    static func loadCorrections(_ sql: SQL, includingSuperseded: Bool) async throws -> [Correction] {
        var corrections: [Correction] = []
        var index: [Int64: Int] = [:]
        for row in try await sql.rows(
            "SELECT id, kind, createdAt, storyID, otherStoryID FROM correction \(includingSuperseded ? "" : "WHERE supersededBy IS NULL") ORDER BY id")
        {
            guard let kind = Correction.Kind(rawValue: try row.string(1)) else { continue }
            let id = try row.int64(0)
            index[id] = corrections.count
            corrections.append(Correction(
                id: id, kind: kind, createdAt: try row.date(2) ?? Date(timeIntervalSince1970: 0), storyID: try row.optionalInt64(3),
                otherStoryID: try row.optionalInt64(4)))
        }
        guard !corrections.isEmpty else { return [] }
        for row in try await sql.rows("SELECT correctionID, role, canonicalURL FROM correctionArticle ORDER BY correctionID, role, position") {
            guard let position = index[try row.int64(0)] else { continue }
            let url = try row.string(2)
            switch try row.string(1) {
            case "article": corrections[position].articles.append(url)
            case "into": corrections[position].into.append(url)
            default: corrections[position].from.append(url)
            }
        }
        return corrections
    }

    static func storiesOf(_ sql: SQL, _ urls: [String]) async throws -> [String: Int64] {
        guard !urls.isEmpty else { return [:] }
        let unique = Array(Set(urls))
        var stories: [String: Int64] = [:]
        for row in try await sql.rows(
            """
            SELECT article.canonicalURL, storyMember.storyID FROM article JOIN storyMember ON storyMember.articleID = article.id
            WHERE article.canonicalURL IN (\(SQL.placeholders(unique.count)))
            """, unique.map { .text($0) })
        {
            stories[try row.string(0)] = try row.int64(1)
        }
        return stories
    }

    static func majority(_ anchors: [String], _ stories: [String: Int64]) -> Int64? {
        var counts: [Int64: Int] = [:]
        for anchor in anchors { if let story = stories[anchor] { counts[story, default: 0] += 1 } }
        guard let most = counts.values.max() else { return nil }
        return anchors.lazy.compactMap { stories[$0] }.first { counts[$0] == most }
    }

    private static func anchors(_ sql: SQL, story: Int64, excluding: Set<String> = []) async throws -> [String] {
        let members = try await articles(sql, inStory: story).filter { !excluding.contains($0.canonicalURL) }
            .sorted { ($0.time, $0.canonicalURL) < ($1.time, $1.canonicalURL) }
        return members.prefix(Correction.anchorCount).map(\.canonicalURL)
    }

    private static func existingStory(_ sql: SQL, _ id: Int64) async throws -> Int64 {
        guard let story = try await resolvedStory(sql, id) else { throw CorrectionError.noSuchStory(id) }
        return story
    }

    static func resolvedStory(_ sql: SQL, _ id: Int64) async throws -> Int64? {
        if try await sql.rows("SELECT EXISTS (SELECT 1 FROM story WHERE id = ?)", [.integer(id)])[0].bool(0) { return id }
        return try await sql.rows(
            "SELECT toID FROM storyRedirect WHERE fromID = ? AND toID IN (SELECT id FROM story)", [.integer(id)]
        ).first?.int64(0)
    }

    private static func clusteredArticle(_ sql: SQL, _ url: String) async throws -> (canonicalURL: String, storyID: Int64) {
        let candidates = [url, CanonicalURL.canonicalize(url)].compactMap { $0 }
        for candidate in candidates {
            if let row = try await sql.rows(
                """
                SELECT article.canonicalURL, storyMember.storyID FROM article JOIN storyMember ON storyMember.articleID = article.id
                WHERE article.canonicalURL = ? OR article.url = ? LIMIT 1
                """, [.text(candidate), .text(candidate)]
            ).first {
                return (try row.string(0), try row.int64(1))
            }
        }
        throw CorrectionError.noSuchArticle(url)
    }

    static func nextStoryID(_ sql: SQL) async throws -> Int64 {
        Int64(try await sql.int(
            """
            SELECT GREATEST(COALESCE((SELECT MAX(id) FROM story), 0), COALESCE((SELECT MAX(fromID) FROM storyRedirect), 0),
              COALESCE((SELECT MAX(id) FROM storyIDHighWater), 0), COALESCE((SELECT MAX(storyID) FROM correction), 0))
            """)) + 1
    }
}

extension Optional {
    func asyncFlatMap<U>(_ transform: (Wrapped) async throws -> U?) async rethrows -> U? {
        guard let value = self else { return nil }
        return try await transform(value)
    }
}
