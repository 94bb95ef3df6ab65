import Brief
import Coverage
import Foundation
import Outlets
import Stories

/// One file of the reports folder: a relative path made only from ids (never from feed text,
/// so it cannot traverse or collide) and its bytes.
public struct ReportFile: Sendable, Equatable {
    public var path: String
    public var contents: Data

    public init(path: String, contents: Data) {
        self.path = path
        self.contents = contents
    }
}

/// The files of `reports/`. Per story: Markdown, JSON and an HTML page. From every story's
/// summary: the indexes (Markdown, JSON, HTML by coverage, by recency, blindspots), the CSV,
/// two Atom feeds and one page per outlet.
public enum FileReports {
    /// Changes whenever the renderers change what they write, so every report is rewritten once.
    public static let rendererVersion = "reports-5"

    public static func files(for stories: [(coverage: Coverage, brief: StoryBrief)], outlets: [Outlet], method: Method, generatedAt: Date) -> [ReportFile] {
        stories.flatMap { storyFiles($0.coverage, brief: $0.brief, method: method, generatedAt: generatedAt) }
            + indexFiles(stories.map { StorySummary($0.coverage, brief: $0.brief) }, outlets: outlets, method: method, generatedAt: generatedAt)
    }

    public static func storyFiles(_ coverage: Coverage, brief: StoryBrief, method: Method, generatedAt: Date) -> [ReportFile] {
        let paths = FileName.storyFiles(coverage.story.id)
        return [
            ReportFile(path: paths[0], contents: Data(MarkdownReport.story(coverage, brief: brief, method: method).utf8)),
            ReportFile(path: paths[1], contents: JSONReport.story(coverage, brief: brief, method: method, generatedAt: generatedAt)),
            ReportFile(path: paths[2], contents: Data(HTMLReport.story(coverage, brief: brief, method: method).utf8)),
        ]
    }

    /// An outlet page lists at most this many of its newest stories.
    public static let storiesPerOutletPage = 50

    public static func indexFiles(_ summaries: [StorySummary], outlets: [Outlet], method: Method, generatedAt: Date) -> [ReportFile] {
        sharedPages(summaries, outlets: outlets, method: method, generatedAt: generatedAt).map { ReportFile(path: $0.path, contents: $0.render()) }
    }

    /// A file made from many stories' summaries. `inputs` is a hash of everything its bytes
    /// depend on except the generation time it prints, so a page whose inputs did not change
    /// need not be rendered again: its old bytes say when it was made.
    public struct SharedPage {
        public var path: String
        public var inputs: String
        public var render: () -> Data
    }

