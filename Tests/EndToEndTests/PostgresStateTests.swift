import Foundation
import PostgresStore
import Store
import Stories
import Testing
import TestStates

/// The CLI on a PostgreSQL state: chosen by `--state` or `PARALLAX_STATE`, checked by `check`,
/// filled by `state copy`, and one line with exit 2 when the database cannot be used.
@Suite("PostgreSQL state from the command line")
struct PostgresStateTests {
    static let sample = CommandRunner.packageRoot.appendingPathComponent("feeds/sample/sample.yaml").path

    @Test(.enabled(if: StateBackend.available.contains(.postgresql)))
    func theSampleRunsOnPostgreSQLAndCheckReportsTheSchema() async throws {
        let state = try await TestState(.postgresql)
        let reports = state.directory.appendingPathComponent("reports").path
        let run = try CommandRunner.run(
            ["run", "--config", Self.sample, "--reports", reports, "--quiet"], environment: ["PARALLAX_STATE": state.location])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(FileManager.default.fileExists(atPath: reports + "/index.html"))
        let stories = try CommandRunner.run(["stories", "--config", Self.sample, "--state", state.location, "--format", "json"])
        #expect(stories.status == 0, "\(stories.stderr)")
        let check = try CommandRunner.run(["check", "--config", Self.sample, "--reports", reports], environment: ["PARALLAX_STATE": state.location])
        #expect(check.status == 0, "\(check.stdout)\(check.stderr)")
        let display = try PostgresLocation(url: state.location).display
        #expect(check.stdout.contains("ok: \(display): integrity check passed; schema 'v4-workers'"), "\(check.stdout)")
        if let password = try PostgresLocation(url: state.location).password { #expect(!check.stdout.contains(password)) }
    }

    @Test(.enabled(if: StateBackend.available.contains(.postgresql)))
    func stateCopyMovesTheSampleVerifiedAndRefusesAFullTarget() async throws {
        let sqlite = try await TestState(.sqlite)
        let reports = sqlite.directory.appendingPathComponent("reports").path
        let run = try CommandRunner.run(["run", "--config", Self.sample, "--state", sqlite.location, "--reports", reports, "--quiet"])
        #expect(run.status == 0, "\(run.stderr)")
        let target = try await TestState(.postgresql)
        let copy = try CommandRunner.run(["state", "copy", "--config", Self.sample, "--state", sqlite.location, "--to", target.location])
        #expect(copy.status == 0, "\(copy.stderr)")
        #expect(copy.stdout.contains("counts and checksums match"), "\(copy.stdout)")
        #expect(copy.stdout.contains("  article: ") && copy.stdout.contains("  storyMember: "))
        // The copy tells the same stories.
        let fromFile = try CommandRunner.run(["stories", "--config", Self.sample, "--state", sqlite.location, "--format", "json"])
        let fromServer = try CommandRunner.run(["stories", "--config", Self.sample, "--state", target.location, "--format", "json"])
        #expect(fromFile.status == 0 && fromServer.status == 0)
        // (Only the time the listing was made may differ.)
        func withoutTime(_ text: String) -> [Substring] { text.split(separator: "\n").filter { !$0.contains("\"generatedAt\"") } }
        #expect(withoutTime(fromFile.stdout) == withoutTime(fromServer.stdout))
        #expect(withoutTime(fromFile.stdout).count > 30)
        // A second copy finds the target full and changes nothing.
        let again = try CommandRunner.run(["state", "copy", "--config", Self.sample, "--state", sqlite.location, "--to", target.location])
        #expect(again.status == 2)
        #expect(again.stderr.contains("not an empty database") && again.stderr.split(separator: "\n").count == 1, "\(again.stderr)")
    }

    /// More rows than one page of the copy in a table keyed by one integer (article: 266 rows a
    /// page) and in one keyed by three columns, text first (outletSentence: 1,000 a page): the
    /// pages follow each other by key, so every row arrives once.
    @Test(.enabled(if: StateBackend.available.contains(.postgresql)))
    func stateCopyPagesThroughTablesOfSeveralPagesByTheirKeys() async throws {
        let source = try #require(try await TestState(.sqlite).open() as? SQLiteStore)
        let time = Date(timeIntervalSince1970: 1_795_000_000)
        let articles = (0..<700).map { index in
            Article(
                canonicalURL: "https://paper.example/\(index)", url: "https://paper.example/\(index)", outletID: nil, domain: "paper.example",
                title: "Headline number \(index)", summary: "Paragraph \(index).", language: "en", publishedAt: time.addingTimeInterval(Double(index)),
                firstSeenAt: time.addingTimeInterval(Double(index)), feedURL: "https://paper.example/rss")
        }
        try await source.insertNewArticles(articles)
        try await source.clusterPendingArticles(activeWindowHours: 72) { input in
            ClusteringOutcome(
                decisions: Dictionary(uniqueKeysWithValues: input.pending.enumerated().map { index, article in
                    (article.id!, Assignment(storyID: Int64(index % 3 + 1), similarity: 0, reason: index < 3 ? .newStory : .joined))
                }), threshold: 0.16)
        }
        // 2 outlets × 400 sentences × 3 stories: the outlet (text) leads the key.
        var sentences: [(outlet: String, sentence: UInt64)] = []
        for index in 0..<800 {
            let outlet = index % 2 == 0 ? "b-outlet" : "a-outlet"
            sentences.append((outlet: outlet, sentence: UInt64(index / 2) &* 0x9E37_79B9_7F4A_7C15))
        }
        let perStory: [(storyID: Int64, sentences: [(outlet: String, sentence: UInt64)])] = [(1, sentences), (2, sentences), (3, sentences)]
        try await source.recordOutletSentences(perStory)
        let target = try await TestState(.postgresql)
        let copies = try await PostgresStore.copy(from: source, to: try PostgresLocation(url: target.location))
        #expect(copies.first { $0.table == "article" }?.rows == 700)
        #expect(copies.first { $0.table == "storyMember" }?.rows == 700)
        #expect(copies.first { $0.table == "outletSentence" }?.rows == 2_400)
        let copied = try await target.open()
        #expect(try await copied.articleCount() == 700)
        #expect(try await copied.articles(inStory: 2).count == 233)
        #expect(Set(try await copied.repeatedOutletSentences(storyID: 1).map(\.outlet)) == ["a-outlet", "b-outlet"])
    }

    @Test(.enabled(if: StateBackend.available.contains(.postgresql)))
    func aRunThatIsNotTheLeaderCrawlsAndStoresAndAnyRunTakesOverWhenTheLeaderIsGone() async throws {
        let state = try await TestState(.postgresql)
        let reports = state.directory.appendingPathComponent("reports").path
        let leaderStore = try #require(try await state.open() as? PostgresStore)
        var leader: PostgresStore.RunLock? = try #require(try await leaderStore.tryRunLock(holder: "elsewhere:4242:test"))
        let follower = try CommandRunner.run(["run", "--config", Self.sample, "--reports", reports], environment: ["PARALLAX_STATE": state.location])
        #expect(follower.status == 0, "\(follower.stderr)")
        #expect(follower.stdout.contains("not the leader: another process clusters and writes the reports"), "\(follower.stdout)")
        #expect(follower.stderr.contains("not the leader: another process (elsewhere:4242:test)"), "\(follower.stderr)")
        #expect(try await leaderStore.articleCount() > 0, "the follower did not store what it crawled")
        #expect(try await leaderStore.stories().isEmpty, "a run that is not the leader clustered")
        #expect(!FileManager.default.fileExists(atPath: reports + "/index.html"))
        let check = try CommandRunner.run(["check", "--config", Self.sample, "--reports", reports], environment: ["PARALLAX_STATE": state.location])
        #expect(check.stdout.contains("leader: elsewhere:4242:test"), "\(check.stdout)")
        #expect(check.stdout.contains("0 feeds leased to 0 crawl workers, 0 expired leases"), "\(check.stdout)")
        // Commands that change stories wait for no one: they refuse while another process leads.
        let report = try CommandRunner.run(["report", "--config", Self.sample, "--reports", reports], environment: ["PARALLAX_STATE": state.location])
        #expect(report.status != 0 && report.stderr.contains("another process is the leader"), "\(report.stderr)")
        // The leader's connection ends (its process died): the next run takes over.
        leader = nil
        var free = false
        for _ in 0..<50 where !free {
            free = try await !leaderStore.isRunLockHeld()
            if !free { try await Task.sleep(for: .milliseconds(100)) }
        }
        #expect(free)
        let next = try CommandRunner.run(["run", "--config", Self.sample, "--reports", reports, "--quiet"], environment: ["PARALLAX_STATE": state.location])
        #expect(next.status == 0, "\(next.stderr)")
        #expect(!next.stderr.contains("not the leader"))
        #expect(try await !leaderStore.stories().isEmpty)
        #expect(FileManager.default.fileExists(atPath: reports + "/index.html"))
        _ = leader
        await leaderStore.close()
    }

    @Test func anUnreachableDatabaseIsOneLineAndExitTwo() throws {
        let result = try CommandRunner.run(
            ["stories", "--config", Self.sample], environment: ["PARALLAX_STATE": "postgresql://reader:hunter2@127.0.0.1:9/news?sslmode=disable"])
        #expect(result.status == 2)
        let lines = result.stderr.split(separator: "\n")
        #expect(lines.count == 1, "\(result.stderr)")
        #expect(result.stderr.contains("reader@127.0.0.1:9/news: cannot connect to the state database"), "\(result.stderr)")
        #expect(!result.stderr.contains("hunter2"))
        let check = try CommandRunner.run(
            ["check", "--config", Self.sample, "--state", "postgresql://reader:hunter2@127.0.0.1:9/news?sslmode=disable"])
        #expect(check.status == 2)
        #expect(check.stdout.contains("error: reader@127.0.0.1:9/news: cannot connect to the state database"), "\(check.stdout)")
        #expect(!check.stdout.contains("hunter2") && !check.stderr.contains("hunter2"))
    }
}
