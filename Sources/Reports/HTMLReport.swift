import Brief
import Coverage
import Foundation
import Outlets

/// The static HTML site: plain files with relative links and inline CSS and SVG, so it works
/// from `file://`, needs no JavaScript and reads on a phone. Every piece of feed text goes
/// through `HTML.text` or `HTML.attribute`, every link through `HTML.href`.
public enum HTMLReport {
    public static func story(_ coverage: Coverage, brief: StoryBrief, method: Method) -> String {
        let story = coverage.story
        var body = ""
        body += "<p class=\"meta\">Story \(story.id) · first seen \(time(story.firstSeenAt)) · last seen \(time(story.lastSeenAt))</p>\n"
        // What happened comes before any count.
        body += BriefSections.html(brief, remoteImages: method.remoteImages)
        body += "<h2>Coverage</h2>\n"
        body += "<p><strong>\(coverage.articleCount) articles</strong> (\(coverage.uniqueArticleCount) unique texts) from "
            + "<strong>\(coverage.outletCount) outlets</strong>, \(coverage.ratedOutletCount) of them rated.</p>\n"
        body += blindspotParagraph(coverage.blindspot)
        body += "<h2>Bias of the outlets</h2>\n" + biasBar(coverage.biasByOutlet) + "\n"
        body += "<table><caption>Bias by outlet and by article (unrated shown beside)</caption>\n"
        body += "<thead><tr><th scope=\"col\">Bias</th><th scope=\"col\">Outlets</th><th scope=\"col\">Share</th><th scope=\"col\">Articles</th><th scope=\"col\">Share</th></tr></thead><tbody>\n"
        for bias in Bias.allCases {
            body += "<tr><th scope=\"row\"><span class=\"swatch \(bias.rawValue)\"></span>\(bias.label)</th>"
                + "<td>\(coverage.biasByOutlet.count(bias))</td><td>\(percent(coverage.biasByOutlet.share(bias)))</td>"
                + "<td>\(coverage.biasByArticle.count(bias))</td><td>\(percent(coverage.biasByArticle.share(bias)))</td></tr>\n"
        }
        body += "</tbody></table>\n"

        body += "<h2>Who was first</h2>\n<ul>\n"
        if let first = coverage.firstReporter {
            body += "<li>First overall: \(outletLink(first.key, first.name)) (\(first.bias.label)) at \(time(first.firstArticleAt))</li>\n"
        }
        for side in Side.allCases {
            if let first = coverage.firstReporterBySide[side] {
                body += "<li>First on the \(side.label): \(outletLink(first.key, first.name)) at \(time(first.firstArticleAt))</li>\n"
            } else {
                body += "<li>No \(side.label) outlet covered it.</li>\n"
            }
        }
        if let seconds = coverage.secondsToReachOtherSide {
            body += "<li>It took \(duration(seconds)) to reach the other side.</li>\n"
        }
        body += "</ul>\n"

        body += "<h2>Timeline</h2>\n" + timeline(coverage.timeline) + "\n"

        body += "<h2>Headlines side by side</h2>\n<div class=\"columns\">\n"
        for (side, label) in [(Side.left, "Left"), (.center, "Center"), (.right, "Right"), (nil, "Unrated")] as [(Side?, String)] {
            let headlines = coverage.headlines[side]
            guard !headlines.isEmpty else { continue }
            body += "<section><h3>\(label)</h3><ul>\n"
            for headline in headlines {
                let first = brief.firstSentences[headline.url].map { "<br>\(text($0.text))" } ?? ""
                body += "<li>\(link(headline.url, headline.title))\(first)<br><small>\(text(headline.outletName)) · \(time(headline.time))</small></li>\n"
            }
            body += "</ul></section>\n"
        }
        body += "</div>\n"

        body += "<h2>Reliability, ownership and countries</h2>\n<div class=\"columns\">\n"
        body += distribution("Factuality (by outlet)", Factuality.allCases.map { ($0.label, coverage.factualityByOutlet[$0] ?? 0) })
        body += distribution("Ownership (by outlet)", Ownership.allCases.map { ($0.rawValue, coverage.ownershipByOutlet[$0] ?? 0) })
        body += distribution("Countries (by outlet)", coverage.countries.sorted { ($1.value, $0.key) < ($0.value, $1.key) }.map { ($0.key, $0.value) })
        body += "</div>\n"

        body += "<h2>Outlets</h2>\n<table><thead><tr><th scope=\"col\">Outlet</th><th scope=\"col\">Bias</th><th scope=\"col\">Factuality</th>"
            + "<th scope=\"col\">Articles</th><th scope=\"col\">First article</th></tr></thead><tbody>\n"
        for outlet in coverage.outlets {
            body += "<tr><td>\(outletLink(outlet.key, outlet.name))</td><td>\(outlet.bias.label)</td><td>\(outlet.factuality.label)</td>"
                + "<td>\(outlet.articleCount)</td><td>\(time(outlet.firstArticleAt))</td></tr>\n"
        }
        body += "</tbody></table>\n"

        body += "<h2>Articles</h2>\n<ol class=\"articles\">\n"
        for article in coverage.articles {
            let name = coverage.outlets.first { $0.key == (article.outletID ?? article.domain) }?.name ?? article.domain
            body += "<li>\(link(article.url, article.title))<br><small>\(text(name)) · \(time(article.time))</small></li>\n"
        }
        body += "</ol>\n" + BriefSections.htmlRelated(brief) + methodSection(method, extra: MarkdownReport.correctionLines(coverage))
        return page(title: story.title, root: "../", body: body)
    }

