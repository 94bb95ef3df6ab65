import Foundation
import XMLSupport

/// A feed a web page advertises with `<link rel="alternate" type="…">`.
public struct DiscoveredFeed: Sendable, Equatable {
    /// Absolute, resolved against the page's `<base href>` or its own URL.
    public var url: String
    public var title: String?
    /// The advertised media type, lower-cased: `application/rss+xml`, `application/atom+xml`
    /// or `application/feed+json`.
    public var type: String

    public init(url: String, title: String?, type: String) {
        self.url = url
        self.title = title
        self.type = type
    }
}

/// Finds the feeds an HTML page links to in its head (RSS/Atom autodiscovery, JSON Feed's
/// equivalent), in document order, each URL once.
public enum FeedAutodiscovery {
    static let feedTypes: Set<String> = ["application/rss+xml", "application/atom+xml", "application/feed+json"]

    public static func discover(html: Data, pageURL: String) -> [DiscoveredFeed] {
        guard let document = HTMLDocument(data: html, url: pageURL),
            let links = try? document.select("//link[@rel and @href]")
        else { return [] }
        let base = PageBase.url(of: document, pageURL: pageURL)
        var seen: Set<String> = []
        var found: [DiscoveredFeed] = []
        for link in links {
            // rel is a space-separated token list ("alternate home" is seen in the wild).
            let relations = (link["rel"] ?? "").lowercased().split(whereSeparator: \.isWhitespace)
            guard relations.contains("alternate") else { continue }
            let type = (link["type"] ?? "").lowercased().split(separator: ";").first
                .map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
            guard feedTypes.contains(type), let href = link["href"],
                let url = PageBase.resolve(href, against: base), seen.insert(url).inserted
            else { continue }
            let title = link["title"].map(HTMLText.foldWhitespace).flatMap { $0.isEmpty ? nil : $0 }
            found.append(DiscoveredFeed(url: url, title: title, type: type))
        }
        return found
    }
}

/// The address relative links of a page resolve against: its first `<base href>` (itself
/// resolved against the page URL), else the page URL.
enum PageBase {
    static func url(of document: HTMLDocument, pageURL: String) -> URL? {
        let page = URL(string: pageURL.trimmingCharacters(in: .whitespacesAndNewlines))
        guard let href = (try? document.strings("(//base[@href])[1]/@href"))?.first,
            let base = URL(string: href.trimmingCharacters(in: .whitespacesAndNewlines), relativeTo: page)?.absoluteURL,
            base.scheme != nil
        else { return page }
        return base
    }

    /// An absolute http(s) URL, or nil for empty, `javascript:`, `data:` and unparseable links.
    static func resolve(_ link: String, against base: URL?) -> String? {
        let trimmed = link.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty, let url = URL(string: trimmed, relativeTo: base)?.absoluteURL,
            let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https" || scheme == "file"
        else { return nil }
        return url.absoluteString
    }
}
