import Brief
import Foundation
import Stories
import Testing
import TestStates
@testable import Pipeline

/// The brief's promise, checked on real runs (crawl, cluster, report) of the sample and of the
/// fixture feeds in `Fixtures/brief`: every quoted text occurs verbatim (whitespace folded) in
/// the title, description or content of the article it links to, that article belongs to the
/// story, no boilerplate is shown and no two sentences of a brief repeat each other.
@Suite("Story brief: attribution, boilerplate, repeats", .serialized)
struct BriefAttributionTests {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let fixtures = Bundle.module.url(forResource: "Fixtures", withExtension: nil)!.appendingPathComponent("brief")

    struct Run {
        var frontend: Frontend
        var reports: URL
    }

    func run(config: URL, backend: StateBackend) async throws -> Run {
        let state = try await TestState(backend)
        let scratch = state.directory
        let frontend = try await Frontend(
            configPath: config.path, statePath: state.location, reportsPath: scratch.appendingPathComponent("reports").path)
        _ = try await frontend.crawl(force: true)
        _ = try await frontend.cluster()
        try await frontend.writeReports()
        return Run(frontend: frontend, reports: scratch.appendingPathComponent("reports"))
    }

    /// Every quote of a story's JSON report: (text, url), lead, points, perspectives and related titles excluded.
    func quotes(inReport url: URL) throws -> [(text: String, url: String, outlet: String)] {
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as! [String: Any]
        let story = json["story"] as! [String: Any]
        let brief = story["brief"] as! [String: Any]
        var quotes = (brief["lead"] as! [[String: Any]]) + (brief["points"] as! [[String: Any]])
        for perspective in story["perspectives"] as! [[String: Any]] {
            for key in ["headline", "sentence"] { if let quote = perspective[key] as? [String: Any] { quotes.append(quote) } }
        }
        return quotes.map { ($0["text"] as! String, $0["url"] as! String, $0["outlet"] as! String) }
    }

    func checkAttribution(_ run: Run) async throws -> (quotes: Int, stories: Int) {
        var quoteCount = 0
        let stories = try await run.frontend.store.stories()
        for story in stories {
            let articles = try await run.frontend.store.articles(inStory: story.id)
            for quote in try quotes(inReport: run.reports.appendingPathComponent("stories/\(story.id).json")) {
                quoteCount += 1
                let article = articles.first { $0.url == quote.url }
                #expect(article != nil, "story \(story.id): \(quote.url) is not an article of the story")
                guard let article else { continue }
                let text = BriefBuilder.normalized(quote.text)
                let found = [article.title, article.summary, article.content].contains { BriefBuilder.normalized($0).contains(text) }
                #expect(found, "story \(story.id): “\(quote.text)” is not in \(quote.url)")
                #expect(quote.outlet == (article.outletID ?? article.domain))
            }
        }
        return (quoteCount, stories.count)
    }

    @Test(arguments: StateBackend.available) func everyQuoteOfTheSampleIsVerbatimFromAnArticleOfItsStory(_ backend: StateBackend) async throws {
        let run = try await run(config: Self.packageRoot.appendingPathComponent("feeds/sample/sample.yaml"), backend: backend)
        let (quotes, stories) = try await checkAttribution(run)
        #expect(stories == 37)
        // Every sample story has descriptions: a lead at least, and a headline per covering side.
        #expect(quotes >= stories * 2)
    }

