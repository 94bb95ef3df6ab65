/// A feed the user configured: where to read it and whose articles it carries.
public struct FeedSource: Sendable, Hashable, Codable {
    public enum Kind: String, Sendable, Codable, CaseIterable {
        /// An outlet's own feed: every item belongs to `outletID`.
        case feed
        /// An aggregator's feed: each item's outlet comes from its `<source url>` or link domain.
        case aggregator
    }

    /// As written in the config after resolution: `http(s)://…` or `file://…`.
    public var url: String
    public var kind: Kind
    public var outletID: String?
    public var title: String?
    /// Sent instead of Parallax's own User-Agent, for a publisher that asks for one.
    public var userAgent: String?

    public init(url: String, kind: Kind = .feed, outletID: String? = nil, title: String? = nil, userAgent: String? = nil) {
        self.url = url
        self.kind = kind
        self.outletID = outletID
        self.title = title
        self.userAgent = userAgent
    }
}
