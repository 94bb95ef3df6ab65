import Evaluation
import Foundation
import Stories

// bench-clustering FILE[.tsv|.tsv.gz] [--skip-python]
//
// Streams a UCI-format file through `parallax eval clustering`'s path (store insert → cluster
// pending → persist, one batch per hour, one clusterer session) and prints, from one run:
// B-cubed scores, steady-state articles/second, seconds per 1,000 articles around 10k, 100k and
// the end of the file, peak RSS, and the same file through the plain Python online TF-IDF
// baseline (baseline_online_tfidf.py) with the ratio of the two speeds.

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("bench-clustering: \(message)\n".utf8))
    exit(2)
}

var arguments = Array(CommandLine.arguments.dropFirst())
let skipPython = arguments.contains("--skip-python")
arguments.removeAll { $0 == "--skip-python" }
guard let input = arguments.first else {
    fail("usage: bench-clustering FILE.tsv[.gz] [--skip-python]  (e.g. ../shared/data/uci-news-aggregator/newsCorpora.full.tsv.gz)")
}
guard FileManager.default.fileExists(atPath: input) else {
    fail("\(input): not found; the UCI data lives in ../shared/data/uci-news-aggregator (see SOURCES.md)")
}

let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("parallax-bench-\(UUID().uuidString)")
try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
defer { try? FileManager.default.removeItem(at: scratch) }

func run(_ executable: String, _ arguments: [String], stdout: URL? = nil) -> String {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = [executable] + arguments
    let pipe = Pipe()
    if let stdout {
        FileManager.default.createFile(atPath: stdout.path, contents: nil)
        process.standardOutput = try! FileHandle(forWritingTo: stdout)
    } else {
        process.standardOutput = pipe
    }
    do { try process.run() } catch { fail("cannot run \(executable): \(error)") }
    let output = stdout == nil ? String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self) : ""
    process.waitUntilExit()
    if process.terminationStatus != 0 { fail("\(executable) \(arguments.joined(separator: " ")) failed") }
    return output
}

var path = input
if input.hasSuffix(".gz") {
    let plain = scratch.appendingPathComponent("input.tsv")
    _ = run("gzip", ["-dc", input], stdout: plain)
    path = plain.path
}

let headlines: [ClusteringEvaluation.Headline]
do { headlines = try ClusteringEvaluation.readHeadlines(path: path) } catch { fail("\(error)") }

/// CPU seconds this process has used: on a shared machine, wall time mostly measures the neighbours.
func cpuSeconds() -> Double {
    var time = timespec()
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &time)
    return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
}

/// (headlines done, CPU seconds) after each batch, and the evaluation's result.
func measure(_ headlines: [ClusteringEvaluation.Headline]) async throws -> (marks: [(articles: Int, seconds: Double)], result: ClusteringEvaluation.Result, cpu: Double) {
    let cpuStart = cpuSeconds()
    var marks: [(articles: Int, seconds: Double)] = [(0, 0)]
    let result = try await ClusteringEvaluation.run(
        headlines, settings: ClusteringSettings(), statePath: scratch.appendingPathComponent("bench.sqlite").path
    ) { done, _ in marks.append((done, cpuSeconds() - cpuStart)) }
    return (marks, result, cpuSeconds() - cpuStart)
}
let (marks, result, cpu) = try await measure(headlines)

var usage = rusage()
getrusage(RUSAGE_SELF.rawValue, &usage)
let peakMB = Double(usage.ru_maxrss) / 1024

/// Seconds at the first batch boundary at or after `articles`.
func seconds(at articles: Int) -> (articles: Int, seconds: Double) {
    marks.first { $0.articles >= articles } ?? marks.last!
}

/// Seconds per 1,000 articles over the 10,000 articles ending at `mark`.
func costPerThousand(endingAt mark: Int) -> Double {
    let end = seconds(at: mark)
    let begin = seconds(at: max(0, end.articles - 10_000))
    return (end.seconds - begin.seconds) / Double(max(end.articles - begin.articles, 1)) * 1000
}

let total = headlines.count
let steadyFrom = seconds(at: total / 10), steadyTo = seconds(at: total * 9 / 10)
let steady = Double(steadyTo.articles - steadyFrom.articles) / max(steadyTo.seconds - steadyFrom.seconds, 1e-9)
let score = result.score
print("\(input): \(total) headlines, \(score.goldClusters) gold stories, \(score.predictedClusters) predicted, \(result.batches) hourly batches")
print(String(format: "B-cubed precision %.4f  recall %.4f  F1 %.4f   (%@)", score.precision, score.recall, score.f1, ClusteringSettings.version))
print(String(format: "wall %.1f s (%.0f articles/s); CPU %.1f s (%.0f articles/s); steady state (10%%–90%% of the file) %.0f articles per CPU second", result.seconds, Double(total) / result.seconds, cpu, Double(total) / cpu, steady))
print("CPU seconds per 1,000 articles (over the 10,000 articles ending at the mark):")
var checkpoints = [10_000, 100_000, total].filter { $0 <= total }
if checkpoints.isEmpty { checkpoints = [total] }
let baseCost = costPerThousand(endingAt: checkpoints[0])
for mark in checkpoints {
    let cost = costPerThousand(endingAt: mark)
    print(String(format: "  at %7d: %.4f s  (%.2f× the cost at %d)", mark, cost, cost / max(baseCost, 1e-9), checkpoints[0]))
}
print(String(format: "peak RSS %.0f MB", peakMB))

if !skipPython {
    let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("baseline_online_tfidf.py").path
    let output = run("python3", [script, path])
    print("python online TF-IDF baseline: " + output.trimmingCharacters(in: .whitespacesAndNewlines))
    if let rate = output.split(separator: " ").reversed().dropFirst().first.flatMap({ Double($0) }) {
        print(String(format: "ratio (CPU): Parallax %.0f / Python %.0f articles/s = %.1f× (Parallax's figure includes SQLite writes; Python's is its loop alone)", Double(total) / cpu, rate, Double(total) / cpu / rate))
    }
}
