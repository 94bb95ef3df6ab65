import Foundation
import Pipeline
import PostgresStore
import Store
import Stories

// bench-scale: Parallax at a news organisation's scale (issue 14, part 6). A simulated world of
// sources and stories (Model.swift) is bulk-loaded as history into each store, then simulated
// 30-minute cron cycles run back to back against a loopback feed server (Server.swift): each
// cycle moves the server's clock 30 minutes on and runs the real `parallax run --all --quiet
// --timings` as a child process on each store in turn (side by side: both stores meet the same
// cycle on the same machine state). Per cycle it prints each stage's wall and CPU, the whole
// command's wall, CPU and peak RSS, the store's size, and the time of a `stories` and a `story`
// query. See BENCHMARKS.md, "Scale simulation".
//
// bench-scale --parallax PATH --work DIR [--store sqlite|postgresql://…]… [--sources 50000]
//             [--per-day 60000] [--history-days 90] [--days 3] [--cycles N] [--hosts 1000]
//             [--seed 1] [--queries-every 6] [--latency-ms 0] [--crawl-workers N]

struct Options {
    var parallax = ""
    var work = ""
    var stores: [String] = []
    var sources = 50_000
    var perDay = 60_000
    var historyDays = 90
    var days = 3
    var cycles: Int?
    var hosts = 1000
    var seed: UInt64 = 1
    var queriesEvery = 6
    var latencyMilliseconds = 0
    /// When set: no cycles; this many `parallax crawl --all` processes crawl every feed once, together.
    var crawlWorkers: Int?

    init(_ arguments: [String]) {
        var rest = arguments[...]
        func value(_ flag: String) -> String {
            guard let next = rest.popFirst() else { fail("\(flag) needs a value") }
            return next
        }
        func number(_ flag: String) -> Int {
            guard let parsed = Int(value(flag)), parsed >= 0 else { fail("\(flag) needs a whole number") }
            return parsed
        }
        while let flag = rest.popFirst() {
            switch flag {
            case "--parallax": parallax = value(flag)
            case "--work": work = value(flag)
            case "--store": stores.append(value(flag))
            case "--sources": sources = number(flag)
            case "--per-day": perDay = number(flag)
            case "--history-days": historyDays = number(flag)
            case "--days": days = number(flag)
            case "--cycles": cycles = number(flag)
            case "--hosts": hosts = number(flag)
            case "--seed": seed = UInt64(number(flag))
            case "--queries-every": queriesEvery = max(1, number(flag))
            case "--latency-ms": latencyMilliseconds = number(flag)
            case "--crawl-workers": crawlWorkers = max(1, number(flag))
            default: fail("unknown option \(flag)")
            }
        }
        if parallax.isEmpty || work.isEmpty { fail("--parallax PATH and --work DIR are required") }
        if stores.isEmpty { stores = ["sqlite"] }
    }
}

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("bench-scale: \(message)\n".utf8))
    exit(2)
}

func seconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
}

// MARK: - The server child

if CommandLine.arguments.dropFirst().first == "--serve" {
    // --serve SOURCES PER_DAY HISTORY_DAYS DAYS SEED ORIGIN HOSTS LATENCY_MS
    let values = CommandLine.arguments.dropFirst(2).map { Double($0) ?? 0 }
    let parameters = World.Parameters(
        sources: Int(values[0]), articlesPerDay: Int(values[1]), historyDays: Int(values[2]), simulatedDays: Int(values[3]),
        seed: UInt64(values[4]), origin: Date(timeIntervalSince1970: values[5]))
    try await FeedServer.serve(world: World(parameters), hosts: Int(values[6]), latency: .milliseconds(Int(values[7])))
    exit(0)
}

/// Writes a line at once (print buffers when the output is a file; a long run is followed as it goes).
func say(_ line: String) { FileHandle.standardOutput.write(Data((line + "\n").utf8)) }

let options = Options(Array(CommandLine.arguments.dropFirst()))
let work = URL(fileURLWithPath: options.work).standardizedFileURL
try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)

// The world ends now (rounded down to the hour): every date Parallax sees lies in the past, as
// a crawl's would, and the simulated days are the last ones before the run.
let hourNow = (Date().timeIntervalSince1970 / 3600).rounded(.down) * 3600
let parameters = World.Parameters(
    sources: options.sources, articlesPerDay: options.perDay, historyDays: options.historyDays, simulatedDays: options.days,
    seed: options.seed, origin: Date(timeIntervalSince1970: hourNow - Double((options.historyDays + options.days) * 86_400)))
let built = ContinuousClock.now
let world = World(parameters)
say(String(
    format: "bench-scale: %d sources, %d articles a day, %d history days + %d simulated days: %d articles, %d stories, built in %.1f s",
    parameters.sources, parameters.articlesPerDay, parameters.historyDays, parameters.simulatedDays, world.count,
    Int(world.storyOf.max() ?? 0) + 1, seconds(ContinuousClock.now - built)))