    @Test(arguments: StateBackend.available) func fixtureFeedsAreQuotedVerbatimWithoutBoilerplateOrRepeats(_ backend: StateBackend) async throws {
        let run = try await run(config: Self.fixtures.appendingPathComponent("brief.yaml"), backend: backend)
        let (quotes, _) = try await checkAttribution(run)
        #expect(quotes > 10)

        // Each of these is furniture in one of the fixture feeds; none may be shown.
        let boilerplate = [
            "By Maya Ortiz", "By Grace Lin", "funded by readers like you", "appeared first on", "Continue reading", "cookies",
            "Reporting by", "Sign up for", "newsletter", "Read more", "Granite Herald Staff", "Nov. 20, 2026.", "Click here", "무단전재",
        ]
        for story in try await run.frontend.store.stories() {
            let (coverage, brief) = try await run.frontend.storyReport(storyID: story.id)
            for quote in brief.allQuotes {
                for phrase in boilerplate { #expect(!quote.text.contains(phrase), "story \(story.id) shows boilerplate: “\(quote.text)”") }
            }
            #expect(brief.points.count <= BriefBuilder.maximumPoints)
            let repeated = Set(try await run.frontend.store.repeatedOutletSentences(storyID: story.id).map { Boilerplate.RepeatKey(outlet: $0.outlet, sentence: $0.sentence) })
            #expect(BriefBuilder.largestSimilarity(in: brief, of: coverage, repeated: repeated) <= BriefBuilder.maximumSimilarity)
        }
    }

    @Test(arguments: StateBackend.available) func thePortStrikeBriefIsHandChecked(_ backend: StateBackend) async throws {
        let run = try await run(config: Self.fixtures.appendingPathComponent("brief.yaml"), backend: backend)
        let stories = try await run.frontend.store.stories()
        let strike = try #require(stories.first { $0.title.contains("Eastbay") || $0.title.contains("Port") })
        let (coverage, brief) = try await run.frontend.storyReport(storyID: strike.id)
        #expect(coverage.outletCount == 6)
        // The sentence three outlets carry word for word (and with the facts every outlet repeats) leads the points.
        let allText = (brief.lead + brief.points).map(\.text)
        #expect(allText.contains("The Harbor Operators Association said it had offered a 14 percent pay rise over four years."))
        // Boilerplate learned from the store: Riverside Courier's footer stands under all three of its articles.
        let footer = try await run.frontend.store.repeatedOutletSentences(storyID: strike.id).filter { $0.outlet == "riverside-courier" }
        #expect(footer.contains { $0.sentence == Boilerplate.sentenceHash("Riverside Courier is funded by readers like you in every river town.") })
        // Points come from several outlets and from more than one side.
        #expect(Set((brief.lead + brief.points).map(\.outletKey)).count >= 3)
        #expect(Set((brief.lead + brief.points).compactMap { $0.bias.side }).count >= 2)
        // Perspectives: the three sides, each with its own outlets' headline.
        #expect(brief.perspectives.map(\.side) == [.left, .center, .right])
        let left = try #require(brief.perspectives.first)
        #expect(["riverside-courier", "lakeview-voice"].contains(left.headline?.outletKey ?? ""))
        // The picture two outlets carry wins over the one only Summit Dispatch has, credited to the first to carry it.
        #expect(brief.image?.url == "https://cdn.riversidecourier.example/2026/11/eastbay-pickets.jpg")
        #expect(brief.image?.outletKey == "riverside-courier")
        #expect(brief.image?.outletCount == 2)
        // The cut description is shown as cut: its "[…]" kept, never completed.
        for quote in brief.allQuotes where quote.text.hasSuffix("[…]") { #expect(quote.isCut) }
        // Related: the Orion-3 story shares no anchor with the strike.
        #expect(brief.related.isEmpty)
    }

    /// `parallax story ID` ranks related stories from what the last report write remembered (no
    /// story's articles read but its own), and lists exactly what the story's JSON report lists;
    /// before any report exists it reads the store, to the same result.
    @Test(arguments: StateBackend.available) func storyListsTheRelatedStoriesItsReportLists(_ backend: StateBackend) async throws {
        let run = try await run(config: Self.packageRoot.appendingPathComponent("feeds/sample/sample.yaml"), backend: backend)
        var listed = 0
        var fromManifest: [Int64: [String]] = [:]
        for story in try await run.frontend.store.stories() {
            let json = try JSONSerialization.jsonObject(with: Data(contentsOf: run.reports.appendingPathComponent("stories/\(story.id).json"))) as! [String: Any]
            let reported = ((json["story"] as! [String: Any])["related"] as! [[String: Any]]).map {
                "\($0["id"] as! Int) \($0["score"] as! Double) \($0["outletCount"] as! Int) \($0["title"] as! String)"
            }
            let (_, brief) = try await run.frontend.storyReport(storyID: story.id)
            let shown = brief.related.map { "\($0.id) \($0.score) \($0.outletCount) \($0.title)" }
            #expect(shown == reported, "story \(story.id)")
            fromManifest[story.id] = shown
            listed += shown.count
        }
        // The sample has threads (the Kessler Bridge collapse and the bridge audit it led to).
        #expect(listed >= 2)
        // Those came from the manifest: it knows every story as the state has it; a story that
        // changed since (here, its title) or an unknown one sends `story` to the state instead.
        let stories = try await run.frontend.store.stories()
        #expect(run.frontend.rememberedStories(matching: stories, except: stories[0].id)?.count == stories.count - 1)
        var changed = stories
        changed[1] = Story(id: changed[1].id, title: changed[1].title + " (updated)", firstSeenAt: changed[1].firstSeenAt, lastSeenAt: changed[1].lastSeenAt, articleCount: changed[1].articleCount)
        #expect(run.frontend.rememberedStories(matching: changed, except: stories[0].id) == nil)
        let unknown = Story(id: 10_000, title: "Not reported yet", firstSeenAt: stories[0].firstSeenAt, lastSeenAt: stories[0].lastSeenAt, articleCount: 1)
        #expect(run.frontend.rememberedStories(matching: stories + [unknown], except: stories[0].id) == nil)
        try FileManager.default.removeItem(at: run.reports.appendingPathComponent(".parallax-manifest"))
        for story in try await run.frontend.store.stories() {
            let (_, brief) = try await run.frontend.storyReport(storyID: story.id)
            #expect(brief.related.map { "\($0.id) \($0.score) \($0.outletCount) \($0.title)" } == fromManifest[story.id], "story \(story.id)")
        }
    }

    @Test(arguments: StateBackend.available) func aKoreanArticleDoesNotChangeTheLanguageOfAnEnglishMajority(_ backend: StateBackend) async throws {
        let run = try await run(config: Self.fixtures.appendingPathComponent("brief.yaml"), backend: backend)
        let stories = try await run.frontend.store.stories()
        let orion = try #require(stories.first { $0.title.contains("Orion-3") })
        let (_, brief) = try await run.frontend.storyReport(storyID: orion.id)
        #expect(brief.language == "en")
        #expect(brief.languageCounts == ["en": 5, "ko": 1])
        #expect((brief.lead + brief.points).allSatisfy { $0.outletKey != "haneul-news" })
    }
}
