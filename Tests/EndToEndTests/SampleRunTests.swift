import Config
import Foundation
import Outlets
import Testing
import TestStates

/// The whole product on the bundled offline sample, through the real executable, checked
/// against the sample's ground truth (`feeds/sample/ground-truth.tsv`).
@Suite("parallax run on feeds/sample", .serialized)
struct SampleRunTests {
    let sampleConfig = CommandRunner.packageRoot.appendingPathComponent("feeds/sample/sample.yaml").path

    /// link → story key, from the ground-truth file.
    func groundTruth() throws -> [String: String] {
        let text = try String(contentsOf: CommandRunner.packageRoot.appendingPathComponent("feeds/sample/ground-truth.tsv"), encoding: .utf8)
        var truth: [String: String] = [:]
        for line in text.split(separator: "\n").dropFirst() {
            let fields = line.split(separator: "\t")
            truth[String(fields[0])] = String(fields[1])
        }
        return truth
    }

    struct StoryReport: Decodable {
        struct Story: Decodable {
            struct Article: Decodable { var canonicalURL: String; var publishedAt: Date }
            struct Outlet: Decodable { var key: String; var bias: String }
            var id: Int64
            var outletCount: Int
            var articleCount: Int
            var biasByOutlet: [String: Int]
            var biasShareByOutlet: [String: Double]
            var articles: [Article]
            var outlets: [Outlet]
            var blindspot: Blindspot
        }
        struct Blindspot: Decodable { var missingSide: String? }
        var schemaVersion: Int
        var story: Story
    }

    struct Index: Decodable {
        struct Entry: Decodable { var id: Int64; var articleCount: Int; var report: String }
        var stories: [Entry]
    }

    func loadReports(_ folder: URL) throws -> [StoryReport] {
        let index = try JSONDecoder().decode(Index.self, from: Data(contentsOf: folder.appendingPathComponent("index.json")))
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return try index.stories.map { entry in
            try decoder.decode(StoryReport.self, from: Data(contentsOf: folder.appendingPathComponent(entry.report)))
        }
    }

    @Test(arguments: StateBackend.available) func findsTheTrueStoriesWithTheirOutletsAndBias(_ backend: StateBackend) async throws {
        let state = try await TestState(backend)
        let scratch = try TemporaryDirectory()
        let outcome = try CommandRunner.run(["run", "--config", sampleConfig, "--state", state.location, "--reports", scratch.path("reports")])
        #expect(outcome.status == 0, "stderr: \(outcome.stderr)")
        #expect(outcome.stdout.contains("17 feeds fetched, 0 not modified, 0 failed"))
        #expect(outcome.stdout.contains("Kessler Bridge"))

        let truth = try groundTruth()
        let reports = try loadReports(scratch.url.appendingPathComponent("reports"))
        #expect(reports.allSatisfy { $0.schemaVersion == 3 })
        var predicted: [String: Int64] = [:]
        for report in reports { for article in report.story.articles { predicted[article.canonicalURL] = report.story.id } }
        #expect(Set(predicted.keys) == Set(truth.keys), "every article of the sample is stored once, under its canonical URL")

        // No found story holds articles of two true stories: a false merge would put outlets
        // on a story they never covered.
        let trueStories = Dictionary(grouping: truth.keys, by: { truth[$0]! })
        for report in reports {
            let keys = Set(report.story.articles.map { truth[$0.canonicalURL] ?? "?" })
            #expect(keys.count == 1, "story \(report.story.id) joins \(keys.sorted())")
        }
        // A story is open for its first 24 hours: what the outlets wrote in that time is one
        // story, and a true story is split only where an article came more than 24 h after the
        // first article of the part before it (a later development, a story of its own).
        let open: TimeInterval = 24 * 3600
        for (key, links) in trueStories {
            let parts = reports.filter { report in report.story.articles.contains { truth[$0.canonicalURL] == key } }
                .sorted { $0.story.articles.map(\.publishedAt).min()! < $1.story.articles.map(\.publishedAt).min()! }
            #expect(parts.reduce(0) { $0 + $1.story.articles.count } == links.count, "every article of \(key) is in one of its parts")
            let starts = parts.map { $0.story.articles.map(\.publishedAt).min()! }
            for (earlier, later) in zip(starts, starts.dropFirst()) {
                #expect(later.timeIntervalSince(earlier) > open, "\(key) split within its first 24 h (parts from \(earlier) and \(later))")
            }
            for (part, start) in zip(parts, starts) {
                #expect(part.story.articles.allSatisfy { $0.publishedAt.timeIntervalSince(start) <= open }, "a part of \(key) took an article after its 24 h")
            }
        }
        #expect(reports.count > trueStories.count && reports.count <= 2 * trueStories.count, "\(reports.count) stories for \(trueStories.count) true stories")

        // Outlets and bias of every story, recomputed independently from the config.
        let config = try ConfigLoader.load(path: sampleConfig)
        let registry = OutletRegistry(config.outlets)
        for report in reports {
            let domains = Set(report.story.articles.compactMap { URL(string: $0.canonicalURL)?.host?.replacingOccurrences(of: "www.", with: "") })
            let key = report.story.id
            #expect(report.story.outletCount == domains.count, "outlet count of story \(key)")
            var expected: [String: Int] = [:]
            for domain in domains { expected[(registry.outlet(forHost: domain)?.bias ?? .unrated).rawValue, default: 0] += 1 }
            for bias in Bias.allCases {
                #expect(report.story.biasByOutlet[bias.rawValue] == expected[bias.rawValue] ?? 0, "\(bias) outlets of story \(key)")
                let share = Double(expected[bias.rawValue] ?? 0) / Double(domains.count)
                #expect(abs((report.story.biasShareByOutlet[bias.rawValue] ?? -1) - share) < 1e-9, "\(bias) share of story \(key)")
            }
        }
        // The sample's one-sided stories are flagged (see feeds/sample/README.md).
        func opening(_ key: String) -> StoryReport? {
            reports.filter { report in report.story.articles.contains { truth[$0.canonicalURL] == key } }
                .min { $0.story.articles.map(\.publishedAt).min()! < $1.story.articles.map(\.publishedAt).min()! }
        }
        let blindspotStory = try #require(opening("renter-relief-audit"))
        #expect(blindspotStory.story.blindspot.missingSide == "left")
        let reverse = try #require(opening("tidewater-overtime"))
        #expect(reverse.story.blindspot.missingSide == "right")
    }

