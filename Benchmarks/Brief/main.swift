import Foundation
import Logging
import Pipeline

// What the story brief (brief, perspectives, article cards' first sentences, and the outlet
// sentences the store learns boilerplate from) adds to `parallax run` on the bundled sample:
// the whole run (config, fresh state database, crawl of the sample's file feeds, clustering,
// reports) in this process, alternately without and with the brief, each into fresh folders.
// CPU time (user + system) per run, because the machine is shared; the ratio is of the medians.
//
//   swift build -c release --scratch-path .build-release --product bench-brief
//   .build-release/release/bench-brief [config] [pairs]      (defaults: feeds/sample/sample.yaml, 15)

let arguments = CommandLine.arguments.dropFirst()
let config = arguments.first ?? "feeds/sample/sample.yaml"
let pairs = arguments.dropFirst().first.flatMap { Int($0) } ?? 15

func cpuSeconds() -> Double {
    var usage = rusage()
    getrusage(Int32(RUSAGE_SELF.rawValue), &usage)
    return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
}

/// The per-feed lines `parallax run` logs at info level are not what is measured.
let quiet: Logger = {
    var logger = Logger(label: "bench-brief")
    logger.logLevel = .error
    return logger
}()

struct Sample {
    var cpu: Double
    var wall: Double
    var files: Int
}

func run(withBrief: Bool) async throws -> Sample {
    let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("bench-brief-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: scratch) }
    let wallStart = Date()
    let cpuStart = cpuSeconds()
    let frontend = try await Frontend(
        configPath: config, statePath: scratch.appendingPathComponent("state.sqlite").path,
        reportsPath: scratch.appendingPathComponent("reports").path, logger: quiet)
    let summary = try await frontend.run(force: true, withBrief: withBrief)
    return Sample(cpu: cpuSeconds() - cpuStart, wall: Date().timeIntervalSince(wallStart), files: summary.reportsWritten)
}

func median(_ values: [Double]) -> Double {
    let sorted = values.sorted()
    return sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
}

// One warm-up pair (file cache, lazy initialisation), not counted.
_ = try await run(withBrief: false)
_ = try await run(withBrief: true)
var without: [Sample] = [], with: [Sample] = []
for pair in 0..<pairs {
    // Alternate which goes first, so drift in the neighbours' load falls on both.
    if pair % 2 == 0 {
        without.append(try await run(withBrief: false))
        with.append(try await run(withBrief: true))
    } else {
        with.append(try await run(withBrief: true))
        without.append(try await run(withBrief: false))
    }
}
let ratios = zip(with, without).map { $0.cpu / $1.cpu }
print("bench-brief: \(config), \(pairs) pairs of whole runs (crawl, cluster, reports), alternating")
print(String(format: "without the brief: median %.3f s CPU, %.3f s wall, %d files", median(without.map(\.cpu)), median(without.map(\.wall)), without[0].files))
print(String(format: "with the brief:    median %.3f s CPU, %.3f s wall, %d files", median(with.map(\.cpu)), median(with.map(\.wall)), with[0].files))
print(String(format: "the brief's cost: %+.1f %% CPU (ratio of medians), median of pairwise ratios %+.1f %% (goal ≤ 15 %%)",
             (median(with.map(\.cpu)) / median(without.map(\.cpu)) - 1) * 100, (median(ratios) - 1) * 100))
