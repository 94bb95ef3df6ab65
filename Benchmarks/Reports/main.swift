import Brief
import Coverage
import Foundation
import Outlets
import ReportsIO
import Reports
import Stories

// Reports for 10,000 stories / 200,000 articles: a full write into an empty folder, then an
// incremental run after 1 % of the stories gained an article, measured in one run, side by side.
// Articles come from memory (not the store), so this measures tallying, rendering and writing.
// The full write is made four times side by side, without the brief (no brief, no related
// stories) and with it (brief, perspectives, related stories), in the order without, with, with, without, each into a
// fresh folder: creating thousands of files costs the kernel more when many were just created or
// deleted, so whichever write came second paid more, and the sums of both orders cancel that.

let storyCount = Int(ProcessInfo.processInfo.environment["BENCH_STORIES"] ?? "") ?? 10_000
let articlesPerStory = 20
let outletCount = 200
let changedShare = 0.01

let outlets = (0..<outletCount).map { index in
    Outlet(
        id: "outlet-\(index)", name: "Outlet \(index)", domains: ["outlet\(index).example"],
        manualBias: index % 7 == 6 ? nil : Bias.rated[index % 5], manualFactuality: Factuality(score: index % 6),
        ownership: Ownership.allCases[index % Ownership.allCases.count], country: ["US", "GB", "DE", "KR"][index % 4])
}
let registry = OutletRegistry(outlets)
let method = Method(outlets: outlets, clustering: "lexical-centroid-1", blindspot: BlindspotRule())
let start = Date(timeIntervalSince1970: 1_795_000_000)
var generator = SystemRandomNumberGenerator()

func article(story: Int64, index: Int) -> Article {
    let outlet = outlets[(Int(story) * 31 + index * 17) % outletCount]
    let time = start.addingTimeInterval(Double(story) * 60 + Double(index) * 400)
    let url = "https://\(outlet.domains[0])/\(story)/\(index)"
    return Article(
        canonicalURL: url, url: url, outletID: outlet.id, domain: outlet.domains[0],
        title: "Story \(story): headline number \(index) about the event",
        summary: "Officials in Town\(story % 997) said on Tuesday that \(100 + story % 900) people were affected by the event. "
            + "Minister Name\(story % 313) told reporters in Capital\(story % 41) that the response would take \(index % 5 + 2) weeks. "
            + "Outlet \(index) reported the figures first, citing the agency ABC\(story % 89).",
        language: "en", publishedAt: time, firstSeenAt: time, feedURL: "https://\(outlet.domains[0])/rss", storyID: story)
}

var articles: [Int64: [Article]] = [:]
for story in 1...Int64(storyCount) {
    articles[story] = (0..<articlesPerStory).map { article(story: story, index: $0) }
}

@MainActor func stories() -> [(story: Story, signature: String)] {
    articles.keys.sorted().map { id in
        let members = articles[id]!
        let times = members.map(\.time)
        let story = Story(id: id, title: members[0].title, firstSeenAt: times.min()!, lastSeenAt: times.max()!, articleCount: members.count)
        return (story, "\(id)|\(members.count)|\(story.lastSeenAt.timeIntervalSince1970)")
    }
}

/// Seconds of CPU (user + system) this process has used: on a shared machine the wall clock
/// also counts other people's work, so both are printed.
func cpuSeconds() -> Double { userSeconds() + systemSeconds() }

func userSeconds() -> Double {
    var usage = rusage()
    getrusage(Int32(RUSAGE_SELF.rawValue), &usage)
    return Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1e6
}

func systemSeconds() -> Double {
    var usage = rusage()
    getrusage(Int32(RUSAGE_SELF.rawValue), &usage)
    return Double(usage.ru_stime.tv_sec) + Double(usage.ru_stime.tv_usec) / 1e6
}

struct Measurement {
    var wall: Double
    var cpu: Double
    var user: Double
    var update: ReportsFolder.Update

    static func + (a: Measurement, b: Measurement) -> Measurement {
        Measurement(wall: a.wall + b.wall, cpu: a.cpu + b.cpu, user: a.user + b.user, update: a.update)
    }
}

