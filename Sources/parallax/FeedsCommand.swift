import ArgumentParser
import Foundation
import Feeds
import Pipeline

struct FeedsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "feeds",
        abstract: "Look after the feed list: health of every feed, feed discovery, OPML import and export.",
        subcommands: [Health.self, Discover.self, Unpark.self, FeedsImport.self, FeedsExport.self])
}

extension FeedsCommand {
    struct Health: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "health",
            abstract: "Per feed: state, last success, last status, consecutive errors, next poll, share of 304s, latency.")

        @OptionGroup var options: CommonOptions

        @Option(help: "Output format: text or json.")
        var format: OutputFormat = .text

        func run() async throws {
            try await reportingFailures {
                let frontend = try await options.frontend()
                let rows = try await frontend.feedHealth().map { FeedHealth(source: $0.source, state: $0.state) }
                switch format {
                case .text: print(FeedHealth.table(rows, now: Date()), terminator: "")
                case .json: print(String(decoding: FeedHealth.json(rows), as: UTF8.self))
                }
            }
        }
    }

    struct Discover: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "discover",
            abstract: "List the feeds a web page links to (RSS/Atom/JSON Feed autodiscovery); robots.txt is honoured.")

        @OptionGroup var options: CommonOptions

        @Argument(help: "The page, e.g. an outlet's home page (http or https).")
        var url: String

        @Option(help: "Output format: text or json.")
        var format: OutputFormat = .text

        func run() async throws {
            try await reportingFailures {
                let frontend = try await options.frontend()
                let feeds: [DiscoveredFeed]
                do {
                    feeds = try await frontend.discoverFeeds(on: url)
                } catch {
                    throw Failure(message: "\(url): \(error)", status: .cannotStart)
                }
                guard !feeds.isEmpty else { throw Failure(message: "\(url): the page links to no feed", status: .cannotStart) }
                switch format {
                case .text:
                    for feed in feeds { print([feed.url, feed.type, feed.title ?? ""].joined(separator: "  ").trimmingCharacters(in: .whitespaces)) }
                case .json:
                    let objects = feeds.map { ["url": $0.url, "type": $0.type, "title": $0.title ?? ""] }
                    let data = try JSONSerialization.data(withJSONObject: objects, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
                    print(String(decoding: data, as: UTF8.self))
                }
            }
        }
    }

    struct Unpark: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "unpark",
            abstract: "Poll a parked feed again on the next run (it keeps its validators and history).")

        @OptionGroup var options: CommonOptions

        @Argument(help: "The feed's URL as the config and `parallax feeds health` write it.")
        var url: String

        func run() async throws {
            try await reportingFailures {
                let frontend = try await options.frontend()
                guard try await frontend.unpark(feedURL: url) else {
                    throw Failure(message: "\(url): no stored feed has this URL (see `parallax feeds health`)", status: .cannotStart)
                }
                if !options.quiet { print("\(url): unparked; it is due on the next run") }
            }
        }
    }
}
