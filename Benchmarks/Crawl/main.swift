import Crawl
import Feeds
import Foundation
import Outlets
import Store
import TestHTTPServer

#if canImport(Glibc)
import Glibc
#endif

// bench-crawl: 2,000 feeds on 10 loopback hosts (127.0.0.2 … 127.0.0.11), every answer delayed
// 50 ms, crawled twice against one state database: first every feed answers 200 with a
// 20-item feed, then every feed answers 304 to the stored ETag. The server runs in a child
// process (this executable with `--serve`), so getrusage(RUSAGE_SELF) in this process counts
// the crawler's CPU only.
//
// `--only-304` (for profiling the conditional GET path) skips pass 1: it stores every feed's
// ETag directly and runs only the 304 pass. `--floor-304` sends the same conditional GETs with a
// bare NIO client instead of the crawler (Floor.swift), for comparison.

let feedCount = Int(ProcessInfo.processInfo.environment["BENCH_FEEDS"] ?? "") ?? 2000
let hostCount = 10
let delayMilliseconds = 50
let itemsPerFeed = 20

func feedBody(_ number: Int) -> String {
    var body = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<rss version=\"2.0\"><channel><title>Bench feed \(number)</title>"
    for item in 0..<itemsPerFeed {
        body += "<item><title>Feed \(number) reports on item \(item) of the day</title>"
        body += "<link>https://outlet\(number % 50).example/\(number)/\(item)</link>"
        body += "<description>Item \(item) of feed \(number): a paragraph long enough to look like a real summary of an article.</description>"
        body += "<pubDate>Wed, 18 Nov 2026 \(String(format: "%02d", item)):00:00 GMT</pubDate></item>"
    }
    return body + "</channel></rss>"
}

func etag(_ number: Int) -> String { "\"feed-\(number)-v1\"" }

func serve() async throws {
    var servers: [TestHTTPServer] = []
    for index in 0..<hostCount {
        let server = try await TestHTTPServer(host: "127.0.0.\(index + 2)") { request in
            let number = Int(request.path.split(separator: "/").last?.split(separator: ".").first ?? "") ?? 0
            let tag = etag(number)
            if request.header("If-None-Match") == tag {
                return .init(status: 304, headers: [("ETag", tag)], delay: .milliseconds(delayMilliseconds))
            }
            return .init(
                headers: [("Content-Type", "application/rss+xml"), ("ETag", tag)], body: Data(feedBody(number).utf8),
                delay: .milliseconds(delayMilliseconds))
        }
        servers.append(server)
        FileHandle.standardOutput.write(Data("\(server.host) \(server.port)\n".utf8))
    }
    FileHandle.standardOutput.write(Data("READY\n".utf8))
    while readLine() != nil {}
    for server in servers { await server.shutdown() }
}

func cpuSeconds() -> Double {
    var usage = rusage()
    getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
    return Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1e6 + Double(usage.ru_stime.tv_sec)
        + Double(usage.ru_stime.tv_usec) / 1e6
}

func peakRSSMegabytes() -> Double {
    var usage = rusage()
    getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
    return Double(usage.ru_maxrss) / 1024  // kilobytes on Linux
}

