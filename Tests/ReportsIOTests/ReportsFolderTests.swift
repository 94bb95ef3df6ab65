import Brief
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

    func update(_ folder: ReportsFolder, tallied: inout [Int64], at time: Date = t0) async throws -> ReportsFolder.Update {
        var seen: [Int64] = []
        let result = try await folder.update(
            stories: articles.keys.sorted().map { (story($0), "\($0)|\(articles[$0]!.count)") },
            coverage: { story in
                seen.append(story.id)
                return CoverageTally.tally(story: story, articles: articles[story.id]!, registry: OutletRegistry(outlets), rule: BlindspotRule())
            },
            brief: { BriefBuilder.brief(for: $0) },
            outlets: outlets, method: method, generatedAt: time)
        tallied = seen
        return result
    }
}

@Suite("ReportsFolder")
struct ReportsFolderTests {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("parallax-reports-\(UUID().uuidString)")

    func exists(_ path: String) -> Bool { FileManager.default.fileExists(atPath: directory.appendingPathComponent(path).path) }

    @Test func rewritesOnlyChangedStoriesAndRemovesVanishedOnes() async throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let folder = ReportsFolder(directory: directory)
        var world = World()
        for id in Int64(1)...4 { world.add(story: id, outlet: id % 2 == 0 ? "left" : "right", minutes: Double(id)) }
        var tallied: [Int64] = []

        let first = try await world.update(folder, tallied: &tallied)
        #expect(first.storiesRendered == 4 && first.storiesUnchanged == 0)
        #expect(tallied == [1, 2, 3, 4])
        for id in 1...4 { for ext in ["md", "json", "html"] { #expect(exists("stories/\(id).\(ext)")) } }
        for path in ["index.html", "recent.html", "blindspots.html", "index.json", "index.md", "stories.csv", "stories.atom", "blindspots.atom", "outlets/left.html"] {
            #expect(exists(path), "\(path)")
        }

        let untouched = try Data(contentsOf: directory.appendingPathComponent("stories/1.html"))
        let storyTwoBefore = try Data(contentsOf: directory.appendingPathComponent("stories/2.json"))
        let again = try await world.update(folder, tallied: &tallied)
        #expect(again.storiesRendered == 0 && again.storiesUnchanged == 4)
        #expect(tallied.isEmpty)

        world.add(story: 2, outlet: "right", minutes: 30)
        world.articles[3] = nil
        let changed = try await world.update(folder, tallied: &tallied)
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

    @Test func outletPagesOfOutletsWithNoStoriesLeftAreRemoved() async throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let folder = ReportsFolder(directory: directory)
        var world = World()
        world.add(story: 1, outlet: "left", minutes: 1)
        world.add(story: 2, outlet: "right", minutes: 2)
        var tallied: [Int64] = []
        _ = try await world.update(folder, tallied: &tallied)
        #expect(exists("outlets/right.html"))
        world.articles[2] = nil
        _ = try await world.update(folder, tallied: &tallied)
        #expect(!exists("outlets/right.html"))
        #expect(exists("outlets/left.html"))
    }

    @Test func aLostManifestMeansEverythingIsRewritten() async throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let folder = ReportsFolder(directory: directory)
        var world = World()
        world.add(story: 1, outlet: "left", minutes: 1)
        var tallied: [Int64] = []
        _ = try await world.update(folder, tallied: &tallied)
        try Data("parallax-reports-manifest 2\ns\tnot a story\n".utf8).write(to: directory.appendingPathComponent(ReportsFolder.manifestName))
        let update = try await world.update(folder, tallied: &tallied)
        #expect(update.storiesRendered == 1)
        #expect(tallied == [1])

        // A folder written by an earlier version: its JSON manifest is not read, and removed.
        try FileManager.default.removeItem(at: directory.appendingPathComponent(ReportsFolder.manifestName))
        try Data("{\"version\":1,\"stories\":{},\"shared\":{}}".utf8).write(to: directory.appendingPathComponent(ReportsFolder.oldManifestName))
        #expect(try await world.update(folder, tallied: &tallied).storiesRendered == 1)
        #expect(!exists(ReportsFolder.oldManifestName) && exists(ReportsFolder.manifestName))
    }

