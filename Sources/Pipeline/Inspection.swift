import AsyncHTTPClient
import Crawl
import Feeds
import Foundation
import NIOCore

/// What `parallax parse` shows of one document: a feed's items, an OPML list's feeds, or an
/// article page's metadata and the feeds it advertises. Encoded as the command's stable JSON
/// (README, "parallax parse"); absent values are left out.
public struct InspectedDocument: Sendable, Encodable {
    public enum Kind: String, Sendable, Encodable {
        case feed, opml, page
        case htmlRules = "html-rules"
    }

    public struct Item: Sendable, Encodable {
        public var title: String
        public var link: String?
        public var canonicalURL: String?
        public var id: String?
        public var outlet: String?
        public var outletURL: String?
        public var published: Date?
        public var updated: Date?
        public var language: String?
        public var summary: String
        /// The full content as text; absent when the item has none.
        public var content: String?
        public var authors: [String]
        public var categories: [String]
        public var enclosures: [Enclosure]
        public var imageURL: String?
        public var group: String?
        /// For a Google News article link: whether the publisher's URL was decoded from it.
        public var canonicalNote: String?
    }

    /// What was done with items whose description is nothing but a list of links.
    public struct LinkLists: Sendable, Encodable {
        /// Read as an aggregator's related coverage, each listed article an item of the group.
        public var expanded: Bool
        /// How many items had such a list.
        public var items: Int
        public var reason: String
    }

    public struct Feed: Sendable, Encodable {
        public var url: String
        public var title: String?
        public var type: String?
        public var folders: [String]?
    }

    public var source: String
    public var kind: Kind?
    public var bytes: Int
    public var format: String?
    public var encoding: String?
    public var bozo: Bool
    /// The first problem: why the document could not be read, or the first error recovered from.
    public var error: String?
    public var problems: [String]
    public var title: String?
    public var link: String?
    public var language: String?
    public var items: [Item]
    /// OPML entries, or the feeds a page advertises.
    public var feeds: [Feed]?
    public var metadata: ArticleMetadata?
    /// Absent when no item's description is a list of links.
    public var linkLists: LinkLists?

    public var failed: Bool { kind == nil }
}

public enum InspectionError: Error, CustomStringConvertible {
    case unreadable(location: String, reason: String)
    case tooLarge(location: String, limit: Int)

    public var description: String {
        switch self {
        case .unreadable(let location, let reason): "\(location): \(reason)"
        case .tooLarge(let location, let limit): "\(location): larger than the \(limit / 1_048_576) MB cap"
        }
    }
}

public enum Inspection {
    public static let maximumBytes = 32 * 1_048_576

    /// The bytes at a path or an http(s) URL, and what the server's response headers say about them.
    public static func load(_ location: String) async throws(InspectionError) -> (Data, response: ResponseHeaders?) {
        guard location.hasPrefix("http://") || location.hasPrefix("https://") else {
            let path = location.hasPrefix("file://") ? URL(string: location)?.path ?? location : location
            // One open and one read of at most the cap plus a byte: `attributesOfItem` would also
            // look up the file's owner and group by name (the user database) for every file.
            guard let handle = FileHandle(forReadingAtPath: path) else {
                throw .unreadable(location: location, reason: FileManager.default.fileExists(atPath: path) ? "cannot read the file" : "no such file")
            }
            defer { try? handle.close() }
            let data: Data
            do {
                // nil at end of file: an empty file is empty data, for the parser to name.
                data = try handle.read(upToCount: maximumBytes + 1) ?? Data()
            } catch {
                throw .unreadable(location: location, reason: "cannot read the file")
            }
            if data.count > maximumBytes { throw .tooLarge(location: location, limit: maximumBytes) }
            return (data, nil)
        }
        do {
            var request = HTTPClientRequest(url: location)
            request.headers.add(name: "User-Agent", value: "parallax-parse (+https://github.com/parallax)")
            let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
            guard (200..<300).contains(response.status.code) else {
                throw InspectionError.unreadable(location: location, reason: "HTTP status \(response.status.code)")
            }
            let body = try await response.body.collect(upTo: maximumBytes)
            return (Data(body.readableBytesView), ResponseHeaders(response.headers))
        } catch let error as InspectionError {
            throw error
        } catch is NIOTooManyBytesError {
            throw .tooLarge(location: location, limit: maximumBytes)
        } catch {
            throw .unreadable(location: location, reason: "\(error)")
        }
    }

