import Foundation
import Stories

/// Stories on the same thread: the same people, places, organisations and numbers over days or
/// weeks. Each story is reduced to its anchors; two stories are related by the cosine of their
/// anchor sets weighted by inverse story frequency.
public enum RelatedStories {
    public static let version = "related-1"
    public static let maximumCount = 5
    public static let minimumScore = 0.15
    /// Stories further apart than this (first seen) are not on one thread any more.
    public static let maximumDays = 60.0
    /// Anchors kept per story: those mentioned by the most articles.
    static let anchorsPerStory = 24
    /// An anchor in more stories than this says nothing about a thread ("US", "2026").
    static let maximumStoriesPerAnchor = 200

    /// What relates a story to others: its anchors and when and in what language it was told.
    public struct Profile: Sendable, Equatable {
        public var id: Int64
        public var firstSeenAt: Date
        public var language: String
        /// Names (capitalised words inside sentences, runs of them, acronyms) and numbers, folded.
        public var anchors: [String]

        public init(id: Int64, firstSeenAt: Date, language: String, anchors: [String]) {
            self.id = id
            self.firstSeenAt = firstSeenAt
            self.language = language
            self.anchors = anchors
        }
    }

    /// The anchors of a story's articles (titles and descriptions), by how many articles name them.
    public static func profile(id: Int64, firstSeenAt: Date, articles: [Article]) -> Profile {
        var languageCounts: [String: Int] = [:]
        var articleCounts: [String: Int] = [:]
        var these: [String] = []
        for article in articles {
            languageCounts[BriefBuilder.baseLanguage(article.language), default: 0] += 1
            these.removeAll(keepingCapacity: true)
            anchors(in: article.title, into: &these)
            anchors(in: article.summary, into: &these)
            // Each anchor once per article: a handful of strings, sorted rather than hashed into a set.
            these.sort()
            for (position, anchor) in these.enumerated() where position == 0 || these[position - 1] != anchor {
                articleCounts[anchor, default: 0] += 1
            }
        }
        let language = languageCounts.max { ($0.value, $1.key) < ($1.value, $0.key) }?.key ?? ""
        let kept = articleCounts.sorted { ($0.value, $1.key) > ($1.value, $0.key) }.prefix(anchorsPerStory).map(\.key).sorted()
        return Profile(id: id, firstSeenAt: firstSeenAt, language: language, anchors: kept)
    }

    /// Latin-script names, acronyms and numbers of three or more characters (years excepted):
    /// anchors that read the same in every language, so stories in Korean and English can meet.
    static func anchors(in text: String) -> Set<String> {
        var result: [String] = []
        anchors(in: text, into: &result)
        return Set(result)
    }

    private static let englishStopwords = TermExtractor.stopwordSets(for: "en")

    /// The anchors of one text, appended in text order (a name may repeat). Most texts are read
    /// by bytes, making a string only of the tokens that are anchors.
    static func anchors(in text: String, into result: inout [String]) {
        guard let tokens = Tokenizer.asciiTokenBytes(in: text) else {
            anchors(of: Tokenizer.tokens(in: text).map { (Array($0.text.utf8)[...], $0.shape, $0.script == .word) }, into: &result)
            return
        }
        anchors(of: tokens.map { ($0.bytes, $0.shape, true) }, into: &result)
    }

    /// - Parameter tokens: folded UTF-8 bytes, shape, and whether the token is of a word script.
    private static func anchors(of tokens: [(bytes: ArraySlice<UInt8>, shape: Tokenizer.Shape, isWord: Bool)], into result: inout [String]) {
        // In Title Case headlines every word is capitalised: only acronyms and numbers count there.
        // Words of four or more characters (an ASCII word's characters are its bytes).
        var words = 0, capitalised = 0
        for token in tokens.dropFirst() where token.isWord && token.shape != .number {
            let isASCII = token.bytes.allSatisfy { $0 < 0x80 }
            guard isASCII ? token.bytes.count > 3 : String(decoding: token.bytes, as: UTF8.self).count > 3 else { continue }
            words += 1
            if token.shape != .lower { capitalised += 1 }
        }
        let titleCase = words > 0 && capitalised * 10 >= words * 7
        // Only ASCII tokens are anchors, so their characters are their bytes.
        for (index, token) in tokens.enumerated() where token.isWord && token.bytes.allSatisfy({ $0 < 0x80 }) {
            let length = token.bytes.count
            switch token.shape {
            case .number:
                // Years (19xx, 20xx) are not anchors.
                let first = token.bytes.first!, second = token.bytes[token.bytes.startIndex + (length > 1 ? 1 : 0)]
                let isYear = length == 4 && ((first == 0x31 && second == 0x39) || (first == 0x32 && second == 0x30))
                if length >= 3, !isYear { result.append(String(decoding: token.bytes, as: UTF8.self)) }
            case .acronym:
                if length >= 2 { result.append(String(decoding: token.bytes, as: UTF8.self)) }
            case .capitalised:
                guard index > 0, !titleCase, length >= 3 else { continue }
                let word = String(decoding: token.bytes, as: UTF8.self)
                if !englishStopwords.contains(where: { $0.contains(word) }) { result.append(word) }
            case .lower:
                break
            }
        }
    }

    /// For every story, up to five others, best first (score, then the newer, then the lower id).
    /// Relations are symmetric: when A lists B at score s, B scores A at s too (it may still keep
    /// five closer ones). Stories in different languages need three shared anchors.
    public static func rank(_ profiles: [Profile]) -> [Int64: [(id: Int64, score: Double)]] {
        var postings: [String: [Int]] = [:]
        for (index, profile) in profiles.enumerated() { for anchor in profile.anchors { postings[anchor, default: []].append(index) } }
        let total = Double(max(1, profiles.count))
        var weight: [String: Double] = [:]
        for (anchor, list) in postings where list.count >= 2 && list.count <= maximumStoriesPerAnchor {
            weight[anchor] = log(total / Double(list.count)) + 1
        }
        let norms = profiles.map { profile in profile.anchors.reduce(0.0) { $0 + pow(weight[$1] ?? (log(total) + 1), 2) }.squareRoot() }
        var result: [Int64: [(id: Int64, score: Double)]] = [:]
        for (index, profile) in profiles.enumerated() {
            var dot: [Int: Double] = [:]
            var shared: [Int: Int] = [:]
            for anchor in profile.anchors {
                guard let w = weight[anchor] else { continue }
                for other in postings[anchor]! where other != index {
                    dot[other, default: 0] += w * w
                    shared[other, default: 0] += 1
                }
            }
            var scored: [(id: Int64, score: Double, firstSeenAt: Date)] = []
            for (other, value) in dot {
                let candidate = profiles[other]
                guard abs(candidate.firstSeenAt.timeIntervalSince(profile.firstSeenAt)) <= maximumDays * 86400 else { continue }
                guard shared[other]! >= (candidate.language == profile.language ? 2 : 3) else { continue }
                let score = value / (norms[index] * norms[other])
                guard score >= minimumScore else { continue }
                scored.append((candidate.id, (score * 1000).rounded() / 1000, candidate.firstSeenAt))
            }
            scored.sort { ($0.score, $0.firstSeenAt, -$0.id) > ($1.score, $1.firstSeenAt, -$1.id) }
            if !scored.isEmpty { result[profile.id] = scored.prefix(maximumCount).map { ($0.id, $0.score) } }
        }
        return result
    }
}
