import Stories
import Testing

@Suite("B-cubed scoring, as ../shared/tools/bcubed.py computes it")
struct BCubedTests {
    @Test func perfectClusteringScoresOne() {
        let gold = ["1": "a", "2": "a", "3": "b"]
        let score = BCubedScore.score(gold: gold, predicted: ["1": "x", "2": "x", "3": "y"])
        #expect(score.precision == 1 && score.recall == 1 && score.f1 == 1)
        #expect(score.goldClusters == 2 && score.predictedClusters == 2)
    }

    @Test func itemAveragedPrecisionAndRecall() {
        // Gold {1,2}{3}; predicted {1}{2,3}: P = (1 + 1/2 + 1/2) / 3, R = (1/2 + 1/2 + 1) / 3.
        let score = BCubedScore.score(gold: ["1": "a", "2": "a", "3": "b"], predicted: ["1": "x", "2": "y", "3": "y"])
        #expect(abs(score.precision - 2.0 / 3.0) < 1e-12)
        #expect(abs(score.recall - 2.0 / 3.0) < 1e-12)
    }

    @Test func aMissingPredictionIsItsOwnCluster() {
        // Item 2 unpredicted: clusters {1,3} and {2}; gold {1,2,3}. P = 1, R = (2/3 + 1/3 + 2/3) / 3.
        let score = BCubedScore.score(gold: ["1": "a", "2": "a", "3": "a"], predicted: ["1": "x", "3": "x"])
        #expect(score.precision == 1)
        #expect(abs(score.recall - 5.0 / 9.0) < 1e-12)
        #expect(score.predictedClusters == 2)
    }
}
