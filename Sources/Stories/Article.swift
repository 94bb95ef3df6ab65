import Foundation

/// One article as Parallax keeps it: found in a feed, attributed to an outlet, grouped into a story.
public struct Article: Sendable, Codable, Hashable, Identifiable {
    /// The store's row id; nil until stored.
    public var id: Int64?
    /// The URL with tracking parameters and fragment removed: the article's identity.
    public var canonicalURL: String
    /// The link as the feed gave it.
    public var url: String
    /// The outlet's id, or nil when the domain belongs to no configured outlet.
    public var outletID: String?
    /// The host the article came from ("www." removed), which names unconfigured outlets.
    public var domain: String
    /// The outlet name the feed itself gave (an aggregator's `<source>`), if any.
    public var sourceName: String?
    public var title: String
    public var summary: String
    public var language: String?
    public var publishedAt: Date?
    public var firstSeenAt: Date
    /// The configured feed URL this article was read from.
    public var feedURL: String
    /// Identical text under different URLs shares a fingerprint; the clusterer gives a
    /// near-identical copy (a wire story with small edits) its first-seen copy's fingerprint.
    public var fingerprint: String
    public var storyID: Int64?
    /// Set when an aggregator listed this article with others as one event (a Google News
    /// related-coverage list, an HTML rule group): articles sharing a key land in one story.
    public var groupKey: String?
    /// The item's full content as text (`content:encoded`, Atom `<content>`), "" when the feed
    /// carries none. Read only by the story brief: the clusterer works on title and summary.
    public var content: String = ""
    /// The item's picture (`media:thumbnail`, an image `media:content` or enclosure, `og:image`).
    public var imageURL: String?

    public init(
        id: Int64? = nil, canonicalURL: String, url: String, outletID: String?, domain: String, sourceName: String? = nil,
        title: String, summary: String, language: String?, publishedAt: Date?, firstSeenAt: Date, feedURL: String,
        storyID: Int64? = nil, groupKey: String? = nil, fingerprint: String? = nil, content: String = "", imageURL: String? = nil
    ) {
        self.id = id
        self.canonicalURL = canonicalURL
        self.url = url
        self.outletID = outletID
        self.domain = domain
        self.sourceName = sourceName
        self.title = title
        self.summary = summary
        self.language = language
        self.publishedAt = publishedAt
        self.firstSeenAt = firstSeenAt
        self.feedURL = feedURL
        // A stored article brings the fingerprint it was given (a wire copy's is its original's).
        self.fingerprint = fingerprint ?? Self.fingerprint(title: title, summary: summary)
        self.storyID = storyID
        self.groupKey = groupKey
        self.content = content
        self.imageURL = imageURL
    }

    /// Parallax keeps the first this many characters of a description and of a full content.
    public static let summaryLimit = 1000
    public static let contentLimit = 20000

    /// When the article appeared: the feed's date, or when Parallax first saw it.
    public var time: Date { publishedAt.map { min($0, firstSeenAt) } ?? firstSeenAt }

    /// A 64-bit FNV-1a hash of the folded title and summary, as 16 hex digits.
    public static func fingerprint(title: String, summary: String) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for token in Tokenizer.wordBytes(in: title + " " + summary) {
            for byte in token {
                hash ^= UInt64(byte)
                hash = hash &* 0x0000_0100_0000_01B3
            }
            hash ^= 0x20
            hash = hash &* 0x0000_0100_0000_01B3
        }
        let hex = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }
}

/// A group of articles about one event. Its id never changes once given.
public struct Story: Sendable, Codable, Hashable, Identifiable {
    public var id: Int64
    public var title: String
    public var firstSeenAt: Date
    public var lastSeenAt: Date
    public var articleCount: Int

    public init(id: Int64, title: String, firstSeenAt: Date, lastSeenAt: Date, articleCount: Int) {
        self.id = id
        self.title = title
        self.firstSeenAt = firstSeenAt
        self.lastSeenAt = lastSeenAt
        self.articleCount = articleCount
    }

    /// The headline that stands for a story: the earliest article in the language most members
    /// use, so a story mostly told in English is not titled by its one Korean article.
    public static func representativeTitle(of members: [Article]) -> String {
        representative(of: members)?.title ?? ""
    }

    /// The article whose headline stands for the story (see `representativeTitle(of:)`).
    public static func representative(of members: [Article]) -> Article? {
        var languageCounts: [String: Int] = [:]
        for article in members { languageCounts[article.language ?? "", default: 0] += 1 }
        let language = languageCounts.max { ($0.value, $1.key) < ($1.value, $0.key) }?.key
        let candidates = members.filter { ($0.language ?? "") == language }
        return (candidates.isEmpty ? members : candidates).min { ($0.time, $0.canonicalURL) < ($1.time, $1.canonicalURL) }
    }
}
