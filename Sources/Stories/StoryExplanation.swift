import Foundation

/// Why a story's articles were grouped: the terms they share, how close each article is to the
/// story as a whole, and the decision that put it there.
public struct StoryExplanation: Sendable, Codable, Equatable {
    /// One member as the store recorded its placement.
    public struct Record: Sendable {
        public var article: Article
        /// `Assignment.Reason`'s raw value.
        public var reason: String
        /// The similarity the decision was made on.
        public var score: Double
        public var threshold: Double?
        /// The story the article was in before that story was merged into this one.
        public var mergedFrom: Int64?
        public var mergeScore: Double?
        /// The user's correction that put the article in this story, in words
        /// ("moved here from story 5 by correction #3 of 2026-12-03").
        public var correction: String?
        /// The correction that merged the article's earlier story into this one, in words.
        public var mergeCorrection: String?
        public var correctionID: Int64?

        public init(
            article: Article, reason: String, score: Double, threshold: Double?, mergedFrom: Int64? = nil, mergeScore: Double? = nil,
            correction: String? = nil, mergeCorrection: String? = nil, correctionID: Int64? = nil
        ) {
            self.article = article
            self.reason = reason
            self.score = score
            self.threshold = threshold
            self.mergedFrom = mergedFrom
            self.mergeScore = mergeScore
            self.correction = correction
            self.mergeCorrection = mergeCorrection
            self.correctionID = correctionID
        }
    }

    public struct SharedTerm: Sendable, Codable, Equatable {
        /// A stemmed term ("earthquak"), a name run ("hong_kong") or a number.
        public var term: String
        public var articles: Int
    }

    public struct Member: Sendable, Codable, Equatable {
        public var articleID: Int64?
        public var title: String
        public var domain: String
        public var time: Date
        /// Cosine of the article's term weights to the sum of all members' (its own included).
        public var similarityToStory: Double
        public var reason: String
        public var score: Double
        public var threshold: Double?
        public var mergedFrom: Int64?
        /// The user's correction that placed the article here, when one did.
        public var correctionID: Int64?
        /// The decision in words: "joined at 0.31 ≥ threshold 0.16".
        public var because: String
    }

    public var storyID: Int64
    public var title: String
    public var sharedTerms: [SharedTerm]
    public var members: [Member]

    public static func explain(storyID: Int64, title: String, records: [Record], settings: ClusteringSettings, topTerms: Int = 12) -> StoryExplanation {
        var extractor = TermExtractor(weights: settings.weights)
        let ordered = records.sorted { ($0.article.time, $0.article.canonicalURL) < ($1.article.time, $1.article.canonicalURL) }
        var vectors: [[String: Double]] = []
        var centroid: [String: Double] = [:]
        var articlesWithTerm: [String: Int] = [:]
        for record in ordered {
            var vector: [String: Double] = [:]
            for (term, weight) in extractor.terms(in: record.article.title, language: record.article.language) {
                vector[term, default: 0] += weight * settings.titleWeight
            }
            for (term, weight) in extractor.terms(in: record.article.summary, language: record.article.language) {
                vector[term, default: 0] += weight
            }
            let norm = vector.values.reduce(0) { $0 + $1 * $1 }.squareRoot()
            if norm > 0 { vector = vector.mapValues { $0 / norm } }
            for (term, weight) in vector {
                centroid[term, default: 0] += weight
                articlesWithTerm[term, default: 0] += 1
            }
            vectors.append(vector)
        }
        let centroidNorm = centroid.values.reduce(0) { $0 + $1 * $1 }.squareRoot()
        let members = zip(ordered, vectors).map { record, vector in
            let dot = vector.reduce(0) { $0 + $1.value * (centroid[$1.key] ?? 0) }
            return Member(
                articleID: record.article.id, title: record.article.title, domain: record.article.domain, time: record.article.time,
                similarityToStory: centroidNorm > 0 && !vector.isEmpty ? dot / centroidNorm : 0, reason: record.reason,
                score: record.score, threshold: record.threshold, mergedFrom: record.mergedFrom, correctionID: record.correctionID,
                because: because(record))
        }
        let shared = articlesWithTerm.filter { $0.value >= 2 }.sorted { ($1.value, $0.key) < ($0.value, $1.key) }
            .prefix(topTerms).map { SharedTerm(term: $0.key, articles: $0.value) }
        return StoryExplanation(storyID: storyID, title: title, sharedTerms: Array(shared), members: members)
    }

    private static func because(_ record: Record) -> String {
        let score = String(format: "%.3f", record.score)
        let threshold = record.threshold.map { String(format: "%.3f", $0) } ?? "?"
        var text: String
        switch Assignment.Reason(rawValue: record.reason) {
        case .newStory:
            if let limit = record.threshold, record.score >= limit {
                // Refused although similar enough: one term that several open stories share carried it.
                text = "seeded the story (best other story \(score) ≥ threshold \(threshold), but carried by one term that several open stories share)"
            } else {
                text = "seeded the story (best other story \(score) < threshold \(threshold))"
            }
        case .joined: text = "joined at \(score) ≥ threshold \(threshold)"
        case .group: text = "aggregator group evidence (similarity \(score))"
        case .corrected: text = "placed by a correction on arrival (similarity \(score))"
        case nil: text = record.reason
        }
        if let correction = record.correction {
            text = record.reason == Assignment.Reason.corrected.rawValue ? correction : "\(correction) (the clusterer's decision: \(text))"
        }
        if let from = record.mergedFrom {
            if let merge = record.mergeCorrection {
                text += "; came with story \(from), \(merge)"
            } else {
                text += "; came with story \(from), merged in" + (record.mergeScore.map { String(format: " at %.3f", $0) } ?? "")
            }
        }
        return text
    }
}
