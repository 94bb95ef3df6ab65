import Foundation
import XMLSupport

/// Reads RSS (0.9x, 1.0, 2.0) and Atom (0.3, 1.0) documents into a `ParsedFeed` in one
/// streaming pass, buffering text only inside the elements it keeps; JSON Feeds are recognised
/// by their first character and read by `JSONFeedParser`.
public enum FeedParser {
    /// Larger documents are refused before any parsing: no real feed comes near it, and the
    /// parser's memory grows with the text it keeps.
    public static let defaultMaximumBytes = 32 * 1_048_576

    public static func parse(
        _ data: Data, url: String? = nil, encoding: String? = nil, maximumBytes: Int = defaultMaximumBytes
    ) throws(FeedParseError) -> ParsedFeed {
        guard data.count <= maximumBytes else { throw .tooLarge(bytes: data.count, limit: maximumBytes) }
        guard let first = data.first(where: { !isXMLWhitespace($0) }) else { throw .empty }
        if first == UInt8(ascii: "{") || (first == 0xEF && data.drop { isXMLWhitespace($0) }.dropFirst(3).first == UInt8(ascii: "{")) {
            return try JSONFeedParser.parse(data, url: url)
        }
        var (data, encoding) = (data, encoding)
        // Undeclared bytes that are not UTF-8: their legacy encoding is guessed from the text.
        let guess = encoding == nil ? EncodingGuess.guess(undeclared: data) : nil
        if let guess { encoding = guess.name }
        // GB2312 and GBK labels are decoded as GB18030, their superset, as browsers do (WHATWG
        // Encoding): a "gb2312" feed that uses a character beyond GB2312 does not lose it.
        // A GB declaration is rewritten in place; a GB HTTP charset is replaced.
        if isGBLabel(InputEncoding.declared(in: data)), encoding == nil || isGBLabel(encoding) {
            data = InputEncoding.replacingDeclared(in: data, with: "GB18030") ?? data
            encoding = nil
        } else if isGBLabel(encoding) {
            encoding = "GB18030"
        }
        var (builder, report, notes) = parseXML(data, url: url, encoding: encoding)
        // A declaration or HTTP charset naming an encoding libxml2 cannot decode must not lose
        // the feed: it is read again as UTF-8 (repaired where needed) and the problem is kept.
        if let first = report.problems.first, first.message.hasPrefix("Unsupported encoding") || first.message.hasPrefix("unknown encoding") {
            // A bad HTTP charset: try the document's own declaration. A bad declaration: UTF-8.
            let retry = encoding != nil
                ? parseXML(data, url: url, encoding: nil)
                : parseXML(InputEncoding.replacingDeclared(in: data, with: "UTF-8") ?? data, url: url, encoding: nil, assumeUTF8: true)
            if retry.builder.rootElement != nil {
                (builder, report) = (retry.builder, retry.report)
                notes = ["\(first.message): read as \(retry.report.encoding ?? "UTF-8") instead"] + retry.notes
            }
        }
        guard let root = builder.rootElement else {
            throw .unreadable(report.problems.first?.description ?? "no root element")
        }
        guard builder.feed.format != .unknown else { throw .notAFeed(rootElement: rootDescription(root)) }
        var feed = builder.feed
        feed.encoding = report.encoding
        feed.problems = builder.feed.problems + notes + report.problems.filter { !$0.message.hasPrefix("Unsupported encoding") }.map(\.description)
        if report.unrecordedProblemCount > 0 {
            feed.problems.append("… and \(report.unrecordedProblemCount) more problems")
        }
        if let guess {
            feed.encoding = guess.name
            feed.problems.insert("no encoding declared and the bytes are not UTF-8: read as \(guess.name), guessed from the text", at: 0)
        }
        feed.neutraliseInvisibleText()
        return feed
    }

    /// One streaming parse. A document that is, or is declared as, UTF-8 but holds bytes that
    /// are not UTF-8 has them read as windows-1252 (noted as a problem) instead of letting libxml2
    /// stop at the first one.
    private static func parseXML(_ data: Data, url: String?, encoding: String?, assumeUTF8: Bool = false)
        -> (builder: FeedBuilder, report: XMLParseReport, notes: [String])
    {
        var input = data
        var notes: [String] = []
        if encoding == nil || InputEncoding.isUTF8Name(encoding), !InputEncoding.hasWideBOM(data),
            assumeUTF8 || InputEncoding.isUTF8Name(encoding ?? InputEncoding.declared(in: data)),
            let repaired = InputEncoding.repairingUTF8(data)
        {
            input = repaired.data
            notes.append("\(repaired.replaced) bytes were not valid UTF-8 and were read as windows-1252")
        }
        let builder = FeedBuilder(documentURL: url.flatMap(URL.init(string:)))
        let report = StreamingXMLParser.parse(input, documentURL: url, encoding: encoding, handler: builder)
        return (builder, report, notes)
    }

