import Foundation
import Outlets
import Stories

/// The blindspot rule of the published method (DESIGN §4), with its thresholds.
public struct BlindspotRule: Sendable, Codable, Equatable {
    /// Below this many rated outlets no verdict is given, only a small-sample warning.
    public var minimumRatedOutlets: Int = 6
    /// A side holding at most this share of the rated outlets is "missing"…
    public var minorityMaximumShare: Double = 0.2
    /// …provided the other side holds at least this share.
    public var majorityMinimumShare: Double = 0.5

    public init(minimumRatedOutlets: Int = 6, minorityMaximumShare: Double = 0.2, majorityMinimumShare: Double = 0.5) {
        self.minimumRatedOutlets = minimumRatedOutlets
        self.minorityMaximumShare = minorityMaximumShare
        self.majorityMinimumShare = majorityMinimumShare
    }

    public static let version = "blindspot-1"

    public var summary: String {
        "\(Self.version): with ≥ \(minimumRatedOutlets) rated outlets, a side (Left+Lean Left or Right+Lean Right) "
            + "with ≤ \(Int(minorityMaximumShare * 100)) % of them while the other has ≥ \(Int(majorityMinimumShare * 100)) %"
    }
}

public struct BlindspotVerdict: Sendable, Codable, Equatable {
    /// The side that barely covered the story, or nil when there is no blindspot.
    public var missingSide: Side?
    /// True when too few rated outlets covered the story for a verdict.
    public var smallSample: Bool
    /// The numbers that decided it, in words.
    public var explanation: String

    public init(missingSide: Side?, smallSample: Bool, explanation: String) {
        self.missingSide = missingSide
        self.smallSample = smallSample
        self.explanation = explanation
    }
}

/// Counts and shares for the five bias values, plus the unrated remainder.
public struct BiasDistribution: Sendable, Codable, Equatable {
    public var counts: [Bias: Int]
    public var total: Int { counts.values.reduce(0, +) }
    public var ratedTotal: Int { total - (counts[.unrated] ?? 0) }

    public init(counts: [Bias: Int]) { self.counts = counts }

    public func count(_ bias: Bias) -> Int { counts[bias] ?? 0 }

    /// Share among all members, unrated included, so the unrated share is never hidden.
    public func share(_ bias: Bias) -> Double { total == 0 ? 0 : Double(count(bias)) / Double(total) }

    /// Share among rated members only.
    public func ratedShare(_ side: Side) -> Double {
        guard ratedTotal > 0 else { return 0 }
        return Double(Bias.rated.filter { $0.side == side }.map(count).reduce(0, +)) / Double(ratedTotal)
    }
}

public struct OutletCoverage: Sendable, Codable, Equatable {
    /// The outlet id, or the domain for outlets not in the config.
    public var key: String
    public var name: String
    public var bias: Bias
    public var factuality: Factuality
    public var ownership: Ownership
    public var country: String?
    public var articleCount: Int
    public var firstArticleAt: Date
}

/// Articles of one hour, by the side of their outlet.
public struct TimelineBucket: Sendable, Codable, Equatable {
    public var start: Date
    public var left = 0, center = 0, right = 0, unrated = 0

    public init(start: Date) { self.start = start }

    mutating func add(_ side: Side?) {
        switch side {
        case .left: left += 1
        case .center: center += 1
        case .right: right += 1
        case nil: unrated += 1
        }
    }
}

/// One headline as a reader compares them side by side.
public struct Headline: Sendable, Codable, Equatable {
    public var outletKey: String
    public var outletName: String
    public var title: String
    public var url: String
    public var time: Date
}

/// The first headline of each outlet, in the column of the outlet's side (wire copies of a
/// headline already shown are left out).
public struct HeadlinesBySide: Sendable, Codable, Equatable {
    public var left: [Headline] = []
    public var center: [Headline] = []
    public var right: [Headline] = []
    public var unrated: [Headline] = []

    public subscript(side: Side?) -> [Headline] {
        switch side {
        case .left: left
        case .center: center
        case .right: right
        case nil: unrated
        }
    }
}

/// Everything Parallax says about one story's coverage.
public struct Coverage: Sendable, Codable, Equatable {
    public var story: Story
    public var articles: [Article]
    public var articleCount: Int
    /// Articles with distinct text: wire copies of one text count once.
    public var uniqueArticleCount: Int
    public var outlets: [OutletCoverage]
    public var ratedOutletCount: Int
    public var biasByOutlet: BiasDistribution
    public var biasByArticle: BiasDistribution
    public var factualityByOutlet: [Factuality: Int]
    public var ownershipByOutlet: [Ownership: Int]
    /// Outlets per country code; outlets without one count under "unknown".
    public var countries: [String: Int]
    public var firstReporter: OutletCoverage?
    /// The first outlet of each side that covered the story.
    public var firstReporterBySide: [Side: OutletCoverage]
    /// Seconds between the first Left-side and the first Right-side outlet's article: how long
    /// the story took to reach the other side; nil while one side has not covered it.
    public var secondsToReachOtherSide: TimeInterval?
    /// Articles per hour (UTC hours), by side, from the first article's hour to the last's.
    public var timeline: [TimelineBucket]
    public var headlines: HeadlinesBySide
    public var blindspot: BlindspotVerdict
    /// The user's corrections that shaped this story (set by whoever reads them from the state).
    public var corrections: [CorrectionNote] = []

    public var outletCount: Int { outlets.count }
    public var unratedOutletShare: Double { biasByOutlet.share(.unrated) }
}

