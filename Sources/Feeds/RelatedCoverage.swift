import Foundation
import XMLSupport

/// Google News puts each story's related coverage in the item description as escaped HTML:
/// `<ol><li><a href="…">Headline</a>&nbsp;&nbsp;<font>Outlet</font></li>…</ol>`. In an
/// aggregator's feed every listed article becomes an item of its own, and the item and its
/// members share one group key, which is the aggregator's evidence that they report the same
/// event. Only there: an outlet's own feed and a podcast end items with lists of links too
/// ("Related coverage", "Read more", show notes), and those are no articles of other outlets.
/// The parser only keeps such a list (`ParsedItem.linkList`); whoever knows what the feed is
/// decides whether it is expanded.
public enum RelatedCoverage {
    /// Hosts whose feeds are aggregators whatever the config says, for readers that have no
    /// config to ask (`parallax parse`).
    static let aggregatorHosts: Set<String> = ["news.google.com"]

    /// The known aggregator host among `addresses` (the feed's URL, its site link), if any.
    public static func aggregatorHost(among addresses: [String?]) -> String? {
        addresses.lazy.compactMap { $0.flatMap(CanonicalURL.host(of:)) }.first(where: aggregatorHosts.contains)
    }

    /// Every item of an aggregator's feed with a list of related coverage becomes its group.
    /// - Parameter feedURL: where the feed was read from; the group keys start with it.
    public static func expanded(_ feed: ParsedFeed, feedURL: String?) -> ParsedFeed {
        guard feed.items.contains(where: { $0.linkList != nil }) else { return feed }
        let base = [feedURL, feed.link].lazy.compactMap { $0.flatMap(URL.init(string:)) }.first { !$0.isFileURL }
        var result = feed
        result.items = feed.items.flatMap { item -> [ParsedItem] in
            guard let list = item.linkList else { return [item] }
            var leader = item
            leader.linkList = nil
            return expand(leader, listHTML: list, feedURL: feedURL, base: base)
        }
        return result
    }

    struct Member: Equatable {
        var title: String
        var link: String
        var outlet: String?
    }

    /// True when a description is nothing but a list of links, as Google News writes it; a cheap
    /// test before parsing any HTML, so an article summary that merely contains a list stays whole.
    static func mayHoldList(_ html: String) -> Bool {
        let lower = html.prefix(8).lowercased()
        let end = html.suffix(8).lowercased()
        let isList = (lower.hasPrefix("<ol") && end.hasSuffix("</ol>")) || (lower.hasPrefix("<ul") && end.hasSuffix("</ul>"))
        return isList && html.range(of: "href", options: .caseInsensitive) != nil
    }

    static func members(html: String, base: URL?) -> [Member] {
        guard let document = HTMLDocument(data: Data(html.utf8), encoding: "UTF-8"),
            let records = try? document.records(
                item: "//li[a[@href]]",
                fields: ["link": "string(a[@href][1]/@href)", "title": "string(a[@href][1])", "outlet": "string((font|cite|span)[1])"])
        else { return [] }
        return records.compactMap { record in
            let title = InvisibleText.neutralised(HTMLText.foldWhitespace(record["title"]?.first ?? ""))
            guard !title.isEmpty, let link = record["link"]?.first.flatMap({ PageBase.resolve($0, against: base) }) else { return nil }
            let outlet = (record["outlet"]?.first).map { InvisibleText.neutralised(HTMLText.foldWhitespace($0)) }.flatMap { $0.isEmpty ? nil : $0 }
            return Member(title: title, link: link, outlet: outlet)
        }
    }

    /// The item followed by its members (each once, the item's own link left out), all in one group.
    static func expand(_ item: ParsedItem, listHTML: String, feedURL: String?, base: URL?) -> [ParsedItem] {
        let members = members(html: listHTML, base: base)
        guard members.count > 1 || (members.count == 1 && members[0].link != item.link) else { return [item] }
        let key = "\(feedURL ?? "")#\(item.guid ?? item.link ?? item.title)"
        var leader = item
        leader.group = key
        var seen: Set<String> = [item.link ?? ""]
        var expanded = [leader]
        for member in members where seen.insert(member.link).inserted {
            var related = ParsedItem()
            related.title = member.title
            related.link = member.link
            related.sourceName = member.outlet
            related.language = item.language
            related.group = key
            expanded.append(related)
        }
        return expanded
    }
}
