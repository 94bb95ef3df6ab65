import Feeds
import Foundation

/// Runs feedparser's conformance suite (each file's header holds `Expect:` Python expressions
/// over feedparser's result) through Parallax's parser, evaluating the expectations about the
/// fields Parallax models. The suite is read in place and never copied.
public enum FeedparserConformance {
    public struct FolderScore: Sendable {
        public var folder: String
        public var files = 0
        public var applicable = 0
        public var passed = 0
        public var skipped = 0
        /// Files whose parse threw (not a feed at all); not a crash.
        public var unreadable = 0
    }

    public struct Failure: Sendable {
        public var file: String
        public var expectation: String
        public var detail: String
    }

    public struct Summary: Sendable {
        public var folders: [FolderScore]
        public var failures: [Failure]
        /// Why expectations were not applicable, with counts.
        public var skipReasons: [String: Int]
        public var slowestFile: (path: String, seconds: Double)
        public var files: Int { folders.reduce(0) { $0 + $1.files } }
        public var applicable: Int { folders.reduce(0) { $0 + $1.applicable } }
        public var passed: Int { folders.reduce(0) { $0 + $1.passed } }
    }

    /// The result fields Parallax models, as key paths below `feed` and below an entry (list
    /// indexes left out). An expectation that reads any other path is not applicable; a modelled
    /// field that is missing is a failure.
    static let modelledFeedPaths: Set<String> = ["title", "link", "language", "ttl"]
    static let modelledEntryPaths: Set<String> = [
        "title", "link", "id", "summary", "description", "content", "content.value", "author", "author_detail",
        "author_detail.name", "authors", "authors.name", "tags", "tags.term", "category", "enclosures", "enclosures.href",
        "enclosures.type", "enclosures.length", "published_parsed", "updated_parsed", "source", "source.title", "source.href",
    ]