    /// The index pages (Markdown, JSON, HTML by coverage, by recency and blindspots, paginated),
    /// the CSV, two Atom feeds and one page per outlet. Rendering happens only when `render` is called.
    public static func sharedPages(_ summaries: [StorySummary], outlets: [Outlet], method: Method, generatedAt: Date) -> [SharedPage] {
        let methodKey = signature(of: method)
        let rows = HTMLReport.StoryRows()
        func inputs(_ kind: String, _ parts: [String], _ stories: ArraySlice<StorySummary>) -> String {
            var hash = Hash.FNV1a()
            hash.add(rendererVersion)
            hash.add(methodKey)
            hash.add(kind)
            for part in parts { hash.add(part) }
            for story in stories { hash.add(story.signature) }
            return hash.hex
        }

        let byCoverage = HTMLReport.IndexOrder.coverage.arrange(summaries)
        let byRecency = HTMLReport.IndexOrder.recency.arrange(summaries)
        let all = byCoverage[...]
        var pages = [
            SharedPage(path: "index.md", inputs: inputs("index.md", [], all)) {
                Data(MarkdownReport.index(byCoverage, method: method, generatedAt: generatedAt).utf8)
            },
            SharedPage(path: "index.json", inputs: inputs("index.json", [], all)) {
                JSONReport.index(byCoverage, method: method, generatedAt: generatedAt)
            },
            SharedPage(path: "stories.csv", inputs: inputs("stories.csv", [], all)) { Data(CSVExport.stories(byCoverage).utf8) },
        ]
        let newest = byRecency.prefix(AtomFeed.maximumEntries)
        pages.append(SharedPage(path: "stories.atom", inputs: inputs("stories.atom", [], newest)) {
            Data(AtomFeed.stories(newest, title: "Parallax: new stories", id: "urn:parallax:stories", generatedAt: generatedAt).utf8)
        })
        let blindspots = HTMLReport.IndexOrder.blindspots.arrange(byRecency)
        let newestBlindspots = blindspots.prefix(AtomFeed.maximumEntries)
        pages.append(SharedPage(path: "blindspots.atom", inputs: inputs("blindspots.atom", [], newestBlindspots)) {
            Data(AtomFeed.stories(newestBlindspots, title: "Parallax: blindspots", id: "urn:parallax:blindspots", generatedAt: generatedAt).utf8)
        })

        for (order, list) in [(HTMLReport.IndexOrder.coverage, byCoverage), (.recency, byRecency), (.blindspots, blindspots)] {
            let size = HTMLReport.storiesPerIndexPage
            let pageCount = max(1, (list.count + size - 1) / size)
            for page in 1...pageCount {
                let slice = list[min(list.count, (page - 1) * size)..<min(list.count, page * size)]
                let position = HTMLReport.PagePosition(order: order, page: page, pageCount: pageCount, storyCount: list.count)
                let path = position.path(page)
                pages.append(SharedPage(path: path, inputs: inputs(path, [String(pageCount), String(list.count)], slice)) {
                    Data(HTMLReport.index(Array(slice), at: position, method: method, generatedAt: generatedAt, rows: rows).utf8)
                })
            }
        }

        // Positions in `byRecency`, so each outlet's list is newest first and no summary is copied;
        // an outlet's name and bias are those of the newest story that names it.
        var storiesByOutlet: [String: [Int]] = [:]
        var names: [String: StorySummary.OutletRef] = [:]
        for (position, summary) in byRecency.enumerated() {
            for outlet in summary.outlets {
                if storiesByOutlet[outlet.key, default: []].count < storiesPerOutletPage { storiesByOutlet[outlet.key, default: []].append(position) }
                if names[outlet.key] == nil { names[outlet.key] = outlet }
            }
        }
        let definitions = Dictionary(outlets.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        for key in storiesByOutlet.keys.sorted() {
            let ref = names[key]!
            let newest = storiesByOutlet[key]!.map { byRecency[$0] }[...]
            let definition = definitions[key]
            let path = FileName.outletPage(key)
            let parts = [key, ref.name, ref.bias.rawValue, definition.map(signature(of:)) ?? "-"]
            pages.append(SharedPage(path: path, inputs: inputs(path, parts, newest)) {
                let html = HTMLReport.outlet(key: key, name: ref.name, bias: ref.bias, definition: definition, stories: Array(newest), method: method, rows: rows)
                return Data(html.utf8)
            })
        }
        return pages
    }

    /// A stable hash of a value's sorted-keys JSON (Swift's `Hasher` is seeded per process).
    static func signature(of value: some Encodable) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return Hash.fnv1a((try? encoder.encode(value)) ?? Data())
    }
}

