import Foundation

/// The weighted log-odds ratio with an informative Dirichlet prior (Monroe, Colaresi and Quinn
/// 2008, "Fightin' Words", eqs. 16, 18–22): how much more one group of texts uses a word than the
/// rest, shrunk toward the background so that rare words do not look decisive.
///
/// For word w, group i and the rest j, with counts y and totals n, prior α_w and α₀ = Σ α_w:
///
///     δ_w = log((y_iw + α_w) / (n_i + α₀ − y_iw − α_w)) − log((y_jw + α_w) / (n_j + α₀ − y_jw − α_w))
///     σ²_w ≈ 1 / (y_iw + α_w) + 1 / (y_jw + α_w)          z_w = δ_w / σ_w
///
/// The prior here is the story itself: α_w = y_iw + y_jw, the word's count in the whole story
/// (so α₀ is the story's word count), a prior exactly as strong as the data.
public enum FightinWords {
    public static let threshold = 1.96

    /// z-scores of every word the group uses, for the group against the rest.
    public static func zScores(group: [String: Int], rest: [String: Int]) -> [String: Double] {
        let words = Array(Set(group.keys).union(rest.keys)).sorted()
        let number = Dictionary(uniqueKeysWithValues: words.enumerated().map { ($0.element, Int32($0.offset)) })
        func counts(_ table: [String: Int]) -> [(word: Int32, count: Int)] {
            table.map { (word: number[$0.key]!, count: $0.value) }.sorted { $0.word < $1.word }
        }
        let scores = zScores(group: counts(group), rest: counts(rest))
        return Dictionary(uniqueKeysWithValues: scores.map { (words[Int($0.word)], $0.z) })
    }

    /// The same over numbered words: each side's counts in ascending word order, one entry per
    /// word (`counts(_:)`), so that the two sides are merged rather than looked up.
    static func zScores(group: [(word: Int32, count: Int)], rest: [(word: Int32, count: Int)]) -> [(word: Int32, z: Double)] {
        let ni = Double(group.reduce(0) { $0 + $1.count }), nj = Double(rest.reduce(0) { $0 + $1.count })
        let alpha0 = ni + nj
        var result: [(word: Int32, z: Double)] = []
        result.reserveCapacity(group.count)
        var j = 0
        for (word, count) in group {
            while j < rest.count, rest[j].word < word { j += 1 }
            let yi = Double(count), yj = j < rest.count && rest[j].word == word ? Double(rest[j].count) : 0
            let alpha = yi + yj
            let delta = log((yi + alpha) / (ni + alpha0 - yi - alpha)) - log((yj + alpha) / (nj + alpha0 - yj - alpha))
            let variance = 1 / (yi + alpha) + 1 / (yj + alpha)
            result.append((word, delta / variance.squareRoot()))
        }
        return result
    }

    /// Word numbers (with repeats) → one (word, count) per word, in ascending word order.
    static func counts(_ words: [Int32]) -> [(word: Int32, count: Int)] {
        var result: [(word: Int32, count: Int)] = []
        for word in words.sorted() {
            if let last = result.last, last.word == word { result[result.count - 1].count += 1 } else { result.append((word, 1)) }
        }
        return result
    }

    /// The counts of `all` less those of `part` (a part of it), words left at zero dropped.
    static func subtracting(_ part: [(word: Int32, count: Int)], from all: [(word: Int32, count: Int)]) -> [(word: Int32, count: Int)] {
        var result: [(word: Int32, count: Int)] = []
        var i = 0
        for (word, count) in all {
            while i < part.count, part[i].word < word { i += 1 }
            let left = count - (i < part.count && part[i].word == word ? part[i].count : 0)
            if left > 0 { result.append((word, left)) }
        }
        return result
    }
}