    /// Reads `data` as whatever it is: with `rules` as an HTML page through them; otherwise as a
    /// feed, an OPML list, or (when it is HTML) an article page. A feed's lists of links are
    /// expanded as related coverage when `aggregator` is set or the feed's URL or site link is
    /// a known aggregator's host, as the crawler does for `kind: aggregator`.
    public static func inspect(
        _ data: Data, source: String, response: ResponseHeaders? = nil, rules: ExtractionRules? = nil, aggregator: Bool = false
    ) -> InspectedDocument {
        let charset = response?.charset
        var document = InspectedDocument(
            source: source, kind: nil, bytes: data.count, format: nil, encoding: nil, bozo: true, error: nil, problems: [],
            title: nil, link: nil, language: nil, items: [], feeds: nil, metadata: nil, linkLists: nil)
        // `isDirectory: false`: without it Foundation asks the file system whether the path is a folder.
        let url = source.contains("://") ? source : URL(fileURLWithPath: source, isDirectory: false).absoluteString
        do {
            var feed: ParsedFeed
            if let rules {
                feed = try HTMLExtractor.extract(html: data, pageURL: url, rules: rules, encoding: charset)
                document.kind = .htmlRules
            } else {
                if let response {
                    feed = try FeedParser.parse(data, url: url, response: response)
                } else {
                    feed = try FeedParser.parse(data, url: url)
                }
                document.kind = .feed
                feed = readLinkLists(feed, url: url, aggregator: aggregator, into: &document)
            }
            document.fill(with: feed)
        } catch .notAFeed(let root) where root == "opml" {
            inspectOPML(data, url: url, into: &document)
        } catch let error where looksLikeHTML(data) {
            guard rules == nil else {
                document.error = "\(error)"
                return document
            }
            let metadata = ArticleMetadata.read(html: data, pageURL: url, encoding: charset)
            document.kind = .page
            document.format = "html"
            document.bozo = false
            document.metadata = metadata
            document.title = metadata.title
            document.link = metadata.canonicalURL
            document.language = metadata.language
            document.feeds = FeedAutodiscovery.discover(html: data, pageURL: url).map {
                InspectedDocument.Feed(url: $0.url, title: $0.title, type: $0.type, folders: nil)
            }
        } catch {
            document.error = "\(error)"
        }
        return document
    }

    private static func readLinkLists(_ feed: ParsedFeed, url: String, aggregator: Bool, into document: inout InspectedDocument) -> ParsedFeed {
        let count = feed.items.count { $0.linkList != nil }
        guard count > 0 else { return feed }
        let host = RelatedCoverage.aggregatorHost(among: [url, feed.link])
        let reason = aggregator ? "read as an aggregator's feed (--aggregator)"
            : host.map { "\($0) is an aggregator" }
            ?? "not a known aggregator's feed, so the lists stay the items' summaries (--aggregator reads them as related coverage)"
        let expand = aggregator || host != nil
        document.linkLists = InspectedDocument.LinkLists(expanded: expand, items: count, reason: reason)
        return expand ? RelatedCoverage.expanded(feed, feedURL: url) : feed
    }

    private static func inspectOPML(_ data: Data, url: String, into document: inout InspectedDocument) {
        do {
            let opml = try OPML.parse(data, url: url)
            document.kind = .opml
            document.format = "opml"
            document.title = opml.title
            document.problems = opml.problems
            document.bozo = !opml.problems.isEmpty
            document.error = opml.problems.first
            document.feeds = opml.feeds.map { .init(url: $0.url, title: $0.title, type: nil, folders: $0.folders) }
        } catch {
            document.error = "\(error)"
        }
    }

    static func looksLikeHTML(_ data: Data) -> Bool {
        let head = String(decoding: data.prefix(2048), as: UTF8.self).lowercased()
        return head.contains("<html") || head.contains("<!doctype html") || head.contains("<head") || head.contains("<body")
    }
}

extension InspectedDocument {
    static func note(forLink link: String) -> String? {
        switch GoogleNewsLink.read(link) {
        case .publisher?: "the publisher's URL, decoded from the Google News link"
        case .opaque?: "an opaque Google News link (the newer form holds no publisher URL): the outlet comes from <source url>"
        case nil: nil
        }
    }

    fileprivate mutating func fill(with feed: ParsedFeed) {
        format = feed.format.rawValue
        encoding = feed.encoding
        bozo = feed.isBozo
        problems = feed.problems
        error = feed.problems.first
        title = feed.title
        link = feed.link
        language = feed.language
        items = feed.items.map { item in
            Item(
                title: item.title, link: item.link, canonicalURL: item.link.flatMap(CanonicalURL.canonicalize), id: item.guid,
                outlet: item.sourceName, outletURL: item.sourceURL, published: item.published, updated: item.updated,
                language: item.language ?? feed.language, summary: item.summary,
                content: item.content.isEmpty ? nil : item.content, authors: item.authors,
                categories: item.categories, enclosures: item.enclosures, imageURL: item.imageURL, group: item.group,
                canonicalNote: item.link.flatMap(Self.note(forLink:)))
        }
    }
}

/// Totals of `parallax parse --stats`: what anyone can use to measure throughput on a corpus.
public struct ParseStatistics: Sendable {
    public var files = 0
    public var bytes = 0
    public var items = 0
    public var errors = 0
    public var bozo = 0
    /// Time spent parsing only, not reading files.
    public var seconds = 0.0

    public init() {}

    public var megabytesPerSecond: Double { seconds > 0 ? Double(bytes) / 1_048_576 / seconds : 0 }

    public mutating func add(_ document: InspectedDocument, seconds elapsed: Double) {
        files += 1
        bytes += document.bytes
        items += document.items.count
        if document.failed { errors += 1 } else if document.bozo { bozo += 1 }
        seconds += elapsed
    }
}