    public enum IndexOrder: Sendable {
        case coverage, recency, blindspots

        /// The stories this index lists, in its order: by coverage, most outlets first, then the
        /// most recently seen, then the lowest id; the others newest first (first seen, then id).
        /// Small keys are sorted and the summaries gathered once: sorting the summaries
        /// themselves moves and copies far more.
        public func arrange(_ summaries: [StorySummary]) -> [StorySummary] {
            switch self {
            case .coverage:
                let keys = summaries.indices.map { (summaries[$0].outletCount, summaries[$0].lastSeenAt, -summaries[$0].id, $0) }
                return keys.sorted { ($0.0, $0.1, $0.2) > ($1.0, $1.1, $1.2) }.map { summaries[$0.3] }
            case .recency, .blindspots:
                let chosen = self == .recency ? Array(summaries.indices) : summaries.indices.filter { summaries[$0].blindspot.missingSide != nil }
                let keys = chosen.map { (summaries[$0].firstSeenAt, summaries[$0].id, $0) }
                return keys.sorted { ($0.0, $0.1) > ($1.0, $1.1) }.map { summaries[$0.2] }
            }
        }

        var heading: String {
            switch self {
            case .coverage: "Stories by coverage"
            case .recency: "Newest stories"
            case .blindspots: "Blindspots"
            }
        }

        var fileStem: String {
            switch self {
            case .coverage: "index"
            case .recency: "recent"
            case .blindspots: "blindspots"
            }
        }
    }

    /// An index lists this many stories per page, so a change rewrites only the pages it reaches
    /// and a phone never loads ten thousand rows.
    public static let storiesPerIndexPage = 100

    /// Which page of which index: page 1 is `index.html` (`recent.html`, `blindspots.html`),
    /// page n is `index-n.html`.
    public struct PagePosition: Sendable {
        public var order: IndexOrder
        public var page: Int
        public var pageCount: Int
        /// Stories in the whole index, on every page.
        public var storyCount: Int

        public init(order: IndexOrder, page: Int, pageCount: Int, storyCount: Int) {
            self.order = order
            self.page = page
            self.pageCount = pageCount
            self.storyCount = storyCount
        }

