import Coverage
import Foundation
import Outlets
import Stories

/// Parallax's stories against the gold stories, in the numbers a user reads: how pure the
/// biggest stories are, how far their outlet counts and bias shares are from the truth, whether
/// their titles belong to them, how whole the big gold stories stay, and whether the blindspot
/// verdicts agree with the verdicts on gold coverage.
public struct CoverageComparison: Sendable, Codable {
    /// Below this purity a story counts as mixed.
    public static let purityFloor = 0.8
    /// Gold stories with at least this many outlets are checked for being kept whole.
    public static let largeGoldOutlets = 10

    /// The top stories by one ranking.
    public struct TopStories: Sendable, Codable {
        /// "outlets" or "articles".
        public var ranking: String
        public var size: Int
        public var stories: Int
        public var meanPurity: Double
        public var worstPurity: Double
        public var belowPurityFloor: Int
        /// Mean of |outlets − gold outlets| / gold outlets.
        public var meanOutletCountError: Double
        /// Mean of Σ |share − gold share| over the six by-outlet bias shares (unrated included).
        public var meanBiasShareL1: Double
        public var titlesFromMajority: Int
    }

    public struct LargeGoldStories: Sendable, Codable {
        public var minimumOutlets: Int
        public var count: Int
        /// Share of a gold story's articles that its largest Parallax story holds.
        public var meanShareInLargest: Double
        public var worstShareInLargest: Double
        public var keptAtLeast85Percent: Int
    }

    public struct BlindspotAgreement: Sendable, Codable {
        public var parallaxBlindspots: Int
        public var goldBlindspots: Int
        /// Parallax blindspots whose majority gold story has the same verdict.
        public var confirmed: Int
        /// Gold blindspots whose largest Parallax story has the same verdict.
        public var found: Int
        public var precision: Double?
        public var recall: Double?
    }

    /// One story beside its gold story.
    public struct StoryRow: Sendable, Codable {
        public var id: Int64
        public var title: String
        public var articles: Int
        public var outlets: Int
        public var goldStory: String
        public var goldArticles: Int
        public var goldOutlets: Int
        public var purity: Double
        public var biasShareL1: Double
        public var titleFromMajority: Bool
    }

    public var stories: Int
    public var goldStories: Int
    public var articles: Int
    public var bcubed: BCubed

    public struct BCubed: Sendable, Codable {
        public var precision: Double
        public var recall: Double
        public var f1: Double
    }
    public var top: [TopStories]
    public var largeGold: LargeGoldStories
    public var blindspots: BlindspotAgreement
    /// The 20 stories with the most outlets, for a reader to look at.
    public var topByOutlets: [StoryRow]