    /// A root named like a feed's but in another namespace is named with it, so the message does
    /// not read "root element is <feed>, expected <feed>".
    private static func rootDescription(_ root: XMLName) -> String {
        guard let namespace = root.namespace, ["rss", "feed", "entry", "RDF", "rdf"].contains(root.localName) else { return root.localName }
        return "\(root.localName) xmlns=\"\(namespace)\""
    }

    private static func isGBLabel(_ label: String?) -> Bool {
        guard let label else { return false }
        return ["gb2312", "gbk", "x-gbk", "gb_2312-80", "csgb2312"].contains(label.lowercased())
    }

    private static func isXMLWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D
    }
}

enum Namespace {
    static let atom10 = "http://www.w3.org/2005/Atom"
    static let atom03 = "http://purl.org/atom/ns#"
    static let rss10 = "http://purl.org/rss/1.0/"
    static let rss090 = "http://my.netscape.com/rdf/simple/0.9/"
    static let rdf = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
    static let dublinCore = "http://purl.org/dc/elements/1.1/"
    static let content = "http://purl.org/rss/1.0/modules/content/"
    static let xml = "http://www.w3.org/XML/1998/namespace"
    static let media = "http://search.yahoo.com/mrss/"
    static let dublinCoreTerms = "http://purl.org/dc/terms/"
    static let iTunes = "http://www.itunes.com/dtds/podcast-1.0.dtd"
    static let xhtml = "http://www.w3.org/1999/xhtml"
    /// Misspellings of namespace URIs seen in real feeds, read as the namespace they mean, and
    /// the namespaces some publishers put RSS 2.0's own elements in, read as un-namespaced RSS.
    /// A switch of string comparisons, not a dictionary: this runs twice for every namespaced
    /// element, and hashing a whole URI each time cost more than the comparisons, which mostly
    /// stop at the length.
    static func canonical(_ name: XMLName) -> XMLName {
        guard let namespace = name.namespace else { return name }
        switch namespace {
        case "http://search.yahoo.com/mrss": return XMLName(namespace: media, localName: name.localName)
        case "http://www.itunes.com/DTDs/Podcast-1.0.dtd": return XMLName(namespace: iTunes, localName: name.localName)
        case "http://backend.userland.com/rss2", "http://blogs.law.harvard.edu/tech/rss":
            return XMLName(namespace: nil, localName: name.localName)
        default: return name
        }
    }

    static func isAtom(_ namespace: String?) -> Bool { namespace == atom10 || namespace == atom03 }
}

/// The namespaces the feed parser tells apart, as a number instead of a URI to compare.
private enum NamespaceKind {
    case unqualified, atom10, atom03, rss10, rss090, dublinCore, dublinCoreTerms, content, media, iTunes, xhtml, other

    init(_ uri: String?) {
        switch uri {
        case nil: self = .unqualified
        case Namespace.atom10: self = .atom10
        case Namespace.atom03: self = .atom03
        case Namespace.rss10: self = .rss10
        case Namespace.rss090: self = .rss090
        case Namespace.dublinCore: self = .dublinCore
        case Namespace.dublinCoreTerms: self = .dublinCoreTerms
        case Namespace.content: self = .content
        case Namespace.media: self = .media
        case Namespace.iTunes: self = .iTunes
        case Namespace.xhtml: self = .xhtml
        default: self = .other
        }
    }
}

/// The local names the feed parser reacts to; every other name is `other`.
private enum LocalName: String {
    case feed, item, entry, channel, link, author, source, guid, enclosure, category, content, thumbnail, body,
        fullitem, title, description, summary, pubDate, published, updated, issued, modified, created, id, name, date,
        creator, subject, encoded, language, ttl, tags, other
}

/// What the parser needs to know of an element's (canonical) name, worked out once per
/// distinct name of a document: two small numbers, so the per-element decisions compare
/// numbers instead of strings, and copying a role retains nothing.
private struct ElementRole {
    let namespace: NamespaceKind
    let local: LocalName

    init(_ name: XMLName) {
        namespace = NamespaceKind(name.namespace)
        local = LocalName(rawValue: name.localName) ?? .other
    }