        public func path(_ page: Int) -> String { page == 1 ? "\(order.fileStem).html" : "\(order.fileStem)-\(page).html" }
    }

    /// One page of an index: `rows` are that page's stories, already in the index's order.
    public static func index(_ rows: [StorySummary], at position: PagePosition, method: Method, generatedAt: Date, rows cache: StoryRows? = nil) -> String {
        let heading = position.order.heading
        var body = "<p class=\"meta\">Generated \(time(generatedAt)) · \(position.storyCount) stories"
        if position.pageCount > 1 {
            let first = (position.page - 1) * storiesPerIndexPage + 1
            body += " · \(first)–\(first + rows.count - 1) on page \(position.page) of \(position.pageCount)"
        }
        body += "</p>\n"
        if position.order == .blindspots {
            body += "<p>Stories one side barely covered. Rule: \(text(method.blindspot)).</p>\n"
        }
        body += storyTable(rows, root: "", cache: cache) + pager(position) + methodSection(method)
        let title = position.page == 1 ? heading : "\(heading), page \(position.page)"
        return page(title: title, root: "", body: body, heading: title)
    }

    static func pager(_ position: PagePosition) -> String {
        guard position.pageCount > 1 else { return "" }
        var links: [String] = []
        if position.page > 1 {
            links.append("<a href=\"\(position.path(1))\">First</a>")
            links.append("<a href=\"\(position.path(position.page - 1))\" rel=\"prev\">Previous</a>")
        }
        links.append("Page \(position.page) of \(position.pageCount)")
        if position.page < position.pageCount {
            links.append("<a href=\"\(position.path(position.page + 1))\" rel=\"next\">Next</a>")
            links.append("<a href=\"\(position.path(position.pageCount))\">Last</a>")
        }
        return "<nav aria-label=\"Pages\" class=\"pager\">" + links.joined(separator: " · ") + "</nav>\n"
    }

    /// One outlet: its ratings with their provenance, and the stories it covered, newest first.
    public static func outlet(
        key: String, name: String, bias: Bias, definition: Outlet?, stories: [StorySummary], method: Method, rows: StoryRows? = nil
    ) -> String {
        var body = "<p>Bias: <strong>\(bias.label)</strong>"
        if let outlet = definition {
            body += " · factuality: <strong>\(outlet.factuality.label)</strong> · ownership: \(text(outlet.ownership.rawValue))"
            if let owner = outlet.owner { body += " (\(text(owner)))" }
            if let country = outlet.country { body += " · country: \(text(country))" }
            body += "</p>\n<p>Domains: \(outlet.domains.map(text).joined(separator: ", "))</p>\n"
            if outlet.manualBias != nil || outlet.manualFactuality != nil {
                body += "<p>A value set by hand in the config overrides the raters.</p>\n"
            }
            body += "<h2>Ratings</h2>\n"
            if outlet.ratings.isEmpty {
                body += "<p>No rater's label is recorded for this outlet.</p>\n"
            } else {
                body += "<table><thead><tr><th scope=\"col\">Rater</th><th scope=\"col\">Label</th><th scope=\"col\">Bias</th>"
                    + "<th scope=\"col\">Factuality</th><th scope=\"col\">Date</th></tr></thead><tbody>\n"
                for rating in outlet.ratings {
                    let label = rating.url.map { link($0, rating.label ?? "source") } ?? text(rating.label ?? "")
                    body += "<tr><td>\(text(rating.rater))</td><td>\(label)</td><td>\(rating.bias?.label ?? "—")</td>"
                        + "<td>\(rating.factuality?.label ?? "—")</td><td>\(text(rating.date))</td></tr>\n"
                }
                body += "</tbody></table>\n"
            }
        } else {
            body += "</p>\n<p>This domain is not in the config, so its articles count as unrated.</p>\n"
        }
        body += "<h2>Stories</h2>\n" + storyTable(stories, root: "../", cache: rows) + methodSection(method)
        return page(title: name, root: "../", body: body)
    }

