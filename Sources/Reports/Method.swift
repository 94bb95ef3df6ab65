import Brief
import Coverage
import Foundation
import Outlets

/// How the numbers of a report were made, printed beside them (DESIGN §4).
public struct Method: Sendable, Codable, Equatable {
    public struct RaterSnapshot: Sendable, Codable, Equatable {
        public var rater: String
        /// The dates of the ratings used, oldest to newest.
        public var dates: [String]
        public var outletCount: Int
    }

    public var raters: [RaterSnapshot]
    public var outletCount: Int
    public var unratedOutletCount: Int
    public var biasRule: String
    public var factualityRule: String
    public var clustering: String
    public var blindspot: String
    /// How the brief, the perspectives and the related stories were chosen.
    public var brief: String
    public var perspectives: String
    public var related: String
    /// False when the config turns remote images off: story pages then show no picture.
    public var remoteImages: Bool

    public init(outlets: [Outlet], clustering: String, blindspot: BlindspotRule, rule: RatingRule = .mean, remoteImages: Bool = true) {
        var byRater: [String: (dates: Set<String>, outlets: Int)] = [:]
        for outlet in outlets {
            for rater in Set(outlet.ratings.map(\.rater)) { byRater[rater, default: ([], 0)].outlets += 1 }
            for rating in outlet.ratings { byRater[rating.rater, default: ([], 0)].dates.insert(rating.date) }
        }
        raters = byRater.keys.sorted().map { name in
            RaterSnapshot(rater: name, dates: byRater[name]!.dates.sorted(), outletCount: byRater[name]!.outlets)
        }
        outletCount = outlets.count
        unratedOutletCount = outlets.filter { $0.bias == .unrated }.count
        biasRule = rule.biasDescription
        factualityRule = rule.factualityDescription
        self.clustering = clustering
        self.blindspot = blindspot.summary
        brief = Self.briefDescription
        perspectives = Self.perspectivesDescription
        related = Self.relatedDescription
        self.remoteImages = remoteImages
    }

    static let briefDescription = "\(BriefBuilder.version): every sentence is quoted verbatim from an article of the story (headline, "
        + "description or full content), never written by Parallax; boilerplate (\"The post … appeared first on\", \"Read more\", "
        + "cookie notices, lone bylines and datelines, sentences an outlet repeats across stories) is left out; in the language of "
        + "most articles; sentences ranked by LexRank (cosine of TF-IDF terms, damping 0.85) with a sentence several outlets "
        + "carry counted once per outlet, raised 10 % per fact (number, name, quote) several outlets repeat, halved when the feed cut it; "
        + "lead = the best (plus the next sentence when both are short); up to \(BriefBuilder.maximumPoints) points by MMR "
        + "(λ = \(BriefBuilder.lambda)) preferring new outlets and sides, no two above cosine \(BriefBuilder.maximumSimilarity)"
    static let perspectivesDescription = "Left = Left + Lean Left, Right = Lean Right + Right; each side's headline closest to "
        + "all headlines and its best-ranked sentence; words by the weighted log-odds ratio with an informative Dirichlet prior "
        + "(Monroe, Colaresi & Quinn 2008) over the words of the headlines and of the sentences the brief reads (no boilerplate), "
        + "the prior being the story's own word counts (α₀ = its word count), side against the "
        + "rest of the story; a word is shown when z ≥ \(FightinWords.threshold); a side with fewer than 2 articles or "
        + "\(BriefBuilder.minimumSideWords) words (or a rest that small) has too little text"
    static let relatedDescription = "\(RelatedStories.version): stories sharing names, acronyms and numbers (Latin script, years "
        + "excepted) of their headlines and descriptions, scored by the cosine of those anchors weighted by log(stories / "
        + "stories naming it) + 1; score ≥ \(RelatedStories.minimumScore), ≥ 2 shared anchors (3 across languages), first seen "
        + "within \(Int(RelatedStories.maximumDays)) days; at most \(RelatedStories.maximumCount), best first"

    /// Lines of plain text, shared by the Markdown and terminal renderers.
    public var lines: [String] {
        var lines = raters.map { rater in
            let dates = rater.dates.count == 1 ? rater.dates[0] : "\(rater.dates.first ?? "")…\(rater.dates.last ?? "")"
            return "Ratings: \(rater.rater) (\(dates)), \(rater.outletCount) outlets"
        }
        if raters.isEmpty { lines.append("Ratings: none configured") }
        lines.append("Configured outlets: \(outletCount), of which \(unratedOutletCount) unrated; outlets not in the config count as unrated")
        lines.append("Outlet bias: \(biasRule)")
        lines.append("Outlet factuality: \(factualityRule)")
        lines.append("Clustering: \(clustering)")
        lines.append("Blindspot: \(blindspot)")
        lines.append("Brief: \(brief)")
        lines.append("Perspectives: \(perspectives)")
        lines.append("Related stories: \(related)")
        if !remoteImages { lines.append("Pictures: remote images are turned off in the config") }
        return lines
    }
}
