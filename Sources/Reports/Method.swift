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

    public init(outlets: [Outlet], clustering: String, blindspot: BlindspotRule, rule: RatingRule = .mean) {
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
    }

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
        return lines
    }
}
