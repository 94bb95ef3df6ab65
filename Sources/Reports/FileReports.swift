import Coverage
import Foundation
import Outlets
import Stories

/// One file of the reports folder: a relative path made only from ids (never from feed text,
/// so it cannot traverse or collide) and its bytes.
public struct ReportFile: Sendable, Equatable {
    public var path: String
    public var contents: Data
}

/// The files of `reports/`: per story a Markdown and a JSON report, plus an index of each kind.
public enum FileReports {
    public static func files(for coverages: [Coverage], method: Method, generatedAt: Date) -> [ReportFile] {
        var files: [ReportFile] = []
        for coverage in coverages {
            files.append(ReportFile(path: "stories/\(coverage.story.id).md", contents: Data(MarkdownReport.story(coverage, method: method).utf8)))
            files.append(ReportFile(path: "stories/\(coverage.story.id).json", contents: JSONReport.story(coverage, method: method, generatedAt: generatedAt)))
        }
        files.append(ReportFile(path: "index.md", contents: Data(MarkdownReport.index(coverages, method: method, generatedAt: generatedAt).utf8)))
        files.append(ReportFile(path: "index.json", contents: JSONReport.index(coverages, method: method, generatedAt: generatedAt)))
        return files
    }
}

public enum MarkdownReport {
    public static func story(_ coverage: Coverage, method: Method) -> String {
        let story = coverage.story
        var lines = [
            "# \(escape(story.title))", "",
            "Story \(story.id) · first seen \(isoMinute(story.firstSeenAt)) · last seen \(isoMinute(story.lastSeenAt))", "",
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
        lines.append(contentsOf: ["", "## Outlets", "", "| Outlet | Bias | Factuality | Articles | First article |", "|---|---|---|---:|---|"])
        for outlet in coverage.outlets {
            lines.append("| \(escape(outlet.name)) | \(outlet.bias.label) | \(outlet.factuality.label) | \(outlet.articleCount) | \(isoMinute(outlet.firstArticleAt)) |")
        }
        lines.append(contentsOf: ["", "## Articles", ""])
        for article in coverage.articles {
            let outlet = coverage.outlets.first { $0.key == (article.outletID ?? article.domain) }
            lines.append("- \(isoMinute(article.time)) · \(escape(outlet?.name ?? article.domain)) · [\(escape(article.title))](\(linkTarget(article.url)))")
        }
        lines.append(contentsOf: ["", "## Method", ""])
        lines.append(contentsOf: method.lines.map { "- " + escape($0) })
        return lines.joined(separator: "\n") + "\n"
    }

    public static func index(_ coverages: [Coverage], method: Method, generatedAt: Date) -> String {
        var lines = [
            "# Parallax stories", "", "Generated \(isoMinute(generatedAt)) · \(coverages.count) stories", "",
            "| Story | Outlets | Articles | Bias (L l C r R · unrated) | Blindspot | First seen |", "|---|---:|---:|---|---|---|",
        ]
        for coverage in coverages {
            let blindspot = coverage.blindspot.missingSide.map { "for the \($0.label)" } ?? (coverage.blindspot.smallSample ? "too few rated" : "—")
            lines.append(
                "| [\(escape(coverage.story.title))](stories/\(coverage.story.id).md) | \(coverage.outletCount) | \(coverage.articleCount) "
                    + "| `\(TerminalReport(color: false).bar(coverage.biasByOutlet))` | \(blindspot) | \(isoMinute(coverage.story.firstSeenAt)) |")
        }
        lines.append(contentsOf: ["", "## Method", ""])
        lines.append(contentsOf: method.lines.map { "- " + escape($0) })
        return lines.joined(separator: "\n") + "\n"
    }

    /// Feed text must not become Markdown or HTML: every character with a meaning is escaped.
    static func escape(_ text: String) -> String {
        var output = ""
        for character in TerminalText.sanitize(text) {
            switch character {
            case "\\", "`", "*", "_", "{", "}", "[", "]", "(", ")", "#", "+", "!", "|", "<", ">", "&":
                output.append("\\")
                output.append(character)
            default: output.append(character)
            }
        }
        return output
    }

    /// Only http(s) links are kept; anything else (javascript:, data:) becomes inert.
    static func linkTarget(_ url: String) -> String {
        let lower = url.lowercased()
        guard lower.hasPrefix("http://") || lower.hasPrefix("https://") else { return "#" }
        return url.replacingOccurrences(of: "(", with: "%28").replacingOccurrences(of: ")", with: "%29")
            .replacingOccurrences(of: " ", with: "%20").replacingOccurrences(of: "<", with: "%3C").replacingOccurrences(of: ">", with: "%3E")
    }

    static func percent(_ share: Double) -> String { String(format: "%.1f %%", share * 100) }

    static func isoMinute(_ date: Date) -> String { TerminalReport.shortDate(date) + " UTC" }
}

/// The JSON reports. Their shape is versioned (`schemaVersion`) and documented in the README.
public enum JSONReport {
    public static let schemaVersion = 1

