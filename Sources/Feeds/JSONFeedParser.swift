import Foundation

/// Reads JSON Feed 1.0 and 1.1 (https://jsonfeed.org/version/1.1). Fields of the wrong type are
/// ignored, as feedparser ignores unknown XML, so one odd field does not lose the feed.
enum JSONFeedParser {
    static func parse(_ data: Data, url: String?) throws(FeedParseError) -> ParsedFeed {
        let object: Any
        do {
            object = try JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])
        } catch {
            throw .unreadable("not valid JSON: \((error as NSError).userInfo[NSDebugDescriptionErrorKey] as? String ?? "syntax error")")
        }
        guard let root = object as? [String: Any] else { throw .notAFeed(rootElement: "a JSON value that is not an object") }
        guard let version = root["version"] as? String, version.contains("jsonfeed.org/version/1") else {
            throw .notAFeed(rootElement: "a JSON object without a jsonfeed.org 'version'")
        }
        let base = (root["home_page_url"] as? String).flatMap(URL.init(string:)) ?? url.flatMap(URL.init(string:))
        var feed = ParsedFeed()
        feed.format = version.hasSuffix("1.1") ? .jsonFeed11 : .jsonFeed10
        feed.encoding = "UTF-8"
        feed.title = HTMLText.foldWhitespace(root["title"] as? String ?? "")
        feed.link = (root["home_page_url"] as? String).map { resolve($0, base: base) }
        feed.language = root["language"] as? String
        let feedAuthors = authors(root)
        for case let entry as [String: Any] in root["items"] as? [Any] ?? [] {
            var item = ParsedItem()
            item.guid = (entry["id"] as? String) ?? (entry["id"] as? NSNumber)?.stringValue
            item.link = ((entry["url"] as? String) ?? (entry["external_url"] as? String)).map { resolve($0, base: base) }
            item.title = HTMLText.plainText(entry["title"] as? String ?? "")
            let summary = (entry["summary"] as? String).map(HTMLText.plainText)
            let content = (entry["content_text"] as? String).map(HTMLText.foldWhitespace)
                ?? (entry["content_html"] as? String).map(HTMLText.plainText)
            item.summary = summary ?? content ?? ""
            item.published = (entry["date_published"] as? String).flatMap(FeedDate.parse)
            item.updated = (entry["date_modified"] as? String).flatMap(FeedDate.parse)
            item.language = entry["language"] as? String ?? feed.language
            item.authors = authors(entry)
            if item.authors.isEmpty { item.authors = feedAuthors }
            item.author = item.authors.first
            item.categories = (entry["tags"] as? [Any] ?? []).compactMap { $0 as? String }
            item.imageURL = ((entry["image"] as? String) ?? (entry["banner_image"] as? String)).map { resolve($0, base: base) }
            for case let attachment as [String: Any] in entry["attachments"] as? [Any] ?? [] {
                guard let link = attachment["url"] as? String else { continue }
                item.enclosures.append(
                    Enclosure(url: resolve(link, base: base), type: attachment["mime_type"] as? String,
                              length: (attachment["size_in_bytes"] as? NSNumber)?.intValue))
            }
            if item.title.isEmpty, let text = summary ?? content {
                // JSON Feed items may be title-less microposts: their start is their headline.
                item.title = String(text.prefix(120))
            }
            feed.items.append(item)
        }
        return feed
    }

    /// JSON Feed 1.1's `authors` array, else 1.0's single `author`.
    private static func authors(_ object: [String: Any]) -> [String] {
        let list = (object["authors"] as? [Any]) ?? (object["author"]).map { [$0] } ?? []
        return list.compactMap { ($0 as? [String: Any])?["name"] as? String }
            .map(HTMLText.foldWhitespace).filter { !$0.isEmpty }
    }

    private static func resolve(_ link: String, base: URL?) -> String {
        let trimmed = link.trimmingCharacters(in: .whitespacesAndNewlines)
        if URL(string: trimmed)?.scheme != nil { return trimmed }
        return URL(string: trimmed, relativeTo: base)?.absoluteString ?? trimmed
    }
}
