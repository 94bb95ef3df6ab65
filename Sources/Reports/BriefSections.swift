import Brief
import Coverage
import Foundation
import Outlets

/// The brief, perspectives, picture and related stories as each renderer lays them out. The
/// choosing happens in `Brief`; here every quote is only escaped and linked to its article.
enum BriefSections {
    static func languageNote(_ brief: StoryBrief) -> String? {
        guard brief.isMixedLanguage, let language = brief.language else { return nil }
        let counts = brief.languageCounts.sorted { ($1.value, $0.key) < ($0.value, $1.key) }
            .map { "\($0.value) in \($0.key.isEmpty ? "an unknown language" : $0.key)" }.joined(separator: ", ")
        return "Quoted from the articles in \(language), the language most of them use (\(counts))."
    }

    static func words(_ perspective: Perspective) -> String {
        if perspective.tooLittleText { return "too little text to compare its words" }
        if perspective.words.isEmpty { return "no word stands out (none with z ≥ \(FightinWords.threshold))" }
        return perspective.words.map { "\($0.word) (z \(UTCTime.decimal($0.z, places: 1)))" }.joined(separator: ", ")
    }

    // MARK: Terminal

    static func terminal(_ brief: StoryBrief, width: Int, clean: (String) -> String, bar: ([Bias: Int]) -> String) -> [String] {
        func attributed(_ quote: Quote) -> String { "“\(clean(quote.text))” — \(clean(quote.outletName)) [\(quote.bias.label)]" }
        var lines: [String] = []
        guard !brief.lead.isEmpty else { return ["In brief: no sentence of this story's feeds can be quoted (headlines only)", ""] }
        lines.append("In brief (every sentence quoted from an article of the story)")
        if let note = languageNote(brief) { lines.append("  " + note) }
        for quote in brief.lead { lines.append("  " + attributed(quote)) }
        for quote in brief.points { lines.append("  • " + attributed(quote)) }
        lines.append("")
        if !brief.perspectives.isEmpty {
            lines.append("How each side tells it")
            for perspective in brief.perspectives {
                let label = perspective.side.label.padding(toLength: 7, withPad: " ", startingAt: 0)
                if let headline = perspective.headline { lines.append("  \(label) headline: \(attributed(headline))") }
                if let sentence = perspective.sentence { lines.append("          sentence: \(attributed(sentence))") }
                lines.append("          words: \(words(perspective))")
            }
            lines.append("")
        }
        if !brief.related.isEmpty {
            lines.append("Related stories")
            for related in brief.related {
                let line = "  \(String(format: "%5lld", related.id))  \(TerminalReport.shortDate(related.firstSeenAt))  "
                    + "\(String(format: "%3d", related.outletCount)) outlets  \(bar(related.biasByOutlet))  score \(UTCTime.decimal(related.score, places: 2))  "
                    + clean(related.title)
                lines.append(String(line.prefix(width)))
            }
            lines.append("")
        }
        return lines
    }

    // MARK: Markdown

    static func markdown(_ brief: StoryBrief, escape: (String) -> String, link: (String) -> String, bar: ([Bias: Int]) -> String) -> [String] {
        func attributed(_ quote: Quote) -> String { "“\(escape(quote.text))” — [\(escape(quote.outletName))](\(link(quote.url))) (\(quote.bias.label))" }
        var lines = ["## In brief", ""]
        guard !brief.lead.isEmpty else { return lines + ["No sentence of this story's feeds can be quoted (headlines only).", ""] }
        lines.append("Every sentence below is quoted from an article of the story; none is written by Parallax.")
        lines.append("")
        if let note = languageNote(brief) { lines.append(contentsOf: [escape(note), ""]) }
        lines.append(brief.lead.map(attributed).joined(separator: " "))
        lines.append("")
        for quote in brief.points { lines.append("- " + attributed(quote)) }
        lines.append("")
        if !brief.perspectives.isEmpty {
            lines.append(contentsOf: ["## How each side tells it", ""])
            for perspective in brief.perspectives {
                lines.append("**\(perspective.side.label)**")
                lines.append("")
                if let headline = perspective.headline { lines.append("- Headline: " + attributed(headline)) }
                if let sentence = perspective.sentence { lines.append("- Sentence: " + attributed(sentence)) }
                lines.append("- Words: " + escape(words(perspective)))
                lines.append("")
            }
        }
        return lines
    }

    static func markdownRelated(_ brief: StoryBrief, escape: (String) -> String, bar: ([Bias: Int]) -> String) -> [String] {
        guard !brief.related.isEmpty else { return [] }
        var lines = ["## Related stories", ""]
        for related in brief.related {
            lines.append(
                "- [\(escape(related.title))](\(related.id).md) · first seen \(TerminalReport.shortDate(related.firstSeenAt)) UTC · "
                    + "\(related.outletCount) outlets · `\(bar(related.biasByOutlet))` · score \(UTCTime.decimal(related.score, places: 2))")
        }
        lines.append("")
        return lines
    }

    // MARK: HTML

