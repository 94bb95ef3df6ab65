import Config
import Feeds
import Foundation
import Outlets

/// OPML in and out of a config's feed list.
public enum FeedList {
    /// YAML `feeds:` entries for the OPML feeds the config does not list yet. A feed whose site or
    /// feed host belongs to a configured outlet is given that outlet; any other becomes an
    /// aggregator entry with a comment, since its outlet cannot be guessed.
    public static func importEntries(_ opml: OPML.Document, config: ParallaxConfig?) -> (yaml: String, added: Int, known: Int) {
        let registry = OutletRegistry(config?.outlets ?? [])
        let listed = Set((config?.feeds ?? []).map(\.url))
        var lines: [String] = []
        var added = 0
        for feed in opml.feeds where !listed.contains(feed.url) {
            added += 1
            let hosts = [feed.siteURL, feed.url].compactMap { $0.flatMap(CanonicalURL.host(of:)) }
            let outlet = hosts.lazy.compactMap { registry.outlet(forHost: $0) }.first
            lines.append("  - url: \(quoted(feed.url))")
            if let outlet {
                lines.append("    outlet: \(outlet.id)")
            } else {
                lines.append("    kind: aggregator  # no configured outlet has the domain \(hosts.first ?? feed.url)")
            }
            if let title = feed.title { lines.append("    title: \(quoted(title))") }
        }
        return (lines.map { $0 + "\n" }.joined(), added, opml.feeds.count - added)
    }

    /// The config's feeds as OPML 2.0: titles from the feed or its outlet, site links from the outlet's domain.
    public static func export(_ config: ParallaxConfig) -> String {
        let registry = OutletRegistry(config.outlets)
        let feeds = config.feeds.map { source in
            let outlet = source.outletID.flatMap { registry[$0] }
            return OPMLFeed(
                url: source.url, title: source.title ?? outlet?.name, siteURL: outlet?.domains.first.map { "https://\($0)/" },
                folders: source.kind == .feed ? [] : [source.kind == .aggregator ? "Aggregators" : "Pages"])
        }
        return OPML.export(title: "Parallax feeds (\((config.path as NSString).lastPathComponent))", feeds: feeds)
    }

    /// A YAML double-quoted scalar; JSON's escaping is a subset YAML accepts.
    static func quoted(_ text: String) -> String {
        let data = (try? JSONSerialization.data(withJSONObject: [text], options: [.withoutEscapingSlashes])) ?? Data("[\"\"]".utf8)
        return String(String(decoding: data, as: UTF8.self).dropFirst().dropLast())
    }
}
