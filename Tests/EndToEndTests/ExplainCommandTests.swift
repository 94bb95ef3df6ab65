import Foundation
import Testing
import TestStates

@Suite("parallax explain on feeds/sample", .serialized)
struct ExplainCommandTests {
    let sampleConfig = CommandRunner.packageRoot.appendingPathComponent("feeds/sample/sample.yaml").path

    struct Explanation: Decodable {
        struct Term: Decodable { var term: String; var articles: Int }
        struct Member: Decodable {
            var title: String
            var similarityToStory: Double
            var reason: String
            var score: Double
            var threshold: Double?
            var because: String
        }
        var storyID: Int64
        var sharedTerms: [Term]
        var members: [Member]
    }

    struct Index: Decodable {
        struct Entry: Decodable { var id: Int64; var articleCount: Int }
        var stories: [Entry]
    }

    @Test(arguments: StateBackend.available) func explainsEveryMemberOfAStory(_ backend: StateBackend) async throws {
        let state = try await TestState(backend)
        let scratch = try TemporaryDirectory()
        let common = ["--config", sampleConfig, "--state", state.location, "--reports", scratch.path("reports")]
        #expect(try CommandRunner.run(["run", "--quiet"] + common).status == 0)
        let index = try JSONDecoder().decode(Index.self, from: Data(CommandRunner.run(["stories", "--format", "json"] + common).stdout.utf8))
        let biggest = try #require(index.stories.first)

        let json = try CommandRunner.run(["explain", "\(biggest.id)", "--format", "json"] + common)
        #expect(json.status == 0, "stderr: \(json.stderr)")
        let explanation = try JSONDecoder().decode(Explanation.self, from: Data(json.stdout.utf8))
        #expect(explanation.storyID == biggest.id)
        #expect(explanation.members.count == biggest.articleCount)
        #expect(!explanation.sharedTerms.isEmpty)
        #expect(explanation.sharedTerms.allSatisfy { $0.articles >= 2 })
        // The first article opened the story; every other one says how it joined.
        #expect(explanation.members.first?.reason == "new")
        #expect(explanation.members.dropFirst().allSatisfy { ["joined", "group"].contains($0.reason) || $0.because.contains("merged") })
        for member in explanation.members where member.reason == "joined" {
            #expect(member.score >= member.threshold ?? 1, "\(member.title) joined below the threshold")
        }
        #expect(explanation.members.allSatisfy { $0.similarityToStory > 0 && $0.similarityToStory <= 1.000001 })

        let text = try CommandRunner.run(["explain", "\(biggest.id)"] + common)
        #expect(text.status == 0)
        #expect(text.stdout.contains("Story \(biggest.id):"))
        #expect(text.stdout.contains("Shared terms (articles): "))
        #expect(text.stdout.contains("joined at "))

        let missing = try CommandRunner.run(["explain", "99999"] + common)
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("no story with id 99999"))
    }
}