public enum MarkdownReport {
    public static func story(_ coverage: Coverage, brief: StoryBrief, method: Method) -> String {
        let story = coverage.story
        let plainBar = { (counts: [Bias: Int]) in TerminalReport(color: false).bar(BiasDistribution(counts: counts)) }
        var lines = [
            "# \(escape(story.title))", "",
            "Story \(story.id) · first seen \(isoMinute(story.firstSeenAt)) · last seen \(isoMinute(story.lastSeenAt))", "",
        ]
        lines.append(contentsOf: BriefSections.markdown(brief, escape: escape, link: linkTarget, bar: plainBar))
        lines += [
            "## Coverage", "",
            "**\(coverage.articleCount) articles** (\(coverage.uniqueArticleCount) unique texts) from **\(coverage.outletCount) outlets**, "
                + "\(coverage.ratedOutletCount) of them rated.", "",
            "`" + TerminalReport(color: false).bar(coverage.biasByOutlet) + "`", "",
            "| Bias | Outlets | Share of outlets | Articles | Share of articles |",
            "|---|---:|---:|---:|---:|",
        ]
        for bias in Bias.allCases {
            lines.append(
                "| \(bias.label) | \(coverage.biasByOutlet.count(bias)) | \(percent(coverage.biasByOutlet.share(bias))) "
                    + "| \(coverage.biasByArticle.count(bias)) | \(percent(coverage.biasByArticle.share(bias))) |")
        }
        lines.append("")
        lines.append("**Blindspot:** \(escape(coverage.blindspot.explanation))")
        if let first = coverage.firstReporter {
            lines.append("")
            lines.append("**First reported by** \(escape(first.name)) (\(first.bias.label)) at \(isoMinute(first.firstArticleAt)).")
        }
        lines.append("")
        for side in Side.allCases {
            let first = coverage.firstReporterBySide[side]
            lines.append("- First on the \(side.label): " + (first.map { "\(escape($0.name)) at \(isoMinute($0.firstArticleAt))" } ?? "no outlet"))
        }
        if let seconds = coverage.secondsToReachOtherSide {
            lines.append("- Reached the other side after \(HTMLReport.duration(seconds))")
        }
        lines.append(contentsOf: ["", "## Headlines side by side", ""])
        for (side, label) in [(Side.left, "Left"), (.center, "Center"), (.right, "Right"), (nil, "Unrated")] as [(Side?, String)] {
            let headlines = coverage.headlines[side]
            guard !headlines.isEmpty else { continue }
            lines.append("**\(label)**")
            lines.append("")
            for headline in headlines {
                let first = brief.firstSentences[headline.url].map { " — " + escape($0.text) } ?? ""
                lines.append("- \(escape(headline.outletName)): [\(escape(headline.title))](\(linkTarget(headline.url)))\(first)")
            }
            lines.append("")
        }
        lines.append("## Timeline (articles per hour: Left / Center / Right / Unrated)")
        lines.append("")
        for bucket in coverage.timeline where bucket.left + bucket.center + bucket.right + bucket.unrated > 0 {
            lines.append("- \(isoMinute(bucket.start)): \(bucket.left) / \(bucket.center) / \(bucket.right) / \(bucket.unrated)")
        }
        lines.append(contentsOf: ["", "## Reliability, ownership, countries (by outlet)", ""])
        lines.append("- Factuality: " + Factuality.allCases.compactMap { value in coverage.factualityByOutlet[value].map { "\(value.label) \($0)" } }.joined(separator: ", "))
        lines.append("- Ownership: " + Ownership.allCases.compactMap { value in coverage.ownershipByOutlet[value].map { "\(value.rawValue) \($0)" } }.joined(separator: ", "))
        lines.append("- Countries: " + coverage.countries.sorted { $0.key < $1.key }.map { "\(escape($0.key)) \($0.value)" }.joined(separator: ", "))
        lines.append(contentsOf: ["", "## Outlets", "", "| Outlet | Bias | Factuality | Articles | First article |", "|---|---|---|---:|---|"])
        for outlet in coverage.outlets {
            lines.append("| \(escape(outlet.name)) | \(outlet.bias.label) | \(outlet.factuality.label) | \(outlet.articleCount) | \(isoMinute(outlet.firstArticleAt)) |")
        }
        lines.append(contentsOf: ["", "## Articles", ""])
        for article in coverage.articles {
            let outlet = coverage.outlets.first { $0.key == (article.outletID ?? article.domain) }
            lines.append("- \(isoMinute(article.time)) · \(escape(outlet?.name ?? article.domain)) · [\(escape(article.title))](\(linkTarget(article.url)))")
        }
        lines.append("")
        lines.append(contentsOf: BriefSections.markdownRelated(brief, escape: escape, bar: plainBar))
        lines.append(contentsOf: ["## Method", ""])
        lines.append(contentsOf: (method.lines + correctionLines(coverage)).map { "- " + escape($0) })
        return lines.joined(separator: "\n") + "\n"
    }

    /// The method's last lines for a story a user corrected: the grouping is partly theirs.
    public static func correctionLines(_ coverage: Coverage) -> [String] {
        coverage.corrections.map { "User correction: \($0.line)" }
    }

