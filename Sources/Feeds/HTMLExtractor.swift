import Foundation
import XMLSupport

/// How to read articles out of an HTML page, as XPath 1.0: `item` selects one node per article
/// from the document; every other expression is evaluated relative to that node and its string
/// value is used (`./a/@href`, `string(.//cite)`, `ancestor::div[@class='cluster'][1]/@id`).
public struct ExtractionRules: Sendable, Hashable, Codable {
    public var item: String
    public var title: String
    public var link: String
    /// The outlet's name as the page shows it.
    public var outlet: String?
    /// A link to the outlet's site, for its domain when `link` points at the aggregator.
    public var outletLink: String?
    /// A time; read by `FeedDate` (RFC 822, ISO 8601 and their usual variants).
    public var time: String?
    public var summary: String?
    /// A value that items of one cluster share (an id, the lead headline): items with the same
    /// value form one group, the page's evidence that they report the same event.
    public var group: String?

    public init(
        item: String, title: String, link: String, outlet: String? = nil, outletLink: String? = nil,
        time: String? = nil, summary: String? = nil, group: String? = nil
    ) {
        self.item = item
        self.title = title
        self.link = link
        self.outlet = outlet
        self.outletLink = outletLink
        self.time = time
        self.summary = summary
        self.group = group
    }

    var fields: [String: String] {
        var fields = ["title": title, "link": link]
        fields["outlet"] = outlet
        fields["outletLink"] = outletLink
        fields["time"] = time
        fields["summary"] = summary
        fields["group"] = group
        return fields
    }

    /// Every expression compiled once, so a config with a broken rule fails when it is loaded.
    public func validate() throws(FeedParseError) {
        guard let document = HTMLDocument(data: Data("<p></p>".utf8)) else { return }
        do {
            _ = try document.records(item: item, fields: fields)
        } catch {
            throw .invalidRule(error.expression)
        }
    }
}

/// Turns an HTML page into a `ParsedFeed` with `ExtractionRules`.
public enum HTMLExtractor {
    public static func extract(html: Data, pageURL: String, rules: ExtractionRules, encoding: String? = nil) throws(FeedParseError) -> ParsedFeed {
        guard html.contains(where: { $0 > 0x20 }) else { throw .empty }
        guard let document = HTMLDocument(data: html, url: pageURL, encoding: encoding) else {
            throw .unreadable("libxml2 found no HTML document")
        }
        let records: [[String: [String]]]
        do {
            records = try document.records(item: rules.item, fields: rules.fields)
        } catch {
            throw .invalidRule(error.expression)
        }
        let base = PageBase.url(of: document, pageURL: pageURL)
        var feed = ParsedFeed()
        feed.format = .html
        feed.encoding = document.encoding
        feed.title = HTMLText.foldWhitespace((try? document.strings("string(//title)"))?.first ?? "")
        feed.link = pageURL
        feed.language = (try? document.strings("string(/html/@lang)"))?.first.flatMap { $0.isEmpty ? nil : $0 }
        var skipped = 0
        for record in records {
            func value(_ field: String) -> String? {
                record[field]?.lazy.map { HTMLText.repairingC1Controls(HTMLText.foldWhitespace($0)) }.first { !$0.isEmpty }
            }
            guard let title = value("title"), let link = value("link").flatMap({ PageBase.resolve($0, against: base) }) else {
                skipped += 1
                continue
            }
            var item = ParsedItem()
            item.title = title
            item.link = link
            item.guid = link
            item.sourceName = value("outlet")
            item.sourceURL = value("outletLink").flatMap { PageBase.resolve($0, against: base) }
            item.published = value("time").flatMap(FeedDate.parse)
            item.summary = value("summary") ?? ""
            item.language = feed.language
            item.group = value("group").map { "\(pageURL)#\($0)" }
            feed.items.append(item)
        }
        if skipped > 0 {
            feed.problems.append("\(skipped) of \(records.count) items had no title or no usable link")
        }
        feed.neutraliseInvisibleText()
        return feed
    }
}
