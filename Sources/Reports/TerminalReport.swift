import Coverage
import Foundation
import Outlets

/// Plain-text rendering for the terminal: a stories table and one story's report.
/// Colour is the caller's choice (only on a TTY, never with NO_COLOR).
public struct TerminalReport: Sendable {
    public var width: Int
    public var color: Bool

    public init(width: Int = 100, color: Bool = false) {
        self.width = max(60, width)
        self.color = color
    }

    static let barWidth = 20

    public func storiesTable(_ coverages: [Coverage]) -> String {
        guard !coverages.isEmpty else { return "No stories yet: run `parallax run` first.\n" }
        let header = "   ID  Outlets  Arts  \("Bias: L l C r R ·".padding(toLength: Self.barWidth, withPad: " ", startingAt: 0))  B  First seen        Story"
        var lines = [String(header.prefix(width))]
        let titleWidth = max(10, width - 45 - Self.barWidth)
        for coverage in coverages {
            let mark = coverage.blindspot.missingSide.map { $0 == .left ? "◐L" : "◐R" } ?? (coverage.blindspot.smallSample ? " ·" : "  ")
            let row = String(format: "%5lld  %7d  %4d  ", coverage.story.id, coverage.outletCount, coverage.articleCount)
                + bar(coverage.biasByOutlet) + " \(mark)  " + Self.shortDate(coverage.story.firstSeenAt) + "  "
                + String(TerminalText.sanitize(coverage.story.title).prefix(titleWidth))
            lines.append(row)
        }
        lines.append("")
        lines.append("B: ◐L blindspot for the Left, ◐R for the Right, · too few rated outlets for a verdict")
        return lines.joined(separator: "\n") + "\n"
    }

    public func story(_ coverage: Coverage, method: Method) -> String {
        let story = coverage.story
        var lines: [String] = []
        lines.append(bold("Story \(story.id): \(TerminalText.sanitize(story.title))"))
        lines.append("First seen \(Self.shortDate(story.firstSeenAt)) UTC, last \(Self.shortDate(story.lastSeenAt)) UTC")
        lines.append(
            "\(coverage.articleCount) articles (\(coverage.uniqueArticleCount) unique texts) from \(coverage.outletCount) outlets, "
                + "\(coverage.ratedOutletCount) of them rated")
        lines.append("")
        lines.append("Bias of the outlets:  " + bar(coverage.biasByOutlet))
        for bias in Bias.allCases {
            let count = coverage.biasByOutlet.count(bias)
            lines.append(
                "  \(bias.label.padding(toLength: 11, withPad: " ", startingAt: 0)) \(String(format: "%3d", count)) outlets  "
                    + "\(Self.percent(coverage.biasByOutlet.share(bias)))   \(String(format: "%3d", coverage.biasByArticle.count(bias))) articles")
        }
        lines.append("Blindspot: \(coverage.blindspot.explanation)")
        if let first = coverage.firstReporter {
            lines.append("First reported by \(TerminalText.sanitize(first.name)) (\(first.bias.label)) at \(Self.shortDate(first.firstArticleAt)) UTC")
        }
        let firsts = Side.allCases.map { side in
            "\(side.label): " + (coverage.firstReporterBySide[side].map { "\(TerminalText.sanitize($0.name)) \(Self.shortDate($0.firstArticleAt))" } ?? "none")
        }
        lines.append("First per side: " + firsts.joined(separator: " · "))
        if let seconds = coverage.secondsToReachOtherSide {
            lines.append("Reached the other side after \(HTMLReport.duration(seconds))")
        }
        lines.append("")
        lines.append(bold("Headlines by side"))
        for (side, label) in [(Side.left, "Left"), (.center, "Center"), (.right, "Right"), (nil, "Unrated")] as [(Side?, String)] {
            for headline in coverage.headlines[side] {
                let line = "  \(label.padding(toLength: 7, withPad: " ", startingAt: 0)) \(TerminalText.sanitize(headline.outletName)): \(TerminalText.sanitize(headline.title))"
                lines.append(String(line.prefix(width)))
            }
        }
        lines.append("")
        lines.append(bold("Articles"))
        for article in coverage.articles {
            let outlet = coverage.outlets.first { $0.key == (article.outletID ?? article.domain) }
            let side = outlet.map { "[\($0.bias.label)]" } ?? "[Unrated]"
            lines.append(
                "  \(Self.shortDate(article.time))  \(TerminalText.sanitize(outlet?.name ?? article.domain)) \(side)")
            lines.append("      \(TerminalText.sanitize(article.title))")
            lines.append("      \(TerminalText.sanitize(article.url))")
        }
        lines.append("")
        lines.append(bold("Method"))
        lines.append(contentsOf: (method.lines + MarkdownReport.correctionLines(coverage)).map { "  " + $0 })
        return lines.joined(separator: "\n") + "\n"
    }

    /// A fixed-width bar of the outlets' bias, left to right, unrated last.
    func bar(_ distribution: BiasDistribution) -> String {
        let total = distribution.total
        guard total > 0 else { return String(repeating: " ", count: Self.barWidth) }
        // Largest-remainder rounding so the segments always fill the bar exactly.
        let order = Bias.rated + [.unrated]
        let exact = order.map { Double(distribution.count($0)) / Double(total) * Double(Self.barWidth) }
        var cells = exact.map { Int($0) }
        let remainders = exact.enumerated().map { ($0.offset, $0.element - Double(cells[$0.offset])) }.sorted { $0.1 > $1.1 }
        for (index, _) in remainders.prefix(Self.barWidth - cells.reduce(0, +)) { cells[index] += 1 }
        var output = ""
        for (bias, count) in zip(order, cells) where count > 0 {
            output += paint(String(repeating: Self.symbol(bias), count: count), bias)
        }
        return output
    }

    static func symbol(_ bias: Bias) -> String {
        switch bias {
        case .left: "L"
        case .leanLeft: "l"
        case .center: "C"
        case .leanRight: "r"
        case .right: "R"
        case .unrated: "·"
        }
    }

    private func paint(_ text: String, _ bias: Bias) -> String {
        guard color else { return text }
        let code = switch bias {
        case .left: "44;97"
        case .leanLeft: "104;30"
        case .center: "47;30"
        case .leanRight: "101;30"
        case .right: "41;97"
        case .unrated: "2"
        }
        return "\u{1B}[\(code)m\(text)\u{1B}[0m"
    }

    private func bold(_ text: String) -> String { color ? "\u{1B}[1m\(text)\u{1B}[0m" : text }

    static func shortDate(_ date: Date) -> String { UTCTime.minute(date) }

    static func percent(_ share: Double) -> String { String(format: "%5.1f %%", share * 100) }
}

/// Feed text is untrusted: before it reaches a terminal, control characters (ESC sequences
/// that could clear the screen or rewrite the title bar among them) become visible as text.
public enum TerminalText {
    public static func sanitize(_ text: String) -> String {
        // Most text has no control character (nor a C1 one, U+0080…U+009F, whose UTF-8 starts
        // with 0xC2) and is returned as it is.
        if text.utf8.allSatisfy({ $0 >= 0x20 && $0 != 0x7F && $0 != 0xC2 }) { return text }
        var output = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            switch scalar.value {
            case 0x09, 0x0A, 0x0D: output.append(" ")
            case 0x00...0x1F: output.append(contentsOf: "^\(Character(Unicode.Scalar(scalar.value + 0x40)!))".unicodeScalars)
            case 0x7F, 0x80...0x9F: output.append("\u{FFFD}")
            default: output.append(scalar)
            }
        }
        return String(output)
    }
}