    static func htmlQuote(_ quote: Quote) -> String {
        let cut = quote.isCut ? " <small>(cut by the feed)</small>" : ""
        return "<q>\(HTMLReport.text(quote.text))</q>\(cut) <small>— \(HTMLReport.link(quote.url, quote.outletName)) · \(quote.bias.label)</small>"
    }

    static func html(_ brief: StoryBrief, remoteImages: Bool) -> String {
        var html = "<section class=\"brief\" aria-labelledby=\"brief-heading\">\n<h2 id=\"brief-heading\">In brief</h2>\n"
        if remoteImages, let image = brief.image, let source = HTMLReport.href(image.url) {
            html += "<figure><img src=\"\(source)\" alt=\"Picture carried by \(HTMLReport.text(image.outletName))\" loading=\"lazy\" "
                + "referrerpolicy=\"no-referrer\" decoding=\"async\"><figcaption>Picture: \(HTMLReport.link(image.articleURL, image.outletName))"
                + (image.outletCount > 1 ? ", carried by \(image.outletCount) outlets" : "") + "</figcaption></figure>\n"
        }
        guard !brief.lead.isEmpty else { return html + "<p>No sentence of this story's feeds can be quoted (headlines only).</p>\n</section>\n" }
        html += "<p class=\"note\">Every sentence here is quoted from an article of the story; none is written by Parallax.</p>\n"
        if let note = languageNote(brief) { html += "<p class=\"note\">\(HTMLReport.text(note))</p>\n" }
        html += "<p class=\"lead\">" + brief.lead.map(htmlQuote).joined(separator: " ") + "</p>\n"
        if !brief.points.isEmpty {
            html += "<ul class=\"points\">\n" + brief.points.map { "<li>\(htmlQuote($0))</li>\n" }.joined() + "</ul>\n"
        }
        if !brief.perspectives.isEmpty {
            html += "<h2>How each side tells it</h2>\n<div class=\"columns\">\n"
            for perspective in brief.perspectives {
                html += "<section><h3>\(perspective.side.label)</h3>\n"
                if let headline = perspective.headline { html += "<p><strong>\(HTMLReport.link(headline.url, headline.text))</strong> <small>— \(HTMLReport.text(headline.outletName))</small></p>\n" }
                if let sentence = perspective.sentence { html += "<p>\(htmlQuote(sentence))</p>\n" }
                html += "<p><small>Words: \(HTMLReport.text(words(perspective)))</small></p>\n</section>\n"
            }
            html += "</div>\n"
        }
        return html + "</section>\n"
    }

    static func htmlRelated(_ brief: StoryBrief) -> String {
        guard !brief.related.isEmpty else { return "" }
        var html = "<h2>Related stories</h2>\n<ul class=\"related\">\n"
        for related in brief.related {
            html += "<li><a href=\"\(related.id).html\">\(HTMLReport.text(related.title))</a><br><small>first seen \(HTMLReport.time(related.firstSeenAt)) · "
                + "\(related.outletCount) outlets · score \(UTCTime.decimal(related.score, places: 2))</small>"
                + HTMLReport.biasBar(BiasDistribution(counts: related.biasByOutlet)) + "</li>\n"
        }
        return html + "</ul>\n"
    }

    // MARK: JSON

    struct QuoteJSON: Codable {
        var text: String
        var url: String
        var outlet: String
        var cut: Bool?

        init(_ quote: Quote) {
            text = quote.text
            url = quote.url
            outlet = quote.outletKey
            cut = quote.isCut ? true : nil
        }
    }

    struct BriefJSON: Codable {
        var lead: [QuoteJSON]
        var points: [QuoteJSON]
        var language: String?
        var languageCounts: [String: Int]?
    }

    struct WordJSON: Codable {
        var word: String
        var z: Double
    }

    struct PerspectiveJSON: Codable {
        var side: String
        var headline: QuoteJSON?
        var sentence: QuoteJSON?
        var words: [WordJSON]
        var tooLittleText: Bool
    }

    struct RelatedJSON: Codable {
        var id: Int64
        var title: String
        var score: Double
        var firstSeenAt: Date
        var outletCount: Int
    }

    struct ImageJSON: Codable {
        var url: String
        var articleURL: String
        var outlet: String
    }

    static func json(_ brief: StoryBrief) -> (BriefJSON, [PerspectiveJSON], [RelatedJSON], ImageJSON?) {
        (
            BriefJSON(
                lead: brief.lead.map(QuoteJSON.init), points: brief.points.map(QuoteJSON.init), language: brief.language,
                languageCounts: brief.isMixedLanguage ? brief.languageCounts : nil),
            brief.perspectives.map {
                PerspectiveJSON(
                    side: $0.side.rawValue, headline: $0.headline.map(QuoteJSON.init), sentence: $0.sentence.map(QuoteJSON.init),
                    words: $0.words.map { WordJSON(word: $0.word, z: ($0.z * 1000).rounded() / 1000) }, tooLittleText: $0.tooLittleText)
            },
            brief.related.map { RelatedJSON(id: $0.id, title: $0.title, score: $0.score, firstSeenAt: $0.firstSeenAt, outletCount: $0.outletCount) },
            brief.image.map { ImageJSON(url: $0.url, articleURL: $0.articleURL, outlet: $0.outletKey) }
        )
    }
}
