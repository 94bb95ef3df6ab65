import CivilCalendar
import Config
import Coverage
import Crawl
import Feeds
import Foundation
import Logging
import Outlets
import Pipeline
import Store
import Stories

/// Measures what a user sees: a UCI-format file replayed as real feeds (one RSS file per
/// outlet, read as `file://` feeds) through the same crawl → store → cluster → tally path as
/// `parallax run`, one run per `stepHours` of data, and each story compared with its gold
/// story — the gold story most of its articles belong to, tallied by the same rules.
public enum CoverageEvaluation {
    public struct Options: Sendable {
        /// Hours of data between two runs (a cron interval).
        public var stepHours: Double
        /// Hours of items each feed holds at a run, counted back from the run.
        public var windowHours: Double

        public init(stepHours: Double = 1, windowHours: Double = 48) {
            self.stepHours = stepHours
            self.windowHours = windowHours
        }
    }

    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    /// Outlets from a rater's data file, read as `parallax outlets import` reads it into an empty
    /// outlets file (every record with a domain becomes an outlet).
    public static func outlets(ratingsFile: String, format: RatingFormat, date: String?) throws(Failure) -> [Outlet] {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: ratingsFile))
        } catch {
            let reason = FileManager.default.fileExists(atPath: ratingsFile) ? "permission or I/O error" : "no such file"
            throw Failure(description: "\(ratingsFile): cannot read the ratings file: \(reason)")
        }
        do {
            let parsed = try RatingImport.parse(data, format: format, file: ratingsFile, date: date)
            return RatingMerge.merge(parsed.records, into: [], addNew: true).outlets
        } catch {
            throw Failure(description: error.description)
        }
    }

    // MARK: - The replay

    /// What the replay left in its store, and what it cost.
    public struct Replay: Sendable {
        public var stories: [Coverage]
        /// Canonical URL → gold story, for every stored article.
        public var gold: [String: String]
        public var registry: OutletRegistry
        public var rule: BlindspotRule
        public var rows: Int
        public var outlets: Int
        public var ratedOutlets: Int
        public var runs: Int
        public var feedReads: Int
        /// Feed reads that failed (a replay bug if ever non-zero), with the first error.
        public var failedReads: Int
        public var firstFailure: String?
        public var cost: Cost
    }

    /// Wall seconds per stage, and the process's CPU seconds and peak memory at the end.
    public struct Cost: Sendable, Codable {
        public var writingFeeds = 0.0
        public var crawl = 0.0
        public var cluster = 0.0
        public var tally = 0.0
        public var wall = 0.0
        public var cpu = 0.0
        public var peakMegabytes = 0.0
    }

    /// Replays `headlines` in `directory` (feeds, state), which the caller removes afterwards.
    /// - Parameter progress: told after each run with the rows fed so far and the rows in all.
    public static func replay(
        _ headlines: [ClusteringEvaluation.Headline], ratedOutlets: [Outlet], options: Options, directory: URL,
        progress: (_ done: Int, _ total: Int) -> Void = { _, _ in }
    ) async throws -> Replay {
        let started = ContinuousClock.now
        var cost = Cost()
        let rows = headlines.sorted { ($0.time, $0.id) < ($1.time, $1.id) }
        let feedsDirectory = directory.appendingPathComponent("feeds")
        try FileManager.default.createDirectory(at: feedsDirectory, withIntermediateDirectories: true)

        // Outlets by hostname: a host a rated outlet owns gives its feed that outlet (two hosts of
        // one outlet count once, as configured feeds do); any other host is an unconfigured outlet.
        let rated = OutletRegistry(ratedOutlets)
        var hostIndex: [String: Int] = [:]
        var feeds: [FeedSource] = []
        var configured: [Outlet] = []
        var configuredIDs: Set<String> = []
        let rowHost = rows.map { row in
            if let index = hostIndex[row.host] { return index }
            let outlet = rated.outlet(forHost: row.host)
            if let outlet, configuredIDs.insert(outlet.id).inserted { configured.append(outlet) }
            let file = feedsDirectory.appendingPathComponent("\(feeds.count).xml")
            feeds.append(FeedSource(url: file.absoluteString, kind: .feed, outletID: outlet?.id, title: row.host))
            hostIndex[row.host] = feeds.count - 1
            return feeds.count - 1
        }

        // Each row as a feed item, and its gold story under the URL the crawler will store it by
        // (the first row of a URL wins, as the store keeps the first copy it sees).
        var items: [String] = []
        items.reserveCapacity(rows.count)
        var gold: [String: String] = [:]
        for row in rows {
            let link = row.url.replacingOccurrences(of: "\\?", with: "?")
            items.append(item(row, link: link))
            if let canonical = CanonicalURL.canonicalize(link), gold[canonical] == nil { gold[canonical] = row.story }
        }

        let store = try SQLiteStore(path: directory.appendingPathComponent("state.sqlite").path)
        var logger = Logger(label: "parallax-eval")
        logger.logLevel = .error
        let base = ParallaxConfig(
            path: directory.appendingPathComponent("replay.yaml").path, outlets: configured, feeds: [],
            statePath: store.path)

        let step = options.stepHours * 3600, window = options.windowHours * 3600
        var inFeed = [ArraySlice<Int>](repeating: [], count: feeds.count)
        var next = 0, evicted = 0, runs = 0, feedReads = 0, failedReads = 0
        var firstFailure: String?
        var runAt = rows.isEmpty ? 0 : ((rows[0].time.timeIntervalSince1970 / step).rounded(.down) + 1) * step
        while next < rows.count {
            var changed: Set<Int> = []
            while next < rows.count, rows[next].time.timeIntervalSince1970 < runAt {
                inFeed[rowHost[next]].append(next)
                changed.insert(rowHost[next])
                next += 1
            }
            // Rows leave their feed in the order they entered it, so each leaves from the front.
            while evicted < next, rows[evicted].time.timeIntervalSince1970 < runAt - window {
                inFeed[rowHost[evicted]].removeFirst()
                changed.insert(rowHost[evicted])
                evicted += 1
            }
            let moment = Date(timeIntervalSince1970: runAt)
            runAt += step
            guard !changed.isEmpty else { continue }
            // Only feeds whose items changed are read: every other feed would answer a
            // conditional GET with 304 Not Modified, which stores nothing.
            var clock = ContinuousClock.now
            let due = changed.sorted()
            for index in due {
                let body = feedHeader(feeds[index].title ?? "") + inFeed[index].reversed().map { items[$0] }.joined() + "</channel></rss>\n"
                try Data(body.utf8).write(to: URL(string: feeds[index].url)!)
            }
            cost.writingFeeds += seconds(since: &clock)
            var config = base
            config.feeds = due.map { feeds[$0] }
            let frontend = Frontend(config: config, store: store, reportsDirectory: directory.appendingPathComponent("reports"), logger: logger)
            let crawl = try await frontend.crawl(settings: CrawlSettings(), force: true, now: { moment })
            cost.crawl += seconds(since: &clock)
            feedReads += crawl.results.count
            failedReads += crawl.failedFeeds.count
            if firstFailure == nil, let failed = crawl.failedFeeds.first {
                firstFailure = "\(failed.source.url): \(failed.error.map { "\($0)" } ?? "failed")"
            }
            _ = try await frontend.cluster()
            cost.cluster += seconds(since: &clock)
            runs += 1
            progress(next, rows.count)
        }

        var clock = ContinuousClock.now
        let frontend = Frontend(config: base, store: store, reportsDirectory: directory.appendingPathComponent("reports"), logger: logger)
        let stories = try await frontend.coverages()
        cost.tally += seconds(since: &clock)
        let stored = Set(stories.flatMap { $0.articles.map(\.canonicalURL) })
        cost.wall = seconds(since: started)
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        cost.cpu = Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
        cost.peakMegabytes = Double(usage.ru_maxrss) / 1024
        return Replay(
            stories: stories, gold: gold.filter { stored.contains($0.key) }, registry: frontend.registry, rule: frontend.config.blindspot,
            rows: rows.count, outlets: Set(stories.flatMap { $0.outlets.map(\.key) }).count, ratedOutlets: configured.count, runs: runs,
            feedReads: feedReads, failedReads: failedReads, firstFailure: firstFailure, cost: cost)
    }

    private static func seconds(since clock: inout ContinuousClock.Instant) -> Double {
        let now = ContinuousClock.now
        defer { clock = now }
        return seconds(since: clock)
    }

    private static func seconds(since instant: ContinuousClock.Instant) -> Double {
        let elapsed = ContinuousClock.now - instant
        return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    }

    static func feedHeader(_ host: String) -> String {
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<rss version=\"2.0\"><channel><title>\(escaped(host))</title>"
            + "<link>http://\(escaped(host))/</link><description>replayed from a UCI-format file</description>\n"
    }

    static func item(_ row: ClusteringEvaluation.Headline, link: String) -> String {
        "<item><title>\(escaped(row.title))</title><link>\(escaped(link))</link><guid isPermaLink=\"false\">uci-\(escaped(row.id))</guid>"
            + "<pubDate>\(rfc822(row.time))</pubDate></item>\n"
    }

    /// Text as XML character data; characters XML cannot carry at all are dropped.
    static func escaped(_ text: String) -> String {
        var result = ""
        result.unicodeScalars.reserveCapacity(text.unicodeScalars.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\t", "\n", "\r": result.unicodeScalars.append(scalar)
            case _ where scalar.value < 0x20 || scalar.value == 0xFFFE || scalar.value == 0xFFFF: continue
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result
    }

    static func rfc822(_ date: Date) -> String {
        let seconds = Int(date.timeIntervalSince1970.rounded(.down))
        let days = seconds >= 0 ? seconds / 86400 : (seconds - 86399) / 86400
        let (year, month, day) = CivilCalendar.date(days: days)
        let inDay = seconds - days * 86400
        let weekday = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"][((days % 7) + 7) % 7]
        let monthName = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"][month - 1]
        func two(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
        return "\(weekday), \(two(day)) \(monthName) \(year) \(two(inDay / 3600)):\(two(inDay / 60 % 60)):\(two(inDay % 60)) +0000"
    }
}
