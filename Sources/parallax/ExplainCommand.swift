import ArgumentParser
import Foundation
import Pipeline
import Stories

struct Explain: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "explain",
        abstract: "Why a story's articles were grouped: shared terms, each article's similarity and how it joined.")

    @OptionGroup var options: CommonOptions

    @Argument(help: "The story id, as `parallax stories` shows it (a merged story's old id works too).")
    var id: Int64

    @Option(help: "Output format: text or json.")
    var format: OutputFormat = .text

    func run() async throws {
        try await reportingFailures {
            let frontend = try await options.frontend()
            let result: (explanation: StoryExplanation, redirectedFrom: Int64?)
            do {
                result = try await frontend.explain(storyID: id)
            } catch let error as FrontendError {
                throw Failure(message: "\(error)", status: .cannotStart)
            }
            let explanation = result.explanation
            switch format {
            case .json:
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
                encoder.dateEncodingStrategy = .iso8601
                print(String(decoding: try encoder.encode(explanation), as: UTF8.self))
            case .text:
                if let old = result.redirectedFrom { print("Story \(old) was merged into story \(explanation.storyID).") }
                print("Story \(explanation.storyID): \(explanation.title)")
                print("Clustering: \(frontend.config.clustering.summary)")
                print("Shared terms (articles): " + explanation.sharedTerms.map { "\($0.term) (\($0.articles))" }.joined(separator: ", "))
                let dates = ISO8601DateFormatter()
                for member in explanation.members {
                    print(String(format: "  %.3f  ", member.similarityToStory) + "\(dates.string(from: member.time))  \(member.domain)  \(member.title)")
                    print("         \(member.because)")
                }
            }
        }
    }
}
