import Feeds
import Foundation

#if canImport(Glibc)
import Glibc
#endif

// bench-parsing: the same feed bytes through Parallax's parser, `xmllint --stream --noout`
// (libxml2 alone, the floor), Python feedparser and feedparser-rs, printed side by side, twice:
// in one process with the files in memory (the parsers alone), then as the whole command a user
// runs (`parallax parse --stats FILES…` against `xmllint --stream --noout FILES…` and a Python
// script per parser), by the wall clock and the CPU time of each child process.
// Usage: bench-parsing [CORPUS_DIR] [--rounds N] [--whole-command-only]
// (corpus default /tmp/parallax-bench-corpus, made by make_corpus.py; 7 rounds of whole commands).
// PARALLAX_BENCH_PYTHON names a Python with feedparser and feedparser-rs (default /tmp/bench-venv/bin/python);
// PARALLAX_BENCH_PARALLAX the parallax executable (default: the one beside this benchmark).

var positional: [String] = []
var rounds = 7
var wholeCommandOnly = false
var argumentList = CommandLine.arguments.dropFirst().makeIterator()
while let argument = argumentList.next() {
    switch argument {
    case "--rounds": rounds = argumentList.next().flatMap(Int.init) ?? rounds
    case "--whole-command-only": wholeCommandOnly = true
    default: positional.append(argument)
    }
}
let corpusPath = positional.first ?? "/tmp/parallax-bench-corpus"
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
if !wholeCommandOnly {
    let (parallax, memory) = measureParallax()
    var rows = [parallax]
    var missing: [String] = []
    if let xmllint = measureXmllint(items: parallax.items) { rows.append(xmllint) } else { missing.append("xmllint (apt: libxml2-utils)") }
    if let rust = measurePython(module: "feedparser_rs", label: "feedparser-rs (pip)") { rows.append(rust) } else { missing.append("feedparser-rs") }
    if let python = measurePython(module: "feedparser", label: "feedparser (pip)") { rows.append(python) } else { missing.append("feedparser") }

    print("\n## The parsers alone (in one process, files in memory; xmllint: one process per pass)\n")
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
}

// MARK: - The whole command

/// One finished child process: wall time from spawn to reaped, and its own CPU time and peak memory (`wait4`).
struct ChildRun {
    var wall: Double
    var cpu: Double
    var peakMegabytes: Double
    var status: Int32
    var output: String
}

