import Foundation
import Testing
import TestStates

/// `parallax story merge`, `story split`, `article move` and `corrections export/import`, run as a
/// user runs them, on feeds this test writes and extends between runs.
@Suite("User corrections end to end", .serialized)
struct CorrectionsTests {
    struct Item {
        var outlet: String
        var slug: String
        var title: String
        var summary: String
        var minutesAgo: Double
        var url: String { "https://\(outlet).example/\(slug)" }
    }

    static let first: [Item] = [
        Item(outlet: "harbor", slug: "a1", title: "Council approves harbor bridge budget after long debate",
             summary: "The city council approved the harbor bridge budget on Monday after a long debate about tolls.", minutesAgo: 300),
        Item(outlet: "ledger", slug: "a2", title: "Harbor bridge budget wins council approval",
             summary: "Councillors voted to approve the budget for the new harbor bridge, ending months of debate over tolls.", minutesAgo: 290),
        Item(outlet: "review", slug: "a3", title: "Harbor bridge tolls: what the council budget means for drivers",
             summary: "Drivers will pay tolls on the harbor bridge under the budget the council approved.", minutesAgo: 280),
        Item(outlet: "harbor", slug: "b1", title: "Volcano erupts near remote fishing village",
             summary: "Lava from the volcano reached the sea near the fishing village; residents were evacuated.", minutesAgo: 270),
        Item(outlet: "ledger", slug: "b2", title: "Fishing village evacuated as volcano erupts",
             summary: "The volcano erupted overnight and lava flowed toward the fishing village, forcing an evacuation.", minutesAgo: 260),
        Item(outlet: "review", slug: "b3", title: "Volcano eruption: lava reaches the sea near village",
             summary: "Residents of the fishing village watched lava from the erupting volcano reach the sea.", minutesAgo: 250),
        Item(outlet: "harbor", slug: "c1", title: "City marathon route changed for road repairs",
             summary: "Organisers moved the marathon route away from the avenue closed for road repairs.", minutesAgo: 240),
        Item(outlet: "ledger", slug: "c2", title: "Marathon runners face new route because of repairs",
             summary: "Road repairs force the city marathon onto a new route, organisers said.", minutesAgo: 230),
        Item(outlet: "harbor", slug: "d1", title: "New library reading room opens downtown",
             summary: "The downtown library opened a reading room with late hours and free tea.", minutesAgo: 220),
        Item(outlet: "ledger", slug: "d2", title: "Downtown library unveils reading room",
             summary: "Readers can now use the new reading room at the downtown library until midnight.", minutesAgo: 210),
    ]

    /// What the feeds add before the second run: one more article of the split story, of the
    /// story an article was moved out of, and of the story merged away.
    static let later: [Item] = [
        Item(outlet: "harbor", slug: "a4", title: "Harbor bridge budget: council approval explained",
             summary: "The council's approval of the harbor bridge budget settles the toll debate for drivers.", minutesAgo: 60),
        Item(outlet: "ledger", slug: "b4", title: "Volcano still erupting as fishing village waits",
             summary: "Lava continues to flow from the volcano toward the sea; the evacuated fishing village waits.", minutesAgo: 50),
        Item(outlet: "review", slug: "d3", title: "Library reading room draws crowds downtown",
             summary: "Crowds filled the downtown library's new reading room in its first week.", minutesAgo: 40),
    ]

    static func url(_ slug: String) -> String { (first + later).first { $0.slug == slug }!.url }