    struct StoryDocument: Codable {
        var schemaVersion = JSONReport.schemaVersion
        var generatedAt: Date
        var story: StoryJSON
        var method: Method
    }

    struct IndexDocument: Codable {
        var schemaVersion = JSONReport.schemaVersion
        var generatedAt: Date
        var stories: [StorySummaryJSON]
        var method: Method
    }

    struct StorySummaryJSON: Codable {
        var id: Int64
        var title: String
        var firstSeenAt: Date
        var lastSeenAt: Date
        var articleCount: Int
        var outletCount: Int
        var biasByOutlet: [String: Int]
        var blindspot: String?
        var report: String
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
        var firstReporter: String?
        var blindspot: BlindspotJSON
        var outlets: [OutletJSON]
        var articles: [ArticleJSON]
    }

    struct BlindspotJSON: Codable {
        var missingSide: String?
        var smallSample: Bool
        var explanation: String
    }

    struct OutletJSON: Codable {
        var key: String
        var name: String
        var bias: String
        var factuality: String
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

    public static func story(_ coverage: Coverage, method: Method, generatedAt: Date) -> Data {
        encode(StoryDocument(generatedAt: generatedAt, story: storyJSON(coverage), method: method))
    }

    public static func index(_ coverages: [Coverage], method: Method, generatedAt: Date) -> Data {
        let stories = coverages.map { coverage in
            StorySummaryJSON(
                id: coverage.story.id, title: coverage.story.title, firstSeenAt: coverage.story.firstSeenAt,
                lastSeenAt: coverage.story.lastSeenAt, articleCount: coverage.articleCount, outletCount: coverage.outletCount,
                biasByOutlet: counts(coverage.biasByOutlet), blindspot: coverage.blindspot.missingSide?.rawValue,
                report: "stories/\(coverage.story.id).json")
        }
        return encode(IndexDocument(generatedAt: generatedAt, stories: stories, method: method))
    }

    static func storyJSON(_ coverage: Coverage) -> StoryJSON {
        StoryJSON(
            id: coverage.story.id, title: coverage.story.title, firstSeenAt: coverage.story.firstSeenAt,
            lastSeenAt: coverage.story.lastSeenAt, articleCount: coverage.articleCount,
            uniqueArticleCount: coverage.uniqueArticleCount, outletCount: coverage.outletCount,
            ratedOutletCount: coverage.ratedOutletCount, unratedOutletShare: coverage.unratedOutletShare,
            biasByOutlet: counts(coverage.biasByOutlet),
            biasShareByOutlet: Dictionary(uniqueKeysWithValues: Bias.allCases.map { ($0.rawValue, coverage.biasByOutlet.share($0)) }),
            biasByArticle: counts(coverage.biasByArticle),
            factualityByOutlet: Dictionary(uniqueKeysWithValues: Factuality.allCases.map { ($0.rawValue, coverage.factualityByOutlet[$0] ?? 0) }),
            firstReporter: coverage.firstReporter?.key,
            blindspot: BlindspotJSON(
                missingSide: coverage.blindspot.missingSide?.rawValue, smallSample: coverage.blindspot.smallSample,
                explanation: coverage.blindspot.explanation),
            outlets: coverage.outlets.map {
                OutletJSON(key: $0.key, name: $0.name, bias: $0.bias.rawValue, factuality: $0.factuality.rawValue, articleCount: $0.articleCount, firstArticleAt: $0.firstArticleAt)
            },
            articles: coverage.articles.map {
                ArticleJSON(
                    url: $0.url, canonicalURL: $0.canonicalURL, outlet: $0.outletID ?? $0.domain, title: $0.title, summary: $0.summary,
                    language: $0.language, publishedAt: $0.publishedAt, firstSeenAt: $0.firstSeenAt)
            })
    }

    static func encode(_ value: some Encodable) -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        // Every value here is plain data; encoding cannot fail.
        return (try? encoder.encode(value)) ?? Data()
    }
}