    public static func index(_ summaries: [StorySummary], method: Method, generatedAt: Date) -> String {
        var lines = [
            "# Parallax stories", "", "Generated \(isoMinute(generatedAt)) · \(summaries.count) stories", "",
            "| Story | Outlets | Articles | Bias (L l C r R · unrated) | Blindspot | First seen |", "|---|---:|---:|---|---|---|",
        ]
        for summary in summaries {
            let blindspot = summary.blindspot.missingSide.map { "for the \($0.label)" } ?? (summary.blindspot.smallSample ? "too few rated" : "—")
            lines.append(
                "| [\(escape(summary.title))](stories/\(summary.id).md) | \(summary.outletCount) | \(summary.articleCount) "
                    + "| `\(TerminalReport(color: false).bar(summary.distribution))` | \(blindspot) | \(isoMinute(summary.firstSeenAt)) |")
        }
        lines.append(contentsOf: ["", "## Method", ""])
        lines.append(contentsOf: method.lines.map { "- " + escape($0) })
        return lines.joined(separator: "\n") + "\n"
    }

    /// Feed text must not become Markdown or HTML: every character with a meaning is escaped.
    static func escape(_ text: String) -> String {
        let clean = TerminalText.sanitize(text)
        // Most headlines and sentences have none of these, and are their own escaped form.
        guard clean.utf8.contains(where: isMarkdownSpecial) else { return clean }
        var output: [UInt8] = []
        output.reserveCapacity(clean.utf8.count + 8)
        for byte in clean.utf8 {
            if isMarkdownSpecial(byte) { output.append(UInt8(ascii: "\\")) }
            output.append(byte)
        }
        return String(decoding: output, as: UTF8.self)
    }

    private static func isMarkdownSpecial(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "\\"), UInt8(ascii: "`"), UInt8(ascii: "*"), UInt8(ascii: "_"), UInt8(ascii: "{"), UInt8(ascii: "}"),
            UInt8(ascii: "["), UInt8(ascii: "]"), UInt8(ascii: "("), UInt8(ascii: ")"), UInt8(ascii: "#"), UInt8(ascii: "+"),
            UInt8(ascii: "!"), UInt8(ascii: "|"), UInt8(ascii: "<"), UInt8(ascii: ">"), UInt8(ascii: "&"):
            true
        default: false
        }
    }

    /// Only http(s) links are kept; anything else (javascript:, data:) becomes inert.
    static func linkTarget(_ url: String) -> String {
        guard isHTTP(url) else { return "#" }
        let bytes = url.utf8
        // Characters that would end a Markdown link target, percent-encoded; most links have none.
        guard bytes.contains(where: { $0 == 0x28 || $0 == 0x29 || $0 == 0x20 || $0 == 0x3C || $0 == 0x3E }) else { return url }
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count + 12)
        for byte in bytes {
            switch byte {
            case 0x28: output.append(contentsOf: "%28".utf8)
            case 0x29: output.append(contentsOf: "%29".utf8)
            case 0x20: output.append(contentsOf: "%20".utf8)
            case 0x3C: output.append(contentsOf: "%3C".utf8)
            case 0x3E: output.append(contentsOf: "%3E".utf8)
            default: output.append(byte)
            }
        }
        return String(decoding: output, as: UTF8.self)
    }

    /// "http://" or "https://" in any case, compared by bytes (no lower-cased copy of the URL).
    static func isHTTP(_ url: String) -> Bool {
        func hasPrefix(_ prefix: String) -> Bool {
            url.utf8.count >= prefix.utf8.count && zip(url.utf8, prefix.utf8).allSatisfy { ($0 >= 0x41 && $0 <= 0x5A ? $0 | 0x20 : $0) == $1 }
        }
        return hasPrefix("http://") || hasPrefix("https://")
    }

    static func percent(_ share: Double) -> String { UTCTime.decimal(share * 100, places: 1) + " %" }

    static func isoMinute(_ date: Date) -> String { TerminalReport.shortDate(date) + " UTC" }
}

/// The JSON reports. Their shape is versioned (`schemaVersion`) and documented in the README.
public enum JSONReport {
    public static let schemaVersion = 3

    struct StoryDocument: Codable {
        var schemaVersion = JSONReport.schemaVersion
        var generatedAt: Date
        var story: StoryJSON
        var method: Method
    }

