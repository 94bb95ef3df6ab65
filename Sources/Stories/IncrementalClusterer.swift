import Foundation

public struct ClusteringSettings: Sendable, Codable, Equatable {
    /// The similarity an article needs to join a story rather than open a new one.
    public var threshold: Double
    /// Articles further apart in time than this never share a story.
    public var windowHours: Double
    /// How much more a headline term counts than a summary term.
    public var titleWeight: Double

    public init(threshold: Double = 0.1, windowHours: Double = 48, titleWeight: Double = 2) {
        self.threshold = threshold
        self.windowHours = windowHours
        self.titleWeight = titleWeight
    }

    public static let version = "lexical-centroid-1"

    public var summary: String {
        "\(Self.version): TF-IDF of headline (×\(titleWeight.formatted())) + summary terms, cosine to the story centroid, "
            + "decayed with the time gap; join at ≥ \(threshold.formatted()), window \(windowHours.formatted()) h"
    }
}

/// What the clusterer decided for one article.
public struct Assignment: Sendable, Equatable {
    public var storyID: Int64
    public var similarity: Double
    public var isNewStory: Bool
}

/// Groups articles into stories one at a time, in the order they arrive, as a cron run sees them:
/// an article joins the most similar active story or opens a new one, and nothing is ever moved
/// afterwards, so story ids stay stable across runs.
///
/// Similarity is the cosine between the article's TF-IDF vector and the story's centroid (the sum
/// of its members' normalised term-frequency vectors, weighted by the current IDF), lowered
/// linearly with the time gap. Document frequencies count every article seen in this session.
public struct IncrementalClusterer: Sendable {
    public let settings: ClusteringSettings
    private var nextStoryID: Int64
    private var stories: [Int64: StoryState] = [:]
    private var postings: [String: Set<Int64>] = [:]
    private var documentFrequency: [String: Int] = [:]
    private var documentCount = 0

    private struct StoryState: Sendable {
        var centroid: [String: Double] = [:]
        var first: Date
        var last: Date
    }

    public init(settings: ClusteringSettings, nextStoryID: Int64) {
        self.settings = settings
        self.nextStoryID = nextStoryID
    }

    /// Restores a story from an earlier run with the articles it already has.
    public mutating func seed(storyID: Int64, members: [Article]) {
        nextStoryID = max(nextStoryID, storyID + 1)
        for article in members {
            let vector = termFrequencies(of: article)
            count(vector)
            add(vector, at: article.time, to: storyID)
        }
    }

    /// Places a new article: joins the best story above the threshold or opens one.
    public mutating func assign(_ article: Article) -> Assignment {
        let vector = termFrequencies(of: article)
        count(vector)
        let time = article.time
        var best: (id: Int64, similarity: Double)?
        for candidate in candidates(for: vector) {
            guard let story = stories[candidate], let decay = timeDecay(time, story) else { continue }
            let similarity = max(cosine(vector, story.centroid), crossScriptSimilarity(vector, story.centroid)) * decay
            if similarity > (best?.similarity ?? 0) || (similarity == best?.similarity && candidate < best!.id) {
                best = (candidate, similarity)
            }
        }
        if let best, best.similarity >= settings.threshold {
            add(vector, at: time, to: best.id)
            return Assignment(storyID: best.id, similarity: best.similarity, isNewStory: false)
        }
        let id = nextStoryID
        nextStoryID += 1
        add(vector, at: time, to: id)
        return Assignment(storyID: id, similarity: 1, isNewStory: true)
    }

    // MARK: - Vectors

    private func termFrequencies(of article: Article) -> [String: Double] {
        var vector: [String: Double] = [:]
        for term in Tokenizer.terms(in: article.title) { vector[term, default: 0] += settings.titleWeight }
        for term in Tokenizer.terms(in: article.summary) { vector[term, default: 0] += 1 }
        let norm = sqrt(vector.values.reduce(0) { $0 + $1 * $1 })
        guard norm > 0 else { return [:] }
        return vector.mapValues { $0 / norm }
    }

    private mutating func count(_ vector: [String: Double]) {
        documentCount += 1
        for term in vector.keys { documentFrequency[term, default: 0] += 1 }
    }

    private func inverseDocumentFrequency(_ term: String) -> Double {
        log(Double(documentCount + 1) / Double((documentFrequency[term] ?? 0) + 1)) + 1
    }

    private mutating func add(_ vector: [String: Double], at time: Date, to storyID: Int64) {
        var story = stories[storyID] ?? StoryState(first: time, last: time)
        for (term, weight) in vector {
            story.centroid[term, default: 0] += weight
            postings[term, default: []].insert(storyID)
        }
        story.first = min(story.first, time)
        story.last = max(story.last, time)
        stories[storyID] = story
    }

    /// Stories sharing at least one term with the article, found through the postings rather
    /// than by scanning every story.
    private func candidates(for vector: [String: Double]) -> Set<Int64> {
        var result: Set<Int64> = []
        for term in vector.keys {
            if let ids = postings[term] { result.formUnion(ids) }
        }
        return result
    }

    private func cosine(_ vector: [String: Double], _ centroid: [String: Double]) -> Double {
        var dot = 0.0, vectorNorm = 0.0, centroidNorm = 0.0
        for (term, weight) in vector {
            let idf = inverseDocumentFrequency(term)
            let a = weight * idf
            vectorNorm += a * a
            if let c = centroid[term] { dot += a * c * idf }
        }
        for (term, weight) in centroid {
            let c = weight * inverseDocumentFrequency(term)
            centroidNorm += c * c
        }
        guard vectorNorm > 0, centroidNorm > 0 else { return 0 }
        return dot / (vectorNorm.squareRoot() * centroidNorm.squareRoot())
    }

    /// Articles in different scripts share mostly names, acronyms and numbers written in Latin
    /// letters ("Meridian-7", "ESA", "3.2"): compared on those terms alone, a Korean article can
    /// join the English story it reports. Only used when one side is mostly in another script,
    /// and only on at least three shared terms, so that a lone number never joins two stories.
    private func crossScriptSimilarity(_ vector: [String: Double], _ centroid: [String: Double]) -> Double {
        let vectorLatinShare = latinShare(vector), centroidLatinShare = latinShare(centroid)
        guard min(vectorLatinShare, centroidLatinShare) < 0.5 else { return 0 }
        let latinVector = vector.filter { Self.isLatin($0.key) }
        let latinCentroid = centroid.filter { Self.isLatin($0.key) }
        guard latinVector.keys.filter({ latinCentroid[$0] != nil }).count >= 3 else { return 0 }
        return cosine(latinVector, latinCentroid)
    }

    private func latinShare(_ vector: [String: Double]) -> Double {
        let total = vector.values.reduce(0, +)
        guard total > 0 else { return 0 }
        return vector.filter { Self.isLatin($0.key) }.values.reduce(0, +) / total
    }

    static func isLatin(_ term: String) -> Bool {
        term.unicodeScalars.allSatisfy { $0.value < 0x0250 }
    }

    /// 1 inside the story's time span, falling linearly to 0.5 at the window's edge; nil beyond it.
    private func timeDecay(_ time: Date, _ story: StoryState) -> Double? {
        let gap: TimeInterval
        if time < story.first {
            gap = story.first.timeIntervalSince(time)
        } else if time > story.last {
            gap = time.timeIntervalSince(story.last)
        } else {
            gap = 0
        }
        let window = settings.windowHours * 3600
        guard gap <= window else { return nil }
        return 1 - 0.5 * gap / window
    }
}
