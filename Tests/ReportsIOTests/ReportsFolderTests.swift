import Coverage
import Foundation
import Outlets
import Reports
import Stories
import Testing
@testable import ReportsIO

private let t0 = Date(timeIntervalSince1970: 1_795_000_000)
private let outlets = [
    Outlet(id: "left", name: "Left Daily", domains: ["left.example"], manualBias: .left),
    Outlet(id: "right", name: "Right Herald", domains: ["right.example"], manualBias: .right),
]
private let method = Method(outlets: outlets, clustering: "lexical-centroid-1", blindspot: BlindspotRule())

/// Stories as a store would hold them: id → articles. A story's signature is its article count.
private struct World {
    var articles: [Int64: [Article]] = [:]

    mutating func add(story id: Int64, outlet: String, minutes: Double) {
        let time = t0.addingTimeInterval(minutes * 60)
        let url = "https://\(outlet).example/\(id)/\(minutes)"
        articles[id, default: []].append(Article(
            canonicalURL: url, url: url, outletID: outlet, domain: "\(outlet).example", title: "Story \(id) at \(minutes)",
            summary: "", language: "en", publishedAt: time, firstSeenAt: time, feedURL: "file:///f.xml", storyID: id))
    }

    func story(_ id: Int64) -> Story {
        let times = articles[id]!.map(\.time)
        return Story(id: id, title: "Story \(id)", firstSeenAt: times.min()!, lastSeenAt: times.max()!, articleCount: times.count)
    }

    func update(_ folder: ReportsFolder, tallied: inout [Int64]) throws -> ReportsFolder.Update {
        var seen: [Int64] = []
        let result = try folder.update(
            stories: articles.keys.sorted().map { (story($0), "\($0)|\(articles[$0]!.count)") },
            coverage: { story in
                seen.append(story.id)
                return CoverageTally.tally(story: story, articles: articles[story.id]!, registry: OutletRegistry(outlets), rule: BlindspotRule())
            },
            outlets: outlets, method: method, generatedAt: t0)
        tallied = seen
        return result
    }
}

@Suite("ReportsFolder")
struct ReportsFolderTests {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("parallax-reports-\(UUID().uuidString)")

    func exists(_ path: String) -> Bool { FileManager.default.fileExists(atPath: directory.appendingPathComponent(path).path) }

    @Test func rewritesOnlyChangedStoriesAndRemovesVanishedOnes() throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let folder = ReportsFolder(directory: directory)
        var world = World()
        for id in Int64(1)...4 { world.add(story: id, outlet: id % 2 == 0 ? "left" : "right", minutes: Double(id)) }
        var tallied: [Int64] = []

        let first = try world.update(folder, tallied: &tallied)
        #expect(first.storiesRendered == 4 && first.storiesUnchanged == 0)
        #expect(tallied == [1, 2, 3, 4])
        for id in 1...4 { for ext in ["md", "json", "html"] { #expect(exists("stories/\(id).\(ext)")) } }
        for path in ["index.html", "recent.html", "blindspots.html", "index.json", "index.md", "stories.csv", "stories.atom", "blindspots.atom", "outlets/left.html"] {
            #expect(exists(path), "\(path)")
        }

        let untouched = try Data(contentsOf: directory.appendingPathComponent("stories/1.html"))
        let storyTwoBefore = try Data(contentsOf: directory.appendingPathComponent("stories/2.json"))
        let again = try world.update(folder, tallied: &tallied)
        #expect(again.storiesRendered == 0 && again.storiesUnchanged == 4)
        #expect(tallied.isEmpty)

        world.add(story: 2, outlet: "right", minutes: 30)
        world.articles[3] = nil
        let changed = try world.update(folder, tallied: &tallied)
        #expect(tallied == [2])
        #expect(changed.storiesRendered == 1 && changed.storiesUnchanged == 2 && changed.storiesRemoved == 1)
        #expect(try Data(contentsOf: directory.appendingPathComponent("stories/1.html")) == untouched)
        #expect(try Data(contentsOf: directory.appendingPathComponent("stories/2.json")) != storyTwoBefore)
        for ext in ["md", "json", "html"] { #expect(!exists("stories/3.\(ext)")) }
        let index = try String(contentsOf: directory.appendingPathComponent("index.html"), encoding: .utf8)
        #expect(!index.contains("stories/3.html"))
        #expect(index.contains("stories/2.html"))
        let json = try String(contentsOf: directory.appendingPathComponent("index.json"), encoding: .utf8)
        #expect(!json.contains("stories/3.json"))
    }

    @Test func outletPagesOfOutletsWithNoStoriesLeftAreRemoved() throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let folder = ReportsFolder(directory: directory)
        var world = World()
        world.add(story: 1, outlet: "left", minutes: 1)
        world.add(story: 2, outlet: "right", minutes: 2)
        var tallied: [Int64] = []
        _ = try world.update(folder, tallied: &tallied)
        #expect(exists("outlets/right.html"))
        world.articles[2] = nil
        _ = try world.update(folder, tallied: &tallied)
        #expect(!exists("outlets/right.html"))
        #expect(exists("outlets/left.html"))
    }

    @Test func aLostManifestMeansEverythingIsRewritten() throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let folder = ReportsFolder(directory: directory)
        var world = World()
        world.add(story: 1, outlet: "left", minutes: 1)
        var tallied: [Int64] = []
        _ = try world.update(folder, tallied: &tallied)
        try Data("parallax-reports-manifest 2\ns\tnot a story\n".utf8).write(to: directory.appendingPathComponent(ReportsFolder.manifestName))
        let update = try world.update(folder, tallied: &tallied)
        #expect(update.storiesRendered == 1)
        #expect(tallied == [1])
    }

    @Test func noTemporaryFilesAreLeftBehind() throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        var world = World()
        world.add(story: 1, outlet: "left", minutes: 1)
        var tallied: [Int64] = []
        _ = try world.update(ReportsFolder(directory: directory), tallied: &tallied)
        let names = try FileManager.default.subpathsOfDirectory(atPath: directory.path)
        #expect(names.allSatisfy { $0 == ReportsFolder.manifestName || $0.wholeMatch(of: /(stories|outlets)(\/[0-9a-z.\-_]+\.(md|json|html))?|[a-z]+(-[0-9]+)?\.(html|md|json|csv|atom)/) != nil }, "\(names)")
    }
}
