import ArgumentParser
import Evaluation
import Foundation
import Outlets

struct EvalCoverage: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "coverage",
        abstract: "Replay a UCI News Aggregator file as real feeds and measure what a user sees against the gold stories.",
        discussion: """
            FILE is tab-separated: ID TITLE URL PUBLISHER CATEGORY STORY HOSTNAME TIMESTAMP (header optional, \
            .gz read too). Each HOSTNAME becomes an outlet with its own RSS file, read as a file:// feed; one \
            run of the same crawl, store and clustering code as `parallax run` per --step hours of data, each \
            feed holding its items of the last --window hours. RATINGS is a rater's file as `parallax outlets \
            import` reads it. Each story is compared with its gold story (the gold story most of its articles \
            belong to), tallied by the same rules.
            """)

    @Argument(help: "A UCI-format TSV file (.tsv or .tsv.gz).")
    var file: String

    @Option(help: "A rater's data file, e.g. ../shared/data/mbfc-mbfcext/combined.json.")
    var ratings: String

    @Option(help: "The ratings file's format: \(RatingFormat.allCases.map(\.rawValue).joined(separator: ", ")).")
    var ratingsFormat: RatingFormat = .mbfc

    @Option(help: "The ratings snapshot's date (YYYY-MM-DD), for files that carry none (as `outlets import --date`).")
    var date: String?

    @Option(help: "Hours of data per run (one cron run).")
    var step: Double = 1

    @Option(help: "Hours of items each feed holds.")
    var window: Double = 48

    @Option(help: "Move every row's time later by a seeded random 0…HOURS h.")
    var jitter: Double = 0

    @Option(help: "The seed of --jitter.")
    var seed: UInt64 = 1

    @Option(help: "Output format: text or json.")
    var format: OutputFormat = .text

    func run() async throws {
        try await reportingFailures {
            guard step > 0, window >= step else {
                throw Failure(message: "--step must be positive and --window at least --step (got --step \(step), --window \(window))", status: .cannotStart)
            }
            guard jitter >= 0 else { throw Failure(message: "--jitter must not be negative", status: .cannotStart) }
            let headlines: [ClusteringEvaluation.Headline]
            let outlets: [Outlet]
            do {
                headlines = ClusteringEvaluation.jittered(try ClusteringEvaluation.readHeadlines(path: file), hours: jitter, seed: seed)
                outlets = try CoverageEvaluation.outlets(ratingsFile: ratings, format: ratingsFormat, date: date)
            } catch {
                throw Failure(message: "\(error)", status: .cannotStart)
            }
            let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("parallax-eval-coverage-\(UUID().uuidString)")
            defer { try? FileManager.default.removeItem(at: scratch) }
            let bar = ProgressBar(quiet: format == .json)
            let replay = try await CoverageEvaluation.replay(
                headlines, ratedOutlets: outlets, options: .init(stepHours: step, windowHours: window), directory: scratch
            ) { done, total in bar.update("Replaying", done: done, total: total) }
            let comparison = CoverageComparison(stories: replay.stories, gold: replay.gold, registry: replay.registry, rule: replay.rule)
            switch format {
            case .json:
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
                let report = Report(
                    file: file, rows: replay.rows, outlets: replay.outlets, outletsInRatings: replay.ratedOutlets, runs: replay.runs,
                    feedReads: replay.feedReads, failedFeedReads: replay.failedReads, stepHours: step, windowHours: window,
                    jitterHours: jitter, seed: seed, comparison: comparison, cost: replay.cost)
                print(String(decoding: try encoder.encode(report), as: UTF8.self))
            case .text:
                printText(replay, comparison)
            }
            if let failure = replay.firstFailure {
                throw Failure(message: "\(replay.failedReads) feed reads failed, the first: \(failure)", status: .cannotStart)
            }
        }
    }

    struct Report: Encodable {
        var file: String
        var rows: Int
        var outlets: Int
        var outletsInRatings: Int
        var runs: Int
        var feedReads: Int
        var failedFeedReads: Int
        var stepHours: Double
        var windowHours: Double
        var jitterHours: Double
        var seed: UInt64
        var comparison: CoverageComparison
        var cost: CoverageEvaluation.Cost
    }

    func printText(_ replay: CoverageEvaluation.Replay, _ comparison: CoverageComparison) {
        let c = comparison
        print(
            "\(file): \(replay.rows) rows → \(c.articles) articles stored, \(replay.outlets) outlets (\(replay.ratedOutlets) in \(ratings)), "
                + "\(c.goldStories) gold stories")
        print(
            "replay: \(replay.runs) runs, one per \(Self.number(step)) h of data, feeds holding \(Self.number(window)) h, "
                + "jitter \(Self.number(jitter)) h (seed \(seed)); \(replay.feedReads) feed reads; \(c.stories) stories")
        print(String(format: "B-cubed precision %.4f  recall %.4f  F1 %.4f", c.bcubed.precision, c.bcubed.recall, c.bcubed.f1))
        print("")
        print("stories              mean purity  worst  below 0.80  outlet-count error  bias-share L1  title from majority")
        for top in c.top {
            let name = "top \(top.size) by \(top.ranking)".padding(toLength: 20, withPad: " ", startingAt: 0)
            print(
                name
                    + String(
                        format: " %11.3f  %5.3f  %10d  %16.1f %%  %13.3f  ", top.meanPurity, top.worstPurity, top.belowPurityFloor,
                        top.meanOutletCountError * 100, top.meanBiasShareL1)
                    + "\(top.titlesFromMajority)/\(top.stories)")
        }
        print("")
        let large = c.largeGold
        print(
            String(
                format: "gold stories with ≥ %d outlets: %d; share of their articles in their largest story: mean %.3f, worst %.3f; %d keep ≥ 85 %%",
                large.minimumOutlets, large.count, large.meanShareInLargest, large.worstShareInLargest, large.keptAtLeast85Percent))
        let b = c.blindspots
        print(
            "blindspots: Parallax \(b.parallaxBlindspots), gold coverage \(b.goldBlindspots); precision \(Self.ratio(b.precision)) "
                + "(\(b.confirmed)/\(b.parallaxBlindspots)), recall \(Self.ratio(b.recall)) (\(b.found)/\(b.goldBlindspots))")
        print("")
        print("top 20 stories by outlets:   id  outlets (gold)  articles (gold)  purity  title")
        for row in c.topByOutlets {
            print(
                String(format: "%32lld  %7d (%4d)  %8d (%4d)  %6.3f  ", row.id, row.outlets, row.goldOutlets, row.articles, row.goldArticles, row.purity)
                    + (row.titleFromMajority ? "" : "[not the majority's] ") + row.title)
        }
        let cost = replay.cost
        print("")
        print(
            String(
                format: "cost: %.1f s wall (writing feeds %.1f, crawl %.1f, cluster %.1f, tally %.1f), %.1f CPU s, peak %.0f MB",
                cost.wall, cost.writingFeeds, cost.crawl, cost.cluster, cost.tally, cost.cpu, cost.peakMegabytes))
    }

    static func number(_ value: Double) -> String { value == value.rounded() ? String(Int(value)) : String(value) }
    static func ratio(_ value: Double?) -> String { value.map { String(format: "%.3f", $0) } ?? "—" }
}