    struct StoryJSON: Codable {
        var id: Int64
        var title: String
        var firstSeenAt: Date
        var lastSeenAt: Date
        var articleCount: Int
        var uniqueArticleCount: Int
        var outletCount: Int
        var ratedOutletCount: Int
        var unratedOutletShare: Double
        var biasByOutlet: [String: Int]
        var biasShareByOutlet: [String: Double]
        var biasByArticle: [String: Int]
        var factualityByOutlet: [String: Int]
        var ownershipByOutlet: [String: Int]
        var countries: [String: Int]
        var firstReporter: String?
        var firstReporterBySide: [String: String]
        var secondsToReachOtherSide: Double?
        var timeline: [TimelineJSON]
        var headlines: [String: [HeadlineJSON]]
        var blindspot: BlindspotJSON
        var outlets: [OutletJSON]
        var articles: [ArticleJSON]
        var brief: BriefSections.BriefJSON
        var perspectives: [BriefSections.PerspectiveJSON]
        var related: [BriefSections.RelatedJSON]
        var image: BriefSections.ImageJSON?
        /// Only when a user's correction shaped the story: absent, not empty, otherwise.
        var corrections: [CorrectionJSON]?
    }

    struct CorrectionJSON: Codable {
        var id: Int64
        var kind: String
        var date: Date
        var text: String
    }

    struct BlindspotJSON: Codable {
        var missingSide: String?
        var smallSample: Bool
        var explanation: String
    }

    struct TimelineJSON: Codable {
        var start: Date
        var left: Int
        var center: Int
        var right: Int
        var unrated: Int
    }

    struct HeadlineJSON: Codable {
        var outlet: String
        var title: String
        var url: String
        var time: Date
    }

    struct OutletJSON: Codable {
        var key: String
        var name: String
        var bias: String
        var factuality: String
        var ownership: String
        var country: String?
        var articleCount: Int
        var firstArticleAt: Date
    }

    struct ArticleJSON: Codable {
        var url: String
        var canonicalURL: String
        var outlet: String
        var title: String
        var summary: String
        var language: String?
        var publishedAt: Date?
        var firstSeenAt: Date
    }

    static func counts(_ distribution: BiasDistribution) -> [String: Int] {
        Dictionary(uniqueKeysWithValues: Bias.allCases.map { ($0.rawValue, distribution.count($0)) })
    }

    public static func story(_ coverage: Coverage, brief: StoryBrief, method: Method, generatedAt: Date) -> Data {
        encode(StoryDocument(generatedAt: generatedAt, story: storyJSON(coverage, brief: brief), method: method))
    }

    /// The index is written directly, one story a line, keys sorted: the encoder spent more
    /// time on ten thousand stories than the rest of an incremental run. Only the method, a
    /// small object, goes through the encoder.
    public static func index(_ summaries: [StorySummary], method: Method, generatedAt: Date) -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // Every value here is plain data; encoding cannot fail.
        let methodJSON = (try? encoder.encode(method)) ?? Data("{}".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(summaries.count * 360 + methodJSON.count + 200)
        out.append(contentsOf: "{\n  \"generatedAt\" : \"\(UTCTime.iso(generatedAt))\",\n  \"method\" : ".utf8)
        out.append(contentsOf: methodJSON)
        out.append(contentsOf: ",\n  \"schemaVersion\" : \(schemaVersion),\n  \"stories\" : [".utf8)
        for (index, summary) in summaries.enumerated() {
            out.append(contentsOf: (index == 0 ? "\n    " : ",\n    ").utf8)
            out.append(contentsOf: "{\"articleCount\":\(summary.articleCount),\"biasByOutlet\":{".utf8)
            for (position, bias) in biasKeysSorted.enumerated() {
                out.append(contentsOf: "\(position == 0 ? "" : ",")\"\(bias.rawValue)\":\(summary.distribution.count(bias))".utf8)
            }
            out.append(UInt8(ascii: "}"))
            if let side = summary.blindspot.missingSide { out.append(contentsOf: ",\"blindspot\":\"\(side.rawValue)\"".utf8) }
            out.append(contentsOf: ",\"firstSeenAt\":\"\(UTCTime.iso(summary.firstSeenAt))\",\"id\":\(summary.id)".utf8)
            out.append(contentsOf: ",\"lastSeenAt\":\"\(UTCTime.iso(summary.lastSeenAt))\",\"outletCount\":\(summary.outletCount)".utf8)
            out.append(contentsOf: ",\"report\":\"stories/\(summary.id).json\",\"title\":".utf8)
            string(summary.title, into: &out)
            out.append(UInt8(ascii: "}"))
        }
        out.append(contentsOf: (summaries.isEmpty ? "]\n}" : "\n  ]\n}").utf8)
        return Data(out)
    }

    static let biasKeysSorted = Bias.allCases.sorted { $0.rawValue < $1.rawValue }