    /// The first field an expectation reads that Parallax does not model, if any.
    static func unmodelledField(in expectation: String) -> String? {
        let access = /(feed|entries\s*\[\s*-?\d+\s*\])((?:\s*\[\s*(?:'[^']*'|"[^"]*"|-?\d+)\s*\]|\.(?!get\b|has_key\b|keys\b)[A-Za-z_]\w*)*)/
        for match in expectation.matches(of: access) {
            let isFeed = match.output.1 == "feed"
            let keys = match.output.2.matches(of: /\[\s*'([^']*)'\s*\]|\[\s*"([^"]*)"\s*\]|\.([A-Za-z_]\w*)/).map {
                String($0.output.1 ?? $0.output.2 ?? $0.output.3 ?? "")
            }
            guard !keys.isEmpty else { continue }
            let path = keys.joined(separator: ".")
            if !(isFeed ? modelledFeedPaths : modelledEntryPaths).contains(path) {
                return (isFeed ? "feed." : "entry.") + path
            }
        }
        return nil
    }

    public static func run(directory: URL) throws -> Summary {
        guard let enumerator = FileManager.default.enumerator(at: directory, includingPropertiesForKeys: [.isRegularFileKey]) else {
            throw CocoaError(.fileReadNoSuchFile)
        }
        var files: [URL] = []
        for case let url as URL in enumerator where ["xml", "json", "rdf", "atom", "rss"].contains(url.pathExtension.lowercased()) {
            files.append(url)
        }
        files.sort { $0.path < $1.path }
        var folders: [String: FolderScore] = [:]
        var failures: [Failure] = []
        var skipReasons: [String: Int] = [:]
        var slowest = ("", 0.0)
        let root = directory.standardizedFileURL.path
        for file in files {
            let relative = String(file.standardizedFileURL.path.dropFirst(root.count)).trimmingCharacters(in: CharacterSet(charactersIn: "/"))
            let folder = (relative as NSString).deletingLastPathComponent
            var score = folders[folder] ?? FolderScore(folder: folder)
            score.files += 1
            guard let data = try? Data(contentsOf: file) else { continue }
            let header = Header(String(decoding: data.prefix(4096), as: UTF8.self))
            let url = "http://127.0.0.1:8097/tests/\(relative)"
            let start = ContinuousClock.now
            let parsed = Result { () throws(FeedParseError) in try FeedParser.parse(data, url: url, response: header.response) }
            let elapsed = ContinuousClock.now - start
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            if seconds > slowest.1 { slowest = (relative, seconds) }
            if case .failure = parsed { score.unreadable += 1 }
            // Microsoft's Channel Definition Format (1997, root <CHANNEL>) is a format Parallax
            // does not read: a CDF file is refused as "not a feed", so none of its expectations apply.
            let isCDF: Bool
            if case .failure(.notAFeed(rootElement: "CHANNEL")) = parsed { isCDF = true } else { isCDF = false }
            for expectation in header.expectations {
                if isCDF {
                    score.skipped += 1
                    skipReasons["CDF (Microsoft's Channel Definition Format), a format Parallax does not read", default: 0] += 1
                    continue
                }
                if folder.hasSuffix("sanitize") {
                    score.skipped += 1
                    skipReasons["sanitize: HTML cleaning (Parallax reduces HTML to text instead)", default: 0] += 1
                    continue
                }
                if let field = unmodelledField(in: expectation) {
                    score.skipped += 1
                    skipReasons["reads \(field), which Parallax does not model", default: 0] += 1
                    continue
                }
                let names: [String: PyValue]
                switch parsed {
                case .success(let feed): names = result(feed)
                case .failure: names = ["bozo": .bool(true), "feed": .dict([:]), "entries": .list([])]
                }
                do {
                    let value = try PythonExpression.evaluate(expectation, names: names, equal: sameText)
                    score.applicable += 1
                    if value.isTrue {
                        score.passed += 1
                    } else {
                        failures.append(Failure(file: relative, expectation: expectation, detail: "false"))
                    }
                } catch .unknownName(let name) {
                    score.skipped += 1
                    skipReasons["reads \(name), which Parallax does not model", default: 0] += 1
                } catch .missing(let key) {
                    score.applicable += 1
                    failures.append(Failure(file: relative, expectation: expectation, detail: "missing \(key)"))
                } catch .unsupported(let what) {
                    score.skipped += 1
                    skipReasons["expression outside the evaluated subset: \(what)", default: 0] += 1
                }
            }
            folders[folder] = score
        }
        return Summary(
            folders: folders.values.sorted { $0.folder < $1.folder }, failures: failures, skipReasons: skipReasons,
            slowestFile: slowest)
    }

    /// Parallax keeps text, not HTML: two strings are the same when their text is (tags removed,
    /// entities decoded, whitespace folded), and encoding names compare without case.
    static func sameText(_ a: String, _ b: String) -> Bool {
        a == b || a == HTMLText.plainText(b) || HTMLText.plainText(a) == HTMLText.plainText(b)
            || (a.count < 24 && a.lowercased() == b.lowercased())
    }

    /// A feedparser-shaped result holding what Parallax read.
    static func result(_ feed: ParsedFeed) -> [String: PyValue] {
        var names: [String: PyValue] = ["bozo": .bool(feed.isBozo), "encoding": .string((feed.encoding ?? "utf-8").lowercased())]
        if let version = version(feed.format) { names["version"] = .string(version) }
        var channel: [String: PyValue] = ["title": .string(feed.title)]
        if let link = feed.link { channel["link"] = .string(link) }
        if let language = feed.language { channel["language"] = .string(language) }
        if let ttl = feed.timeToLiveMinutes { channel["ttl"] = .string(String(ttl)) }
        names["feed"] = .dict(channel)
        names["entries"] = .list(feed.items.map { .dict(entry($0)) })
        return names
    }

    private static func entry(_ item: ParsedItem) -> [String: PyValue] {
        var entry: [String: PyValue] = [:]
        if !item.title.isEmpty { entry["title"] = .string(item.title) }
        if let link = item.link { entry["link"] = .string(link) }
        if let id = item.guid { entry["id"] = .string(id) }
        if !item.summary.isEmpty {
            entry["summary"] = .string(item.summary)
            entry["description"] = .string(item.summary)
        }
        if !item.content.isEmpty {
            entry["content"] = .list([.dict(["value": .string(item.content)])])
        }
        if let author = item.author {
            entry["author"] = .string(author)
            entry["author_detail"] = .dict(["name": .string(author)])
            entry["authors"] = .list(item.authors.map { .dict(["name": .string($0)]) })
        }
        if !item.categories.isEmpty {
            entry["tags"] = .list(item.categories.map { .dict(["term": .string($0)]) })
            entry["category"] = .string(item.categories[0])
        }
        if !item.enclosures.isEmpty {
            entry["enclosures"] = .list(item.enclosures.map { enclosure in
                var value: [String: PyValue] = ["href": .string(enclosure.url)]
                if let type = enclosure.type { value["type"] = .string(type) }
                if let length = enclosure.length { value["length"] = .string(String(length)) }
                return .dict(value)
            })
        }
        if let language = item.language { entry["language"] = .string(language) }
        if let published = item.published { entry["published_parsed"] = timeTuple(published) }
        if let updated = item.updated ?? item.published { entry["updated_parsed"] = timeTuple(updated) }
        if item.sourceName != nil || item.sourceURL != nil {
            var source: [String: PyValue] = [:]
            if let name = item.sourceName { source["title"] = .string(name) }
            if let url = item.sourceURL { source["href"] = .string(url) }
            entry["source"] = .dict(source)
        }
        return entry
    }

    /// Python's `time.struct_time` in UTC: year, month, day, hour, minute, second, weekday
    /// (Monday 0), day of year, DST flag 0.
    static func timeTuple(_ date: Date) -> PyValue {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second, .weekday], from: date)
        let dayOfYear = calendar.ordinality(of: .day, in: .year, for: date) ?? 0
        let weekday = ((parts.weekday ?? 2) + 5) % 7
        return .list([parts.year, parts.month, parts.day, parts.hour, parts.minute, parts.second, weekday, dayOfYear, 0].map { .int($0 ?? 0) })
    }