func measure() async throws {
    let child = Process()
    child.executableURL = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
    child.arguments = ["--serve"]
    let output = Pipe()
    let input = Pipe()
    child.standardOutput = output
    child.standardInput = input
    try child.run()
    var endpoints: [String] = []
    var buffer = Data()
    while !endpoints.contains("READY") {
        let chunk = output.fileHandleForReading.availableData
        guard !chunk.isEmpty else { fatalError("the server process ended before it was ready") }
        buffer.append(chunk)
        endpoints = String(decoding: buffer, as: UTF8.self).split(separator: "\n").map(String.init)
    }
    let hosts = endpoints.filter { $0 != "READY" }.map { line in
        let parts = line.split(separator: " ")
        return "http://\(parts[0]):\(parts[1])"
    }

    let feeds = (0..<feedCount).map { FeedSource(url: "\(hosts[$0 % hosts.count])/feed/\($0).xml", kind: .aggregator) }
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("bench-crawl-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: directory) }
    let store = try SQLiteStore(path: directory.appendingPathComponent("state.sqlite").path)
    var settings = CrawlSettings()
    settings.addressGuard = AddressGuard(allowPrivateNetworks: true)
    // Spacing would make the bound depend on it rather than on the concurrency limits measured here.
    settings.hostSpacing = 0
    let crawler = Crawler(settings: settings, registry: OutletRegistry([]))
    let usable = min(settings.concurrency, settings.perHostConcurrency * hosts.count)
    let ideal = Double(feedCount) * Double(delayMilliseconds) / 1000 / Double(usable)

    func pass() async throws -> (wall: Double, cpu: Double, outcomes: [FeedResult.Outcome: Int]) {
        let cpu = cpuSeconds()
        let start = ContinuousClock.now
        let results = try await crawler.crawl(feeds, store: store, force: true)
        let elapsed = ContinuousClock.now - start
        let wall = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        return (wall, cpuSeconds() - cpu, Dictionary(grouping: results, by: \.outcome).mapValues(\.count))
    }

    func describe(_ outcomes: [FeedResult.Outcome: Int]) -> String {
        outcomes.sorted { $0.key.rawValue < $1.key.rawValue }.map { "\($0.value) \($0.key.rawValue)" }.joined(separator: ", ")
    }
    if CommandLine.arguments.contains("--floor-304") {
        let cpu = cpuSeconds()
        let start = ContinuousClock.now
        let notModified = try await floorPass(
            hosts: endpoints.filter { $0 != "READY" }.map { line in
                let parts = line.split(separator: " ")
                return (String(parts[0]), Int(parts[1]) ?? 0)
            }, feedCount: feedCount, concurrency: usable)
        let elapsed = ContinuousClock.now - start
        let wall = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        input.fileHandleForWriting.closeFile()
        child.waitUntilExit()
        print("304 floor (bare NIO client, no crawler): \(notModified) notModified, wall \(String(format: "%.2f", wall)) s, CPU \(String(format: "%.2f", cpuSeconds() - cpu)) s")
        return
    }
    if CommandLine.arguments.contains("--only-304") {
        try store.recordFetches(
            feeds.enumerated().map { number, feed in
                var state = FeedState(url: feed.url)
                state.etag = etag(number)
                return FeedFetch(source: feed, state: state, articles: [])
            })
        let only = try await pass()
        input.fileHandleForWriting.closeFile()
        child.waitUntilExit()
        print("304 pass only: \(describe(only.outcomes)), wall \(String(format: "%.2f", only.wall)) s, crawler CPU \(String(format: "%.2f", only.cpu)) s")
        return
    }
    let first = try await pass()
    let second = try await pass()
    input.fileHandleForWriting.closeFile()
    child.waitUntilExit()

    print("bench-crawl: \(feedCount) feeds × \(itemsPerFeed) items on \(hosts.count) loopback hosts, \(delayMilliseconds) ms per answer")
    print("concurrency \(settings.concurrency), per host \(settings.perHostConcurrency) → usable \(usable); ideal bound \(String(format: "%.2f", ideal)) s")
    print("")
    print("| pass | outcomes | wall s | ideal s | % of ideal | crawler CPU s |")
    print("|---|---|---:|---:|---:|---:|")
    for (name, result) in [("1: 200 + parse + store", first), ("2: 304 (conditional GET)", second)] {
        print(
            "| \(name) | \(describe(result.outcomes)) | \(String(format: "%.2f", result.wall)) | \(String(format: "%.2f", ideal)) | "
                + "\(String(format: "%.0f", ideal / result.wall * 100)) % | \(String(format: "%.2f", result.cpu)) |")
    }
    print("")
    print("CPU ratio pass 1 / pass 2: \(String(format: "%.1f", first.cpu / max(second.cpu, 0.001)))×")
    print("peak RSS of the crawler process: \(String(format: "%.0f", peakRSSMegabytes())) MB")
    print("articles stored: \(try store.articleCount())")
}

if CommandLine.arguments.contains("--serve") {
    try await serve()
} else {
    try await measure()
}
