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
        var prior: [String: Double] = [:]
        for (word, count) in group { prior[word, default: 0] += Double(count) }
        for (word, count) in rest { prior[word, default: 0] += Double(count) }
        let alpha0 = prior.values.reduce(0, +)
        let ni = Double(group.values.reduce(0, +)), nj = Double(rest.values.reduce(0, +))
        var result: [String: Double] = [:]
        for (word, count) in group {
            let alpha = prior[word]!
            let yi = Double(count), yj = Double(rest[word] ?? 0)
            let delta = log((yi + alpha) / (ni + alpha0 - yi - alpha)) - log((yj + alpha) / (nj + alpha0 - yj - alpha))
            let variance = 1 / (yi + alpha) + 1 / (yj + alpha)
            result[word] = delta / variance.squareRoot()
        }
        return result
    }
}
