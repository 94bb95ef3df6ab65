import Foundation
import Testing
@testable import Config

@Suite("ConfigLoader: crawl settings")
struct CrawlConfigTests {
    private func load(_ yaml: String) throws -> Result<ParallaxConfig, ConfigError> {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("parallax-config-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("feeds.yaml")
        try Data(yaml.utf8).write(to: file)
        do {
            return .success(try ConfigLoader.load(path: file.path))
        } catch {
            return .failure(error)
        }
    }

    @Test func theCrawlSectionAndAFeedsOwnUserAgent() throws {
        let config = try load("""
            crawl: { concurrency: 8, per-host: 1, host-spacing-seconds: 2, interval-minutes: 60, timeout-seconds: 30, user-agent: "Custom/2" }
            outlets: [{ id: a, name: A, domains: [a.example] }]
            feeds:
              - url: https://a.example/rss
                outlet: a
                user-agent: "PartnerBot/1.0 (+https://partner.example)"
            """).get()
        var expected = CrawlOptions()
        expected.concurrency = 8
        expected.perHost = 1
        expected.hostSpacingSeconds = 2
        expected.intervalMinutes = 60
        expected.timeoutSeconds = 30
        expected.userAgent = "Custom/2"
        #expect(config.crawl == expected)
        #expect(config.feeds.first?.userAgent == "PartnerBot/1.0 (+https://partner.example)")
    }

    @Test func outOfRangeValuesNameTheLine() throws {
        guard case .failure(let error) = try load("crawl:\n  interval-minutes: 1\n") else {
            Issue.record("an interval under 5 minutes was accepted")
            return
        }
        #expect(error.line == 2)
        #expect(error.message.contains("crawl.interval-minutes"))
    }
}
