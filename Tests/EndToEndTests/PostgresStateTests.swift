import Foundation
import PostgresStore
import Testing
import TestStates

/// The CLI on a PostgreSQL state: chosen by `--state` or `PARALLAX_STATE`, checked by `check`,
/// filled by `state copy`, and one line with exit 2 when the database cannot be used.
@Suite("PostgreSQL state from the command line")
struct PostgresStateTests {
    static let sample = CommandRunner.packageRoot.appendingPathComponent("feeds/sample/sample.yaml").path

    @Test(.enabled(if: StateBackend.available.contains(.postgresql)))
    func theSampleRunsOnPostgreSQLAndCheckReportsTheSchema() async throws {
        let state = try await TestState(.postgresql)
        let reports = state.directory.appendingPathComponent("reports").path
        let run = try CommandRunner.run(
            ["run", "--config", Self.sample, "--reports", reports, "--quiet"], environment: ["PARALLAX_STATE": state.location])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(FileManager.default.fileExists(atPath: reports + "/index.html"))
        let stories = try CommandRunner.run(["stories", "--config", Self.sample, "--state", state.location, "--format", "json"])
        #expect(stories.status == 0, "\(stories.stderr)")
        let check = try CommandRunner.run(["check", "--config", Self.sample, "--reports", reports], environment: ["PARALLAX_STATE": state.location])
        #expect(check.status == 0, "\(check.stdout)\(check.stderr)")
        let display = try PostgresLocation(url: state.location).display
        #expect(check.stdout.contains("ok: \(display): integrity check passed; schema 'v3-brief'"), "\(check.stdout)")
        if let password = try PostgresLocation(url: state.location).password { #expect(!check.stdout.contains(password)) }
    }

    @Test(.enabled(if: StateBackend.available.contains(.postgresql)))
    func stateCopyMovesTheSampleVerifiedAndRefusesAFullTarget() async throws {
        let sqlite = try await TestState(.sqlite)
        let reports = sqlite.directory.appendingPathComponent("reports").path
        let run = try CommandRunner.run(["run", "--config", Self.sample, "--state", sqlite.location, "--reports", reports, "--quiet"])
        #expect(run.status == 0, "\(run.stderr)")
        let target = try await TestState(.postgresql)
        let copy = try CommandRunner.run(["state", "copy", "--config", Self.sample, "--state", sqlite.location, "--to", target.location])
        #expect(copy.status == 0, "\(copy.stderr)")
        #expect(copy.stdout.contains("counts and checksums match"), "\(copy.stdout)")
        #expect(copy.stdout.contains("  article: ") && copy.stdout.contains("  storyMember: "))
        // The copy tells the same stories.
        let fromFile = try CommandRunner.run(["stories", "--config", Self.sample, "--state", sqlite.location, "--format", "json"])
        let fromServer = try CommandRunner.run(["stories", "--config", Self.sample, "--state", target.location, "--format", "json"])
        #expect(fromFile.status == 0 && fromServer.status == 0)
        // (Only the time the listing was made may differ.)
        func withoutTime(_ text: String) -> [Substring] { text.split(separator: "\n").filter { !$0.contains("\"generatedAt\"") } }
        #expect(withoutTime(fromFile.stdout) == withoutTime(fromServer.stdout))
        #expect(withoutTime(fromFile.stdout).count > 30)
        // A second copy finds the target full and changes nothing.
        let again = try CommandRunner.run(["state", "copy", "--config", Self.sample, "--state", sqlite.location, "--to", target.location])
        #expect(again.status == 2)
        #expect(again.stderr.contains("not an empty database") && again.stderr.split(separator: "\n").count == 1, "\(again.stderr)")
    }

    @Test func anUnreachableDatabaseIsOneLineAndExitTwo() throws {
        let result = try CommandRunner.run(
            ["stories", "--config", Self.sample], environment: ["PARALLAX_STATE": "postgresql://reader:hunter2@127.0.0.1:9/news?sslmode=disable"])
        #expect(result.status == 2)
        let lines = result.stderr.split(separator: "\n")
        #expect(lines.count == 1, "\(result.stderr)")
        #expect(result.stderr.contains("reader@127.0.0.1:9/news: cannot connect to the state database"), "\(result.stderr)")
        #expect(!result.stderr.contains("hunter2"))
        let check = try CommandRunner.run(
            ["check", "--config", Self.sample, "--state", "postgresql://reader:hunter2@127.0.0.1:9/news?sslmode=disable"])
        #expect(check.status == 2)
        #expect(check.stdout.contains("error: reader@127.0.0.1:9/news: cannot connect to the state database"), "\(check.stdout)")
        #expect(!check.stdout.contains("hunter2") && !check.stderr.contains("hunter2"))
    }
}
