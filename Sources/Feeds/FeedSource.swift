import Foundation

/// A feed the user configured: where to read it and whose articles it carries.
public struct FeedSource: Sendable, Hashable, Codable {
    public enum Kind: String, Sendable, Codable, CaseIterable {
        /// An outlet's own feed: every item belongs to `outletID`.
        case feed
        /// An aggregator's feed: each item's outlet comes from its `<source url>` or link domain.
        case aggregator
        /// An HTML page read with `rules`; each item's outlet comes from the page, as for an aggregator.
        case htmlRules = "html-rules"
    }

    /// As written in the config after resolution: `http(s)://…` or `file://…`.
    public var url: String
    public var kind: Kind
    public var outletID: String?
    public var title: String?
    /// For `html-rules` pages: how to find the articles on the page.
    public var rules: ExtractionRules?
    /// Sent instead of Parallax's own User-Agent, for a publisher that asks for one.
    public var userAgent: String?

    public init(
        url: String, kind: Kind = .feed, outletID: String? = nil, title: String? = nil, rules: ExtractionRules? = nil,
        userAgent: String? = nil
    ) {
        self.url = url
        self.kind = kind
        self.outletID = outletID
        self.title = title
        self.rules = rules
        self.userAgent = userAgent
    }

    /// Reads a fetched body the way this source says: as a feed, or as a page through its rules.
    /// - Parameters:
    ///   - location: where the body came from, when a redirect moved it from `url`.
    ///   - response: the HTTP response's headers; nil for a file.
    public func parse(_ body: Data, from location: String? = nil, response: ResponseHeaders? = nil) throws(FeedParseError) -> ParsedFeed {
        let location = location ?? url
        if kind == .htmlRules, let rules {
            return try HTMLExtractor.extract(html: body, pageURL: location, rules: rules, encoding: response?.charset)
        }
        let feed: ParsedFeed
        if let response {
            feed = try FeedParser.parse(body, url: location, response: response)
        } else {
            feed = try FeedParser.parse(body, url: location)
        }
        // Only an aggregator's link lists are coverage by other outlets; an outlet's are its own.
        return kind == .aggregator ? RelatedCoverage.expanded(feed, feedURL: location) : feed
    }
}