    @Test(arguments: StateBackend.available) func aSecondRunAddsNothingAndKeepsStoryIds(_ backend: StateBackend) async throws {
        let state = try await TestState(backend)
        let scratch = try TemporaryDirectory()
        let arguments = ["run", "--config", sampleConfig, "--state", state.location, "--reports", scratch.path("reports")]
        let first = try CommandRunner.run(arguments)
        #expect(first.status == 0)
        let before = try loadReports(scratch.url.appendingPathComponent("reports"))
        let second = try CommandRunner.run(arguments)
        #expect(second.status == 0)
        #expect(second.stdout.contains("0 new articles, 0 stories touched"))
        let after = try loadReports(scratch.url.appendingPathComponent("reports"))
        #expect(after.map(\.story.id) == before.map(\.story.id))
        #expect(after.map { Set($0.story.articles.map(\.canonicalURL)) } == before.map { Set($0.story.articles.map(\.canonicalURL)) })
    }

    @Test(arguments: StateBackend.available) func storiesAndStoryCommandsReadTheState(_ backend: StateBackend) async throws {
        let state = try await TestState(backend)
        let scratch = try TemporaryDirectory()
        let common = ["--config", sampleConfig, "--state", state.location, "--reports", scratch.path("reports")]
        #expect(try CommandRunner.run(["run", "--quiet"] + common).status == 0)
        let list = try CommandRunner.run(["stories"] + common)
        #expect(list.status == 0)
        #expect(list.stdout.contains("Hurricane Odessa"))
        let index = try JSONDecoder().decode(Index.self, from: Data(CommandRunner.run(["stories", "--format", "json"] + common).stdout.utf8))
        let biggest = try #require(index.stories.first)
        #expect(biggest.articleCount == index.stories.map(\.articleCount).max())
        let story = try CommandRunner.run(["story", "\(biggest.id)"] + common)
        #expect(story.status == 0)
        #expect(story.stdout.contains("Story \(biggest.id):"))
        #expect(story.stdout.contains("Method"))
        let missing = try CommandRunner.run(["story", "99999"] + common)
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("no story with id 99999"))
    }

    @Test(arguments: StateBackend.available) func feedsHealthReportsEveryFeedAfterARun(_ backend: StateBackend) async throws {
        let state = try await TestState(backend)
        let scratch = try TemporaryDirectory()
        let common = ["--config", sampleConfig, "--state", state.location, "--reports", scratch.path("reports")]
        let before = try CommandRunner.run(["feeds", "health"] + common)
        #expect(before.status == 0)
        #expect(before.stdout.contains("never"), "no feed has succeeded yet")
        #expect(try CommandRunner.run(["run", "--quiet"] + common).status == 0)
        let text = try CommandRunner.run(["feeds", "health"] + common)
        #expect(text.stdout.split(separator: "\n").filter { $0.contains("file://") && $0.contains(" ok ") }.count == 17)
        let json = try CommandRunner.run(["feeds", "health", "--format", "json"] + common)
        let rows = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [[String: Any]])
        #expect(rows.count == 17)
        #expect(rows.allSatisfy { $0["condition"] as? String == "ok" && $0["consecutiveErrors"] as? Int == 0 })
        let unknown = try CommandRunner.run(["feeds", "unpark", "https://nowhere.example/rss"] + common)
        #expect(unknown.status == 2)
        #expect(unknown.stderr.contains("no stored feed has this URL"))
    }
}