    var isAtom: Bool { namespace == .atom10 || namespace == .atom03 }
    /// RSS 0.9x/2.0 use no namespace; RSS 1.0 and 0.90 put their elements in one. (Names are
    /// canonical here: RSS 2.0 in a namespace has already become un-namespaced.)
    var isRSS: Bool { namespace == .unqualified || namespace == .rss10 || namespace == .rss090 }
    var isItem: Bool { (local == .item && isRSS) || (local == .entry && isAtom) }
    var isFeedContainer: Bool { (local == .channel && isRSS) || (local == .feed && isAtom) }
    var isAtomLink: Bool { local == .link && isAtom }
}

/// The streaming handler. The reading itself is `FeedReader`, a value: each callback makes one
/// exclusive access to it, where fields of a class would each be checked at run time.
private final class FeedBuilder: XMLStreamHandler {
    /// Unchecked: the parser calls in from one thread, one callback at a time, and nothing
    /// else reaches the reader while it parses; the run-time exclusivity check on every
    /// callback cost more than the whole of some of them.
    @exclusivity(unchecked) private var reader: FeedReader

    init(documentURL: URL?) {
        reader = FeedReader(documentURL: documentURL)
    }

    var feed: ParsedFeed { reader.feed }
    var rootElement: XMLName? { reader.rootElement }
    var wantsText: Bool { reader.captureDepth > 0 }

    func startElement(_ name: XMLName, attributes: [XMLAttribute]) {
        reader.startElement(name, attributes: attributes)
    }

    func endElement(_ name: XMLName) {
        reader.endElement(name)
    }

    func text(_ utf8: [UInt8]) {
        reader.text(utf8)
    }
}

/// A stack of open elements, the item being built, and a text buffer that is only filled while
/// inside an element whose text is kept.
private struct FeedReader {
    private(set) var feed = ParsedFeed()
    private(set) var rootElement: XMLName?
    /// Whether the root has started: tested on every element, where `rootElement == nil` would
    /// copy and destroy a name each time.
    private var hasRoot = false

    private struct OpenElement {
        /// The element has `xml:base` or `xml:lang`: it opened the innermost scope.
        let opensScope: Bool
        /// Set when this element's text is wanted; nested elements (XHTML content) add to it.
        let capturesText: Bool
        /// An Atom text construct of type "text" (the default): its characters are the text,
        /// even those that look like a tag ("Vec<T>", "a <b> c"), unless it plainly holds HTML.
        let isAtomPlainText: Bool
        /// Atom `type="xhtml"`: the markup was parsed as elements, so the text is already text.
        let isXHTML: Bool
        /// Atom 0.3 `mode="base64"`.
        let isBase64: Bool
        /// RSS `<channel>` or Atom `<feed>`, whose children are the feed's own fields.
        let isFeedContainer: Bool
        let isAtomSource: Bool
    }

    private var stack: [OpenElement] = []
    private var item: ParsedItem?
    /// Whether an item is open: tested on every element, where `item != nil` would copy the item.
    private var isInItem = false
    /// The stack depth of the item's element: its own fields are its direct children, so an
    /// `<id>` or `<title>` of some nested extension element does not take their place.
    private var itemDepth = 0
    /// An entry's alternate Atom `<link>` with no `href` but its URL as text, as some feeds write it.
    private var atomLinkTextIsURL = false
    private var inAuthor = false
    /// The UTF-8 text of the element being kept, reused from element to element.
    private var text: [UInt8] = []
    private(set) var captureDepth = 0
    private var contentText: String?
    private var summaryText: String?
    /// The summary came from the item's own `<description>` or `<summary>`, not an extension's.
    private var hasOwnSummary = false
    /// The item's title came from dc:title or media:title, which its own title replaces.
    private var titleIsFallback = false
    /// RSS `<guid>` is the item's link too unless it says `isPermaLink="false"`.
    private var guidIsPermaLink = false
    /// A description that is only a list of links, kept as HTML: an aggregator's related
    /// coverage, expanded by `RelatedCoverage` when the caller knows the feed is an aggregator's.
    private var relatedListHTML: String?
    private let documentURL: URL?
    /// The document's "scheme://authority" when it has a web address, for site-relative links.
    private let documentOrigin: String?

    init(documentURL: URL?) {
        self.documentURL = documentURL
        documentOrigin = Self.origin(of: documentURL)
        text.reserveCapacity(16 * 1024)
    }

    /// The `xml:base` and `xml:lang` in force, one entry per element that sets either, innermost
    /// last: most elements set neither and carry no URL or language of their own.
    private struct Scope {
        let base: URL?
        let language: String?
    }
    private var scopes: [Scope] = []