public enum CoverageTally {
    /// Tallies one story from its member articles and the outlet registry.
    public static func tally(story: Story, articles: [Article], registry: OutletRegistry, rule: BlindspotRule) -> Coverage {
        let ordered = articles.sorted { ($0.time, $0.canonicalURL) < ($1.time, $1.canonicalURL) }
        var outletsByKey: [String: OutletCoverage] = [:]
        var articleBias: [Bias: Int] = [:]
        for article in ordered {
            let outlet = article.outletID.flatMap { registry[$0] }
            let key = outlet?.id ?? article.domain
            let bias = outlet?.bias ?? .unrated
            articleBias[bias, default: 0] += 1
            if outletsByKey[key] == nil {
                outletsByKey[key] = OutletCoverage(
                    key: key, name: outlet?.name ?? article.sourceName ?? article.domain, bias: bias,
                    factuality: outlet?.factuality ?? .unrated, ownership: outlet?.ownership ?? .unknown,
                    country: outlet?.country, articleCount: 0, firstArticleAt: article.time)
            }
            outletsByKey[key]?.articleCount += 1
        }
        let outlets = outletsByKey.values.sorted { ($0.firstArticleAt, $0.key) < ($1.firstArticleAt, $1.key) }
        var outletBias: [Bias: Int] = [:]
        var factuality: [Factuality: Int] = [:]
        var ownership: [Ownership: Int] = [:]
        var countries: [String: Int] = [:]
        var firstBySide: [Side: OutletCoverage] = [:]
        for outlet in outlets {
            outletBias[outlet.bias, default: 0] += 1
            factuality[outlet.factuality, default: 0] += 1
            ownership[outlet.ownership, default: 0] += 1
            countries[outlet.country ?? "unknown", default: 0] += 1
            if let side = outlet.bias.side, firstBySide[side] == nil { firstBySide[side] = outlet }
        }
        let byOutlet = BiasDistribution(counts: outletBias)
        var reach: TimeInterval?
        if let left = firstBySide[.left], let right = firstBySide[.right] {
            reach = abs(right.firstArticleAt.timeIntervalSince(left.firstArticleAt))
        }
        return Coverage(
            story: story,
            articles: ordered,
            articleCount: ordered.count,
            uniqueArticleCount: Set(ordered.map(\.fingerprint)).count,
            outlets: outlets,
            ratedOutletCount: byOutlet.ratedTotal,
            biasByOutlet: byOutlet,
            biasByArticle: BiasDistribution(counts: articleBias),
            factualityByOutlet: factuality,
            ownershipByOutlet: ownership,
            countries: countries,
            firstReporter: outlets.first,
            firstReporterBySide: firstBySide,
            secondsToReachOtherSide: reach,
            timeline: timeline(ordered, outlets: outletsByKey),
            headlines: headlines(ordered, outlets: outletsByKey),
            blindspot: verdict(byOutlet, rule: rule))
    }

    public static let maximumTimelineHours = 14 * 24

    static func key(_ article: Article) -> String { article.outletID ?? article.domain }

    static func timeline(_ ordered: [Article], outlets: [String: OutletCoverage]) -> [TimelineBucket] {
        guard let first = ordered.first?.time, let last = ordered.last?.time else { return [] }
        let hour = { (date: Date) in (date.timeIntervalSince1970 / 3600).rounded(.down) * 3600 }
        // A feed's absurd date must not make millions of buckets: the first one holds anything older.
        let start = max(hour(first), hour(last) - Double(maximumTimelineHours - 1) * 3600)
        let hours = Int((hour(last) - start) / 3600) + 1
        var buckets = (0..<hours).map { TimelineBucket(start: Date(timeIntervalSince1970: start + Double($0) * 3600)) }
        for article in ordered {
            let index = max(0, Int((article.time.timeIntervalSince1970 - start) / 3600))
            buckets[index].add(outlets[key(article)]?.bias.side)
        }
        return buckets
    }

    static func headlines(_ ordered: [Article], outlets: [String: OutletCoverage]) -> HeadlinesBySide {
        var result = HeadlinesBySide()
        var seenOutlets: Set<String> = [], seenTexts: Set<String> = []
        for article in ordered {
            let key = key(article)
            guard let outlet = outlets[key], seenOutlets.insert(key).inserted, seenTexts.insert(article.fingerprint).inserted else { continue }
            let headline = Headline(outletKey: key, outletName: outlet.name, title: article.title, url: article.url, time: article.time)
            switch outlet.bias.side {
            case .left: result.left.append(headline)
            case .center: result.center.append(headline)
            case .right: result.right.append(headline)
            case nil: result.unrated.append(headline)
            }
        }
        return result
    }

    static func verdict(_ distribution: BiasDistribution, rule: BlindspotRule) -> BlindspotVerdict {
        let rated = distribution.ratedTotal
        let left = distribution.ratedShare(.left), right = distribution.ratedShare(.right)
        let numbers = "Left \(percent(left)), Right \(percent(right)) of \(rated) rated outlets"
        guard rated >= rule.minimumRatedOutlets else {
            return BlindspotVerdict(
                missingSide: nil, smallSample: true,
                explanation: "only \(rated) rated outlets (fewer than \(rule.minimumRatedOutlets)): too few for a verdict")
        }
        if left <= rule.minorityMaximumShare && right >= rule.majorityMinimumShare {
            return BlindspotVerdict(missingSide: .left, smallSample: false, explanation: "blindspot for the Left: \(numbers)")
        }
        if right <= rule.minorityMaximumShare && left >= rule.majorityMinimumShare {
            return BlindspotVerdict(missingSide: .right, smallSample: false, explanation: "blindspot for the Right: \(numbers)")
        }
        return BlindspotVerdict(missingSide: nil, smallSample: false, explanation: "covered across the spectrum: \(numbers)")
    }

    static func percent(_ share: Double) -> String { "\(Int((share * 100).rounded())) %" }
}
