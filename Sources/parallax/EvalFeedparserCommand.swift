import ArgumentParser
import Evaluation
import Foundation

struct EvalFeedparser: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "feedparser",
        abstract: "Run feedparser's conformance suite through Parallax's parser and score the applicable expectations.",
        discussion: """
            DIR is the suite's `tests` folder (default ../shared/data/feedparser-tests/tests). Every file is \
            parsed (so a crash or hang on any of them shows); each `Expect:` line is evaluated when it reads \
            only fields Parallax models. Prints pass counts per folder, the skip reasons, and with --failures the \
            expectations that failed.
            """)

    @Argument(help: "The suite's tests folder.")
    var directory: String = "../shared/data/feedparser-tests/tests"

    @Flag(help: "List every failed expectation.")
    var failures = false

    func run() async throws {
        try await reportingFailures {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
                print("skipped: \(directory) is absent (the feedparser suite is not in this checkout's ../shared/data)")
                return
            }
            let summary = try FeedparserConformance.run(directory: URL(fileURLWithPath: directory))
            print("folder".padding(toLength: 28, withPad: " ", startingAt: 0) + " files  applicable  passed  skipped  unreadable")
            for folder in summary.folders {
                print(
                    folder.folder.padding(toLength: 28, withPad: " ", startingAt: 0)
                        + String(format: " %5d  %10d  %6d  %7d  %10d", folder.files, folder.applicable, folder.passed, folder.skipped, folder.unreadable))
            }
            let share = summary.applicable > 0 ? Double(summary.passed) / Double(summary.applicable) * 100 : 0
            print(String(format: "total: %d files, %d of %d applicable expectations pass (%.1f %%)", summary.files, summary.passed, summary.applicable, share))
            print(String(format: "slowest file: %@ (%.3f s)", summary.slowestFile.path, summary.slowestFile.seconds))
            print("skipped expectations, by reason:")
            for (reason, count) in summary.skipReasons.sorted(by: { $0.value > $1.value }) {
                print(String(format: "  %5d  %@", count, reason))
            }
            if failures {
                for failure in summary.failures { print("FAIL \(failure.file): \(failure.expectation)  [\(failure.detail)]") }
            }
        }
    }
}
