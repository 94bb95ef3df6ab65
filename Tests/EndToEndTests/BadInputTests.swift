import Foundation
import Testing

@Suite("Bad input: clear one-line errors, documented exit codes, nothing lost")
struct BadInputTests {
    let goodFeed = """
        <rss version="2.0"><channel><title>Good</title><link>https://good.example/</link>
        <item><title>Harbor tunnel opens to traffic</title><link>https://good.example/tunnel</link><pubDate>Thu, 19 Nov 2026 08:00:00 GMT</pubDate></item>
        </channel></rss>
        """

    func writeConfig(in scratch: TemporaryDirectory, feeds: String) throws -> String {
        let yaml = """
            outlets:
              - id: good
                name: Good News
                domains: [good.example]
                bias: center
            feeds:
            \(feeds)
            """
        let path = scratch.path("config.yaml")
        try Data(yaml.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    @Test func aMalformedFeedAndAMissingFileFailAloneAndTheRunGoesOn() throws {
        let scratch = try TemporaryDirectory()
        try Data(goodFeed.utf8).write(to: URL(fileURLWithPath: scratch.path("good.xml")))
        try Data("<html><body>this is not a feed".utf8).write(to: URL(fileURLWithPath: scratch.path("bad.xml")))
        let config = try writeConfig(
            in: scratch,
            feeds: """
                  - url: bad.xml
                    outlet: good
                  - url: missing.xml
                    outlet: good
                  - url: good.xml
                    outlet: good
                """)
        let outcome = try CommandRunner.run(["run", "--config", config, "--reports", scratch.path("reports")])
        #expect(outcome.status == 3, "some feeds failed but the run completed")
        #expect(outcome.stderr.contains("bad.xml: an HTML page, not a feed"))
        #expect(outcome.stderr.contains("missing.xml: no such file: \(scratch.path("missing.xml"))"))
        #expect(outcome.stdout.contains("1 feeds fetched, 0 not modified, 2 failed, 1 new articles"))
        #expect(FileManager.default.fileExists(atPath: scratch.path("reports/index.json")))
        #expect(FileManager.default.fileExists(atPath: scratch.path(".parallax/parallax.sqlite")), "state defaults to .parallax/ beside the config")
    }

    @Test func anInvalidConfigNamesFileAndLineAndExitsWithTwo() throws {
        let scratch = try TemporaryDirectory()
        let config = try writeConfig(
            in: scratch,
            feeds: """
                  - url: good.xml
                    outlet: nobody
                """)
        let outcome = try CommandRunner.run(["run", "--config", config])
        #expect(outcome.status == 2)
        #expect(outcome.stderr == "parallax: \(config):7: feed \(URL(fileURLWithPath: scratch.path("good.xml")).absoluteString) names outlet 'nobody', which no 'outlets' entry defines\n")
        #expect(outcome.stdout.isEmpty)
    }

    @Test func aBadBiasValueIsPointedAt() throws {
        let scratch = try TemporaryDirectory()
        let path = scratch.path("config.yaml")
        try Data("outlets:\n  - id: x\n    name: X\n    domains: [x.example]\n    bias: far-left\n".utf8).write(to: URL(fileURLWithPath: path))
        let outcome = try CommandRunner.run(["stories", "--config", path])
        #expect(outcome.status == 2)
        #expect(outcome.stderr.hasPrefix("parallax: \(path):5: 'far-left' is not a valid bias"))
    }

    @Test func aMissingConfigFileIsNamed() throws {
        let outcome = try CommandRunner.run(["run", "--config", "/nonexistent/parallax.yaml"])
        #expect(outcome.status == 2)
        #expect(outcome.stderr == "parallax: /nonexistent/parallax.yaml: no such file\n")
    }

    @Test func versionAndHelp() throws {
        let version = try CommandRunner.run(["--version"])
        #expect(version.status == 0)
        #expect(version.stdout.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: ".").count == 3)
        let help = try CommandRunner.run(["--help"])
        #expect(help.status == 0)
        for command in ["run", "crawl", "stories", "story", "report"] { #expect(help.stdout.contains(command)) }
        let usage = try CommandRunner.run(["stories", "--since", "yesterday", "--config", "feeds/sample/sample.yaml"])
        #expect(usage.status == 2)
        #expect(usage.stderr.contains("--since 'yesterday'"))
    }
}