// MARK: - The config every cycle runs

/// Every source is an outlet of its own feed; one in 25 is rated (in turn Left … Right), as a
/// rater's file covers part of a long feed list.
let ratedEvery = 25
func outletID(_ source: Int) -> String { "source-\(source)" }

let configURL = work.appendingPathComponent("scale.yaml")
do {
    let biases = ["left", "lean-left", "center", "lean-right", "right"]
    var yaml = """
        # bench-scale's generated config: \(parameters.sources) feeds on \(options.hosts) loopback hosts.
        allow-private-networks: true
        retention: never
        outlets:

        """
    for source in 0..<parameters.sources {
        let rating = source % ratedEvery == 0 ? ", bias: \(biases[(source / ratedEvery) % 5]), factuality: high" : ""
        yaml += "  - {id: \(outletID(source)), name: Source \(source), domains: [\(world.outletDomain(source))]\(rating)}\n"
    }
    yaml += "feeds:\n"
    for source in 0..<parameters.sources {
        yaml += "  - {url: '\(FeedServer.feedURL(source: source, hosts: options.hosts))', outlet: \(outletID(source))}\n"
    }
    try yaml.write(to: configURL, atomically: true, encoding: .utf8)
}

// MARK: - Child processes, with their own CPU and peak memory

struct ChildRun {
    var status: Int32
    var wall: Double
    var cpu: Double
    var peakMegabytes: Double
    var standardError: String
    var standardOutput: String
}

/// A started child process and the files its output goes to.
struct Child {
    var pid: pid_t
    var started: ContinuousClock.Instant
    var out: String
    var err: String
}