    static func rfc822(minutesAgo: Double) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
        return formatter.string(from: Date().addingTimeInterval(-minutesAgo * 60))
    }

    /// A folder with one feed per outlet and a config; `writeFeeds` rewrites the feeds. Its two
    /// states ("state.sqlite" and "fresh.sqlite") are of the backend under test.
    final class Setup {
        let scratch: TemporaryDirectory
        let config: String
        let states: [String: String]

        init(_ backend: StateBackend) async throws {
            states = ["state.sqlite": try await TestState(backend).location, "fresh.sqlite": try await TestState(backend).location]
            scratch = try TemporaryDirectory()
            config = scratch.path("config.yaml")
            let yaml = """
                retention: never
                outlets:
                  - { id: harbor, name: Harbor Times, domains: [harbor.example], bias: left }
                  - { id: ledger, name: Daily Ledger, domains: [ledger.example], bias: center }
                  - { id: review, name: The Review, domains: [review.example], bias: right }
                feeds:
                  - { url: harbor.xml, outlet: harbor }
                  - { url: ledger.xml, outlet: ledger }
                  - { url: review.xml, outlet: review }
                """
            try Data(yaml.utf8).write(to: URL(fileURLWithPath: config))
        }

        func writeFeeds(_ items: [Item]) throws {
            for outlet in ["harbor", "ledger", "review"] {
                let entries = items.filter { $0.outlet == outlet }.map { item in
                    "<item><title>\(item.title)</title><link>\(item.url)</link><description>\(item.summary)</description>"
                        + "<pubDate>\(CorrectionsTests.rfc822(minutesAgo: item.minutesAgo))</pubDate></item>"
                }
                let rss = "<rss version=\"2.0\"><channel><title>\(outlet)</title><link>https://\(outlet).example/</link>"
                    + entries.joined() + "</channel></rss>"
                try Data(rss.utf8).write(to: URL(fileURLWithPath: scratch.path("\(outlet).xml")))
            }
        }

        func common(state: String = "state.sqlite") -> [String] {
            ["--config", config, "--state", states[state]!, "--reports", scratch.path("reports-" + state)]
        }

        @discardableResult
        func parallax(_ arguments: [String], state: String = "state.sqlite", expect status: Int32 = 0) throws -> CommandRunner.Outcome {
            let outcome = try CommandRunner.run(arguments + common(state: state))
            #expect(outcome.status == status, "parallax \(arguments.joined(separator: " ")): \(outcome.stderr)")
            return outcome
        }

        /// Every article's story, as `parallax story ID --format json` reports it.
        func storyOfEachArticle(state: String = "state.sqlite") throws -> [String: Int64] {
            struct Index: Decodable { struct Entry: Decodable { var id: Int64 }; var stories: [Entry] }
            struct Document: Decodable {
                struct Story: Decodable { struct Article: Decodable { var url: String }; var id: Int64; var articles: [Article] }
                var story: Story
            }
            let index = try JSONDecoder().decode(Index.self, from: Data(parallax(["stories", "--format", "json"], state: state).stdout.utf8))
            var stories: [String: Int64] = [:]
            for entry in index.stories {
                let document = try JSONDecoder().decode(
                    Document.self, from: Data(parallax(["story", "\(entry.id)", "--format", "json"], state: state).stdout.utf8))
                for article in document.story.articles { stories[article.url] = document.story.id }
            }
            return stories
        }

        func reportFile(_ path: String, state: String = "state.sqlite") -> String? {
            try? String(contentsOfFile: scratch.path("reports-\(state)/\(path)"), encoding: .utf8)
        }
    }

    /// The three corrections of these tests, made after a first run; returns the story ids then.
    func correct(_ setup: Setup) throws -> (bridge: Int64, part: Int64, volcano: Int64, marathon: Int64, library: Int64) {
        let before = try setup.storyOfEachArticle()
        let url = Self.url
        // The clusterer sees four stories in the first feeds; the corrections are the user's view.
        let bridge = try #require(before[url("a1")]), volcano = try #require(before[url("b1")])
        let marathon = try #require(before[url("c1")]), library = try #require(before[url("d1")])
        #expect(Set([bridge, volcano, marathon, library]).count == 4)
        #expect(before[url("a3")] == bridge && before[url("b3")] == volcano && before[url("d2")] == library)

        let split = try setup.parallax(["story", "split", "\(bridge)", "--articles", url("a3")])
        let match = try #require(split.stdout.firstMatch(of: /split off as story (\d+)/))
        let part = try #require(Int64(match.1))
        #expect(![bridge, volcano, marathon, library].contains(part))
        let move = try setup.parallax(["article", "move", url("b3"), "--to", "\(marathon)"])
        #expect(move.stdout.contains("moved to story \(marathon)"))
        let merge = try setup.parallax(["story", "merge", "\(marathon)", "\(library)"])
        #expect(merge.stdout.contains("story \(library) merged into story \(marathon)"))
        #expect(merge.stdout.contains("Reports change on the next `parallax report`"))
        return (bridge, part, volcano, marathon, library)
    }

    @Test(arguments: StateBackend.available) func correctionsHoldAcrossRunsAsMoreArticlesArrive(_ backend: StateBackend) async throws {
        let setup = try await Setup(backend)
        try setup.writeFeeds(Self.first)
        try setup.parallax(["run", "--all", "--quiet"])
        let ids = try correct(setup)
        let url = Self.url

        // The reports follow on the next `report`: the manifest notices the changed stories.
        let report = try setup.parallax(["report"])
        #expect(!report.stdout.hasPrefix("0 stories rendered"), "\(report.stdout)")
        #expect(setup.reportFile("stories/\(ids.library).json") == nil, "the merged-away story's files are gone")
        #expect(setup.reportFile("stories/\(ids.marathon).md")?.contains("User correction: correction \\#3 of ") == true)
        #expect(setup.reportFile("stories/\(ids.part).html")?.contains("split off from story \(ids.bridge) by a user") == true)

        try setup.writeFeeds(Self.first + Self.later)
        let second = try setup.parallax(["run", "--all", "--quiet"])
        #expect(second.stderr.isEmpty, "\(second.stderr)")
        let after = try setup.storyOfEachArticle()
        // The split part keeps its id and never rejoins the story it was split from.
        #expect(after[url("a3")] == ids.part)
        #expect(after[url("a1")] == ids.bridge && after[url("a2")] == ids.bridge)
        #expect(after[url("a4")] == ids.bridge || after[url("a4")] == ids.part)
        // The moved article stays where it was moved; its old story goes on without it.
        #expect(after[url("b3")] == ids.marathon)
        #expect(after[url("b4")] == ids.volcano)
        // The merged stories stay one, and a new article of the merged-away story joins the survivor.
        #expect(after[url("d1")] == ids.marathon && after[url("d2")] == ids.marathon)
        #expect(after[url("d3")] == ids.marathon)
        #expect(!after.values.contains(ids.library))

        // The merged id leads to the survivor.
        let redirected = try setup.parallax(["story", "\(ids.library)"])
        #expect(redirected.stdout.hasPrefix("Story \(ids.library) was merged into story \(ids.marathon)."))

        // `explain` says how each corrected article got where it is.
        let explainMarathon = try setup.parallax(["explain", "\(ids.marathon)"]).stdout
        #expect(explainMarathon.contains("moved here from story \(ids.volcano) by correction #2 of "))
        #expect(explainMarathon.contains("came with story \(ids.library), merged in by correction #3 of "))
        let explainPart = try setup.parallax(["explain", "\(ids.part)"]).stdout
        #expect(explainPart.contains("split off from story \(ids.bridge) by correction #1 of "))

        // The reports name the corrections in the method section and in the JSON.
        let json = try #require(setup.reportFile("stories/\(ids.marathon).json"))
        let document = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        let corrections = try #require((document["story"] as? [String: Any])?["corrections"] as? [[String: Any]])
        #expect(Set(corrections.compactMap { $0["kind"] as? String }) == ["move", "merge"])
        let volcanoJSON = try #require(setup.reportFile("stories/\(ids.volcano).json"))
        #expect(volcanoJSON.contains("1 article moved to story \(ids.marathon) by a user"))
        let listing = try setup.parallax(["corrections", "list"]).stdout
        #expect(listing.split(separator: "\n").count == 3, "\(listing)")
    }

    @Test(arguments: StateBackend.available) func anExportImportedIntoAFreshStateReproducesTheCorrections(_ backend: StateBackend) async throws {
        let setup = try await Setup(backend)
        try setup.writeFeeds(Self.first)
        try setup.parallax(["run", "--all", "--quiet"])
        _ = try correct(setup)
        let file = setup.scratch.path("corrections.yaml")
        try setup.parallax(["corrections", "export", "--output", file])
        let exported = try String(contentsOfFile: file, encoding: .utf8)
        #expect(exported.contains("kind: split") && exported.contains("kind: move") && exported.contains("kind: merge"))
        #expect(exported.contains(Self.url("a3")))

        // Imported before the fresh state has seen any article: the corrections wait for them.
        let imported = try setup.parallax(["corrections", "import", file], state: "fresh.sqlite")
        #expect(imported.stdout.contains("3 corrections imported, 0 already present"))
        #expect(imported.stdout.contains("applies when they arrive"))
        try setup.writeFeeds(Self.first + Self.later)
        try setup.parallax(["run", "--all", "--quiet"], state: "fresh.sqlite")
        let fresh = try setup.storyOfEachArticle(state: "fresh.sqlite")
        let url = Self.url
        #expect(fresh[url("a3")] != fresh[url("a1")])
        #expect(fresh[url("a1")] == fresh[url("a2")])
        #expect(fresh[url("b3")] == fresh[url("c1")] && fresh[url("b3")] != fresh[url("b1")])
        #expect(fresh[url("d1")] == fresh[url("c1")] && fresh[url("d3")] == fresh[url("c1")])

        // A second import of the same file changes nothing; the fresh state exports the same corrections.
        let again = try setup.parallax(["corrections", "import", file], state: "fresh.sqlite")
        #expect(again.stdout.contains("0 corrections imported, 3 already present"))
        #expect(try setup.storyOfEachArticle(state: "fresh.sqlite") == fresh)
        let reexported = try setup.parallax(["corrections", "export"], state: "fresh.sqlite").stdout
        func statements(_ text: String) -> [String] {
            // Whole-line comments (the export's header with its time) go first; `split` would
            // otherwise keep the text after a leading "#".
            text.split(separator: "\n").filter { !$0.trimmingCharacters(in: .whitespaces).hasPrefix("#") }
                .map { ($0.split(separator: "#", maxSplits: 1).first.map(String.init) ?? "").trimmingCharacters(in: .whitespaces) }
                .filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty }
        }
        #expect(statements(reexported) == statements(exported))
    }

    @Test(arguments: StateBackend.available) func aBadIdOrURLIsOneClearLineExitTwoAndChangesNothing(_ backend: StateBackend) async throws {
        let setup = try await Setup(backend)
        try setup.writeFeeds(Self.first)
        try setup.parallax(["run", "--all", "--quiet"])
        let before = try setup.storyOfEachArticle()
        let url = Self.url
        let bridge = try #require(before[url("a1")]), marathon = try #require(before[url("c1")])
        let bad = setup.scratch.path("bad.yaml")
        try Data("corrections:\n  - kind: frobnicate\n    date: 2026-12-03T09:00:00Z\n".utf8).write(to: URL(fileURLWithPath: bad))

        let cases: [([String], String)] = [
            (["story", "merge", "\(bridge)", "99999"], "no story with id 99999"),
            (["story", "merge", "\(bridge)", "\(bridge)"], "cannot be merged with itself"),
            (["story", "split", "99999", "--articles", url("a3")], "no story with id 99999"),
            (["story", "split", "\(bridge)", "--articles", "https://nowhere.example/x"], "https://nowhere.example/x: no article with this URL"),
            (["story", "split", "\(bridge)", "--articles", url("b1")], "\(url("b1")): not an article of story \(bridge)"),
            (["story", "split", "\(marathon)", "--articles", url("c1"), url("c2")], "a split must leave some behind"),
            (["article", "move", url("a1"), "--to", "\(bridge)"], "already in story \(bridge)"),
            (["article", "move", url("a1"), "--to", "99999"], "no story with id 99999"),
            (["article", "move", url("a2"), "https://nowhere.example/y", "--to", "\(marathon)"], "https://nowhere.example/y: no article"),
            (["corrections", "import", bad], "bad.yaml:2: 'frobnicate' is not a valid kind"),
            (["corrections", "import", setup.scratch.path("missing.yaml")], "missing.yaml: no such file"),
        ]
        for (arguments, message) in cases {
            let outcome = try setup.parallax(arguments, expect: 2)
            let lines = outcome.stderr.split(separator: "\n")
            #expect(lines.count == 1 && lines[0].hasPrefix("parallax: ") && lines[0].contains(message), "\(arguments): \(outcome.stderr)")
        }
        #expect(try setup.storyOfEachArticle() == before)
        #expect(try setup.parallax(["corrections", "export"]).stdout.contains("corrections: []"))
    }
}
