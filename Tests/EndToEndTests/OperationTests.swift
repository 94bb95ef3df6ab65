import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// What cron relies on: one run at a time, locks that never go stale, retention, a self-check
/// and a schedule to install.
@Suite("Cron-grade operation")
struct OperationTests {
    let sample = CommandRunner.packageRoot.appendingPathComponent("feeds/sample/sample.yaml").path

    func run(_ command: String, _ scratch: TemporaryDirectory, _ extra: [String] = []) throws -> CommandRunner.Outcome {
        try CommandRunner.run([command, "--config", sample, "--state", scratch.path("state.sqlite"), "--reports", scratch.path("reports")] + extra)
    }

    @Test func aSecondRunWhileOneHoldsTheLockExitsAtOnceWithTheDocumentedCode() throws {
        let scratch = try TemporaryDirectory()
        let descriptor = open(scratch.path("state.sqlite.lock"), O_RDWR | O_CREAT, 0o644)
        #expect(flock(descriptor, LOCK_EX | LOCK_NB) == 0)
        defer { close(descriptor) }

        let second = try run("run", scratch)

        #expect(second.status == 2)
        #expect(second.stderr.contains("another parallax run holds"))
        #expect(second.stderr.split(separator: "\n").count == 1)
        #expect(!FileManager.default.fileExists(atPath: scratch.path("reports/index.json")))
    }

    @Test func aLockFileLeftByAKilledRunDoesNotBlockTheNext() throws {
        let scratch = try TemporaryDirectory()
        // What a run killed with SIGKILL leaves: the file, with a dead pid, and no lock held.
        try Data("999999\n".utf8).write(to: URL(fileURLWithPath: scratch.path("state.sqlite.lock")))

        let outcome = try run("run", scratch)

        #expect(outcome.status == 0, "\(outcome.stderr)")
        #expect(outcome.stdout.contains("167 new articles"))
    }

    @Test func pruneRemovesOldStoriesAndTheirReportsAndTheyDoNotComeBack() throws {
        let scratch = try TemporaryDirectory()
        #expect(try run("run", scratch).status == 0)

        let pruned = try run("prune", scratch, ["--older-than", "0d"])
        #expect(pruned.status == 0, "\(pruned.stderr)")
        #expect(pruned.stdout.contains("37 stories and 167 articles"))
        #expect(pruned.stdout.contains("37 stories' report pages removed"))
        #expect(!FileManager.default.fileExists(atPath: scratch.path("reports/stories/1.json")))

        let index = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: scratch.path("reports/index.json")))) as? [String: Any]
        #expect((index?["stories"] as? [Any])?.isEmpty == true)
        let again = try run("run", scratch)
        #expect(again.stdout.contains("0 new articles"))
        #expect(try run("prune", scratch, ["--older-than", "soon"]).status == 2)
    }

    @Test func checkPassesOnTheSampleAndListsEveryProblemOfABrokenSetup() throws {
        let scratch = try TemporaryDirectory()
        let good = try run("check", scratch)
        #expect(good.status == 0, "\(good.stdout)")
        #expect(good.stdout.contains("0 errors"))

        let yaml = """
            outlets:
              - id: a
                name: A
                domains: [a.example]
                bias: center
              - id: ghost
                name: Ghost
                domains: [ghost.example]
            feeds:
              - url: missing-one.xml
                outlet: a
              - url: missing-two.xml
                outlet: a
            """
        try Data(yaml.utf8).write(to: URL(fileURLWithPath: scratch.path("broken.yaml")))
        try Data("not a folder".utf8).write(to: URL(fileURLWithPath: scratch.path("reports-file")))
        let failedRun = try CommandRunner.run(["crawl", "--config", scratch.path("broken.yaml")])
        #expect(failedRun.status == 3)
        let broken = try CommandRunner.run(["check", "--config", scratch.path("broken.yaml"), "--reports", scratch.path("reports-file/out")])

        #expect(broken.status == 2)
        #expect(broken.stdout.contains("missing-one.xml: no such feed file"))
        #expect(broken.stdout.contains("missing-two.xml: no such feed file"))
        #expect(broken.stdout.contains("outlet 'ghost' has no feed and there is no aggregator feed"))
        #expect(broken.stdout.contains("reports-file is a file, not a folder"))
        #expect(broken.stdout.contains("missing-one.xml: failed the last 1 times"))
        #expect(broken.stdout.contains("integrity check passed"))
        #expect(broken.stdout.contains("3 errors"))
    }

    @Test func scheduleprintsACrontabLineWithAbsolutePathsAndSystemdUnits() throws {
        let scratch = try TemporaryDirectory()
        let outcome = try run("schedule", scratch, ["--every", "15m"])
        #expect(outcome.status == 0)
        let cronLine = outcome.stdout.split(separator: "\n").first { $0.hasPrefix("*/15 * * * * /") }
        #expect(cronLine?.contains("run --config \(sample) --quiet >> \(scratch.path("parallax.log")) 2>&1") == true)
        #expect(outcome.stdout.contains("[Timer]"))
        #expect(try run("schedule", scratch, ["--every", "45m"]).status == 2)
    }

    @Test func noProgressBarOrEscapeSequenceReachesALogFile() throws {
        let scratch = try TemporaryDirectory()
        let outcome = try run("run", scratch, ["--verbose"])
        #expect(outcome.status == 0)
        #expect(!outcome.stderr.contains("\u{1B}"))
        #expect(!outcome.stderr.contains("Crawling ["))
        #expect(!outcome.stdout.contains("\u{1B}"))
    }

    @Test func jsonLogsAreOneObjectPerLine() throws {
        let scratch = try TemporaryDirectory()
        let outcome = try run("run", scratch, ["--log-format", "json", "--verbose"])
        let lines = outcome.stderr.split(separator: "\n")
        #expect(lines.count >= 17)
        for line in lines {
            let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: String]
            #expect(object?["level"] != nil && object?["message"] != nil)
        }
    }
}
