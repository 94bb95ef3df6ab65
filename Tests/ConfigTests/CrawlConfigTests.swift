import Foundation
import Testing
@testable import Config

@Suite("ConfigLoader: crawl settings")
struct CrawlConfigTests {
    private func load(_ yaml: String, besides files: [String: String] = [:]) throws -> Result<ParallaxConfig, ConfigError> {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("parallax-config-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        for (name, text) in files { try Data(text.utf8).write(to: directory.appendingPathComponent(name)) }
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

    @Test func aCAFileNextToTheConfigIsReadAndOneWithoutCertificatesNamed() throws {
        let pem = "-----BEGIN CERTIFICATE-----\nMIIBdzCCAR2gAwIBAgIUQ==\n-----END CERTIFICATE-----\n"
        let config = try load("crawl:\n  ca-file: intranet-ca.pem\n", besides: ["intranet-ca.pem": pem]).get()
        #expect(config.crawl.trustedCertificates == [pem])

        guard case .failure(let notPEM) = try load("crawl:\n  ca-file: key.txt\n", besides: ["key.txt": "not a certificate"]) else {
            Issue.record("a file without a certificate was accepted")
            return
        }
        #expect(notPEM.line == 2)
        #expect(notPEM.message.contains("key.txt holds no PEM certificate"))

        guard case .failure(let missing) = try load("crawl:\n  ca-file: nowhere.pem\n") else {
            Issue.record("a missing ca-file was accepted")
            return
        }
        #expect(missing.message.contains("cannot read the ca-file"))
        #expect(missing.message.contains("nowhere.pem"))
    }
}