@MainActor func run(_ folder: ReportsFolder, withBrief: Bool = true) async throws -> Measurement {
    let list = stories()
    let clock = ContinuousClock()
    var update: ReportsFolder.Update?
    let cpuStart = cpuSeconds(), userStart = userSeconds()
    // One workspace for the whole write, as `parallax report` keeps one per run.
    var workspace = BriefWorkspace()
    let elapsed = try await clock.measure {
        update = try await folder.update(
            stories: list,
            coverage: { CoverageTally.tally(story: $0, articles: articles[$0.id]!, registry: registry, rule: BlindspotRule()) },
            brief: withBrief ? { BriefBuilder.brief(for: $0, repeated: [], workspace: &workspace) } : nil,
            outlets: outlets, method: method, generatedAt: Date())
    }
    let wall = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    return Measurement(wall: wall, cpu: cpuSeconds() - cpuStart, user: userSeconds() - userStart, update: update!)
}

let directory = FileManager.default.temporaryDirectory.appendingPathComponent("bench-reports-\(UUID().uuidString)")
defer { try? FileManager.default.removeItem(at: directory) }
let folder = ReportsFolder(directory: directory)

print("bench-reports: \(storyCount) stories, \(storyCount * articlesPerStory) articles, \(outletCount) outlets, into \(directory.path)")
let plainDirectory = FileManager.default.temporaryDirectory.appendingPathComponent("bench-reports-plain-\(UUID().uuidString)")
defer { try? FileManager.default.removeItem(at: plainDirectory) }
let secondPlainDirectory = FileManager.default.temporaryDirectory.appendingPathComponent("bench-reports-plain2-\(UUID().uuidString)")
defer { try? FileManager.default.removeItem(at: secondPlainDirectory) }
let secondDirectory = FileManager.default.temporaryDirectory.appendingPathComponent("bench-reports-brief2-\(UUID().uuidString)")
defer { try? FileManager.default.removeItem(at: secondDirectory) }
// BENCH_ONLY=plain or =brief makes only that full write and stops (to profile one side alone).
let only = ProcessInfo.processInfo.environment["BENCH_ONLY"]
if only == "plain" || only == "brief" {
    let alone = try await run(ReportsFolder(directory: plainDirectory), withBrief: only == "brief")
    print(String(format: "full write, %@ only: %.3f s wall, %.3f s CPU", only!, alone.wall, alone.cpu))
    exit(0)
}
let firstPlain = try await run(ReportsFolder(directory: plainDirectory), withBrief: false)
let firstFull = try await run(ReportsFolder(directory: secondDirectory))
let full = try await run(folder)
let secondPlain = try await run(ReportsFolder(directory: secondPlainDirectory), withBrief: false)
let plain = firstPlain + secondPlain, fullPair = firstFull + full
let changed = Array(articles.keys.shuffled(using: &generator).prefix(Int(Double(storyCount) * changedShare)))
for id in changed { articles[id]!.append(article(story: id, index: articlesPerStory)) }
let incremental = try await run(folder)
let unchanged = try await run(folder)

@MainActor func row(_ name: String, _ result: Measurement) -> String {
    name.padding(toLength: 30, withPad: " ", startingAt: 0)
        + String(format: "%9.3f s wall (×%6.1f)  %9.3f s CPU (×%6.1f)  %6d rendered  %6d files written",
                 result.wall, full.wall / result.wall, result.cpu, full.cpu / result.cpu, result.update.storiesRendered, result.update.filesWritten)
}
print(row("full write without the brief", firstPlain))
print(row("full write", firstFull))
print(row("full write", full))
print(row("full write without the brief", secondPlain))
print(row("incremental, 1 % changed", incremental))
print(row("incremental, nothing changed", unchanged))
print(String(format: "speed-up of the incremental run: %.1f× wall, %.1f× CPU (goal ≥ 20×)", full.wall / incremental.wall, full.cpu / incremental.cpu))
print(String(format: "the brief's cost on the full write, both orders summed: %+.1f %% CPU (user %+.1f %%, system %+.1f %%), %+.1f %% wall (goal ≤ 20 %%)",
             (fullPair.cpu / plain.cpu - 1) * 100, (fullPair.user / plain.user - 1) * 100,
             ((fullPair.cpu - fullPair.user) / (plain.cpu - plain.user) - 1) * 100, (fullPair.wall / plain.wall - 1) * 100))
