import ArgumentParser
import Config
import Feeds
import Foundation
import Pipeline

struct Parse: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "parse",
        abstract: "Show what Parallax reads from feeds, OPML lists and pages (files or http(s) URLs).",
        discussion: """
            For a feed: format, encoding, title, and each item's title, link, canonical URL, outlet, \
            times, language and summary, plus the bozo flag and the first error. For an OPML file: its \
            feeds. For an HTML page: its article metadata and advertised feeds, or, with --rules, the \
            items the extraction rules find. --stats prints totals only. Exit code 2 when any document \
            could not be read at all. Lists of links in item descriptions are expanded as related \
            coverage only for a known aggregator's feed (news.google.com, by the feed's URL or site \
            link) or with --aggregator, and the output says which.
            """)

    @Argument(help: "Files or http(s) URLs.")
    var locations: [String]

    @Option(help: "Output format: text or json.")
    var format: OutputFormat = .text

    @Flag(help: "Print only totals: files, bytes, items, errors, parse seconds, MB/s.")
    var stats = false

    @Flag(help: "Read feeds as an aggregator's: an item whose description is a list of links becomes a group of related coverage (automatic for known aggregators such as news.google.com).")
    var aggregator = false

    @Option(help: "Read pages with this named extraction rule set from --config.")
    var rules: String?

    @Option(name: .shortAndLong, help: "The config that defines the rule set named by --rules.")
    var config: String = "feeds/feeds.yaml"

    func run() async throws {
        try await reportingFailures {
            let extraction = try rules.map { name throws -> ExtractionRules in
                let loaded = try ConfigLoader.load(path: config)
                guard let set = loaded.extractionRules[name] else {
                    throw Failure(message: "\(config): no extraction rule set named '\(name)'", status: .cannotStart)
                }
                return set
            }
            var totals = ParseStatistics()
            var documents: [InspectedDocument] = []
            var failures = 0
            for location in locations {
                let document: InspectedDocument
                do {
                    let (data, response) = try await Inspection.load(location)
                    let start = ContinuousClock.now
                    document = Inspection.inspect(data, source: location, response: response, rules: extraction, aggregator: aggregator)
                    let elapsed = ContinuousClock.now - start
                    totals.add(document, seconds: Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
                } catch {
                    FileHandle.standardError.write(Data("parallax: \(error)\n".utf8))
                    failures += 1
                    totals.errors += 1
                    continue
                }
                if document.failed {
                    FileHandle.standardError.write(Data("parallax: \(location): \(document.error ?? "unreadable")\n".utf8))
                    failures += 1
                }
                if stats { continue }
                switch format {
                case .json: documents.append(document)
                case .text: print(ParseText.render(document))
                }
            }
            if stats {
                print(ParseText.render(totals, json: format == .json))
            } else if format == .json {
                print(try ParseText.json(documents))
            }
            if failures > 0 { throw ExitCode(ExitStatus.cannotStart.rawValue) }
        }
    }
}

/// The command's output forms; the JSON is documented in the README.
enum ParseText {
    static func json(_ documents: [InspectedDocument]) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        return String(decoding: try encoder.encode(documents), as: UTF8.self)
    }

    static func render(_ totals: ParseStatistics, json: Bool) -> String {
        let rate = String(format: "%.1f", totals.megabytesPerSecond)
        let seconds = String(format: "%.3f", totals.seconds)
        if json {
            return #"{"bozo": \#(totals.bozo), "bytes": \#(totals.bytes), "errors": \#(totals.errors), "files": \#(totals.files), "items": \#(totals.items), "mbPerSecond": \#(rate), "seconds": \#(seconds)}"#
        }
        return "\(totals.files) files, \(totals.bytes) bytes, \(totals.items) items, \(totals.errors) errors, \(totals.bozo) bozo, \(seconds) s parsing, \(rate) MB/s"
    }

    static func render(_ document: InspectedDocument) -> String {
        var lines = ["== \(document.source)"]
        guard let kind = document.kind else {
            lines.append("error: \(document.error ?? "unreadable")")
            return lines.joined(separator: "\n")
        }
        lines.append("kind: \(kind.rawValue)  format: \(document.format ?? "?")  encoding: \(document.encoding ?? "?")  bytes: \(document.bytes)")
        if let title = document.title { lines.append("title: \(title)") }
        if let link = document.link { lines.append("link: \(link)") }
        if let language = document.language { lines.append("language: \(language)") }
        lines.append("bozo: \(document.bozo)" + (document.error.map { "  first error: \($0)" } ?? ""))
        if let lists = document.linkLists {
            lines.append("link lists: \(lists.items) items' descriptions are lists of links, \(lists.expanded ? "expanded as related coverage" : "not expanded"): \(lists.reason)")
        }
        for (index, item) in document.items.enumerated() {
            lines.append("\(index + 1). \(item.title)")
            for (label, value) in [
                ("link", item.link), ("canonical", item.canonicalURL.map { url in item.canonicalNote.map { "\(url) (\($0))" } ?? url }), ("outlet", item.outlet), ("outlet url", item.outletURL),
                ("published", item.published.map { $0.formatted(.iso8601) }), ("language", item.language), ("group", item.group),
                ("summary", item.summary.isEmpty ? nil : String(item.summary.prefix(160))),
            ] {
                if let value { lines.append("   \(label): \(value)") }
            }
        }
        if let metadata = document.metadata {
            for (label, value) in [
                ("site", metadata.siteName), ("published", metadata.published.map { $0.formatted(.iso8601) }),
                ("authors", metadata.authors.isEmpty ? nil : metadata.authors.joined(separator: ", ")), ("type", metadata.type),
                ("summary", metadata.summary),
            ] {
                if let value { lines.append("\(label): \(value)") }
            }
        }
        for feed in document.feeds ?? [] {
            lines.append("feed: \(feed.url)" + (feed.title.map { "  (\($0))" } ?? "") + (feed.type.map { "  \($0)" } ?? ""))
        }
        return lines.joined(separator: "\n")
    }
}