    // Read through the array's subscript, which yields one field, not a copy of the whole scope.
    private var currentBase: URL? { scopes.isEmpty ? documentURL : scopes[scopes.count - 1].base ?? documentURL }
    private var currentLanguage: String? { scopes.isEmpty ? nil : scopes[scopes.count - 1].language }

    /// Set when the root is `<feed version="0.x">` outside Atom 0.3's namespace (early Atom
    /// feeds used several): that namespace is then read as Atom 0.3. A `<feed>` or `<entry>`
    /// root in no namespace at all has its un-namespaced names read as Atom 1.0, as feedparser does.
    private struct Alias {
        let namespace: String?
        let atom: String
    }
    private var atomAlias: Alias?
    /// Each distinct name's role, by the name's `parseIndex`.
    private var roles: [ElementRole?] = []

    private mutating func role(of original: XMLName) -> ElementRole {
        guard let index = original.parseIndex else { return ElementRole(canonicalName(original)) }
        if index < roles.count, let known = roles[index] { return known }
        let role = ElementRole(canonicalName(original))
        if index >= roles.count { roles.append(contentsOf: repeatElement(nil, count: index + 1 - roles.count)) }
        roles[index] = role
        return role
    }

    private func canonicalName(_ original: XMLName) -> XMLName {
        if let alias = atomAlias, original.namespace == alias.namespace {
            return XMLName(namespace: alias.atom, localName: original.localName)
        }
        return Namespace.canonical(original)
    }

    mutating func startElement(_ original: XMLName, attributes: [XMLAttribute]) {
        if !hasRoot, original.localName == "feed", !Namespace.isAtom(original.namespace),
            attributes.contains(where: { $0.name.localName == "version" && $0.value.hasPrefix("0.") })
        {
            atomAlias = Alias(namespace: original.namespace, atom: Namespace.atom03)
        } else if !hasRoot, original.namespace == nil, original.localName == "feed" || original.localName == "entry" {
            atomAlias = Alias(namespace: nil, atom: Namespace.atom10)
            feed.problems.append("the root <\(original.localName)> has no namespace: read as Atom 1.0")
        }
        let role = role(of: original)
        var scope: Scope?
        var type: String?
        var isBase64 = false
        for attribute in attributes {
            if attribute.name.namespace == Namespace.xml {
                let base = scope.map(\.base) ?? currentBase
                let language = scope.map(\.language) ?? currentLanguage
                if attribute.name.localName == "base" {
                    let newBase = URL(string: attribute.value.trimmingCharacters(in: .whitespaces), relativeTo: base)?.absoluteURL ?? base
                    scope = Scope(base: newBase, language: language)
                } else if attribute.name.localName == "lang" {
                    let newLanguage = attribute.value.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: "_", with: "-")
                    scope = Scope(base: base, language: newLanguage)
                }
            } else if attribute.name.localName == "type" {
                type = attribute.value.lowercased()
            } else if attribute.name.localName == "mode", attribute.name.namespace == nil {
                isBase64 = attribute.value.lowercased() == "base64"
            }
        }
        if let scope { scopes.append(scope) }
        if !hasRoot {
            hasRoot = true
            let name = canonicalName(original)
            rootElement = name
            detectFormat(root: name, attributes: attributes)
            feed.language = currentLanguage
        }
        let parentIsFeedContainer = !stack.isEmpty && stack[stack.count - 1].isFeedContainer
        if role.isItem {
            item = ParsedItem()
            isInItem = true
            itemDepth = stack.count + 1
            let language = currentLanguage
            item?.language = language
            contentText = nil
            summaryText = nil
            hasOwnSummary = false
            relatedListHTML = nil
            guidIsPermaLink = false
            titleIsFallback = false
            // RSS 1.0 names each item by its rdf:about.
            item?.guid = attributes.first { $0.name.namespace == Namespace.rdf && $0.name.localName == "about" }?.value
        } else if role.isAtomLink {
            let base = currentBase
            let relation = attributes.first { $0.name.localName == "rel" }?.value ?? "alternate"
            atomLinkTextIsURL = isInItem && relation == "alternate" && !attributes.contains { $0.name.localName == "href" }
            if isInItem {
                handleAtomLink(attributes, base: base, forItem: true)
            } else if parentIsFeedContainer {
                handleAtomLink(attributes, base: base, forItem: false)
            }
        }
        // Most elements of an item have no attributes, and then only a `<guid>` (permalink unless
        // it says otherwise) has anything to collect.
        if isInItem, !attributes.isEmpty || role.local == .guid {
            collectItemAttributes(role, attributes: attributes, base: currentBase)
        }
        let isAtom = role.isAtom
        if isAtom, role.local == .author { inAuthor = true }

