/// B-cubed precision, recall and F1 of a clustering against gold labels (Bagga & Baldwin 1998),
/// computed as `../shared/tools/bcubed.py` does: item-averaged over every gold item, and a gold
/// item with no prediction counts as a cluster of its own.
public struct BCubedScore: Sendable, Equatable {
    public var precision: Double
    public var recall: Double
    public var f1: Double { precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall) }
    public var items: Int
    public var goldClusters: Int
    public var predictedClusters: Int

    public static func score(gold: [String: String], predicted: [String: String]) -> BCubedScore {
        var predictedLabel: [String: String] = [:]
        for id in gold.keys { predictedLabel[id] = predicted[id].map { "p:" + $0 } ?? "singleton:" + id }
        var pairCounts: [String: [String: Int]] = [:]
        var goldSizes: [String: Int] = [:]
        var predictedSizes: [String: Int] = [:]
        for (id, goldLabel) in gold {
            let label = predictedLabel[id]!
            pairCounts[goldLabel, default: [:]][label, default: 0] += 1
            goldSizes[goldLabel, default: 0] += 1
            predictedSizes[label, default: 0] += 1
        }
        // Summed in label order: a dictionary's order changes from one process to the next, and
        // the same clustering must print the same score to the last digit.
        var precision = 0.0, recall = 0.0
        for (goldLabel, row) in pairCounts.sorted(by: { $0.key < $1.key }) {
            for (label, count) in row.sorted(by: { $0.key < $1.key }) {
                let squared = Double(count * count)
                precision += squared / Double(predictedSizes[label]!)
                recall += squared / Double(goldSizes[goldLabel]!)
            }
        }
        let n = Double(max(gold.count, 1))
        return BCubedScore(
            precision: precision / n, recall: recall / n, items: gold.count, goldClusters: goldSizes.count,
            predictedClusters: predictedSizes.count)
    }
}