    // MARK: - Pieces

    /// Each story's table row, made once and shared by the index pages and every outlet page
    /// that lists the story (a story appears on about twenty pages).
    public final class StoryRows {
        private var rows: [String: String] = [:]

        public init() {}

        func row(_ summary: StorySummary, root: String) -> String {
            let key = root + String(summary.id)
            if let row = rows[key] { return row }
            let row = storyRow(summary, root: root)
            rows[key] = row
            return row
        }
    }

    static func storyTable(_ rows: [StorySummary], root: String, cache: StoryRows? = nil) -> String {
        guard !rows.isEmpty else { return "<p>No stories.</p>\n" }
        var html = "<table class=\"stories\"><thead><tr><th scope=\"col\">Story</th><th scope=\"col\">Outlets</th>"
            + "<th scope=\"col\">Bias of the outlets</th><th scope=\"col\">Blindspot</th><th scope=\"col\">First seen</th></tr></thead><tbody>\n"
        for row in rows { html += cache?.row(row, root: root) ?? storyRow(row, root: root) }
        return html + "</tbody></table>\n"
    }

    static func storyRow(_ row: StorySummary, root: String) -> String {
        let blindspot = row.blindspot.missingSide.map { "for the \($0.label)" } ?? (row.blindspot.smallSample ? "too few rated" : "—")
        return "<tr><td><a href=\"\(root)stories/\(row.id).html\">\(text(row.title))</a></td><td data-label=\"Outlets\">\(row.outletCount)</td>"
            + "<td>\(biasBar(row.distribution))</td><td data-label=\"Blindspot\">\(blindspot)</td><td data-label=\"First seen\">\(time(row.firstSeenAt))</td></tr>\n"
    }

    static let colors: [Bias: String] = [
        .left: "#1f4e9c", .leanLeft: "#5b8fd6", .center: "#7a7a7a", .leanRight: "#d66a5b", .right: "#9c1f1f", .unrated: "#d4d4d4",
    ]

    /// The outlets' bias as a bar of proportional segments; the text alternative gives the counts,
    /// so colour never carries the meaning alone.
    static func biasBar(_ distribution: BiasDistribution) -> String {
        let order = Bias.rated + [.unrated]
        let words = order.map { "\($0.label) \(distribution.count($0))" }.joined(separator: ", ")
        var svg = "<svg class=\"bias-bar\" viewBox=\"0 0 100 10\" preserveAspectRatio=\"none\" role=\"img\" aria-label=\"Outlets by bias: \(words)\">"
        svg += "<title>Outlets by bias: \(words)</title>"
        var x = 0.0
        let total = Double(distribution.total)
        for bias in order where distribution.count(bias) > 0 {
            let width = Double(distribution.count(bias)) / total * 100
            svg += "<rect x=\"\(number(x))\" y=\"0\" width=\"\(number(width))\" height=\"10\" fill=\"\(colors[bias]!)\"/>"
            x += width
        }
        return svg + "</svg>"
    }