        let captures = captureDepth > 0 || wantsText(role)
        if captures { captureDepth += 1 }
        let isAtomPlainText = isAtom && (type == nil || type == "text" || type == "text/plain")
        let isXHTML = (isAtom && (type == "xhtml" || type == "application/xhtml+xml"))
            || (role.local == .body && role.namespace == .xhtml)
        stack.append(
            OpenElement(
                opensScope: scope != nil, capturesText: captures, isAtomPlainText: isAtomPlainText,
                isXHTML: isXHTML, isBase64: isAtom && (isBase64 || Self.isBase64MediaType(type)),
                isFeedContainer: role.isFeedContainer, isAtomSource: isAtom && role.local == .source))
        // Ending a kept element empties the buffer, so it is only emptied here when it is not.
        if captures && captureDepth == 1 && !text.isEmpty { text.removeAll(keepingCapacity: true) }
    }

    mutating func text(_ utf8: [UInt8]) {
        guard captureDepth > 0 else { return }
        text.append(contentsOf: utf8)
    }

    mutating func endElement(_ original: XMLName) {
        let role = role(of: original)
        guard let open = stack.popLast() else { return }
        if open.capturesText {
            captureDepth -= 1
            if captureDepth == 0 {
                assign(text, to: role, element: open)
                text.removeAll(keepingCapacity: true)
            } else {
                // Keep words of nested elements apart ("<p>a</p><p>b</p>" reads "a b").
                text.append(UInt8(ascii: " "))
            }
        }
        if open.opensScope { scopes.removeLast() }
        if role.isAtom, role.local == .author { inAuthor = false }
        if role.isItem, var finished = item.take() {
            isInItem = false
            finished.content = contentText ?? ""
            if finished.summary.isEmpty {
                finished.summary = summaryText ?? contentText ?? ""
            }
            if finished.link == nil, guidIsPermaLink, let guid = finished.guid, guid.hasPrefix("http://") || guid.hasPrefix("https://") {
                finished.link = guid
            }
            finished.linkList = relatedListHTML
            feed.items.append(finished)
        }
    }

    // MARK: - Format and element roles

    private mutating func detectFormat(root: XMLName, attributes: [XMLAttribute]) {
        switch (root.namespace, root.localName) {
        case (nil, "rss"):
            let version = attributes.first { $0.name.localName == "version" }?.value ?? ""
            feed.format = version.hasPrefix("2") ? .rss20 : .rss09x
        case (Namespace.rdf, "RDF"):
            feed.format = .rss10
        case (nil, "RDF"), (nil, "rdf"), (Namespace.rss10, "RDF"), (Namespace.rss10, "rdf"), (Namespace.rdf, "rdf"):
            feed.format = .rss10
            feed.problems.append("the root <\(root.localName)> is not RDF's <rdf:RDF>: read as RSS 1.0")
        case (Namespace.atom10, "feed"), (Namespace.atom10, "entry"):
            // RFC 4287 §5: an Atom Entry Document, one entry on its own, is a feed of one item.
            feed.format = .atom10
        case (Namespace.atom03, "feed"):
            feed.format = .atom03
        default:
            feed.format = .unknown
        }
    }

    /// Whether the innermost open element is an Atom `<source>` (the parent of the element
    /// about to start, or of the one just ended).
    private var isInAtomSource: Bool {
        !stack.isEmpty && stack[stack.count - 1].isAtomSource
    }

    /// Elements whose text Parallax keeps, at feed level or inside an item.
    /// `mutating` though it changes nothing: called from `startElement`, the non-mutating form
    /// copied the whole reader for every element.
    private mutating func wantsText(_ role: ElementRole) -> Bool {
        let local = role.local
        if isInItem {
            if role.isRSS || role.isAtom {
                if stack.count != itemDepth { return (local == .name && inAuthor) || (local == .title && isInAtomSource) }
                switch local {
                case .content, .body, .fullitem: return contentText == nil
                case .title, .description, .summary, .pubDate, .published, .updated, .issued, .modified, .created, .guid, .id,
                    .tags:
                    return true
                // Atom's <source> is a container: the outlet is its <title>, read on its own.
                case .source: return !role.isAtom
                case .category: return !role.isAtom
                case .author: return !role.isAtom
                case .link: return !role.isAtom || atomLinkTextIsURL
                case .name: return inAuthor
                default: return false
                }
            }
            switch role.namespace {
            case .dublinCore: return local == .date || local == .creator || local == .author || local == .subject || local == .title || local == .description
            case .dublinCoreTerms: return local == .issued || local == .created || local == .date || local == .modified
            case .content: return local == .encoded && contentText == nil
            case .xhtml: return local == .body && contentText == nil
            case .iTunes: return local == .summary || local == .author
            case .media: return local == .title || local == .description || local == .category
            default: return false
            }
        }
        guard !stack.isEmpty, stack[stack.count - 1].isFeedContainer else { return false }
        if role.isRSS || role.isAtom {
            return local == .title || local == .language || local == .ttl || (local == .link && !role.isAtom)
        }
        return role.namespace == .dublinCore && (local == .language || local == .title)
    }

    // MARK: - Assigning values

    /// Stores the text of a kept element. Only the fields that need the text as it is (dates,
    /// ids, links) make a String of it; the rest go from the bytes to readable text directly.
    private mutating func assign(_ raw: [UInt8], to role: ElementRole, element: OpenElement) {
        let local = role.local
        var bytes = raw
        if element.isBase64,
            let decoded = Data(base64Encoded: String(decoding: raw[HTMLText.trimmedRange(raw)], as: UTF8.self), options: .ignoreUnknownCharacters)
        {
            bytes = Array(String(decoding: decoded, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines).utf8)
        }
        let range = HTMLText.trimmedRange(bytes)
        var value: String { String(decoding: bytes[range], as: UTF8.self) }
        let (isXHTML, isAtomPlainText) = (element.isXHTML, element.isAtomPlainText)
        let plain = { Self.readableText(bytes, range, isXHTML: isXHTML, isAtomPlainText: isAtomPlainText) }
        guard isInItem else {
            assignFeedField(local, value: value, base: currentBase, plain: plain)
            return
        }
        // The item's fields change in place (`item!`): no copy of the item per field.
        switch (role.namespace, local) {
        case (.dublinCore, .date), (.dublinCoreTerms, .issued), (.dublinCoreTerms, .created),
            (.dublinCoreTerms, .date):
            item!.published = item!.published ?? FeedDate.parse(value)
        case (.dublinCoreTerms, .modified):
            item!.updated = item!.updated ?? FeedDate.parse(value)
        case (.dublinCore, .title), (.media, .title):
            if item!.title.isEmpty {
                item!.title = plain()
                titleIsFallback = true
            }
        case (.dublinCore, .description), (.iTunes, .summary), (.media, .description):
            if summaryText == nil { summaryText = plain() }
        case (.dublinCore, .creator), (.dublinCore, .author), (.iTunes, .author), (_, .author),
            (_, .name):
            let author = role.namespace == .unqualified || role.namespace == .dublinCore ? AuthorName.name(plain()) : plain()
            if !author.isEmpty, !item!.authors.contains(author) { item!.authors.append(author) }
            item!.author = item!.authors.first
        case (.dublinCore, .subject), (.media, .category), (_, .category):
            let category = plain()
            if !category.isEmpty { item!.categories.append(category) }
        case (.content, .encoded), (.xhtml, .body), (_, .body), (_, .fullitem):
            if contentText == nil { contentText = plain() }
        case (_, .title) where isInAtomSource:
            item!.sourceName = plain()
        case (_, .title):
            if item!.title.isEmpty || titleIsFallback { item!.title = plain() }
            titleIsFallback = false
        case (_, .link):
            if item!.link == nil, !value.isEmpty {
                let link = resolve(value, base: currentBase)
                item!.link = link
            }
        case (_, .guid), (_, .id):
            if item!.guid == nil { item!.guid = role.isAtom ? Self.resolvedAtomID(value, base: currentBase) : value }
        case (_, .description) where hasOwnSummary, (_, .summary) where hasOwnSummary:
            // An RSS item with both: the second is the fuller text, as feedparser reads it.
            if contentText == nil { contentText = plain() }
        case (_, .description), (_, .summary):
            summaryText = plain()
            hasOwnSummary = true
            // Only what starts "<ol"/"<ul" and ends "</ol>"/"</ul>" (any case) can be a list.
            if local == .description, range.count > 5, bytes[range.lowerBound] == UInt8(ascii: "<"),
                bytes[range.lowerBound + 2] | 0x20 == UInt8(ascii: "l"), bytes[range.upperBound - 1] == UInt8(ascii: ">"),
                bytes[range.upperBound - 2] | 0x20 == UInt8(ascii: "l"), case let html = value, RelatedCoverage.mayHoldList(html)
            {
                relatedListHTML = html
            }
        case (_, .tags):
            // A comma-separated list some publishers write beside (or instead of) `<category>`.
            item!.categories += plain().split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        case (_, .content):
            if contentText == nil { contentText = plain() }
        case (_, .pubDate), (_, .published), (_, .issued), (_, .created):
            item!.published = FeedDate.parse(value) ?? item!.published
        case (_, .updated), (_, .modified):
            item!.updated = FeedDate.parse(value)
        case (_, .source):
            item!.sourceName = plain()
        default:
            break
        }
    }

    /// RFC 4287 §4.2.6: an Atom id is a URI, so a relative one is resolved against `xml:base`
    /// or the document's web address (never a file path: that would make ids machine-specific).
    private static func resolvedAtomID(_ id: String, base: URL?) -> String {
        // Nearly every id is absolute ("tag:", "urn:uuid:", "https:"): told by its scheme
        // without parsing a URL. One with whitespace is no URI reference at all: kept as written.
        guard let base, !hasScheme(id), base.scheme == "http" || base.scheme == "https", !id.isEmpty,
            !id.contains(where: \.isWhitespace),
            let resolved = URL(string: id, relativeTo: base)?.absoluteString
        else { return id }
        return resolved
    }

    /// RFC 3986 §3.1: a scheme is a letter, then letters, digits, "+", "-" or ".", then ":".
    private static func hasScheme(_ reference: String) -> Bool {
        for (index, byte) in reference.utf8.enumerated() {
            switch byte {
            case UInt8(ascii: ":"): return index > 0
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"): continue
            case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "."):
                if index == 0 { return false }
            default: return false
            }
        }
        return false
    }

    /// RFC 4287 §4.1.3.3: content of a media type that is neither text nor XML is base64.
    private static func isBase64MediaType(_ type: String?) -> Bool {
        guard let type, type.utf8.contains(UInt8(ascii: "/")) else { return false }
        return !type.hasPrefix("text/") && !type.utf8.indices.contains { type.utf8[$0...].starts(with: "xml".utf8) }
    }

    /// The text a reader sees: Atom plain text and XHTML are text already (their `<` is a
    /// character), everything else is HTML to reduce to text.
    private static func readableText(_ bytes: [UInt8], _ range: Range<Int>, isXHTML: Bool, isAtomPlainText: Bool) -> String {
        let isText = isXHTML
            || (isAtomPlainText
                && !(bytes[range].contains { $0 == UInt8(ascii: "<") || $0 == UInt8(ascii: "&") }
                    && HTMLText.looksLikeHTML(String(decoding: bytes[range], as: UTF8.self))))
        return HTMLText.text(bytes, in: range, markup: !isText, repairingC1: true)
    }

    private mutating func assignFeedField(_ local: LocalName, value: String, base: URL?, plain: () -> String) {
        switch local {
        case .title: if feed.title.isEmpty { feed.title = plain() }
        case .link: if feed.link == nil, !value.isEmpty { feed.link = resolve(value, base: base) }
        case .language: if !value.isEmpty { feed.language = value.replacingOccurrences(of: "_", with: "-") }
        case .ttl: feed.timeToLiveMinutes = Int(value)
        default: break
        }
    }

    /// Item fields that live in attributes: `<source url>`, enclosures, Atom categories, Media RSS.
    private mutating func collectItemAttributes(_ role: ElementRole, attributes: [XMLAttribute], base: URL?) {
        func attribute(_ local: String) -> String? {
            attributes.first { $0.name.localName == local && $0.name.namespace == nil }.map { HTMLText.trimmed($0.value) }
        }
        switch (role.namespace, role.local) {
        case (.unqualified, .source):
            item?.sourceURL = attribute("url")
        case (.unqualified, .guid):
            guidIsPermaLink = attribute("isPermaLink")?.lowercased() != "false"
        case (.iTunes, .category):
            if let text = attribute("text"), !text.isEmpty { item?.categories.append(text) }
        case (.unqualified, .enclosure):
            if let url = attribute("url"), !url.isEmpty {
                addEnclosure(Enclosure(url: resolve(url, base: base), type: attribute("type"), length: attribute("length").flatMap { Int($0) }))
            }
        case (_, .category) where role.isAtom:
            if let term = attribute("term"), !term.isEmpty { item?.categories.append(term) }
        case (.media, .content):
            if let url = attribute("url"), !url.isEmpty {
                let type = attribute("type") ?? attribute("medium")
                addEnclosure(Enclosure(url: resolve(url, base: base), type: type, length: attribute("fileSize").flatMap { Int($0) }))
            }
        case (.media, .thumbnail):
            if item?.imageURL == nil, let url = attribute("url"), !url.isEmpty {
                let resolved = resolve(url, base: base)
                item?.imageURL = resolved
            }
        default:
            break
        }
    }

    private mutating func addEnclosure(_ enclosure: Enclosure) {
        guard item?.enclosures.contains(where: { $0.url == enclosure.url }) == false else { return }
        item?.enclosures.append(enclosure)
    }

    private mutating func handleAtomLink(_ attributes: [XMLAttribute], base: URL?, forItem: Bool) {
        let relation = attributes.first { $0.name.localName == "rel" }?.value ?? "alternate"
        guard let href = attributes.first(where: { $0.name.localName == "href" })?.value, !href.isEmpty else { return }
        let resolved = resolve(href, base: base)
        if relation == "enclosure", forItem {
            let type = attributes.first { $0.name.localName == "type" }?.value
            let length = attributes.first { $0.name.localName == "length" }.flatMap { Int($0.value) }
            addEnclosure(Enclosure(url: resolved, type: type, length: length))
            return
        }
        guard relation == "alternate" else { return }
        if forItem {
            if item?.link == nil { item?.link = resolved }
        } else if feed.link == nil {
            feed.link = resolved
        }
    }

    /// Resolves a relative link against `xml:base` or the feed's URL; a feed read from a file
    /// resolves against the site link it declares instead, since a file path is no web address.
    private func resolve(_ link: String, base: URL?) -> String {
        let trimmed = HTMLText.trimmed(link)
        if trimmed.hasPrefix("https://") || trimmed.hasPrefix("http://") { return trimmed }
        // A site-relative path against the feed's own web address needs only its origin in
        // front: Foundation's resolution of it cost about 12,000 instructions per link.
        if let documentOrigin, Self.isPlainSitePath(trimmed), base == documentURL { return documentOrigin + trimmed }
        if let url = URL(string: trimmed), url.scheme != nil { return trimmed }
        var effectiveBase = base
        if base == nil || base?.isFileURL == true, let site = feed.link.flatMap(URL.init(string:)), !site.isFileURL {
            effectiveBase = site
        }
        return URL(string: trimmed, relativeTo: effectiveBase)?.absoluteString ?? trimmed
    }
}

