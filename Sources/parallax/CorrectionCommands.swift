import ArgumentParser
import Foundation
import Pipeline
import Store

/// What every correction command prints: what changed, and when the reports follow.
private func describe(_ results: [CorrectionResult], reportsWaitForNext: Bool = true) -> String {
    var lines: [String] = []
    for result in results {
        let correction = result.correction
        var line = "Correction #\(correction.id ?? 0): "
        switch correction.kind {
        case .merge:
            if let kept = correction.storyID, let absorbed = correction.otherStoryID {
                line += "story \(absorbed) merged into story \(kept)"
            } else {
                line += "two stories merged"
            }
        case .split: line += "\(correction.articles.count) article(s) split off" + (correction.storyID.map { " as story \($0)" } ?? "")
        case .move: line += "\(correction.articles.count) article(s) moved" + (correction.storyID.map { " to story \($0)" } ?? "")
        }
        if !result.applied { line += " (some of its articles are not in this state yet: it applies when they arrive)" }
        if !result.superseded.isEmpty { line += "; it replaces correction " + result.superseded.map { "#\($0)" }.joined(separator: ", ") }
        lines.append(line)
    }
    if reportsWaitForNext, results.contains(where: { !$0.changedStories.isEmpty }) {
        lines.append("Reports change on the next `parallax report` or `parallax run`.")
    }
    return lines.joined(separator: "\n")
}

struct StoryMerge: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "merge", abstract: "Correct two stories that are one: B becomes part of A, and B's id leads to A.")

    @OptionGroup var options: CommonOptions

    @Argument(help: "The story that stays (its id survives).")
    var a: Int64

    @Argument(help: "The story merged into it.")
    var b: Int64

    func run() async throws {
        try await reportingFailures {
            let result = try await options.frontend().mergeStories(keep: a, absorb: b)
            if !options.quiet { print(describe([result])) }
        }
    }
}

struct StorySplit: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "split", abstract: "Correct a story that is two: the articles named become a story of their own, never merged back.")

    @OptionGroup var options: CommonOptions

    @Argument(help: "The story to split.")
    var id: Int64

    @Option(parsing: .upToNextOption, help: "The URLs of the articles that leave (as the story's report lists them).")
    var articles: [String]

    func run() async throws {
        try await reportingFailures {
            let result = try await options.frontend().splitStory(id, articles: articles)
            if !options.quiet { print(describe([result])) }
        }
    }
}

struct ArticleCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "article", abstract: "Correct where an article belongs.", subcommands: [ArticleMove.self])
}

struct ArticleMove: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "move", abstract: "Move articles to the story they belong to; they stay there in every later run.")

    @OptionGroup var options: CommonOptions

    @Argument(help: "The URLs of the articles (as a story's report lists them).")
    var urls: [String]

    @Option(help: "The story they belong to.")
    var to: Int64

    func run() async throws {
        try await reportingFailures {
            guard !urls.isEmpty else { throw Failure(message: "name at least one article URL to move", status: .cannotStart) }
            let results = try await options.frontend().moveArticles(urls, to: to)
            if !options.quiet { print(describe(results)) }
        }
    }
}

struct CorrectionsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "corrections", abstract: "List, export and import the corrections made with story merge, story split and article move.",
        subcommands: [CorrectionsList.self, CorrectionsExport.self, CorrectionsImport.self], defaultSubcommand: CorrectionsList.self)
}

struct CorrectionsList: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "The corrections that apply, oldest first.")

    @OptionGroup var options: CommonOptions

    func run() async throws {
        try await reportingFailures {
            let frontend = try await options.frontend()
            let notes = try await frontend.store.correctionNotes()
            let corrections = try await frontend.store.corrections()
            if corrections.isEmpty { print("No corrections.") }
            for correction in corrections {
                let id = correction.id ?? 0
                let stories = notes.filter { $0.value.contains { $0.correctionID == id } }.keys.sorted()
                let lines = notes.values.flatMap { $0 }.filter { $0.correctionID == id }
                let text = lines.first.map { "\($0.line)" } ?? "correction #\(id): \(correction.kind.rawValue), waiting for its articles"
                print(text + (stories.isEmpty ? "" : " (stories " + stories.map(String.init).joined(separator: ", ") + ")"))
            }
        }
    }
}

struct CorrectionsExport: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export", abstract: "Write the corrections as a YAML file that `corrections import` reads (stdout by default).")

    @OptionGroup var options: CommonOptions

    @Option(name: .shortAndLong, help: "The file to write.")
    var output: String?

    func run() async throws {
        try await reportingFailures {
            let text = try await options.frontend().exportCorrections()
            guard let output else {
                print(text, terminator: "")
                return
            }
            do {
                try Data(text.utf8).write(to: URL(fileURLWithPath: output), options: .atomic)
            } catch {
                throw Failure(message: "\(output): cannot write the corrections file: \(error.localizedDescription)", status: .cannotStart)
            }
        }
    }
}

struct CorrectionsImport: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import", abstract: "Apply the corrections of an exported file; those the state already holds are skipped.")

    @OptionGroup var options: CommonOptions

    @Argument(help: "A file written by `parallax corrections export`.")
    var file: String

    func run() async throws {
        try await reportingFailures {
            let (results, skipped) = try await options.frontend().importCorrections(from: file)
            if !options.quiet {
                if !results.isEmpty { print(describe(results)) }
                print("\(results.count) corrections imported, \(skipped) already present.")
            }
        }
    }
}