    @Test func noTemporaryFilesAreLeftBehind() async throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        var world = World()
        world.add(story: 1, outlet: "left", minutes: 1)
        var tallied: [Int64] = []
        _ = try await world.update(ReportsFolder(directory: directory), tallied: &tallied)
        let names = try FileManager.default.subpathsOfDirectory(atPath: directory.path)
        #expect(names.allSatisfy { $0 == ReportsFolder.manifestName || $0.wholeMatch(of: /(stories|outlets)(\/[0-9a-z.\-_]+\.(md|json|html))?|[a-z]+(-[0-9]+)?\.(html|md|json|csv|atom)/) != nil }, "\(names)")
    }

    /// Every file and its bytes, the manifest included.
    func contents(of folder: URL) throws -> [String: Data] {
        var files: [String: Data] = [:]
        for path in try FileManager.default.subpathsOfDirectory(atPath: folder.path) {
            var isDirectory: ObjCBool = false
            let url = folder.appendingPathComponent(path)
            guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), !isDirectory.boolValue else { continue }
            files[path] = try Data(contentsOf: url)
        }
        return files
    }

    /// A site kept up to date through a sequence of changes (stories growing, vanishing, new
    /// ones, pages appearing and disappearing) must be exactly the site written from scratch.
    @Test func incrementalRunsGiveTheSameFolderAsAFullWrite() async throws {
        let fresh = FileManager.default.temporaryDirectory.appendingPathComponent("parallax-reports-full-\(UUID().uuidString)")
        defer {
            try? FileManager.default.removeItem(at: directory)
            try? FileManager.default.removeItem(at: fresh)
        }
        let folder = ReportsFolder(directory: directory)
        var world = World()
        for id in Int64(1)...230 { world.add(story: id, outlet: id % 3 == 0 ? "left" : "right", minutes: Double(id)) }
        var tallied: [Int64] = []
        _ = try await world.update(folder, tallied: &tallied)
        #expect(exists("index-3.html") && !exists("index-4.html"))

        // Story 5 gains outlets and jumps to the top by coverage, shifting every page below it.
        world.add(story: 5, outlet: "left", minutes: 500)
        world.add(story: 5, outlet: "right", minutes: 501)
        world.add(story: 5, outlet: "center", minutes: 502)
        _ = try await world.update(folder, tallied: &tallied)
        for id in Int64(40)...80 { world.articles[id] = nil }
        world.add(story: 900, outlet: "left", minutes: 900)
        _ = try await world.update(folder, tallied: &tallied)
        #expect(!exists("index-3.html"))
        for id in Int64(901)...1000 { world.add(story: id, outlet: "right", minutes: Double(id)) }
        world.add(story: 7, outlet: "left", minutes: 1200)
        _ = try await world.update(folder, tallied: &tallied)
        // A row that changes in place: same stories on its page of `recent`, one more outlet.
        world.add(story: 950, outlet: "center", minutes: 950.5)
        _ = try await world.update(folder, tallied: &tallied)
        _ = try await world.update(folder, tallied: &tallied)

        _ = try await world.update(ReportsFolder(directory: fresh), tallied: &tallied)
        let incremental = try contents(of: directory)
        let full = try contents(of: fresh)
        #expect(incremental.keys.sorted() == full.keys.sorted())
        for (path, bytes) in full where incremental[path] != bytes {
            Issue.record("\(path) differs from the full write")
        }
        #expect(full.keys.contains("index-3.html") && full.keys.contains(ReportsFolder.manifestName))
    }

    /// A page is rendered again only when a row it lists changed; the others keep the time
    /// they were made.
    @Test func onlyPagesWhoseStoriesChangedAreRenderedAgain() async throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let folder = ReportsFolder(directory: directory)
        var world = World()
        for id in Int64(1)...250 { world.add(story: id, outlet: "right", minutes: Double(id)) }
        var tallied: [Int64] = []
        _ = try await world.update(folder, tallied: &tallied)
        func page(_ path: String) throws -> String { try String(contentsOf: directory.appendingPathComponent(path), encoding: .utf8) }
        let firstMinute = "Generated 2026-11-18 "
        #expect(try page("recent-3.html").contains(firstMinute))

        // Newest first: story 10 is on the third page of `recent`; a second article from the
        // same outlet changes its row (last seen) but not its place.
        world.add(story: 10, outlet: "right", minutes: 20)
        let later = t0.addingTimeInterval(86_400 * 3)
        let update = try await world.update(folder, tallied: &tallied, at: later)
        #expect(tallied == [10])
        #expect(try !page("recent-3.html").contains(firstMinute))
        #expect(try page("recent.html").contains(firstMinute))
        #expect(try page("recent-2.html").contains(firstMinute))
        #expect(try page("outlets/right.html").contains("stories/250.html"))
        // Its 3 files, index.md, index.json, stories.csv, and the one page of each order it is
        // on (by coverage it moved up, but not off page 3).
        #expect(update.filesWritten == 3 + 3 + 2, "\(update)")
        #expect(try !page("index-3.html").contains(firstMinute))
        #expect(try page("recent-2.html").contains("<a href=\"recent-3.html\" rel=\"next\">Next</a>"))
        #expect(try page("recent-3.html").contains("201–250 on page 3 of 3"))
    }
}
