import Coverage
import Feeds
import Foundation
import Outlets
import Stories
import Testing
@testable import Config

private func fixturePath(_ name: String) throws -> String {
    let base = (name as NSString).deletingPathExtension, ext = (name as NSString).pathExtension
    let url = try #require(Bundle.module.url(forResource: base, withExtension: ext, subdirectory: "Fixtures"), "fixture \(name)")
    return url.standardizedFileURL.path
}

private func fixturesDirectory() throws -> URL {
    URL(fileURLWithPath: try fixturePath("valid.yaml")).deletingLastPathComponent()
}

/// Loads a fixture that must fail, and returns the error.
private func loadError(_ name: String) throws -> ConfigError {
    let path = try fixturePath(name)
    do {
        _ = try ConfigLoader.load(path: path)
    } catch {
        return error
    }
    Issue.record("\(name) loaded without an error")
    throw CancellationError()
}

@Suite("ConfigLoader: a valid config")
struct ValidConfigTests {
    @Test func settings() throws {
        let config = try ConfigLoader.load(path: try fixturePath("valid.yaml"))
        let directory = try fixturesDirectory()
        #expect(config.path == directory.appendingPathComponent("valid.yaml").path)
        #expect(config.statePath == directory.appendingPathComponent("state/parallax.sqlite").path)
        #expect(config.reportsPath == directory.deletingLastPathComponent().appendingPathComponent("out/reports").standardizedFileURL.path)
        #expect(config.allowPrivateNetworks)
        #expect(config.clustering == ClusteringSettings(threshold: 0.3, windowHours: 48, titleWeight: 3))
        #expect(config.blindspot == BlindspotRule(minimumRatedOutlets: 4, minorityMaximumShare: 0.25, majorityMinimumShare: 0.6))
    }

    @Test func outletsIncludingThoseOfTheIncludedFile() throws {
        let config = try ConfigLoader.load(path: try fixturePath("valid.yaml"))
        // The included file is read first.
        #expect(config.outlets.map(\.id) == ["planet", "daily-bugle", "rated-only"])
        let bugle = try #require(config.outlets.first { $0.id == "daily-bugle" })
        #expect(
            bugle
                == Outlet(
                    id: "daily-bugle", name: "The Daily Bugle", domains: ["dailybugle.example", "bugle.example"],
                    manualBias: .leanRight, manualFactuality: .mixed, ownership: .billionaire, owner: "J. Jonah Jameson",
                    country: "US", language: "en",
                    ratings: [
                        Rating(rater: "Example Rater", bias: .right, factuality: .low, label: "Right", date: "2026-11-01", url: "https://rater.example/bugle")
                    ]))
        #expect(bugle.bias == .leanRight)  // manual wins over the rater
        let ratedOnly = try #require(config.outlets.first { $0.id == "rated-only" })
        #expect(ratedOnly.manualBias == nil)
        #expect(ratedOnly.bias == .leanLeft)  // mean of left and center
        #expect(ratedOnly.ownership == .unknown)
        #expect(config.outlets.first?.bias == .center)
    }

    @Test func feedsWithRelativePathsResolvedToFileURLs() throws {
        let config = try ConfigLoader.load(path: try fixturePath("valid.yaml"))
        let directory = try fixturesDirectory()
        #expect(
            config.feeds == [
                // Relative to the included file's own folder.
                FeedSource(url: directory.appendingPathComponent("shared/planet-local.xml").absoluteString, kind: .feed, outletID: "planet"),
                FeedSource(url: directory.appendingPathComponent("feeds/bugle.xml").absoluteString, kind: .feed, outletID: "daily-bugle", title: "Bugle front page"),
                FeedSource(url: "https://news.example/rss", kind: .aggregator),
                FeedSource(url: "https://planet.example/feed", kind: .feed, outletID: "planet"),
            ])
        #expect(config.feeds.first?.url.hasPrefix("file:///") == true)
    }

    @Test func defaultsWhenSettingsAreAbsent() throws {
        let config = try ConfigLoader.load(path: try fixturePath("minimal.yaml"))
        let directory = try fixturesDirectory()
        #expect(config.statePath == directory.appendingPathComponent(".parallax/parallax.sqlite").path)
        #expect(config.reportsPath == nil)
        #expect(!config.allowPrivateNetworks)
        #expect(config.clustering == ClusteringSettings())
        #expect(config.blindspot == BlindspotRule())
        #expect(config.feeds.map(\.url) == ["file:///srv/feeds/solo.xml"])
    }
}

@Suite("ConfigLoader: errors name the file and line")
struct ConfigErrorTests {
    @Test func unknownKey() throws {
        let error = try loadError("error-unknown-key.yaml")
        #expect(error.file == (try fixturePath("error-unknown-key.yaml")))
        #expect(error.line == 5)
        #expect(error.message.contains("unknown key 'colour'"))
        #expect(error.description.hasPrefix("\(error.file):5: "))
    }

