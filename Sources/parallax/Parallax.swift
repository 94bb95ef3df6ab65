import ArgumentParser
import Crawl
import Foundation
import Logging
import Pipeline

@main
struct Parallax: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "parallax",
        abstract: "Who covers what, from which side: news coverage and source-bias reports from your own feed list.",
        discussion: """
            Exit codes: 0 success · \(ExitStatus.feedsFailed.rawValue) the run completed but some feeds failed · \
            \(ExitStatus.cannotStart.rawValue) could not start (bad config, state or reports folder) · \
            64 bad command-line usage.
            """,
        version: ParallaxVersion.current,
        subcommands: [Run.self, Crawl.self, Stories.self, Story.self, Report.self, Prune.self, Check.self, ScheduleCommand.self, OutletsCommand.self, Eval.self, Explain.self, Parse.self, FeedsCommand.self, ArticleCommand.self, CorrectionsCommand.self, StateCommand.self],
        defaultSubcommand: nil
    )
}

/// Documented exit codes (see the README).
enum ExitStatus: Int32 {
    case feedsFailed = 3
    case cannotStart = 2
}

/// Options every command shares.
struct CommonOptions: ParsableArguments {
    @Option(name: .shortAndLong, help: "The config file (YAML).")
    var config: String = "feeds/feeds.yaml"

    @Option(help: "The state: an SQLite file or a postgresql://user@host:port/db URL (default: $PARALLAX_STATE, else the config's 'state', else .parallax/parallax.sqlite beside the config).")
    var state: String?

    @Option(help: "The reports folder (default: the config's 'reports', else ./reports).")
    var reports: String?

    @Flag(name: .shortAndLong, help: "Print only errors (for cron).")
    var quiet = false

    @Flag(name: .shortAndLong, help: "Print what each feed gave.")
    var verbose = false

    @Option(name: .customLong("log-format"), help: "Log lines on stderr as text or json (one object per line).")
    var logFormat: LogFormat = .text

    func frontend() async throws -> Frontend {
        let level: Logger.Level = quiet ? .error : (verbose ? .info : .warning)
        let format = logFormat
        let logger = Logger(label: "parallax") { label in
            switch format {
            case .text:
                var handler = StreamLogHandler.standardError(label: label)
                handler.logLevel = level
                return handler
            case .json:
                return JSONLogHandler(label: label, logLevel: level)
            }
        }
        do {
            var frontend = try await Frontend(configPath: config, statePath: state, reportsPath: reports, logger: logger)
            let bar = ProgressBar(quiet: quiet)
            frontend.progress = { stage, done, total in bar.update(stage, done: done, total: total) }
            return frontend
        } catch {
            throw Failure(message: "\(error)", status: .cannotStart)
        }
    }
}

/// An error the user sees as one line on stderr, with a documented exit code.
struct Failure: Error {
    let message: String
    let status: ExitStatus
}

extension AsyncParsableCommand {
    /// Runs `body`, turning failures into one line on stderr and the documented exit code.
    func reportingFailures(_ body: () async throws -> Void) async throws {
        do {
            try await body()
        } catch let failure as Failure {
            FileHandle.standardError.write(Data("parallax: \(failure.message)\n".utf8))
            throw ExitCode(failure.status.rawValue)
        } catch let error as ExitCode {
            throw error
        } catch {
            FileHandle.standardError.write(Data("parallax: \(error)\n".utf8))
            throw ExitCode(ExitStatus.cannotStart.rawValue)
        }
    }
}

enum Terminal {
    static var isInteractive: Bool { isatty(STDOUT_FILENO) != 0 }

    /// Colour only on a terminal, and never when NO_COLOR is set (https://no-color.org).
    static var useColor: Bool {
        isInteractive && (ProcessInfo.processInfo.environment["NO_COLOR"] ?? "").isEmpty
    }

    static var width: Int {
        var size = winsize()
        if isInteractive, ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 { return Int(size.ws_col) }
        return Int(ProcessInfo.processInfo.environment["COLUMNS"] ?? "") ?? 100
    }
}