    /// - Parameters:
    ///   - stories: Parallax's stories, tallied.
    ///   - gold: canonical URL → gold story, for every article of `stories`.
    public init(stories: [Coverage], gold: [String: String], registry: OutletRegistry, rule: BlindspotRule) {
        var goldArticles: [String: [Article]] = [:]
        var predicted: [String: String] = [:]
        // gold story → Parallax story → articles in both.
        var overlap: [String: [Int64: Int]] = [:]
        for story in stories {
            for article in story.articles {
                guard let label = gold[article.canonicalURL] else { continue }
                goldArticles[label, default: []].append(article)
                predicted[article.canonicalURL] = String(story.story.id)
                overlap[label, default: [:]][story.story.id, default: 0] += 1
            }
        }
        let goldCoverage = goldArticles.mapValues { articles in
            let times = articles.map(\.time)
            let story = Story(id: 0, title: "", firstSeenAt: times.min()!, lastSeenAt: times.max()!, articleCount: articles.count)
            return CoverageTally.tally(story: story, articles: articles, registry: registry, rule: rule)
        }

        var rows: [StoryRow] = []
        var blindspots = BlindspotAgreement(parallaxBlindspots: 0, goldBlindspots: 0, confirmed: 0, found: 0, precision: nil, recall: nil)
        for story in stories {
            var counts: [String: Int] = [:]
            for article in story.articles { if let label = gold[article.canonicalURL] { counts[label, default: 0] += 1 } }
            // Ties go to the smaller label, so the result never depends on dictionary order.
            guard let majority = counts.max(by: { ($0.value, $1.key) < ($1.value, $0.key) }), let truth = goldCoverage[majority.key] else { continue }
            let title = story.story.title
            let fromMajority = story.articles.contains { $0.title == title && gold[$0.canonicalURL] == majority.key }
            let l1 = Bias.allCases.reduce(0.0) { $0 + abs(story.biasByOutlet.share($1) - truth.biasByOutlet.share($1)) }
            rows.append(StoryRow(
                id: story.story.id, title: title, articles: story.articleCount, outlets: story.outletCount, goldStory: majority.key,
                goldArticles: truth.articleCount, goldOutlets: truth.outletCount,
                purity: Double(majority.value) / Double(story.articleCount), biasShareL1: l1, titleFromMajority: fromMajority))
            if let side = story.blindspot.missingSide {
                blindspots.parallaxBlindspots += 1
                if truth.blindspot.missingSide == side { blindspots.confirmed += 1 }
            }
        }
        let verdicts = Dictionary(stories.map { ($0.story.id, $0.blindspot.missingSide) }, uniquingKeysWith: { first, _ in first })
        var shares: [Double] = []
        // In label order, so that the sums come out the same to the last digit in every process.
        for (label, truth) in goldCoverage.sorted(by: { $0.key < $1.key }) {
            let largest = overlap[label]!.max { ($0.value, $1.key) < ($1.value, $0.key) }!
            if let side = truth.blindspot.missingSide {
                blindspots.goldBlindspots += 1
                if verdicts[largest.key] == side { blindspots.found += 1 }
            }
            if truth.outletCount >= Self.largeGoldOutlets { shares.append(Double(largest.value) / Double(truth.articleCount)) }
        }

        let byOutlets = rows.sorted { ($1.outlets, $1.articles, $0.id) < ($0.outlets, $0.articles, $1.id) }
        let byArticles = rows.sorted { ($1.articles, $1.outlets, $0.id) < ($0.articles, $0.outlets, $1.id) }
        self.stories = stories.count
        goldStories = goldCoverage.count
        articles = predicted.count
        let score = BCubedScore.score(gold: gold.filter { predicted[$0.key] != nil }, predicted: predicted)
        bcubed = BCubed(precision: score.precision, recall: score.recall, f1: score.f1)
        top = [("outlets", byOutlets), ("articles", byArticles)].flatMap { ranking, sorted in
            [20, 50].map { Self.summary(of: Array(sorted.prefix($0)), ranking: ranking, size: $0) }
        }
        largeGold = LargeGoldStories(
            minimumOutlets: Self.largeGoldOutlets, count: shares.count, meanShareInLargest: Self.mean(shares),
            worstShareInLargest: shares.min() ?? 0, keptAtLeast85Percent: shares.filter { $0 >= 0.85 }.count)
        if blindspots.parallaxBlindspots > 0 { blindspots.precision = Double(blindspots.confirmed) / Double(blindspots.parallaxBlindspots) }
        if blindspots.goldBlindspots > 0 { blindspots.recall = Double(blindspots.found) / Double(blindspots.goldBlindspots) }
        self.blindspots = blindspots
        topByOutlets = Array(byOutlets.prefix(20))
    }

    static func summary(of rows: [StoryRow], ranking: String, size: Int) -> TopStories {
        TopStories(
            ranking: ranking, size: size, stories: rows.count, meanPurity: mean(rows.map(\.purity)),
            worstPurity: rows.map(\.purity).min() ?? 0, belowPurityFloor: rows.filter { $0.purity < purityFloor }.count,
            meanOutletCountError: mean(rows.map { Double(abs($0.outlets - $0.goldOutlets)) / Double($0.goldOutlets) }),
            meanBiasShareL1: mean(rows.map(\.biasShareL1)), titlesFromMajority: rows.filter(\.titleFromMajority).count)
    }

    static func mean(_ values: [Double]) -> Double { values.isEmpty ? 0 : values.reduce(0, +) / Double(values.count) }
}