func spawnAndWait(_ executable: String, _ arguments: [String]) -> ChildRun? {
    let outputPath = NSTemporaryDirectory() + "bench-parsing-\(getpid()).out"
    defer { unlink(outputPath) }
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 1, outputPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
    posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
    let argv: [UnsafeMutablePointer<CChar>?] = ([executable] + arguments).map { strdup($0) } + [nil]
    defer { argv.forEach { free($0) } }
    var pid = pid_t()
    let clock = ContinuousClock()
    let start = clock.now
    guard posix_spawn(&pid, executable, &actions, nil, argv, environ) == 0 else { return nil }
    var status: Int32 = 0
    var usage = rusage()
    guard wait4(pid, &status, 0, &usage) == pid else { return nil }
    let wall = seconds(clock.now - start)
    func time(_ value: timeval) -> Double { Double(value.tv_sec) + Double(value.tv_usec) / 1e6 }
    let output = (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? ""
    return ChildRun(
        wall: wall, cpu: time(usage.ru_utime) + time(usage.ru_stime), peakMegabytes: Double(usage.ru_maxrss) / 1024,
        status: (status >> 8) & 0xff, output: output)
}

struct Command {
    var name: String
    var executable: String
    var arguments: [String]
    /// The items the command reports, when it reports any.
    var items: (String) -> Int?
}

let parallaxPath =
    ProcessInfo.processInfo.environment["PARALLAX_BENCH_PARALLAX"]
    ?? URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("parallax").path
let python = ProcessInfo.processInfo.environment["PARALLAX_BENCH_PYTHON"] ?? "/tmp/bench-venv/bin/python"
let xmllintPath = ["/usr/bin/xmllint", "/usr/local/bin/xmllint"].first { FileManager.default.isExecutableFile(atPath: $0) }

func parallaxItems(_ output: String) -> Int? {
    // "89 files, 6874713 bytes, 1436 items, …"
    let fields = output.split(separator: ",").map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
    return fields.first { $0.hasSuffix(" items") }.flatMap { Int($0.dropLast(6)) }
}

/// What a user of a Python parser runs: a script that reads each file and parses it.
func pythonCommand(module: String, label: String, files: [String]) -> Command {
    let script = """
        import sys
        import \(module) as parser
        items = 0
        for path in sys.argv[1:]:
            with open(path, 'rb') as handle:
                items += len(parser.parse(handle.read()).entries)
        print(items)
        """
    return Command(name: label, executable: python, arguments: ["-c", script] + files) { Int($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
}

func commands(for files: [String]) -> [Command] {
    var list: [Command] = []
    if FileManager.default.isExecutableFile(atPath: parallaxPath) {
        list.append(Command(name: "parallax parse --stats", executable: parallaxPath, arguments: ["parse", "--stats"] + files, items: parallaxItems))
    }
    if let xmllintPath {
        list.append(Command(name: "xmllint --stream --noout", executable: xmllintPath, arguments: ["--stream", "--noout"] + files) { _ in nil })
    }
    if FileManager.default.isExecutableFile(atPath: python) {
        list.append(pythonCommand(module: "feedparser_rs", label: "feedparser-rs (python script)", files: files))
        list.append(pythonCommand(module: "feedparser", label: "feedparser (python script)", files: files))
    }
    return list
}

func median(_ values: [Double]) -> Double {
    let sorted = values.sorted()
    return sorted.isEmpty ? 0 : sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
}

let filePaths = files.map(\.path)
let whole = commands(for: filePaths)
if whole.first?.name != "parallax parse --stats" {
    print("\nwhole command: skipped, no parallax executable at \(parallaxPath) (build it, or set PARALLAX_BENCH_PARALLAX)")
    exit(0)
}
// Each round runs every command once, in an order that rotates, so the neighbours' load falls
// on all of them alike; ratios are taken within a round, then summarised over the rounds.
var runs = Array(repeating: [ChildRun](), count: whole.count)
for round in 0..<rounds {
    for offset in 0..<whole.count {
        let index = (round + offset) % whole.count
        guard let run = spawnAndWait(whole[index].executable, whole[index].arguments), run.status == 0 || index == 1 else {
            print("\(whole[index].name): did not run (exit status or spawn failure)")
            exit(1)
        }
        runs[index].append(run)
    }
}
let parallaxRuns = runs[0]
print("\n## The whole command (\(rounds) rounds, each command once per round; median [min–max] over the rounds)\n")
print("| command | items | wall ms | CPU ms | MB/s (wall) | MB per CPU-s | peak RSS MB | Parallax is ×faster (wall) | (CPU) |")
print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
for (index, command) in whole.enumerated() {
    let list = runs[index]
    let wallRatios = zip(list, parallaxRuns).map { $0.wall / $1.wall }
    let cpuRatios = zip(list, parallaxRuns).map { $0.cpu / $1.cpu }
    let items = command.items(list[0].output).map(String.init) ?? "–"
    let wall = median(list.map(\.wall))
    let cpu = median(list.map(\.cpu))
    print(
        String(
            format: "| %@ | %@ | %.0f [%.0f–%.0f] | %.0f [%.0f–%.0f] | %.1f | %.1f | %.1f | %.2f× [%.2f–%.2f] | %.2f× [%.2f–%.2f] |",
            command.name, items, wall * 1000, (list.map(\.wall).min() ?? 0) * 1000, (list.map(\.wall).max() ?? 0) * 1000,
            cpu * 1000, (list.map(\.cpu).min() ?? 0) * 1000, (list.map(\.cpu).max() ?? 0) * 1000, megabytes / wall, megabytes / cpu,
            median(list.map(\.peakMegabytes)), median(wallRatios), wallRatios.min() ?? 0, wallRatios.max() ?? 0, median(cpuRatios),
            cpuRatios.min() ?? 0, cpuRatios.max() ?? 0))
}
// Linux carries the spawning process's resident set into a posix_spawn child's peak (the child
// shares our memory until it execs), so a child's peak RSS reads no lower than ours.
var ownUsage = rusage()
getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &ownUsage)
print(String(format: "\npeak RSS reads no lower than this benchmark's own %.1f MB (Linux counts the parent's pages until exec); `/usr/bin/time -v` gives the exact figure", Double(ownUsage.ru_maxrss) / 1024))
print("\nparallax's own line: \(parallaxRuns[0].output.trimmingCharacters(in: .whitespacesAndNewlines))")

// Start-up alone (one 300-byte feed), and memory as the number of feeds grows (the corpus's file
// list given 1, 4 and 16 times in one command).
let tiny = NSTemporaryDirectory() + "bench-parsing-tiny-\(getpid()).xml"
try? Data(#"<?xml version="1.0"?><rss version="2.0"><channel><title>t</title><item><title>a</title><link>https://a.example/1</link></item></channel></rss>"#.utf8)
    .write(to: URL(fileURLWithPath: tiny))
defer { unlink(tiny) }
var startupLines: [String] = []
for command in commands(for: [tiny]).prefix(3) {
    let list = (0..<rounds).compactMap { _ in spawnAndWait(command.executable, command.arguments) }
    startupLines.append(String(format: "%@ %.1f ms wall, %.1f ms CPU", command.name, median(list.map(\.wall)) * 1000, median(list.map(\.cpu)) * 1000))
}
print("start-up, one tiny feed (median of \(rounds)): " + startupLines.joined(separator: "; "))
var memoryLines: [String] = []
for repeats in [1, 4, 16] {
    guard let run = spawnAndWait(parallaxPath, ["parse", "--stats"] + Array(repeating: filePaths, count: repeats).flatMap { $0 }) else { continue }
    memoryLines.append(String(format: "%d feeds: %.1f MB", filePaths.count * repeats, run.peakMegabytes))
}
print("parallax parse --stats peak RSS by feeds in one command: " + memoryLines.joined(separator: ", "))
