import Foundation

/// Reads JSON Feed 1.0 and 1.1 (https://jsonfeed.org/version/1.1). Fields of the wrong type are
/// ignored, as feedparser ignores unknown XML, so one odd field does not lose the feed.
enum JSONFeedParser {
    static func parse(_ data: Data, url: String?) throws(FeedParseError) -> ParsedFeed {
        var problems: [String] = []
        let object: Any
        do {
            object = try JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])
        } catch {
            // Raw control characters (a newline, a tab) inside strings are the commonest damage:
            // escaped, the feed reads, and is flagged as XML that had to be recovered is.
            guard let (repaired, count) = escapingControlCharactersInStrings(data),
                let reread = try? JSONSerialization.jsonObject(with: repaired, options: [.fragmentsAllowed])
            else {
                throw .invalidJSON((error as NSError).userInfo[NSDebugDescriptionErrorKey] as? String ?? "syntax error")
            }
            object = reread
            problems.append("\(count) raw control characters inside JSON strings were read as if escaped")
        }
        guard let root = object as? [String: Any] else { throw .notAJSONFeed("the JSON is not an object") }
        let version = root["version"] as? String
        if version?.contains("jsonfeed.org/version/1") != true {
            // feedparser reads a JSON Feed by its shape too: items with a url or a title.
            let items = root["items"] as? [Any] ?? []
            guard items.contains(where: { entry in ["url", "external_url", "title"].contains { (entry as? [String: Any])?[$0] is String } })
            else { throw .notAJSONFeed("a JSON object with neither a jsonfeed.org 'version' nor items with a 'url' or 'title'") }
            problems.append("no jsonfeed.org 'version': read as a JSON Feed by its items")
        }
        let base = (root["home_page_url"] as? String).flatMap(URL.init(string:)) ?? url.flatMap(URL.init(string:))
        var feed = ParsedFeed()
        feed.format = version.map { $0.contains("jsonfeed.org/version/1") ? ($0.hasSuffix("1.1") ? .jsonFeed11 : .jsonFeed10) : .json } ?? .json
        feed.encoding = "UTF-8"
        feed.problems = problems
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
        feed.neutraliseInvisibleText()
        return feed
    }

    /// `data` with every byte below 0x20 inside a string written as a `\\u00XX` escape, and how
    /// many there were; nil when there were none (the JSON is broken some other way).
    static func escapingControlCharactersInStrings(_ data: Data) -> (Data, Int)? {
        var output: [UInt8] = []
        output.reserveCapacity(data.count + 64)
        var (inString, escaped, count) = (false, false, 0)
        for byte in data {
            if inString {
                if escaped {
                    escaped = false
                } else if byte == UInt8(ascii: "\\") {
                    escaped = true
                } else if byte == UInt8(ascii: "\"") {
                    inString = false
                } else if byte < 0x20 {
                    let hex = Array("0123456789abcdef".utf8)
                    output += Array("\\u00".utf8) + [hex[Int(byte >> 4)], hex[Int(byte & 0xF)]]
                    count += 1
                    continue
                }
            } else if byte == UInt8(ascii: "\"") {
                inString = true
            }
            output.append(byte)
        }
        return count > 0 ? (Data(output), count) : nil
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
