import Foundation
import Testing
@testable import Brief

@Suite("Fightin' Words: weighted log-odds with an informative Dirichlet prior")
struct FightinWordsTests {
    /// A tiny corpus worked by hand. Group: tax ×4, cut ×2, plan ×1 (n_i = 7). Rest: tax ×1,
    /// plan ×3, rally ×2 (n_j = 6). Prior α_w = the word's story count: tax 5, cut 2, plan 4,
    /// rally 2; α₀ = 13.
    ///
    /// tax:  δ = ln(9 / (7 + 13 − 9)) − ln(6 / (6 + 13 − 6)) = ln(9/11) − ln(6/13) = −0.200671 + 0.773190 = 0.572519
    ///       σ² = 1/9 + 1/6 = 0.277778, σ = 0.527046, z = 1.086279
    /// cut:  δ = ln(4 / 16) − ln(2 / 17) = −1.386294 + 2.140066 = 0.753772
    ///       σ² = 1/4 + 1/2 = 0.75, σ = 0.866025, z = 0.870381
    /// plan: δ = ln(5 / 15) − ln(7 / 12) = −1.098612 + 0.538997 = −0.559616
    ///       σ² = 1/5 + 1/7 = 0.342857, σ = 0.585540, z = −0.955726
    @Test func zScoresMatchTheHandComputedValues() {
        let z = FightinWords.zScores(group: ["tax": 4, "cut": 2, "plan": 1], rest: ["tax": 1, "plan": 3, "rally": 2])
        #expect(abs(z["tax"]! - 1.086279) < 1e-5)
        #expect(abs(z["cut"]! - 0.870381) < 1e-5)
        #expect(abs(z["plan"]! - (-0.955726)) < 1e-5)
        // Only the group's own words are scored.
        #expect(z["rally"] == nil)
        #expect(z.values.allSatisfy { abs($0) < FightinWords.threshold })
    }

    /// With more text the same shares become decisive: ten times every count.
    /// tax: δ = ln(90 / (70 + 130 − 90)) − ln(60 / (60 + 130 − 60)) = ln(90/110) − ln(60/130) = 0.572519 (as before),
    ///      σ² = 1/90 + 1/60 = 0.0277778, σ = 0.166667, z = 3.435115
    @Test func moreTextOfTheSameSharesPassesTheThreshold() {
        let z = FightinWords.zScores(group: ["tax": 40, "cut": 20, "plan": 10], rest: ["tax": 10, "plan": 30, "rally": 20])
        #expect(abs(z["tax"]! - 3.435115) < 1e-5)
        #expect(z["tax"]! >= FightinWords.threshold)
        #expect(z["plan"]! <= -FightinWords.threshold)
    }
}