    /// Articles per hour, stacked by side (Left at the bottom, then Center, Right, Unrated).
    static func timeline(_ buckets: [TimelineBucket]) -> String {
        guard let first = buckets.first else { return "<p>No articles.</p>" }
        let peak = max(1, buckets.map { $0.left + $0.center + $0.right + $0.unrated }.max() ?? 1)
        let busiest = buckets.max { ($0.left + $0.center + $0.right + $0.unrated) < ($1.left + $1.center + $1.right + $1.unrated) }!
        let label = "Articles per hour by side over \(buckets.count) hours from \(time(first.start)); "
            + "the busiest hour, \(time(busiest.start)), had \(peak) articles"
        let width = Double(buckets.count) * 10
        var svg = "<svg class=\"timeline\" viewBox=\"0 0 \(number(width)) 100\" preserveAspectRatio=\"none\" role=\"img\" aria-label=\"\(label)\"><title>\(label)</title>"
        for (index, bucket) in buckets.enumerated() {
            var y = 100.0
            let parts: [(Int, Bias)] = [(bucket.left, .left), (bucket.center, .center), (bucket.right, .right), (bucket.unrated, .unrated)]
            for (count, bias) in parts where count > 0 {
                let height = Double(count) / Double(peak) * 100
                y -= height
                svg += "<rect x=\"\(number(Double(index) * 10 + 1))\" y=\"\(number(y))\" width=\"8\" height=\"\(number(height))\" fill=\"\(colors[bias]!)\"/>"
            }
        }
        svg += "</svg>"
        let last = buckets.last!.start
        return svg + "<p class=\"legend\">\(time(first.start)) … \(time(last)) · <span class=\"swatch left\"></span>Left · <span class=\"swatch center\"></span>Center · "
            + "<span class=\"swatch right\"></span>Right · <span class=\"swatch unrated\"></span>Unrated, per hour (UTC)</p>"
    }

    static func distribution(_ title: String, _ rows: [(String, Int)]) -> String {
        var html = "<section><h3>\(text(title))</h3><ul>\n"
        for (label, count) in rows where count > 0 { html += "<li>\(text(label)): \(count)</li>\n" }
        return html + "</ul></section>\n"
    }

    static func blindspotParagraph(_ verdict: BlindspotVerdict) -> String {
        if verdict.smallSample {
            return "<p class=\"warning\"><strong>Small sample:</strong> \(text(verdict.explanation)).</p>\n"
        }
        let mark = verdict.missingSide == nil ? "No blindspot" : "Blindspot"
        return "<p class=\"verdict\"><strong>\(mark):</strong> \(text(verdict.explanation)).</p>\n"
    }

    static func methodSection(_ method: Method, extra: [String] = []) -> String {
        "<h2>Method</h2>\n<ul class=\"method\">\n" + (method.lines + extra).map { "<li>\(text($0))</li>\n" }.joined() + "</ul>\n"
    }

    static func outletLink(_ key: String, _ name: String) -> String {
        "<a href=\"../\(FileName.outletPage(key))\">\(text(name))</a>"
    }

    /// A link when the URL is http(s), else the text alone: no `javascript:` or `data:` link can come out.
    static func link(_ url: String, _ title: String) -> String {
        guard let target = href(url) else { return text(title) }
        return "<a href=\"\(target)\" rel=\"noopener noreferrer\">\(text(title))</a>"
    }

    static func href(_ url: String) -> String? {
        guard MarkdownReport.isHTTP(url) else { return nil }
        // No space or control character (a scalar at or below U+0020 is one byte in UTF-8).
        guard url.utf8.allSatisfy({ $0 > 0x20 && $0 != 0x7F }) else { return nil }
        return attribute(url)
    }

    /// Text content: the five markup characters become entities and control characters visible.
    /// Scalars, not characters: a quote followed by a combining mark is one character but still
    /// ends an attribute.
    public static func text(_ value: String) -> String {
        let clean = TerminalText.sanitize(value)
        guard clean.utf8.contains(where: { $0 == 0x26 || $0 == 0x3C || $0 == 0x3E || $0 == 0x22 || $0 == 0x27 }) else { return clean }
        // By bytes: the five are ASCII, and no byte of a longer UTF-8 sequence is below 0x80.
        var output: [UInt8] = []
        output.reserveCapacity(clean.utf8.count + 16)
        for byte in clean.utf8 {
            switch byte {
            case 0x26: output.append(contentsOf: "&amp;".utf8)
            case 0x3C: output.append(contentsOf: "&lt;".utf8)
            case 0x3E: output.append(contentsOf: "&gt;".utf8)
            case 0x22: output.append(contentsOf: "&quot;".utf8)
            case 0x27: output.append(contentsOf: "&#39;".utf8)
            default: output.append(byte)
            }
        }
        return String(decoding: output, as: UTF8.self)
    }