func startChild(_ arguments: [String], environment: [String: String] = [:], output: String = "child") -> Child {
    let out = work.appendingPathComponent("\(output).out").path, err = work.appendingPathComponent("\(output).err").path
    var actions: posix_spawn_file_actions_t = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    posix_spawn_file_actions_addopen(&actions, 1, out, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    posix_spawn_file_actions_addopen(&actions, 2, err, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    defer { posix_spawn_file_actions_destroy(&actions) }
    var merged = ProcessInfo.processInfo.environment
    for (key, value) in environment { merged[key] = value }
    let argv = arguments.map { strdup($0) } + [nil]
    let envp = merged.map { strdup("\($0.key)=\($0.value)") } + [nil]
    defer { for pointer in argv + envp { free(pointer) } }
    var pid: pid_t = 0
    let started = ContinuousClock.now
    guard posix_spawn(&pid, arguments[0], &actions, nil, argv, envp) == 0 else { fail("cannot start \(arguments[0])") }
    return Child(pid: pid, started: started, out: out, err: err)
}

/// Waits for a child; its CPU and peak memory come from wait4 (the peak also counts this
/// process's memory, which the child shared until it exec'd: `parallax run --timings` says its own).
func wait(_ child: Child) -> ChildRun {
    var status: Int32 = 0
    var usage = rusage()
    while wait4(child.pid, &status, 0, &usage) == -1 && errno == EINTR {}
    let wall = seconds(ContinuousClock.now - child.started)
    let cpu = Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
    let read = { (path: String) in (try? String(contentsOfFile: path, encoding: .utf8)) ?? "" }
    return ChildRun(
        status: (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f), wall: wall, cpu: cpu,
        peakMegabytes: Double(usage.ru_maxrss) / 1024, standardError: read(child.err), standardOutput: read(child.out))
}

func runChild(_ arguments: [String], environment: [String: String] = [:], output: String = "child") -> ChildRun {
    wait(startChild(arguments, environment: environment, output: output))
}

// MARK: - Stores

struct Target {
    var label: String
    var state: String
    var reports: URL
}

let targets: [Target] = options.stores.enumerated().map { index, store in
    if store == "sqlite" {
        return Target(label: "SQLite", state: work.appendingPathComponent("state.sqlite").path, reports: work.appendingPathComponent("reports-sqlite"))
    }
    return Target(label: "PostgreSQL", state: store, reports: work.appendingPathComponent("reports-postgresql-\(index)"))
}

/// The history, bulk-loaded through the store's own insert and clustering paths an hour of
/// articles at a time (as `eval coverage` replays a file), then one full report write.
func prefill(_ target: Target) async throws {
    let frontend = try await Frontend(configPath: configURL.path, statePath: target.state, reportsPath: target.reports.path)
    try await frontend.store.replaceOutlets(frontend.config.outlets)
    let history = world.indices(before: parameters.historyEnd)
    let already = try await frontend.store.articleCount()
    guard already == 0 else {
        say("\(target.label): the state already holds \(already) articles; the history is not loaded again")
        return
    }
    var session: IncrementalClusterer?
    var next = history.lowerBound
    let clock = ContinuousClock.now, cpu = StageCost.processCPUSeconds()
    var lastReport = clock
    while next < history.upperBound {
        let batchEnd = world.indices(before: world.date(next).addingTimeInterval(3600)).upperBound
        let articles = (next..<min(batchEnd, history.upperBound)).map { index -> Article in
            let source = Int(world.sourceOf[index])
            let link = world.link(index)
            return Article(
                canonicalURL: link, url: link, outletID: outletID(source), domain: world.outletDomain(source), title: world.headline(index),
                summary: world.description(index), language: "en", publishedAt: world.date(index), firstSeenAt: world.date(index),
                feedURL: FeedServer.feedURL(source: source, hosts: options.hosts))
        }
        next = max(batchEnd, next + 1)
        _ = try await frontend.store.insertNewArticles(articles)
        _ = try await Frontend.clusterPendingArticles(in: frontend.store, settings: frontend.config.clustering, session: &session)
        if ContinuousClock.now - lastReport > .seconds(30) {
            lastReport = ContinuousClock.now
            say(String(format: "  %@: %d of %d history articles loaded and clustered, %.0f s", target.label, next, history.count, seconds(lastReport - clock)))
        }
    }
    let loadWall = seconds(ContinuousClock.now - clock), loadCPU = StageCost.processCPUSeconds() - cpu
    let stories = try await frontend.store.stories().count
    say(String(format: "%@: history of %d articles loaded and clustered into %d stories: %.1f s wall, %.1f s CPU", target.label, history.count, stories, loadWall, loadCPU))
    let reportClock = ContinuousClock.now, reportCPU = StageCost.processCPUSeconds()
    let update = try await frontend.writeReports()
    say(String(
        format: "%@: first full report write, %d stories, %d files: %.1f s wall, %.1f s CPU", target.label, update.storiesRendered, update.filesWritten,
        seconds(ContinuousClock.now - reportClock), StageCost.processCPUSeconds() - reportCPU))
}

for target in targets {
    do { try await prefill(target) } catch { fail("\(target.label): \(error)") }
}

// MARK: - Cycles

let server = Process()
server.executableURL = URL(fileURLWithPath: CommandLine.arguments[0])
server.arguments = ["--serve"] + [
    parameters.sources, parameters.articlesPerDay, parameters.historyDays, parameters.simulatedDays, Int(parameters.seed),
    Int(parameters.origin.timeIntervalSince1970), options.hosts, options.latencyMilliseconds,
].map(String.init)
let toServer = Pipe(), fromServer = Pipe()
server.standardInput = toServer
server.standardOutput = fromServer
try server.run()
func serverLine() -> String {
    var line = Data()
    while true {
        let byte = fromServer.fileHandleForReading.readData(ofLength: 1)
        guard let first = byte.first else { fail("the feed server ended") }
        if first == UInt8(ascii: "\n") { return String(decoding: line, as: UTF8.self) }
        line.append(first)
    }
}
guard serverLine() == "READY" else { fail("the feed server did not start") }

// Crawl workers: N processes share one crawl of every feed through the store's leases. Two
// passes: the first stores every feed (200s, parsed), the second, 30 simulated minutes later,
// is a cron cycle's crawl (mostly 304s); both are timed, the second is the steady state.
if let workers = options.crawlWorkers {
    let target = targets[0]
    for pass in 1...2 {
        toServer.fileHandleForWriting.write(Data("at \(Int(parameters.historyEnd.timeIntervalSince(parameters.origin)) + pass * 1800)\n".utf8))
        guard serverLine() == "ok" else { fail("the feed server did not move its clock") }
        let started = ContinuousClock.now, startedAt = Date()
        // All started before any is waited for: they crawl at once.
        let children = (0..<workers).map { worker in
            startChild([options.parallax, "crawl", "--config", configURL.path, "--state", target.state, "--all", "--quiet"], output: "worker-\(worker)")
        }
        let runs = children.map(wait)
        let wall = seconds(ContinuousClock.now - started)
        for run in runs where run.status != 0 && run.status != 3 { fail("a crawl worker exited \(run.status): \(run.standardError.suffix(1000))") }
        let states: [String: FeedState]
        do {
            let store = try await StateLocation.open(target.state)
            states = try await store.feedStates()
            if let postgres = store as? PostgresStore { await postgres.close() }
        } catch { fail("\(target.state): \(error)") }
        let fetched = states.values.filter { ($0.lastSuccessAt ?? .distantPast) >= startedAt.addingTimeInterval(-1) }.count
        say(String(
            format: "pass %d, %d crawl worker(s), %@, %d ms per response: %d of %d feeds fetched in %.1f s wall: %.1f feeds/s; %.1f CPU s in the workers, peak %.0f MB",
            pass, workers, target.label, options.latencyMilliseconds, fetched, parameters.sources, wall, Double(fetched) / wall,
            runs.reduce(0) { $0 + $1.cpu }, runs.map(\.peakMegabytes).max() ?? 0))
    }
    try toServer.fileHandleForWriting.close()
    server.waitUntilExit()
    exit(0)
}

let cycles = options.cycles ?? options.days * 48
say("\ncycle  store         new  touched  stages (wall s / CPU s)                                                    run wall  run CPU  peak MB   store MB  stories q  story q")
var totals: [String: (wall: Double, cpu: Double, worstWall: Double, peak: Double, count: Int)] = [:]
for cycle in 1...cycles {
    let at = Int(parameters.historyEnd.timeIntervalSince(parameters.origin)) + cycle * 1800
    toServer.fileHandleForWriting.write(Data("at \(at)\n".utf8))
    guard serverLine() == "ok" else { fail("the feed server did not move its clock") }
    for target in targets {
        let run = runChild([
            options.parallax, "run", "--config", configURL.path, "--state", target.state, "--reports", target.reports.path, "--all", "--quiet",
            "--timings",
        ])
        if run.status != 0 && run.status != 3 {
            fail("cycle \(cycle), \(target.label): parallax run exited \(run.status): \(run.standardError.suffix(2000))")
        }
        let timing = run.standardError.split(separator: "\n").last { $0.hasPrefix("parallax run: ") && $0.contains("; crawl ") } ?? ""
        let counts = timing.dropFirst("parallax run: ".count).prefix { $0 != ";" }.split(separator: " ")
        let newArticles = counts.first.map(String.init) ?? "?", touched = counts.count > 3 ? String(counts[3]) : "?"
        let sections = timing.split(separator: "; ")
        // The child's own high-water mark: wait4's ru_maxrss also counts this process's memory,
        // which a spawned child shares until it execs.
        let peak = sections.last.flatMap { $0.hasPrefix("peak memory ") ? Double($0.split(separator: " ")[2]) : nil } ?? run.peakMegabytes
        let stages = (sections.count > 1 ? sections[1] : "").split(separator: " · ").map { part -> String in
            let words = part.split(separator: " ")
            return words.count >= 6 ? "\(words[0]) \(words[1])/\(words[4])" : String(part)
        }.joined(separator: "  ")
        let store: any StateStore, size: Double
        do {
            store = try await StateLocation.open(target.state)
            size = Double(try await store.sizeOnDisk()) / 1_048_576
        } catch { fail("\(target.state): \(error)") }
        if let postgres = store as? PostgresStore { await postgres.close() }
        var queries = "         -        -"
        if cycle % options.queriesEvery == 0 || cycle == 1 {
            let common = ["--config", configURL.path, "--state", target.state, "--reports", target.reports.path, "--quiet"]
            // The stories of the simulated day before this cycle (the world's days lie in the past).
            let sinceHours = Int(Date().timeIntervalSince(parameters.origin.addingTimeInterval(Double(at))) / 3600) + 24
            let list = runChild([options.parallax, "stories", "--since", "\(sinceHours)h", "--format", "json"] + common)
            let id = list.standardOutput.firstMatch(of: /"id"\s*:\s*(\d+)/).map { String($0.1) } ?? "1"
            let one = runChild([options.parallax, "story", id] + common)
            queries = String(format: "%8.2f s %6.2f s", list.wall, one.wall)
        }
        say(String(
            format: "%5d  %@  %6@ %6@  %@  %7.1f s %6.1f s %7.0f %9.0f  %@", cycle, target.label.padding(toLength: 10, withPad: " ", startingAt: 0),
            newArticles, touched, stages.padding(toLength: 74, withPad: " ", startingAt: 0), run.wall, run.cpu, peak, size, queries))
        var total = totals[target.label] ?? (0, 0, 0, 0, 0)
        total.wall += run.wall
        total.cpu += run.cpu
        total.worstWall = max(total.worstWall, run.wall)
        total.peak = max(total.peak, peak)
        total.count += 1
        totals[target.label] = total
    }
}
try toServer.fileHandleForWriting.close()
server.waitUntilExit()

say("")
for target in targets {
    guard let total = totals[target.label] else { continue }
    say(String(
        format: "%@: %d cycles, mean %.1f s wall and %.1f s CPU per cycle, worst %.1f s wall (goal < 300 s), peak %.0f MB (goal < 1024)",
        target.label, total.count, total.wall / Double(total.count), total.cpu / Double(total.count), total.worstWall, total.peak))
}
if targets.count == 2, let first = totals[targets[0].label], let second = totals[targets[1].label] {
    say(String(format: "%@ / %@ per cycle: %.2f× wall, %.2f× CPU (goal ≤ 1.5×)", targets[1].label, targets[0].label, second.wall / first.wall, second.cpu / first.cpu))
}