    /// A JSON string (RFC 8259): quotes, backslashes and control characters escaped, the rest as UTF-8.
    static func string(_ text: String, into out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""): out.append(contentsOf: "\\\"".utf8)
            case UInt8(ascii: "\\"): out.append(contentsOf: "\\\\".utf8)
            case UInt8(ascii: "\n"): out.append(contentsOf: "\\n".utf8)
            case UInt8(ascii: "\r"): out.append(contentsOf: "\\r".utf8)
            case UInt8(ascii: "\t"): out.append(contentsOf: "\\t".utf8)
            case 0..<0x20:
                let hex = String(byte, radix: 16)
                out.append(contentsOf: ("\\u00" + (hex.count == 1 ? "0" : "") + hex).utf8)
            default: out.append(byte)
            }
        }
        out.append(UInt8(ascii: "\""))
    }

    static func storyJSON(_ coverage: Coverage, brief: StoryBrief) -> StoryJSON {
        let (briefJSON, perspectives, related, image) = BriefSections.json(brief)
        return StoryJSON(
            id: coverage.story.id, title: coverage.story.title, firstSeenAt: coverage.story.firstSeenAt,
            lastSeenAt: coverage.story.lastSeenAt, articleCount: coverage.articleCount,
            uniqueArticleCount: coverage.uniqueArticleCount, outletCount: coverage.outletCount,
            ratedOutletCount: coverage.ratedOutletCount, unratedOutletShare: coverage.unratedOutletShare,
            biasByOutlet: counts(coverage.biasByOutlet),
            biasShareByOutlet: Dictionary(uniqueKeysWithValues: Bias.allCases.map { ($0.rawValue, coverage.biasByOutlet.share($0)) }),
            biasByArticle: counts(coverage.biasByArticle),
            factualityByOutlet: Dictionary(uniqueKeysWithValues: Factuality.allCases.map { ($0.rawValue, coverage.factualityByOutlet[$0] ?? 0) }),
            ownershipByOutlet: Dictionary(uniqueKeysWithValues: Ownership.allCases.map { ($0.rawValue, coverage.ownershipByOutlet[$0] ?? 0) }),
            countries: coverage.countries,
            firstReporter: coverage.firstReporter?.key,
            firstReporterBySide: Dictionary(uniqueKeysWithValues: coverage.firstReporterBySide.map { ($0.key.rawValue, $0.value.key) }),
            secondsToReachOtherSide: coverage.secondsToReachOtherSide,
            timeline: coverage.timeline.map { TimelineJSON(start: $0.start, left: $0.left, center: $0.center, right: $0.right, unrated: $0.unrated) },
            headlines: Dictionary(uniqueKeysWithValues: ([Side.left, .center, .right] as [Side?] + [nil]).map { side in
                (side?.rawValue ?? "unrated", coverage.headlines[side].map { HeadlineJSON(outlet: $0.outletKey, title: $0.title, url: $0.url, time: $0.time) })
            }),
            blindspot: BlindspotJSON(
                missingSide: coverage.blindspot.missingSide?.rawValue, smallSample: coverage.blindspot.smallSample,
                explanation: coverage.blindspot.explanation),
            outlets: coverage.outlets.map {
                OutletJSON(
                    key: $0.key, name: $0.name, bias: $0.bias.rawValue, factuality: $0.factuality.rawValue,
                    ownership: $0.ownership.rawValue, country: $0.country, articleCount: $0.articleCount, firstArticleAt: $0.firstArticleAt)
            },
            articles: coverage.articles.map {
                ArticleJSON(
                    url: $0.url, canonicalURL: $0.canonicalURL, outlet: $0.outletID ?? $0.domain, title: $0.title, summary: $0.summary,
                    language: $0.language, publishedAt: $0.publishedAt, firstSeenAt: $0.firstSeenAt)
            },
            brief: briefJSON, perspectives: perspectives, related: related, image: image,
            corrections: coverage.corrections.isEmpty
                ? nil : coverage.corrections.map { CorrectionJSON(id: $0.correctionID, kind: $0.kind.rawValue, date: $0.date, text: $0.text) })
    }

    static func encode(_ value: some Encodable) -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        // Every value here is plain data; encoding cannot fail.
        return (try? encoder.encode(value)) ?? Data()
    }
}
