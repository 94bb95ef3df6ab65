import ArgumentParser
import Foundation
import Pipeline

struct FeedsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "feeds",
        abstract: "Look after the feed list: health of every feed, feed discovery.",
        subcommands: [Health.self, Unpark.self])
}

extension FeedsCommand {
    struct Health: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Per feed: state, last success, last status, consecutive errors, next poll, share of 304s, latency.")

        @OptionGroup var options: CommonOptions

        @Option(help: "Output format: text or json.")
        var format: OutputFormat = .text

        func run() async throws {
            try await reportingFailures {
                let frontend = try options.frontend()
                let rows = try frontend.feedHealth().map { FeedHealth(source: $0.source, state: $0.state) }
                switch format {
                case .text: print(FeedHealth.table(rows, now: Date()), terminator: "")
                case .json: print(String(decoding: FeedHealth.json(rows), as: UTF8.self))
                }
            }
        }
    }

    struct Unpark: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Poll a parked feed again on the next run (it keeps its validators and history).")

        @OptionGroup var options: CommonOptions

        @Argument(help: "The feed's URL as the config and `parallax feeds health` write it.")
        var url: String

        func run() async throws {
            try await reportingFailures {
                let frontend = try options.frontend()
                guard try frontend.unpark(feedURL: url) else {
                    throw Failure(message: "\(url): no stored feed has this URL (see `parallax feeds health`)", status: .cannotStart)
                }
                if !options.quiet { print("\(url): unparked; it is due on the next run") }
            }
        }
    }
}