    /// feedparser's version names; RSS 0.9x versions are not told apart, so they stay unmodelled.
    private static func version(_ format: FeedFormat) -> String? {
        switch format {
        case .rss20: "rss20"
        case .rss10: "rss10"
        case .atom10: "atom10"
        case .atom03: "atom03"
        case .jsonFeed10: "json1"
        case .jsonFeed11: "json11"
        case .rss09x, .json, .html, .unknown: nil
        }
    }

    /// The comment header of a suite file: its expectations and the HTTP headers it simulates.
    struct Header {
        var expectations: [String] = []
        var response = ResponseHeaders()

        init(_ text: String) {
            for line in text.split(separator: "\n").prefix(20) {
                let trimmed = line.trimmingCharacters(in: .whitespaces)
                if trimmed.hasPrefix("Expect:") {
                    expectations.append(trimmed.dropFirst("Expect:".count).trimmingCharacters(in: .whitespaces))
                } else if trimmed.hasPrefix("Header:") {
                    let header = trimmed.dropFirst("Header:".count)
                    guard let colon = header.firstIndex(of: ":") else { continue }
                    let value = header[header.index(after: colon)...].trimmingCharacters(in: .whitespaces)
                    switch header[..<colon].trimmingCharacters(in: .whitespaces).lowercased() {
                    case "content-type": response.contentType = value
                    case "content-location": response.contentLocation = value
                    case "content-language": response.contentLanguage = value
                    default: break
                    }
                } else if trimmed.hasPrefix("-->") {
                    break
                }
            }
        }
    }
}
