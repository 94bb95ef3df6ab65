import Foundation

/// Political lean on the five-point scale most raters share.
public enum Bias: String, Sendable, Codable, CaseIterable, Comparable {
    case left, leanLeft = "lean-left", center, leanRight = "lean-right", right, unrated

    /// -2 (left) … +2 (right); nil when unrated.
    public var score: Int? {
        switch self {
        case .left: -2
        case .leanLeft: -1
        case .center: 0
        case .leanRight: 1
        case .right: 2
        case .unrated: nil
        }
    }

    public init(score: Int) {
        self = [.left, .leanLeft, .center, .leanRight, .right][max(-2, min(2, score)) + 2]
    }

    /// The side of the spectrum a blindspot is judged by.
    public var side: Side? {
        switch self {
        case .left, .leanLeft: .left
        case .center: .center
        case .leanRight, .right: .right
        case .unrated: nil
        }
    }

    public var label: String {
        switch self {
        case .left: "Left"
        case .leanLeft: "Lean Left"
        case .center: "Center"
        case .leanRight: "Lean Right"
        case .right: "Right"
        case .unrated: "Unrated"
        }
    }

    public static func < (lhs: Bias, rhs: Bias) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }

    /// The five rated values, left to right.
    public static let rated: [Bias] = [.left, .leanLeft, .center, .leanRight, .right]
}

public enum Side: String, Sendable, Codable, CaseIterable {
    case left, center, right

    public var label: String { rawValue.capitalized }
}

/// How reliably an outlet reports facts, on MBFC's six-step scale.
public enum Factuality: String, Sendable, Codable, CaseIterable {
    case veryHigh = "very-high", high, mostlyFactual = "mostly-factual", mixed, low, veryLow = "very-low", unrated

    /// 5 (very high) … 0 (very low); nil when unrated.
    public var score: Int? {
        switch self {
        case .veryHigh: 5
        case .high: 4
        case .mostlyFactual: 3
        case .mixed: 2
        case .low: 1
        case .veryLow: 0
        case .unrated: nil
        }
    }

    public init(score: Int) {
        self = [.veryLow, .low, .mixed, .mostlyFactual, .high, .veryHigh][max(0, min(5, score))]
    }

    public var label: String {
        switch self {
        case .veryHigh: "Very High"
        case .high: "High"
        case .mostlyFactual: "Mostly Factual"
        case .mixed: "Mixed"
        case .low: "Low"
        case .veryLow: "Very Low"
        case .unrated: "Unrated"
        }
    }
}

/// Who owns an outlet, by kind (Ground News' categories, plus cooperative and unknown).
public enum Ownership: String, Sendable, Codable, CaseIterable {
    case independent, corporate, conglomerate, publicBroadcaster = "public-broadcaster", state, nonprofit,
        privateEquity = "private-equity", billionaire, cooperative, unknown
}

/// One rater's published verdict on an outlet.
public struct Rating: Sendable, Codable, Hashable {
    public var rater: String
    public var bias: Bias?
    public var factuality: Factuality?
    /// The rater's own words, verbatim ("Left-Center", "fake-news", "bias -8.5, reliability 43").
    public var label: String?
    /// A category the rater puts the outlet in instead of, or besides, a lean
    /// ("questionable", "conspiracy-pseudoscience", "satire", "pro-science"): kept, never turned into a bias.
    public var category: String?
    /// When the rating was published or the snapshot it was read from was taken (YYYY-MM-DD).
    public var date: String
    public var url: String?

    public init(
        rater: String, bias: Bias? = nil, factuality: Factuality? = nil, label: String? = nil, category: String? = nil, date: String,
        url: String? = nil
    ) {
        self.rater = rater
        self.bias = bias
        self.factuality = factuality
        self.label = label
        self.category = category
        self.date = date
        self.url = url
    }
}

public struct Outlet: Sendable, Codable, Hashable, Identifiable {
    public var id: String
    public var name: String
    public var domains: [String]
    /// A value set by hand in the config; it wins over the raters.
    public var manualBias: Bias?
    public var manualFactuality: Factuality?
    public var ownership: Ownership
    public var owner: String?
    public var country: String?
    public var language: String?
    public var ratings: [Rating]

    public init(
        id: String, name: String, domains: [String], manualBias: Bias? = nil, manualFactuality: Factuality? = nil,
        ownership: Ownership = .unknown, owner: String? = nil, country: String? = nil, language: String? = nil,
        ratings: [Rating] = []
    ) {
        self.id = id
        self.name = name
        self.domains = domains
        self.manualBias = manualBias
        self.manualFactuality = manualFactuality
        self.ownership = ownership
        self.owner = owner
        self.country = country
        self.language = language
        self.ratings = ratings
    }

    /// How `bias` and `factuality` are derived from the ratings when no manual value is set.
    public var rule: RatingRule = .mean

    /// The manual value if set, else what the rule derives from the raters: see `RatingRule`.
    public var bias: Bias {
        if let manualBias { return manualBias }
        let scores = rule.scores(ratings) { $0.bias?.score }
        guard !scores.isEmpty else { return .unrated }
        return Bias(score: Self.roundHalfTowardZero(Double(scores.reduce(0, +)) / Double(scores.count)))
    }

    /// The manual value if set, else what the rule derives, a mean rounded half down (toward
    /// lower factuality: a reader is better warned than reassured).
    public var factuality: Factuality {
        if let manualFactuality { return manualFactuality }
        let scores = rule.scores(ratings) { $0.factuality?.score }
        guard !scores.isEmpty else { return .unrated }
        let mean = Double(scores.reduce(0, +)) / Double(scores.count)
        return Factuality(score: Int((mean - 0.5).rounded(.up)))
    }

    static func roundHalfTowardZero(_ value: Double) -> Int {
        let magnitude = abs(value)
        let rounded = magnitude - magnitude.rounded(.down) > 0.5 ? magnitude.rounded(.up) : magnitude.rounded(.down)
        return Int(value < 0 ? -rounded : rounded)
    }

}

/// How an outlet's bias and factuality follow from its raters (a manual value always wins).
public enum RatingRule: Sendable, Codable, Hashable {
    /// The mean of every rater's normalised score (as Ground News does).
    case mean
    /// The first rater in this order that gives a value; raters not listed come after, by name.
    case priority([String])

    /// The scores the derivation averages: all of them, or the first rater's only.
    func scores(_ ratings: [Rating], _ score: (Rating) -> Int?) -> [Int] {
        switch self {
        case .mean:
            return ratings.compactMap(score)
        case .priority(let order):
            let ranked = ratings.filter { score($0) != nil }.sorted { lhs, rhs in
                let left = order.firstIndex(of: lhs.rater) ?? order.count, right = order.firstIndex(of: rhs.rater) ?? order.count
                return (left, lhs.rater) < (right, rhs.rater)
            }
            return ranked.first.flatMap(score).map { [$0] } ?? []
        }
    }

    public var biasDescription: String {
        switch self {
        case .mean: "manual value if set; else the mean of the raters' scores (Left −2 … Right +2), rounded half toward Center"
        case .priority(let order): "manual value if set; else the first rater with a value in the order \(order.joined(separator: ", ")) (then the others by name)"
        }
    }

    public var factualityDescription: String {
        switch self {
        case .mean: "manual value if set; else the mean of the raters' scores (Very Low 0 … Very High 5), rounded half down"
        case .priority(let order): "manual value if set; else the first rater with a value in the order \(order.joined(separator: ", ")) (then the others by name)"
        }
    }
}
