import Feeds
import Foundation
import Testing
@testable import Config

/// Writes `yaml` to a fresh temporary folder (beside a copy of the shipped rule file) and loads it.
private func load(_ yaml: String) throws -> Result<ParallaxConfig, ConfigError> {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("parallax-rules-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    let shipped = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../feeds/rules/aggregator-pages.yaml")
    try FileManager.default.copyItem(at: shipped.standardizedFileURL, to: directory.appendingPathComponent("aggregator-pages.yaml"))
    let path = directory.appendingPathComponent("config.yaml")
    try yaml.write(to: path, atomically: true, encoding: .utf8)
    do {
        return .success(try ConfigLoader.load(path: path.path))
    } catch {
        return .failure(error)
    }
}

@Suite("ConfigLoader: html-rules feeds")
struct ExtractionRulesConfigTests {
    @Test func namedRuleSetsFromTheShippedFileAndInlineRules() throws {
        let config = try load("""
            include: [aggregator-pages.yaml]
            feeds:
              - url: https://clusterboard.example/
                kind: html-rules
                rules: cluster-page
              - url: https://techriver.example/
                kind: html-rules
                rules:
                  item: //li
                  title: ./a
                  link: ./a/@href
                  group: string(../@id)
            """).get()
        #expect(config.feeds.map(\.kind) == [.htmlRules, .htmlRules])
        #expect(config.feeds[0].rules?.group == "ancestor::div[@class='clus'][1]/@id")
        #expect(config.feeds[1].rules == ExtractionRules(item: "//li", title: "./a", link: "./a/@href", group: "string(../@id)"))
    }

    @Test func mistakesAreNamedWithTheirLine() throws {
        let unknown = try #require(try load("""
            feeds:
              - url: https://a.example/
                kind: html-rules
                rules: no-such-set
            """).failureValue)
        #expect(unknown.line == 2)
        #expect(unknown.message.contains("no-such-set"))

        let badXPath = try #require(try load("""
            feeds:
              - url: https://a.example/
                kind: html-rules
                rules: {item: "//li[", title: ., link: ./@href}
            """).failureValue)
        #expect(badXPath.line == 4)
        #expect(badXPath.message.contains("'//li[' is not a valid XPath"))

        let missing = try #require(try load("""
            feeds:
              - url: https://a.example/
                kind: html-rules
            """).failureValue)
        #expect(missing.message.contains("no 'rules'"))

        let misplaced = try #require(try load("""
            feeds:
              - url: https://a.example/
                kind: aggregator
                rules: cluster-page
            """).failureValue)
        #expect(misplaced.message.contains("only applies"))

        let incomplete = try #require(try load("""
            extraction-rules:
              half: {item: //li}
            """).failureValue)
        #expect(incomplete.message.contains("need 'title'"))
    }
}

extension Result {
    fileprivate var failureValue: Failure? {
        if case .failure(let error) = self { error } else { nil }
    }
}
