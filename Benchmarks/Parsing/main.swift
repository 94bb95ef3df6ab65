import Feeds
import Foundation

// bench-parsing: the same feed bytes through Parallax's parser, `xmllint --stream --noout`
// (libxml2 alone, the floor), Python feedparser and feedparser-rs, printed side by side.
// Usage: bench-parsing [CORPUS_DIR] (default /tmp/parallax-bench-corpus, made by make_corpus.py).
// PARALLAX_BENCH_PYTHON names a Python with feedparser and feedparser-rs (default /tmp/bench-venv/bin/python).

let arguments = CommandLine.arguments.dropFirst()
let corpusPath = arguments.first ?? "/tmp/parallax-bench-corpus"
let corpus = URL(fileURLWithPath: corpusPath)
guard let names = try? FileManager.default.contentsOfDirectory(atPath: corpusPath).filter({ $0.hasSuffix(".xml") }).sorted(),
    !names.isEmpty
else {
    print("skipped: no .xml files in \(corpusPath); make them with: python3 Benchmarks/Parsing/make_corpus.py \(corpusPath)")
    exit(0)
}
let files = names.map { corpus.appendingPathComponent($0) }
let documents = files.compactMap { try? Data(contentsOf: $0) }
let totalBytes = documents.reduce(0) { $0 + $1.count }
let megabytes = Double(totalBytes) / 1_048_576
let minimumSeconds = 3.0

struct Measurement {
    var name: String
    var seconds: Double
    /// CPU time (user + system) of the passes: on a loaded machine it moves far less than the
    /// wall clock, which also counts the time the process waited for a core.
    var cpuSeconds: Double
    var passes: Int
    var items: Int
    var note = ""
    var megabytesPerSecond: Double { megabytes * Double(passes) / seconds }
    var cpuMegabytesPerSecond: Double { megabytes * Double(passes) / cpuSeconds }
    var itemsPerSecond: Double { Double(items * passes) / seconds }
}

/// User plus system CPU seconds of this process (`RUSAGE_SELF`) or of its waited-for children.
func cpuSeconds(_ who: __rusage_who = RUSAGE_SELF) -> Double {
    var usage = rusage()
    getrusage(__rusage_who_t(who.rawValue), &usage)
    func seconds(_ time: timeval) -> Double { Double(time.tv_sec) + Double(time.tv_usec) / 1e6 }
    return seconds(usage.ru_utime) + seconds(usage.ru_stime)
}

func seconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
}

func residentMegabytes() -> Double {
    guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
        let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") })
    else { return 0 }
    return (Double(line.split(separator: " ").dropFirst().first ?? "0") ?? 0) / 1024
}

func measureParallax() -> (Measurement, [Double]) {
    var items = 0
    for data in documents { items += (try? FeedParser.parse(data, url: "https://bench.example/feed"))?.items.count ?? 0 }
    var passes = 0
    var memory: [Double] = []
    let clock = ContinuousClock()
    let start = clock.now
    let cpuStart = cpuSeconds()
    while seconds(clock.now - start) < minimumSeconds || passes < 5 {
        for data in documents { _ = try? FeedParser.parse(data, url: "https://bench.example/feed") }
        passes += 1
        memory.append(residentMegabytes())
    }
    let cpu = cpuSeconds() - cpuStart
    return (Measurement(name: "Parallax (FeedParser)", seconds: seconds(clock.now - start), cpuSeconds: cpu, passes: passes, items: items), memory)
}

func run(_ executable: String, _ arguments: [String]) -> (status: Int32, output: String)? {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = FileHandle.nullDevice
    do { try process.run() } catch { return nil }
    let output = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: output, as: UTF8.self))
}

func measureXmllint(items: Int) -> Measurement? {
    let xmllint = ["/usr/bin/xmllint", "/usr/local/bin/xmllint"].first { FileManager.default.isExecutableFile(atPath: $0) }
    guard let xmllint else { return nil }
    let clock = ContinuousClock()
    let start = clock.now
    let cpuStart = cpuSeconds(RUSAGE_CHILDREN)
    var passes = 0
    // One process per pass over all files, so start-up is paid once per pass.
    while seconds(clock.now - start) < minimumSeconds || passes < 5 {
        guard run(xmllint, ["--stream", "--noout"] + files.map(\.path)) != nil else { return nil }
        passes += 1
    }
    return Measurement(
        name: "xmllint --stream --noout", seconds: seconds(clock.now - start), cpuSeconds: cpuSeconds(RUSAGE_CHILDREN) - cpuStart,
        passes: passes, items: items, note: "items: Parallax's count")
}

/// feedparser and feedparser-rs time themselves inside one Python process, files already in memory.
func measurePython(module: String, label: String) -> Measurement? {
    let python = ProcessInfo.processInfo.environment["PARALLAX_BENCH_PYTHON"] ?? "/tmp/bench-venv/bin/python"
    guard FileManager.default.isExecutableFile(atPath: python) else { return nil }
    let script = """
        import sys, time, os
        import \(module) as parser
        paths = sys.argv[1:]
        blobs = [open(p, 'rb').read() for p in paths]
        items = sum(len(parser.parse(b).entries) for b in blobs)
        passes, start, cpu = 0, time.perf_counter(), time.process_time()
        while time.perf_counter() - start < \(minimumSeconds) or passes < 2:
            for b in blobs: parser.parse(b)
            passes += 1
        print(time.perf_counter() - start, time.process_time() - cpu, passes, items)
        """
    guard let result = run(python, ["-c", script] + files.map(\.path)), result.status == 0 else { return nil }
    let fields = result.output.split(whereSeparator: \.isWhitespace)
    guard fields.count == 4, let elapsed = Double(fields[0]), let cpu = Double(fields[1]), let passes = Int(fields[2]),
        let items = Int(fields[3])
    else { return nil }
    return Measurement(name: label, seconds: elapsed, cpuSeconds: cpu, passes: passes, items: items)
}

print(String(format: "corpus: %@ — %d files, %.2f MB", corpusPath, documents.count, megabytes))
let (parallax, memory) = measureParallax()
var rows = [parallax]
var missing: [String] = []
if let xmllint = measureXmllint(items: parallax.items) { rows.append(xmllint) } else { missing.append("xmllint (apt: libxml2-utils)") }
if let rust = measurePython(module: "feedparser_rs", label: "feedparser-rs (pip)") { rows.append(rust) } else { missing.append("feedparser-rs") }
if let python = measurePython(module: "feedparser", label: "feedparser (pip)") { rows.append(python) } else { missing.append("feedparser") }

print("")
print("| parser | MB/s | items/s | items | Parallax is ×faster | MB per CPU second | Parallax is ×faster (CPU) |")
print("|---|---:|---:|---:|---:|---:|---:|")
for row in rows {
    let ratio = parallax.megabytesPerSecond / row.megabytesPerSecond
    let cpuRatio = parallax.cpuMegabytesPerSecond / row.cpuMegabytesPerSecond
    print(
        String(
            format: "| %@ | %.1f | %.0f | %d | %.2f× | %.1f | %.2f× |", row.name, row.megabytesPerSecond, row.itemsPerSecond, row.items,
            ratio, row.cpuMegabytesPerSecond, cpuRatio))
}
if let first = memory.first, let last = memory.last {
    print(String(format: "\nParallax resident memory after pass 1: %.1f MB, after pass %d: %.1f MB (%d feeds parsed)", first, memory.count, last, memory.count * documents.count))
}
if !missing.isEmpty {
    print("not measured (not installed): \(missing.joined(separator: ", ")); see BENCHMARKS.md for the venv set-up")
}
