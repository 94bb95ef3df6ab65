import ArgumentParser
import Evaluation
import Foundation
import Stories

struct Eval: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval",
        abstract: "Measure Parallax against labelled data.", subcommands: [EvalClustering.self, EvalCoverage.self, EvalFeedparser.self])
}

struct EvalClustering: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "clustering",
        abstract: "Stream a UCI News Aggregator file through the incremental clustering and score it (B-cubed).",
        discussion: """
            FILE is tab-separated: ID TITLE URL PUBLISHER CATEGORY STORY HOSTNAME TIMESTAMP (header optional). \
            Headlines are fed in timestamp order, one batch per --batch-hours, through the same store and \
            clustering code as `parallax run`. The predictions file (id<TAB>cluster) is what \
            ../shared/tools/bcubed.py reads.
            """)

    @Argument(help: "A UCI-format TSV file.")
    var file: String

    @Option(help: "Write id<TAB>cluster predictions here.")
    var predictions: String?

    @Option(help: "Hours of timestamps per batch (one cron run).")
    var batchHours: Double = 1

    @Option(help: "Move every headline's time later by a seeded random 0…HOURS h (as `eval coverage --jitter`).")
    var jitter: Double = 0

    @Option(help: "The seed of --jitter.")
    var seed: UInt64 = 1

    @Option(help: "Similarity needed to join a story (default: the clusterer's).")
    var threshold: Double?

    @Option(help: "Time window in hours (default: the clusterer's).")
    var windowHours: Double?

    @Option(help: "Centroid similarity at which the merge pass joins two stories (default: the clusterer's).")
    var mergeThreshold: Double?

    @Option(help: "Weight of names (capitalised words inside a sentence, acronyms) relative to other words.")
    var nameWeight: Double?

    @Option(help: "Weight of numbers relative to other words.")
    var numberWeight: Double?

    @Option(help: "Hours of recent articles the document frequencies count.")
    var documentFrequencyHours: Double?

    func run() async throws {
        try await reportingFailures {
            var settings = ClusteringSettings()
            if let threshold { settings.threshold = threshold }
            if let windowHours { settings.windowHours = windowHours }
            if let mergeThreshold { settings.mergeThreshold = mergeThreshold }
            if let nameWeight { settings.weights.name = nameWeight }
            if let numberWeight { settings.weights.number = numberWeight }
            if let documentFrequencyHours { settings.documentFrequencyHours = documentFrequencyHours }
            let headlines: [ClusteringEvaluation.Headline]
            do {
                headlines = ClusteringEvaluation.jittered(try ClusteringEvaluation.readHeadlines(path: file), hours: jitter, seed: seed)
            } catch {
                throw Failure(message: "\(error)", status: .cannotStart)
            }
            let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("parallax-eval-\(UUID().uuidString)")
            defer { try? FileManager.default.removeItem(at: scratch) }
            let result = try await ClusteringEvaluation.run(headlines, settings: settings, statePath: scratch.appendingPathComponent("eval.sqlite").path, batchHours: batchHours)
            if let predictions {
                let lines = ["id\tcluster"] + result.predictions.map { "\($0.id)\t\($0.story)" }
                do {
                    try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: URL(fileURLWithPath: predictions), options: .atomic)
                } catch {
                    throw Failure(message: "\(predictions): cannot write predictions: \(error.localizedDescription)", status: .cannotStart)
                }
            }
            let score = result.score
            print("\(file): \(score.items) headlines, \(score.goldClusters) gold stories, \(score.predictedClusters) predicted, \(result.batches) batches")
            print(String(format: "B-cubed precision %.4f  recall %.4f  F1 %.4f", score.precision, score.recall, score.f1))
            print(String(format: "%.1f s (%.0f headlines/s)  settings: %@", result.seconds, Double(score.items) / max(result.seconds, 0.001), settings.summary))
        }
    }
}
