import Foundation
import XMLSupport

/// What an article page says about itself in its head: OpenGraph, JSON-LD (`NewsArticle` and
/// its relatives), `<link rel="canonical">` and `<html lang>`.
public struct ArticleMetadata: Sendable, Equatable, Codable {
    public var title: String?
    public var siteName: String?
    /// Absolute: `rel=canonical`, else `og:url`, else the JSON-LD `url`.
    public var canonicalURL: String?
    public var language: String?
    public var published: Date?
    public var modified: Date?
    public var authors: [String] = []
    public var summary: String?
    public var imageURL: String?
    /// `og:type` or the JSON-LD `@type` that was read (`article`, `NewsArticle`, …).
    public var type: String?
    public var section: String?

    public init() {}

    /// Reads `html`. Every field falls back in a fixed order: OpenGraph, then JSON-LD, then plain
    /// HTML (`<title>`, `<meta name="description">`), since publishers keep OpenGraph the most current.
    public static func read(html: Data, pageURL: String, encoding: String? = nil) -> ArticleMetadata {
        var metadata = ArticleMetadata()
        guard let document = HTMLDocument(data: html, url: pageURL, encoding: encoding) else { return metadata }
        let base = PageBase.url(of: document, pageURL: pageURL)
        let meta = MetaTags(document)
        let linked = JSONLinkedData.article(in: document)

        func clean(_ value: String?) -> String? {
            value.map { InvisibleText.neutralised(HTMLText.repairingC1Controls(HTMLText.plainText($0))) }.flatMap { $0.isEmpty ? nil : $0 }
        }
        func date(_ value: String?) -> Date? { value.flatMap(FeedDate.parse) }
        func link(_ value: String?) -> String? { value.flatMap { PageBase.resolve($0, against: base) } }

        metadata.title = clean(meta["og:title"]) ?? clean(linked?.string("headline")) ?? clean(meta["twitter:title"])
            ?? clean((try? document.strings("string((//title)[1])"))?.first)
        metadata.siteName = clean(meta["og:site_name"]) ?? clean(linked?.object("publisher")?.string("name"))
        metadata.canonicalURL = link((try? document.strings("(//link[@rel='canonical' or @rel='Canonical'][@href])[1]/@href"))?.first)
            ?? link(meta["og:url"]) ?? link(linked?.string("url"))
        let lang = (try? document.strings("string(/html/@lang)"))?.first.flatMap { $0.isEmpty ? nil : $0 }
        metadata.language = lang ?? linked?.string("inLanguage") ?? meta["og:locale"].map { $0.replacingOccurrences(of: "_", with: "-") }
            ?? meta["content-language"]
        metadata.published = date(meta["article:published_time"]) ?? date(linked?.string("datePublished"))
            ?? date(meta["date"]) ?? date(meta["pubdate"]) ?? date(meta["dc.date"])
        metadata.modified = date(meta["article:modified_time"]) ?? date(linked?.string("dateModified")) ?? date(meta["og:updated_time"])
        let metaAuthors = meta.all("article:author").filter { !$0.hasPrefix("http") } + meta.all("author")
        metadata.authors = unique((metaAuthors.isEmpty ? linked?.names("author") ?? [] : metaAuthors).compactMap(clean))
        metadata.summary = clean(meta["og:description"]) ?? clean(linked?.string("description")) ?? clean(meta["description"])
        metadata.imageURL = link(meta["og:image"]) ?? link(linked?.string("image") ?? linked?.object("image")?.string("url"))
        metadata.type = meta["og:type"] ?? linked?.types.first
        metadata.section = clean(meta["article:section"]) ?? clean(linked?.string("articleSection"))
        return metadata
    }

    private static func unique(_ values: [String]) -> [String] {
        var seen: Set<String> = []
        return values.filter { seen.insert($0).inserted }
    }
}

/// `<meta property|name="…" content="…">`, keyed by lower-cased property or name, in document order.
private struct MetaTags {
    private var values: [String: [String]] = [:]

    init(_ document: HTMLDocument) {
        for element in (try? document.select("//meta[@content]")) ?? [] {
            guard let content = element["content"] else { continue }
            for key in [element["property"], element["name"], element["http-equiv"], element["itemprop"]].compactMap({ $0 }) {
                values[key.lowercased().trimmingCharacters(in: .whitespaces), default: []].append(content)
            }
        }
    }

    subscript(key: String) -> String? {
        values[key]?.lazy.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.first { !$0.isEmpty }
    }

    func all(_ key: String) -> [String] { values[key] ?? [] }
}

/// The JSON-LD object of a page that describes the article, wherever the publisher put it:
/// at the top, in an array, or in an `@graph`.
private struct JSONLinkedData {
    static let articleTypes: Set<String> = [
        "newsarticle", "article", "reportagenewsarticle", "analysisnewsarticle", "opinionnewsarticle",
        "backgroundnewsarticle", "reviewnewsarticle", "blogposting", "liveblogposting", "report", "webpage",
    ]

    let object: [String: Any]

    static func article(in document: HTMLDocument) -> JSONLinkedData? {
        let scripts = (try? document.strings("//script[contains(translate(@type, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz'), 'application/ld+json')]")) ?? []
        var candidates: [JSONLinkedData] = []
        for script in scripts {
            guard let data = script.data(using: .utf8),
                let value = try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])
            else { continue }
            collect(value, into: &candidates, depth: 0)
        }
        // An article type beats a web page, which only fills in when nothing better is there.
        return candidates.first { $0.types.contains { articleTypes.contains($0.lowercased()) && $0.lowercased() != "webpage" } }
            ?? candidates.first { $0.types.contains { $0.lowercased() == "webpage" } }
    }

    private static func collect(_ value: Any, into found: inout [JSONLinkedData], depth: Int) {
        guard depth < 4 else { return }
        if let array = value as? [Any] {
            for element in array { collect(element, into: &found, depth: depth + 1) }
        } else if let object = value as? [String: Any] {
            found.append(JSONLinkedData(object: object))
            if let graph = object["@graph"] { collect(graph, into: &found, depth: depth + 1) }
        }
    }

    var types: [String] {
        if let single = object["@type"] as? String { return [single] }
        return (object["@type"] as? [Any])?.compactMap { $0 as? String } ?? []
    }

    func string(_ key: String) -> String? {
        if let text = object[key] as? String { return text }
        if let first = (object[key] as? [Any])?.first as? String { return first }
        return nil
    }

    func object(_ key: String) -> JSONLinkedData? {
        if let object = object[key] as? [String: Any] { return JSONLinkedData(object: object) }
        if let first = (object[key] as? [Any])?.first as? [String: Any] { return JSONLinkedData(object: first) }
        return nil
    }

    /// Names of a Person/Organization field given as a string, an object or an array of either.
    func names(_ key: String) -> [String] {
        let list = (object[key] as? [Any]) ?? object[key].map { [$0] } ?? []
        return list.compactMap { ($0 as? String) ?? (($0 as? [String: Any])?["name"] as? String) }
    }
}
