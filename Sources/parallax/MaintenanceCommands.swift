import ArgumentParser
import Config
import Foundation
import Pipeline

struct Prune: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "prune",
        abstract: "Delete stories (and their articles and report pages) last seen longer ago than a retention period.")

    @OptionGroup var options: CommonOptions

    @Option(name: .customLong("older-than"), help: "Retention, e.g. 90d or 12w (default: the config's 'retention', else 90d).")
    var olderThan: String?

    func run() async throws {
        try await reportingFailures {
            let frontend = try await options.frontend()
            let age: TimeInterval
            if let olderThan {
                guard let seconds = DurationText.seconds(olderThan) else {
                    throw Failure(message: "--older-than '\(olderThan)' is not a duration such as 90d or 12w", status: .cannotStart)
                }
                age = seconds
            } else {
                age = frontend.config.retention ?? ParallaxConfig.defaultRetention
            }
            let lock = try await frontend.lock()
            let summary = try await frontend.prune(olderThan: age)
            let update = try await frontend.writeReports()
            withExtendedLifetime(lock) {}
            if !options.quiet {
                print("parallax prune: \(summary.stories) stories and \(summary.articles) articles last seen over \(DurationText.describe(age)) ago removed\(summary.vacuumed ? ", database compacted" : ""); \(update.storiesRemoved) stories' report pages removed")
            }
        }
    }
}

struct ScheduleCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "schedule",
        abstract: "Print a crontab line and a systemd service + timer that run `parallax run` on a schedule.",
        discussion: "Nothing is installed: copy the crontab line into `crontab -e`, or the two units into ~/.config/systemd/user/ and run `systemctl --user enable --now parallax.timer`.")

    @OptionGroup var options: CommonOptions

    @Option(help: "How often to run, e.g. 15m, 30m, 1h.")
    var every: String = "30m"

    @Option(help: "Log file (default: parallax.log beside the state database).")
    var log: String?

    func run() async throws {
        try await reportingFailures {
            guard let interval = DurationText.seconds(every), interval >= 60 else {
                throw Failure(message: "--every '\(every)' is not a duration of at least a minute, such as 15m or 1h", status: .cannotStart)
            }
            let frontend = try await options.frontend()
            let logPath = log.map { URL(fileURLWithPath: $0).standardizedFileURL.path }
                ?? URL(fileURLWithPath: frontend.logFolder).appendingPathComponent("parallax.log").path
            let schedule = Pipeline.Schedule(
                executable: Self.executablePath(), configPath: frontend.config.path, logPath: logPath, interval: interval)
            let line: String
            do {
                line = try schedule.crontabLine()
            } catch {
                throw Failure(message: "--every \(every): \(error)", status: .cannotStart)
            }
            print("""
                # crontab (crontab -e):
                \(line)

                # systemd: ~/.config/systemd/user/parallax.service
                \(schedule.systemdService)
                # systemd: ~/.config/systemd/user/parallax.timer
                \(schedule.systemdTimer)
                # then: systemctl --user daemon-reload && systemctl --user enable --now parallax.timer
                """)
        }
    }

    /// The running binary's absolute path, so the schedule does not depend on PATH.
    private static func executablePath() -> String {
        if let resolved = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") { return resolved }
        return URL(fileURLWithPath: CommandLine.arguments[0]).standardizedFileURL.path
    }
}

struct Check: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Check the config, the files it names, the state database and the reports folder; print every problem found.")

    @OptionGroup var options: CommonOptions

    func run() async throws {
        let findings = await Checkup.run(configPath: options.config, statePath: options.state, reportsPath: options.reports)
        for finding in findings where !options.quiet || finding.severity == .error {
            print(finding)
        }
        let errors = findings.filter { $0.severity == .error }.count
        let warnings = findings.filter { $0.severity == .warning }.count
        if !options.quiet { print("parallax check: \(errors) errors, \(warnings) warnings") }
        if errors > 0 { throw ExitCode(ExitStatus.cannotStart.rawValue) }
    }
}
