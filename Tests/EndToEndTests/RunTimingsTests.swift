import Foundation
import Testing
import TestStates

/// `parallax run --timings`: one more line on standard error with what the run did and what each
/// stage cost, and nothing of it without the flag.
@Suite("parallax run --timings")
struct RunTimingsTests {
    static let sample = CommandRunner.packageRoot.appendingPathComponent("feeds/sample/sample.yaml").path

    @Test func theTimingLineNamesEveryStageInOrderWithTheRunsCounts() async throws {
        let state = try await TestState(.sqlite)
        let reports = state.directory.appendingPathComponent("reports").path
        let run = try CommandRunner.run(["run", "--config", Self.sample, "--state", state.location, "--reports", reports, "--quiet", "--timings"])
        #expect(run.status == 0, "\(run.stderr)")
        let line = try #require(run.stderr.split(separator: "\n").first { $0.hasPrefix("parallax run: ") }.map(String.init), "\(run.stderr)")
        // The sample's first run stores every article (a fixed count) and touches every story.
        let counts = line.firstMatch(of: #/parallax run: (\d+) new articles, (\d+) stories touched; /#)
        let articles = try #require(counts.map { Int($0.1)! }), stories = try #require(counts.map { Int($0.2)! })
        #expect(articles > 100 && stories >= 30, "\(line)")
        // The sample keeps its stories (`retention: never`): no prune stage.
        let stages = line.matches(of: #/(\w+) (\d+\.\d\d) s wall (\d+\.\d\d) s CPU/#).map { String($0.1) }
        #expect(stages == ["crawl", "cluster", "tally", "report"], "\(line)")
        #expect(line.contains(#/; peak memory \d+ MiB$/#), "\(line)")

        let quiet = try CommandRunner.run(["run", "--config", Self.sample, "--state", state.location, "--reports", reports, "--quiet"])
        #expect(quiet.status == 0)
        #expect(!quiet.stderr.contains("parallax run: "), "\(quiet.stderr)")
    }
}
