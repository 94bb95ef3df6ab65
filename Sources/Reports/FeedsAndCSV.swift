import Coverage
import Foundation
import Outlets

/// Atom feeds of the newest stories and of the newest blindspots, linking to the HTML pages.
public enum AtomFeed {
    public static let maximumEntries = 100

    /// - Parameter entries: newest first, at most `maximumEntries`.
    public static func stories(_ entries: ArraySlice<StorySummary>, title: String, id: String, generatedAt: Date) -> String {
        let updated = entries.map(\.lastSeenAt).max() ?? generatedAt
        var xml = """
            <?xml version="1.0" encoding="utf-8"?>
            <feed xmlns="http://www.w3.org/2005/Atom">
            <title>\(escape(title))</title>
            <id>\(id)</id>
            <updated>\(date(updated))</updated>
            <author><name>Parallax</name></author>
            <generator>Parallax</generator>

            """
        for summary in entries {
            let bias = (Bias.rated + [.unrated]).map { "\($0.label) \(summary.distribution.count($0))" }.joined(separator: ", ")
            let counts = "\(summary.articleCount) articles from \(summary.outletCount) outlets (\(bias)). \(summary.blindspot.explanation)."
            // The lead is quoted, with its outlet, before the counts.
            let content = summary.lead.isEmpty ? counts : "“\(summary.lead)” — \(summary.leadOutlet). \(counts)"
            xml += """
                <entry>
                <title>\(escape(summary.title))</title>
                <id>urn:parallax:story:\(summary.id)</id>
                <link rel="alternate" type="text/html" href="stories/\(summary.id).html"/>
                <published>\(date(summary.firstSeenAt))</published>
                <updated>\(date(summary.lastSeenAt))</updated>
                <summary type="text">\(escape(content))</summary>
                </entry>

                """
        }
        return xml + "</feed>\n"
    }

    /// XML 1.0 cannot carry most control characters at all, so they are made visible first.
    static func escape(_ text: String) -> String { HTMLReport.text(text) }

    static func date(_ date: Date) -> String {
        UTCTime.iso(date)
    }
}

/// One row per story, for spreadsheets (RFC 4180: every field quoted, quotes doubled).
public enum CSVExport {
    public static let columns = [
        "id", "title", "firstSeenAt", "lastSeenAt", "articles", "uniqueArticles", "outlets", "ratedOutlets",
        "left", "leanLeft", "center", "leanRight", "right", "unrated", "blindspot", "smallSample",
    ]

    /// - Parameter summaries: in the order of the rows (the index's: by coverage).
    public static func stories(_ summaries: [StorySummary]) -> String {
        var lines = [columns.joined(separator: ",")]
        for summary in summaries {
            let fields: [String] = [
                String(summary.id), summary.title, AtomFeed.date(summary.firstSeenAt), AtomFeed.date(summary.lastSeenAt),
                String(summary.articleCount), String(summary.uniqueArticleCount), String(summary.outletCount),
                String(summary.ratedOutletCount),
            ] + (Bias.rated + [.unrated]).map { String(summary.distribution.count($0)) } + [
                summary.blindspot.missingSide?.rawValue ?? "", summary.blindspot.smallSample ? "true" : "false",
            ]
            lines.append(fields.map(field).joined(separator: ","))
        }
        return lines.joined(separator: "\r\n") + "\r\n"
    }

    /// A title starting with `=`, `+`, `-` or `@` would run as a formula in a spreadsheet: a
    /// leading apostrophe keeps it text.
    static func field(_ value: String) -> String {
        var text = TerminalText.sanitize(value)
        if let first = text.first, "=+-@".contains(first) { text = "'" + text }
        guard text.utf8.contains(UInt8(ascii: "\"")) else { return "\"" + text + "\"" }
        var quoted = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            if scalar == "\"" { quoted.append(scalar) }
            quoted.append(scalar)
        }
        return "\"" + String(quoted) + "\""
    }
}