    @Test func anOutletDefinedTwiceAndAFeedListedTwice() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("parallax-config-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let outlets = "outlets:\n  - {id: one, name: One, domains: [one.example]}\n  - {id: two, name: Two, domains: [two.example]}\n"
        let cases = [
            ("outlets.yaml", outlets + "  - {id: one, name: Again, domains: [again.example]}\nfeeds: []\n", 4, "outlet id 'one' is defined twice"),
            ("feeds.yaml", outlets + "feeds:\n  - {url: 'https://one.example/rss', outlet: one}\n  - {url: 'https://two.example/rss', outlet: two}\n"
                + "  - {url: 'https://one.example/rss', outlet: two}\n", 7, "feed https://one.example/rss is listed twice"),
        ]
        for (name, text, line, message) in cases {
            let path = directory.appendingPathComponent(name).path
            try text.write(toFile: path, atomically: true, encoding: .utf8)
            #expect(throws: ConfigError.self) { try ConfigLoader.load(path: path) }
            do {
                _ = try ConfigLoader.load(path: path)
            } catch {
                #expect(error.line == line, "\(name)")
                #expect(error.message == message, "\(error.message)")
            }
        }
    }

    @Test func unknownTopLevelKey() throws {
        let error = try loadError("error-unknown-top-level.yaml")
        #expect(error.line == 3)
        #expect(error.message.contains("unknown key 'sources'"))
    }

    @Test func badBiasValue() throws {
        let error = try loadError("error-bad-bias.yaml")
        #expect(error.file == (try fixturePath("error-bad-bias.yaml")))
        #expect(error.line == 8)
        #expect(error.message.contains("'far-left' is not a valid bias"))
        #expect(error.message.contains("lean-left"))
    }

    @Test func feedNamingAnUnknownOutlet() throws {
        let error = try loadError("error-unknown-outlet.yaml")
        #expect(error.file == (try fixturePath("error-unknown-outlet.yaml")))
        #expect(error.line == 8)
        #expect(error.message.contains("'nobody'"))
    }

    @Test func feedWithoutURL() throws {
        let error = try loadError("error-missing-url.yaml")
        #expect(error.file == (try fixturePath("error-missing-url.yaml")))
        #expect(error.line == 8)
        #expect(error.message.contains("needs a 'url'"))
    }

    @Test func invalidYAMLSyntax() throws {
        let error = try loadError("error-syntax.yaml")
        #expect(error.file == (try fixturePath("error-syntax.yaml")))
        #expect(error.line == 3)
        #expect(error.message.hasPrefix("not valid YAML"))
    }

    @Test func missingFile() throws {
        let path = try fixturesDirectory().appendingPathComponent("does-not-exist.yaml").path
        #expect {
            try ConfigLoader.load(path: path)
        } throws: { error in
            guard let error = error as? ConfigError else { return false }
            return error.file == path && error.line == nil && error.message == "no such file"
        }
    }

    @Test func includedFileMayNotSetState() throws {
        let error = try loadError("error-included-state.yaml")
        #expect(error.file == (try fixturePath("included-sets-state.yaml")))
        #expect(error.line == 2)
        #expect(error.message.contains("'state' may only be set in the top-level config"))
    }
}

@Suite("The ratings rule in the config")
struct RatingRuleConfigTests {
    func write(_ text: String) throws -> String {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("parallax-rule-\(UUID().uuidString).yaml")
        try Data(text.utf8).write(to: url)
        return url.path
    }

    let outlet = """
        outlets:
          - id: x
            name: X
            domains: [x.example]
            ratings:
              - { rater: A, bias: left, date: 2026-01-01, category: questionable }
              - { rater: B, bias: right, factuality: high, date: 2026-01-01 }
        """

    @Test func meanIsTheDefault() throws {
        let config = try ConfigLoader.load(path: try write(outlet))
        #expect(config.ratingRule == .mean)
        #expect(config.outlets[0].bias == .center)
        #expect(config.outlets[0].ratings[0].category == "questionable")
    }

    @Test func priorityOrderIsAppliedToEveryOutlet() throws {
        let config = try ConfigLoader.load(path: try write("ratings: { rule: priority, order: [B, A] }\n" + outlet))
        #expect(config.ratingRule == .priority(["B", "A"]))
        #expect(config.outlets[0].bias == .right)
    }

    @Test(arguments: [
        ("ratings: { rule: vote }\n", "unknown ratings.rule 'vote'"),
        ("ratings: { rule: priority }\n", "'rule: priority' needs 'order: [rater, …]'"),
        ("ratings: { rule: mean, order: [A] }\n", "ratings.order is only used with 'rule: priority'"),
        ("ratings: { rule: priority, order: [] }\n", "ratings.order names no rater"),
    ])
    func badRulesNameFileAndLine(_ text: String, _ message: String) throws {
        let path = try write(text + outlet)
        do {
            _ = try ConfigLoader.load(path: path)
            Issue.record("no error")
        } catch {
            #expect(error.description.hasPrefix("\(path):1: \(message)"), "\(error.description)")
        }
    }
}