extension FeedReader {
    /// "scheme://authority" of an http(s) address: everything before the path, query or fragment.
    static func origin(of url: URL?) -> String? {
        guard let address = url?.absoluteString, address.hasPrefix("https://") || address.hasPrefix("http://") else { return nil }
        let bytes = Array(address.utf8)
        let authorityStart = address.hasPrefix("https://") ? 8 : 7
        let end = bytes[authorityStart...].firstIndex { $0 == UInt8(ascii: "/") || $0 == UInt8(ascii: "?") || $0 == UInt8(ascii: "#") } ?? bytes.count
        guard end > authorityStart else { return nil }
        return String(decoding: bytes[..<end], as: UTF8.self)
    }

    /// A path that starts with one "/" and resolves to itself: no "." or ".." segment to remove
    /// (any "/." is refused) and only characters a URL keeps as they are (no "%", no space).
    static func isPlainSitePath(_ reference: String) -> Bool {
        var previous: UInt8 = 0
        for (index, byte) in reference.utf8.enumerated() {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "~"), UInt8(ascii: "?"), UInt8(ascii: "="), UInt8(ascii: "&"),
                UInt8(ascii: "+"), UInt8(ascii: ","), UInt8(ascii: ":"):
                break
            case UInt8(ascii: "/"):
                if index == 1 { return false }
            case UInt8(ascii: "."):
                if previous == UInt8(ascii: "/") { return false }
            default:
                return false
            }
            if index == 0, byte != UInt8(ascii: "/") { return false }
            previous = byte
        }
        return previous != 0
    }
}

enum AuthorName {
    /// RSS `<author>` holds an e-mail address, often with the name in parentheses
    /// ("desk@news.example (City Desk)"): the name is what a reader knows the author by.
    static func name(_ author: String) -> String {
        guard author.utf8.contains(UInt8(ascii: "@")), let open = author.firstIndex(of: "("), let close = author.lastIndex(of: ")"), open < close else {
            return author
        }
        let inside = author[author.index(after: open)..<close].trimmingCharacters(in: .whitespaces)
        let outside = (author[..<open] + author[author.index(after: close)...]).trimmingCharacters(in: .whitespaces)
        // Either "desk@news.example (City Desk)" or "City Desk (desk@news.example)".
        let name = inside.contains("@") ? outside : inside
        return name.isEmpty || name.contains("@") ? author : name
    }
}
