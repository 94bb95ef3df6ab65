import Foundation

/// The syndication formats Parallax recognises.
public enum FeedFormat: String, Sendable, Codable, Equatable {
    case rss20 = "rss2.0"
    case rss09x = "rss0.9x"
    case rss10 = "rss1.0"
    case atom10 = "atom1.0"
    case atom03 = "atom0.3"
    case jsonFeed10 = "json1.0"
    case jsonFeed11 = "json1.1"
    /// A JSON Feed that names no jsonfeed.org version, read by its shape.
    case json
    /// An HTML page read through extraction rules.
    case html
    case unknown

    public var isJSON: Bool { self == .jsonFeed10 || self == .jsonFeed11 || self == .json }
}

/// One item of a feed, as the feed says it, before any outlet or story is attached.
public struct ParsedItem: Sendable, Equatable, Codable {
    public var title: String = ""
    /// The item's link, resolved against `xml:base`/the feed's URL where it was relative.
    public var link: String?
    public var guid: String?
    /// The item's description, or its full content when it has no description.
    public var summary: String = ""
    /// The full content (`content:encoded`, Atom `<content>`, `xhtml:body`, `<fullitem>`) as
    /// text, kept apart from the summary as feedparser does; empty when the item has none.
    public var content: String = ""
    public var author: String?
    public var published: Date?
    public var updated: Date?
    public var language: String?
    /// The outlet an aggregator attributes the item to (RSS `<source url="…">Name</source>`).
    public var sourceName: String?
    public var sourceURL: String?
    /// Every author the item names, in order (`author` is the first).
    public var authors: [String] = []
    public var categories: [String] = []
    /// RSS `<enclosure>`, Atom `rel="enclosure"` links, Media RSS `<media:content>`, JSON Feed attachments.
    public var enclosures: [Enclosure] = []
    /// Media RSS `<media:thumbnail>`, JSON Feed `image`.
    public var imageURL: String?
    /// Set when an aggregator presents this item together with related coverage (a Google News
    /// item and the articles its description lists, or one cluster of a rule-read page): every
    /// member of the group carries the same key, the feed's URL plus the leading item's id.
    public var group: String?
    /// The description as HTML when it is nothing but a list of links. An aggregator writes its
    /// related coverage so (`RelatedCoverage`); in an outlet's own feed it is only show notes or
    /// "Read more" links, and the item stays one item with its summary.
    public var linkList: String?

    public init() {}
}

public struct Enclosure: Sendable, Equatable, Codable {
    public var url: String
    public var type: String?
    public var length: Int?

    public init(url: String, type: String? = nil, length: Int? = nil) {
        self.url = url
        self.type = type
        self.length = length
    }
}

/// A parsed feed plus what went wrong reading it. A feed with problems (`isBozo`) still carries
/// every item that could be recovered, as Python's feedparser does.
public struct ParsedFeed: Sendable, Equatable, Codable {
    public var format: FeedFormat = .unknown
    public var encoding: String?
    public var title: String = ""
    public var link: String?
    public var language: String?
    /// RSS `<ttl>`, in minutes.
    public var timeToLiveMinutes: Int?
    public var items: [ParsedItem] = []
    public var problems: [String] = []

    public var isBozo: Bool { !problems.isEmpty }

    public init() {}
}

/// What went wrong when a document could not be read as a feed at all.
public enum FeedParseError: Error, Equatable, CustomStringConvertible {
    case empty
    case notAFeed(rootElement: String)
    case unreadable(String)
    case invalidJSON(String)
    /// Valid JSON that is not a feed; the detail says what it is.
    case notAJSONFeed(String)
    case invalidRule(String)
    case tooLarge(bytes: Int, limit: Int)

    public var description: String {
        switch self {
        case .empty: "the document is empty"
        case .notAFeed(let root): "not a feed: the document's root element is <\(root)>, expected <rss>, Atom's <feed> or <entry>, RSS 1.0's <rdf:RDF> or a JSON Feed"
        case .unreadable(let detail): "not readable as XML: \(detail)"
        case .invalidJSON(let detail): "not valid JSON: \(detail)"
        case .notAJSONFeed(let what): "not a feed: \(what), expected a JSON Feed (an object with 'items')"
        case .tooLarge(let bytes, let limit): "the document is \(bytes) bytes, over the \(limit)-byte cap"
        case .invalidRule(let expression): "extraction rule '\(expression)' is not a valid XPath 1.0 expression"
        }
    }
}
