import ArgumentParser
import Brief
import Config
import Coverage
import Foundation
import Pipeline
import Reports

struct Run: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Crawl every feed, cluster new articles into stories, write reports: the cron entry point.")

    @OptionGroup var options: CommonOptions

    @Flag(help: "Fetch every feed now, not only those due (parked feeds and paused hosts still wait).")
    var all = false

    @Flag(help: "Print the wall and CPU seconds of each stage (crawl, cluster, prune, tally, report) to standard error.")
    var timings = false

    #if PARALLAX_WITHOUT_BRIEF
    /// A build for measuring what the brief costs the whole command (`swift build -Xswiftc
    /// -DPARALLAX_WITHOUT_BRIEF`, Benchmarks/Brief/whole_command.py): no brief, no related stories.
    static let writesBrief = false
    #else
    static let writesBrief = true
    #endif

    func run() async throws {
        try await reportingFailures {
            let frontend = try await options.frontend()
            let summary = try await frontend.run(force: all, withBrief: Self.writesBrief)
            if timings { FileHandle.standardError.write(Data((summary.timingLine + "\n").utf8)) }
            if !options.quiet {
                print(TerminalReport(width: Terminal.width, color: Terminal.useColor).storiesTable(try await frontend.coverages()), terminator: "")
                print("Reports: \(frontend.reportsDirectory.path)")
                print(summary.line)
            }
            for failed in summary.crawl.failedFeeds {
                FileHandle.standardError.write(Data("parallax: \(failed.source.url): \(failed.error!)\n".utf8))
            }
            if !summary.crawl.failedFeeds.isEmpty { throw ExitCode(ExitStatus.feedsFailed.rawValue) }
        }
    }
}

struct Crawl: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "crawl", abstract: "Fetch the feeds that are due and store new articles (no clustering, no reports).")

    @OptionGroup var options: CommonOptions

    @Flag(help: "Fetch every feed now, not only those due (parked feeds and paused hosts still wait).")
    var all = false

    #if PARALLAX_WITHOUT_BRIEF
    /// A build for measuring what the brief costs the whole command (`swift build -Xswiftc
    /// -DPARALLAX_WITHOUT_BRIEF`, Benchmarks/Brief/whole_command.py): no brief, no related stories.
    static let writesBrief = false
    #else
    static let writesBrief = true
    #endif

    func run() async throws {
        try await reportingFailures {
            let frontend = try await options.frontend()
            let lock = try await frontend.crawlLock()
            let summary = try await frontend.crawl(force: all)
            withExtendedLifetime(lock) {}
            for result in summary.results {
                let outcome: String
                switch result.outcome {
                case .fetched: outcome = "\(result.articles.count) items, \(result.newArticleCount) new"
                case .notModified: outcome = "not modified"
                case .failed: outcome = "FAILED: \(result.error.map { "\($0)" } ?? "")"
                case .deferred: outcome = "deferred: \(result.state.lastError ?? "its host asked to wait")"
                case .parked: outcome = "parked: \(result.state.parkedReason ?? "")"
                }
                if !options.quiet || result.outcome == .failed { print("\(result.source.url): \(outcome)") }
            }
            if !options.quiet { print(summary.line) }
            if !summary.failedFeeds.isEmpty { throw ExitCode(ExitStatus.feedsFailed.rawValue) }
        }
    }
}

enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json
}

struct Stories: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "stories", abstract: "List stories: outlets, articles, bias bar, blindspot mark, first seen.")

    @OptionGroup var options: CommonOptions

    @Option(help: "Only stories seen within this long before now, e.g. 30m, 24h, 7d.")
    var since: String?

    @Option(help: "Output format: text or json.")
    var format: OutputFormat = .text

    func run() async throws {
        try await reportingFailures {
            let cutoff: Date?
            if let since {
                guard let seconds = DurationText.seconds(since) else {
                    throw Failure(message: "--since '\(since)' is not a duration such as 30m, 24h or 7d", status: .cannotStart)
                }
                cutoff = Date().addingTimeInterval(-seconds)
            } else {
                cutoff = nil
            }
            let frontend = try await options.frontend()
            let coverages = try await frontend.coverages(since: cutoff)
            switch format {
            case .text: print(TerminalReport(width: Terminal.width, color: Terminal.useColor).storiesTable(coverages), terminator: "")
            case .json: print(String(decoding: JSONReport.index(coverages.map { StorySummary($0, brief: .empty) }, method: frontend.method, generatedAt: Date()), as: UTF8.self))
            }
        }
    }
}

struct Story: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "story",
        abstract: "One story's full coverage report (`parallax story ID`), or a correction: merge two stories, split one.",
        subcommands: [StoryShow.self, StoryMerge.self, StorySplit.self], defaultSubcommand: StoryShow.self)
}

struct StoryShow: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "show", abstract: "One story's full coverage report.")

    @OptionGroup var options: CommonOptions

    @Argument(help: "The story id, as `parallax stories` shows it.")
    var id: Int64

    @Option(help: "Output format: text or json.")
    var format: OutputFormat = .text

    func run() async throws {
        try await reportingFailures {
            let frontend = try await options.frontend()
            let coverage: Coverage, brief: StoryBrief
            do {
                (coverage, brief) = try await frontend.storyReport(storyID: id)
                if coverage.story.id != id, format == .text { print("Story \(id) was merged into story \(coverage.story.id).") }
            } catch let error as FrontendError {
                throw Failure(message: "\(error)", status: .cannotStart)
            }
            switch format {
            case .text: print(TerminalReport(width: Terminal.width, color: Terminal.useColor).story(coverage, brief: brief, method: frontend.method), terminator: "")
            case .json: print(String(decoding: JSONReport.story(coverage, brief: brief, method: frontend.method, generatedAt: Date()), as: UTF8.self))
            }
        }
    }
}

struct Report: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "report", abstract: "Write the reports folder: Markdown, JSON and HTML per story, indexes, CSV, Atom feeds, outlet pages.")

    @OptionGroup var options: CommonOptions

    @Option(help: "The reports folder (same as --reports).")
    var out: String?

    func run() async throws {
        try await reportingFailures {
            var options = options
            if let out { options.reports = out }
            let frontend = try await options.frontend()
            // On a server store only the leader writes reports; on SQLite a report needs no lock.
            let lock: (any Sendable)? = frontend.isShared ? try await frontend.lock() : nil
            let update = try await frontend.writeReports()
            withExtendedLifetime(lock) {}
            if !options.quiet {
                print(
                    "\(update.storiesRendered) stories rendered, \(update.storiesUnchanged) unchanged, \(update.storiesRemoved) removed: "
                        + "\(update.filesWritten) files written to \(frontend.reportsDirectory.path)")
            }
        }
    }
}