    static func attribute(_ value: String) -> String { text(value) }

    static func page(title: String, root: String, body: String, heading: String? = nil) -> String {
        """
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>\(text(title)) · Parallax</title>
        <style>\(css)</style>
        </head>
        <body>
        <a class="skip" href="#main">Skip to the content</a>
        <nav aria-label="Site"><a href="\(root)index.html">By coverage</a> · <a href="\(root)recent.html">Newest</a> · <a href="\(root)blindspots.html">Blindspots</a> · <a href="\(root)stories.csv">CSV</a> · <a href="\(root)stories.atom">Atom feed</a></nav>
        <main id="main">
        <h1>\(text(heading ?? title))</h1>
        \(body)</main>
        </body>
        </html>

        """
    }

    static let css = """
        body{font-family:system-ui,sans-serif;line-height:1.5;color:#1a1a1a;background:#fff;margin:0 auto;max-width:64rem;padding:0 1rem}\
        a{color:#0645ad}a:visited{color:#5a2a82}nav{padding:.75rem 0;border-bottom:1px solid #ccc}\
        .skip{position:absolute;left:-999px}.skip:focus{left:1rem;top:1rem;background:#fff;padding:.25rem}\
        .meta,small{color:#4a4a4a}table{border-collapse:collapse;width:100%;margin:.5rem 0}\
        th,td{text-align:left;padding:.3rem .4rem;border-bottom:1px solid #ddd;vertical-align:top}\
        .bias-bar{width:100%;min-width:6rem;height:1rem;display:block}.timeline{width:100%;height:6rem;display:block;border-bottom:1px solid #999}\
        .columns{display:grid;grid-template-columns:repeat(auto-fit,minmax(14rem,1fr));gap:1rem}\
        .swatch{display:inline-block;width:.8em;height:.8em;margin-right:.3em;border:1px solid #555}\
        .swatch.left{background:#1f4e9c}.swatch.lean-left{background:#5b8fd6}.swatch.center{background:#7a7a7a}\
        .swatch.lean-right{background:#d66a5b}.swatch.right{background:#9c1f1f}.swatch.unrated{background:#d4d4d4}\
        .brief{border-left:4px solid #444;padding:0 0 0 .75rem;margin:1rem 0}.brief .lead{font-size:1.15rem}.note{color:#4a4a4a;font-size:.9rem}\
        .brief figure{margin:.5rem 0}.brief img{max-width:100%;height:auto;display:block}q{quotes:"“" "”"}ul.points li{margin:.3rem 0}\
        .related .bias-bar{max-width:12rem}\
        .warning{background:#fff4d6;padding:.5rem;border-left:4px solid #8a6d00}.verdict{background:#eef3fb;padding:.5rem;border-left:4px solid #1f4e9c}\
        @media (max-width:40rem){table:not(.stories){display:block;overflow-x:auto}table.stories thead{display:none}table.stories tr{display:block;border-bottom:1px solid #ccc;padding:.4rem 0}\
        table.stories td{display:block;border:0;padding:.1rem 0}table.stories td[data-label]::before{content:attr(data-label) ": ";font-weight:600}}
        """

    static func time(_ date: Date) -> String { TerminalReport.shortDate(date) + " UTC" }

    static func percent(_ share: Double) -> String { UTCTime.decimal(share * 100, places: 1) + " %" }

    static func number(_ value: Double) -> String { UTCTime.decimal(value, places: 2) }

    static func duration(_ seconds: TimeInterval) -> String {
        let minutes = Int((seconds / 60).rounded())
        if minutes < 60 { return "\(minutes) min" }
        return "\(minutes / 60) h \(minutes % 60) min"
    }
}
