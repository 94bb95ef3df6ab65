import Foundation
import XMLSupport

/// One feed of an OPML subscription list.
public struct OPMLFeed: Sendable, Equatable {
    public var url: String
    public var title: String?
    public var siteURL: String?
    /// The titles of the folders (enclosing outlines) it sits in, outermost first.
    public var folders: [String]

    public init(url: String, title: String? = nil, siteURL: String? = nil, folders: [String] = []) {
        self.url = url
        self.title = title
        self.siteURL = siteURL
        self.folders = folders
    }
}

/// OPML 1.0 and 2.0 feed lists (http://opml.org/spec2.opml): read through the same hardened
/// libxml2 parser as feeds, written as OPML 2.0.
public enum OPML {
    public struct Document: Sendable, Equatable {
        public var title: String?
        public var feeds: [OPMLFeed]
        /// Problems libxml2 recovered from; the feeds found despite them are still listed.
        public var problems: [String]
    }

    public static func parse(_ data: Data, url: String? = nil) throws(FeedParseError) -> Document {
        guard data.contains(where: { $0 > 0x20 }) else { throw .empty }
        let reader = OutlineReader(base: url.flatMap(URL.init(string:)))
        let report = StreamingXMLParser.parse(data, documentURL: url, handler: reader)
        guard let root = reader.root else { throw .unreadable(report.problems.first?.description ?? "no root element") }
        guard root == "opml" else { throw .notAFeed(rootElement: root) }
        return Document(title: reader.title, feeds: reader.feeds, problems: report.problems.map(\.description))
    }

    /// An OPML 2.0 document listing `feeds`, each outline of type "rss", grouped by first folder.
    public static func export(title: String, feeds: [OPMLFeed]) -> String {
        var lines = [
            #"<?xml version="1.0" encoding="UTF-8"?>"#,
            #"<opml version="2.0">"#,
            "  <head>",
            "    <title>\(escape(title))</title>",
            "  </head>",
            "  <body>",
        ]
        func outline(_ feed: OPMLFeed, indent: String) -> String {
            let text = escape(feed.title ?? feed.url)
            var attributes = #"type="rss" text="\#(text)" title="\#(text)" xmlUrl="\#(escape(feed.url))""#
            if let site = feed.siteURL { attributes += #" htmlUrl="\#(escape(site))""# }
            return "\(indent)<outline \(attributes)/>"
        }
        var folderOrder: [String] = []
        var byFolder: [String: [OPMLFeed]] = [:]
        for feed in feeds {
            let folder = feed.folders.first ?? ""
            if byFolder[folder] == nil { folderOrder.append(folder) }
            byFolder[folder, default: []].append(feed)
        }
        for folder in folderOrder {
            if folder.isEmpty {
                lines += byFolder[folder, default: []].map { outline($0, indent: "    ") }
            } else {
                lines.append(#"    <outline text="\#(escape(folder))" title="\#(escape(folder))">"#)
                lines += byFolder[folder, default: []].map { outline($0, indent: "      ") }
                lines.append("    </outline>")
            }
        }
        lines += ["  </body>", "</opml>"]
        return lines.joined(separator: "\n") + "\n"
    }

    static func escape(_ text: String) -> String {
        var escaped = ""
        escaped.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": escaped += "&amp;"
            case "<": escaped += "&lt;"
            case ">": escaped += "&gt;"
            case "\"": escaped += "&quot;"
            case "\n": escaped += "&#10;"
            case "\t": escaped += "&#9;"
            // XML 1.0 has no way to write other control characters: they are dropped.
            case _ where scalar.value < 0x20: break
            default: escaped.unicodeScalars.append(scalar)
            }
        }
        return escaped
    }
}

private final class OutlineReader: XMLStreamHandler {
    var root: String?
    var title: String?
    var feeds: [OPMLFeed] = []
    private var seen: Set<String> = []
    private var folders: [String?] = []
    private var inTitle = false
    private var titleText = ""
    private var depth = 0
    private let base: URL?

    init(base: URL?) { self.base = base }

    var wantsText: Bool { inTitle }

    func startElement(_ name: XMLName, attributes: [XMLAttribute]) {
        depth += 1
        if root == nil { root = name.localName }
        if name.localName == "title", depth == 3 { inTitle = true }
        guard name.localName == "outline" else { return }
        func attribute(_ wanted: String) -> String? {
            // OPML in the wild spells these in any case (xmlUrl, xmlURL, xmlurl).
            attributes.first { $0.name.localName.lowercased() == wanted }?.value
                .trimmingCharacters(in: .whitespacesAndNewlines).nonEmpty
        }
        let label = (attribute("title") ?? attribute("text")).map { InvisibleText.neutralised(HTMLText.foldWhitespace($0)) }
        guard let link = attribute("xmlurl") else {
            folders.append(label)
            return
        }
        folders.append(nil)
        let resolved = URL(string: link, relativeTo: base)?.absoluteString ?? link
        guard seen.insert(resolved).inserted else { return }
        feeds.append(
            OPMLFeed(url: resolved, title: label, siteURL: attribute("htmlurl"), folders: folders.dropLast().compactMap { $0 }))
    }

    func endElement(_ name: XMLName) {
        depth -= 1
        if name.localName == "outline" { _ = folders.popLast() }
        if name.localName == "title", inTitle {
            inTitle = false
            title = HTMLText.foldWhitespace(titleText).nonEmpty
        }
    }

    func text(_ utf8: [UInt8]) {
        if inTitle { titleText += String(decoding: utf8, as: UTF8.self) }
    }
}

extension String {
    var nonEmpty: String? { isEmpty ? nil : self }
}
