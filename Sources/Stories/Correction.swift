import Foundation

/// A user's fix to the clustering ("these two stories are one", "these articles are another
/// story", "this article belongs there"). Stories are named by their articles' canonical URLs,
/// not by ids, so a correction keeps its meaning when stories merge, when ids change in a fresh
/// state it is imported into, and when the articles it names arrive only later.
public struct Correction: Sendable, Equatable {
    public enum Kind: String, Sendable, Codable, CaseIterable {
        /// `from`'s story is folded into `into`'s, which keeps its id.
        case merge
        /// `articles` leave the story of `from` and form a story of their own.
        case split
        /// `articles` leave the story of `from` for the story of `into`.
        case move
    }

    public var id: Int64?
    public var kind: Kind
    public var createdAt: Date
    /// The articles moved or split off (empty for a merge).
    public var articles: [String]
    /// A few of the receiving story's earliest articles: the story they are in is the story
    /// meant (by majority), whatever its id is now. Empty for a split.
    public var into: [String]
    /// A few of the earliest articles of the story that loses articles (or is merged away).
    public var from: [String]
    /// The story ids when the correction was made; a split part's id, given once and never
    /// reused, names that part from then on.
    public var storyID: Int64?
    public var otherStoryID: Int64?

    public init(
        id: Int64? = nil, kind: Kind, createdAt: Date, articles: [String] = [], into: [String] = [], from: [String] = [],
        storyID: Int64? = nil, otherStoryID: Int64? = nil
    ) {
        self.id = id
        self.kind = kind
        self.createdAt = createdAt
        self.articles = articles
        self.into = into
        self.from = from
        self.storyID = storyID
        self.otherStoryID = otherStoryID
    }

    /// How many of a story's earliest articles stand for it: enough that moving one of them
    /// later does not change which story is meant.
    public static let anchorCount = 5

    /// Whether two corrections say the same thing (an import of a file already applied).
    public func sameStatement(as other: Correction) -> Bool {
        kind == other.kind && Set(articles) == Set(other.articles) && Set(into) == Set(other.into) && Set(from) == Set(other.from)
    }
}

/// What a report says about the corrections that shaped one story.
public struct CorrectionNote: Sendable, Codable, Equatable {
    public var correctionID: Int64
    public var kind: Correction.Kind
    public var date: Date
    /// In words, with the story ids as they are now: "story 9 merged into this story".
    public var text: String

    public init(correctionID: Int64, kind: Correction.Kind, date: Date, text: String) {
        self.correctionID = correctionID
        self.kind = kind
        self.date = date
        self.text = text
    }

    /// "correction #3 of 2026-12-03: 2 articles moved here from story 5".
    public var line: String {
        "correction #\(correctionID) of \(Self.day(date)): \(text)"
    }

    public static func day(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd"
        return formatter.string(from: date)
    }
}

/// The user's corrections as the clusterer obeys them: articles it must place into a given
/// story instead of deciding, and pairs of stories it must never merge. Kept apart from the
/// clusterer's own state so that its internals can change without touching these rules.
public struct ClusteringConstraints: Sendable, Equatable {
    private var pinned: [String: Int64]
    private var separated: [Int64: Set<Int64>] = [:]

    /// - Parameters:
    ///   - pinned: canonical URL → the story that article goes to.
    ///   - separated: story pairs that are never one story.
    public init(pinned: [String: Int64] = [:], separated: [(Int64, Int64)] = []) {
        self.pinned = pinned
        for (a, b) in separated where a != b {
            self.separated[a, default: []].insert(b)
            self.separated[b, default: []].insert(a)
        }
    }

    public var isEmpty: Bool { pinned.isEmpty && separated.isEmpty }

    public func pinnedStory(of canonicalURL: String) -> Int64? { pinned.isEmpty ? nil : pinned[canonicalURL] }

    public func mayMerge(_ a: Int64, _ b: Int64) -> Bool { separated[a]?.contains(b) != true }

    /// `from` became part of `into`: the stories kept apart from either are kept apart from the result.
    public mutating func merged(_ from: Int64, into: Int64) {
        if let apart = separated.removeValue(forKey: from) {
            for other in apart {
                separated[other]?.remove(from)
                separated[other, default: []].insert(into)
                separated[into, default: []].insert(other)
            }
        }
        for (url, story) in pinned where story == from { pinned[url] = into }
    }
}
