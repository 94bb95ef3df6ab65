import Feeds
import Foundation
import NIOHTTP1
import Outlets
import Store
import Stories

public struct CrawlSettings: Sendable {
    /// Opening the TCP (and TLS) connection.
    public var connectTimeout: TimeInterval = 10
    /// Silence between two reads.
    public var readTimeout: TimeInterval = 15
    /// The whole exchange, redirects included, first byte sent to last byte read.
    public var totalTimeout: TimeInterval = 20
    /// Larger bodies are refused rather than read.
    public var maximumBodyBytes: Int = 15 * 1024 * 1024
    /// A gzip/deflate body inflating past this is refused (a compression bomb).
    public var maximumDecompressedBytes: Int = 15 * 1024 * 1024
    /// Requests in flight at once.
    public var concurrency: Int = 16
    /// Requests in flight to one host at once.
    public var perHostConcurrency: Int = 2
    /// The least time between the starts of two requests to one host.
    public var hostSpacing: TimeInterval = 0.5
    /// How long a worker sharing a server store holds the feeds it claims, renewed from the
    /// start of each feed's request. A killed worker's feeds are claimed again when it ends; as
    /// long as it is no shorter than the shortest poll interval (`policy.minimumInterval`), a
    /// feed the killed worker fetched but did not store is not fetched again within its interval.
    public var leaseDuration: TimeInterval = 5 * 60
    public var maximumRedirects: Int = 5
    /// Sent with every request unless the feed sets its own (`user-agent:` in the config).
    public var userAgent: String = "parallax/\(ParallaxVersion.current) (+\(ParallaxVersion.projectURL))"
    public var addressGuard = AddressGuard(allowPrivateNetworks: false)
    /// `HTTP_PROXY`, `HTTPS_PROXY`, `NO_PROXY` of the process unless set otherwise.
    public var proxies = ProxySettings.fromEnvironment()
    /// Connections kept open for a next request, over all hosts; the longest idle is closed first.
    public var maximumIdleConnections: Int = 64
    /// PEM certificates of authorities trusted besides the system's (a private CA).
    public var additionalTrustRoots: [String] = []
    public var policy = PollPolicy()

    public init() {}
}

public enum ParallaxVersion {
    public static let current = "0.1.0"
    public static let projectURL = "https://github.com/parallax-news/parallax"
}

/// Why one feed yielded nothing this time.
public enum FetchError: Error, Equatable, CustomStringConvertible {
    case badURL(String)
    case fileMissing(String)
    case fileUnreadable(path: String, reason: String)
    case httpStatus(Int)
    case tooLarge(limit: Int)
    case decompressedTooLarge(limit: Int)
    case timedOut(seconds: TimeInterval)
    case transport(String)
    case unparseable(String)
    case tooManyRedirects(Int)
    case redirectLoop(String)
    case forbiddenAddress(host: String, address: String)
    case htmlInsteadOfFeed(suggestions: [String])
    case disallowedByRobots(String)

    public var description: String {
        switch self {
        case .badURL(let url): "not a fetchable URL: \(url)"
        case .fileMissing(let path): "no such file: \(path)"
        case .fileUnreadable(let path, let reason): "cannot read \(path): \(reason)"
        case .httpStatus(let code): "HTTP \(code) \(HTTPResponseStatus(statusCode: code).reasonPhrase)"
        case .tooLarge(let limit): "the body is larger than the \(Self.size(limit)) limit"
        case .decompressedTooLarge(let limit): "the body inflates past the \(Self.size(limit)) limit (a compression bomb?)"
        case .timedOut(let seconds): "no complete answer within \(Self.seconds(seconds))"
        case .transport(let detail): "network error: \(detail)"
        case .unparseable(let detail): detail
        case .tooManyRedirects(let limit): "more than \(limit) redirects"
        case .redirectLoop(let url): "redirect loop: \(url) was already visited"
        case .forbiddenAddress(let host, let address):
            "\(host) resolves to \(address), an internal address (set 'allow-private-networks: true' to allow it)"
        case .htmlInsteadOfFeed(let suggestions):
            switch suggestions.count {
            case 0: "an HTML page, not a feed, and it links to no feed"
            case 1: "an HTML page, not a feed; it links to the feed \(suggestions[0]) — put that URL in the config"
            default: "an HTML page, not a feed; it links to the feeds \(suggestions.joined(separator: ", ")) — put one of them in the config"
            }
        case .disallowedByRobots(let url): "robots.txt disallows \(url)"
        }
    }

    private static func size(_ bytes: Int) -> String {
        bytes >= 1024 * 1024 && bytes % (1024 * 1024) == 0 ? "\(bytes / 1024 / 1024) MiB" : "\(bytes / 1024) KiB"
    }

    private static func seconds(_ value: TimeInterval) -> String {
        value == value.rounded() ? "\(Int(value)) s" : String(format: "%.1f s", value)
    }
}

/// The outcome of one feed in one crawl.
public struct FeedResult: Sendable {
    public enum Outcome: String, Sendable, Equatable {
        /// A new body was read and parsed.
        case fetched
        /// 304: nothing changed, nothing parsed.
        case notModified
        case failed
        /// Not requested: its host asked Parallax to wait (429/503 with Retry-After).
        case deferred
        /// Not requested: parked for good (410) or after failing for days.
        case parked
    }

    public var source: FeedSource
    public var fetchedAt: Date
    public var outcome: Outcome
    public var httpStatus: Int?
    public var articles: [Article]
    /// Problems that did not stop the feed from being read (feedparser's "bozo"), and items skipped.
    public var warnings: [String]
    public var error: FetchError?
    /// What to remember about the feed after this attempt.
    public var state: FeedState
    /// Set when the server asked its whole host to pause.
    public var hostPause: HostPause?
    /// Of `articles`, how many the store did not know yet (set by the crawl against a store).
    public var newArticleCount = 0
}

public struct HostPause: Sendable, Equatable {
    public var host: String
    public var until: Date
    public var reason: String
}

/// Reads feeds — `file://` from disk, `http(s)://` over the network — politely: a global and a
/// per-host concurrency limit with spacing, conditional GET, redirects, backoff, host pauses;
/// parses them and turns their items into articles attributed to outlets.
public struct Crawler: Sendable {
    public let settings: CrawlSettings
    public let registry: OutletRegistry

    public init(settings: CrawlSettings = CrawlSettings(), registry: OutletRegistry) {
        self.settings = settings
        self.registry = registry
    }

    /// Whether a feed should be fetched now. `file://` feeds are always due: reading a local
    /// file costs nothing and the sample must work on every run.
    public static func isDue(_ source: FeedSource, state: FeedState?, now: Date, force: Bool) -> Bool {
        guard let state else { return true }
        if state.isParked { return false }
        if force || source.url.hasPrefix("file://") { return true }
        return (state.nextPollAt ?? .distantPast) <= now
    }

    /// Results stored per transaction: committing each of thousands of feeds on its own costs
    /// more CPU than the 304s it records; a killed run loses at most this many feeds' results,
    /// which are simply fetched again.
    static let resultsPerTransaction = 32

    /// Crawls the due feeds against a store: loads their states and the host pauses, fetches,
    /// and records the feeds' articles and new states (each feed's together) as they finish.
    /// Parked feeds are returned as `.parked` without a request; feeds not due are left out.
    /// - Parameter progress: told after each due feed is done, with the count done and the count due.
    public func crawl(
        _ feeds: [FeedSource], store: any StateStore, force: Bool, now: @escaping @Sendable () -> Date = Date.init,
        progress: (_ done: Int, _ total: Int) -> Void = { _, _ in }
    ) async throws -> [FeedResult] {
        let start = now()
        let states = try await store.feedStates()
        let pauses = try await store.hostPauses(after: start)
        var parked: [FeedResult] = []
        var due: [FeedSource] = []
        for feed in feeds {
            let state = states[feed.url]
            if let state, state.isParked {
                parked.append(
                    FeedResult(
                        source: feed, fetchedAt: start, outcome: .parked, httpStatus: state.lastStatus, articles: [], warnings: [],
                        error: nil, state: state, hostPause: nil))
            } else if Self.isDue(feed, state: state, now: start, force: force) {
                due.append(feed)
            }
        }
        var inserted: [String: Int] = [:]
        var pending: [FeedResult] = []
        func flush() async throws {
            guard !pending.isEmpty else { return }
            let counts = try await store.recordFetches(pending.map { FeedFetch(source: $0.source, state: $0.state, articles: $0.articles) })
            for (result, new) in zip(pending, counts) { inserted[result.source.url] = new.count }
            pending.removeAll(keepingCapacity: true)
        }
        var done = 0
        var fetched = try await crawl(due, states: states, hostPauses: pauses, now: now) { result in
            done += 1
            progress(done, due.count)
            if let pause = result.hostPause {
                try await store.pauseHost(pause.host, until: pause.until, reason: pause.reason)
            }
            pending.append(result)
            if pending.count >= Self.resultsPerTransaction { try await flush() }
        }
        try await flush()
        for index in fetched.indices { fetched[index].newArticleCount = inserted[fetched[index].source.url] ?? 0 }
        return parked + fetched
    }

    /// Fetches the given feeds, at most `settings.concurrency` at once and
    /// `settings.perHostConcurrency` per host; `each` sees every result as it arrives; the
    /// returned results come in the given order.
    public func crawl(
        _ feeds: [FeedSource], states: [String: FeedState] = [:], hostPauses: [String: Date] = [:],
        now: @escaping @Sendable () -> Date = Date.init, each: (FeedResult) async throws -> Void = { _ in }
    ) async throws -> [FeedResult] {
        let fetcher = HTTPFetcher(settings: settings)
        var dispatcher = HostDispatcher(settings: settings, pauses: hostPauses)
        for (index, feed) in feeds.enumerated() {
            dispatcher.enqueue(index, host: Self.hostKey(of: states[feed.url]?.effectiveURL ?? feed.url))
        }
        var results = [FeedResult?](repeating: nil, count: feeds.count)
        do {
            try await withThrowingTaskGroup(of: (Int, FeedResult).self) { group in
                var running = 0
                func fill() async throws {
                    while running < max(1, settings.concurrency) {
                        let moment = now()
                        guard let next = dispatcher.next(now: moment) else { return }
                        let feed = feeds[next.index]
                        let state = states[feed.url] ?? FeedState(url: feed.url)
                        if let until = next.pausedUntil {
                            let result = deferred(feed, state: state, until: until, now: moment)
                            results[next.index] = result
                            try await each(result)
                            continue
                        }
                        running += 1
                        let startAt = next.startAt
                        group.addTask {
                            let wait = startAt.timeIntervalSince(now())
                            if wait > 0 { try? await Task.sleep(for: .milliseconds(Int(wait * 1000))) }
                            return (next.index, await self.read(feed, state: state, fetcher: fetcher, now: now()))
                        }
                    }
                }
                try await fill()
                while let (index, result) = try await group.next() {
                    running -= 1
                    dispatcher.finished(index, pause: result.hostPause)
                    results[index] = result
                    // Refill first, so the network stays busy while `each` stores the result.
                    try await fill()
                    try await each(result)
                }
            }
        } catch {
            await fetcher.shutdown()
            throw error
        }
        await fetcher.shutdown()
        return results.compactMap { $0 }
    }

    static func hostKey(of url: String) -> String {
        if url.hasPrefix("file:") { return "" }
        return URL(string: url)?.host?.lowercased() ?? url
    }

    func deferred(_ source: FeedSource, state: FeedState, until: Date, now: Date) -> FeedResult {
        var state = state
        state.nextPollAt = max(state.nextPollAt ?? until, until)
        return FeedResult(
            source: source, fetchedAt: now, outcome: .deferred, httpStatus: nil, articles: [], warnings: [], error: nil, state: state,
            hostPause: nil)
    }

    // MARK: - Discovery

    /// The feeds a web page links to (robots.txt permitting); a URL that is itself a feed is
    /// returned as its own only entry.
    public func discover(_ pageURL: String) async throws(FetchError) -> [DiscoveredFeed] {
        let fetcher = HTTPFetcher(settings: settings)
        let answer: HTTPAnswer
        do {
            answer = try await fetcher.page(pageURL, userAgent: settings.userAgent)
        } catch {
            await fetcher.shutdown()
            throw error
        }
        await fetcher.shutdown()
        guard (200..<300).contains(answer.status) else { throw .httpStatus(answer.status) }
        if let feed = try? FeedParser.parse(answer.body, url: answer.finalURL, response: ResponseHeaders(answer.headers)) {
            let type = feed.format == .atom10 || feed.format == .atom03 ? "application/atom+xml" : "application/rss+xml"
            return [DiscoveredFeed(url: answer.finalURL, title: feed.title.isEmpty ? nil : feed.title, type: type)]
        }
        return FeedAutodiscovery.discover(html: answer.body, pageURL: answer.finalURL)
    }

    // MARK: - One feed

    /// Reads and parses one feed; never throws, so one bad feed cannot stop a run.
    func read(_ source: FeedSource, state previous: FeedState, fetcher: HTTPFetcher, now: Date) async -> FeedResult {
        var state = previous
        state.lastAttemptAt = now
        var result = FeedResult(
            source: source, fetchedAt: now, outcome: .failed, httpStatus: nil, articles: [], warnings: [], error: nil, state: state,
            hostPause: nil)
        let location = previous.effectiveURL
        do {
            if location.hasPrefix("file:") {
                let feed = try parse(try readFile(location), source: source, url: location, response: nil)
                accept(feed, source: source, headers: nil, into: &result, now: now)
                result.state.nextPollAt = nil
                return result
            }
            let started = ContinuousClock.now
            let userAgent = source.userAgent ?? settings.userAgent
            // A feed is offered to be polled; an html-rules page is a page, so robots.txt decides.
            let answer =
                source.kind == .htmlRules
                ? try await fetcher.page(location, userAgent: userAgent, etag: previous.etag, lastModified: previous.lastModified)
                : try await fetcher.get(
                    location, userAgent: userAgent,
                    accept: "application/rss+xml, application/atom+xml, application/feed+json, application/xml;q=0.9, text/xml;q=0.8, */*;q=0.5",
                    etag: previous.etag, lastModified: previous.lastModified)
            let elapsed = ContinuousClock.now - started
            result.httpStatus = answer.status
            result.state.lastStatus = answer.status
            result.state.responseCount += 1
            result.state.lastLatencyMilliseconds = Int(elapsed.components.seconds * 1000 + elapsed.components.attoseconds / 1_000_000_000_000_000)
            switch answer.status {
            case 304:
                result.outcome = .notModified
                result.state.notModifiedCount += 1
                succeed(&result.state, now: now)
                result.state.nextPollAt = settings.policy.nextPoll(after: now, headers: answer.headers, timeToLiveMinutes: nil, itemDates: [])
                followPermanentRedirect(answer, state: &result.state)
            case 200..<300:
                let feed = try parse(answer.body, source: source, url: answer.finalURL, response: ResponseHeaders(answer.headers))
                result.state.etag = answer.headers.first(name: "ETag")
                result.state.lastModified = answer.headers.first(name: "Last-Modified")
                accept(feed, source: source, headers: answer.headers, into: &result, now: now)
                followPermanentRedirect(answer, state: &result.state)
            case 410:
                fail(&result, FetchError.httpStatus(410), now: now)
                result.state.parkedAt = now
                result.state.parkedReason = "the server says the feed is gone for good (HTTP 410)"
            case let status where status == 429 || (status == 503 && answer.headers.first(name: "Retry-After") != nil):
                let retryAfter = answer.headers.first(name: "Retry-After")
                let until = now.addingTimeInterval(settings.policy.hostPause(retryAfter: retryAfter, now: now))
                let host = Self.hostKey(of: answer.finalURL)
                result.outcome = .deferred
                result.hostPause = HostPause(
                    host: host, until: until, reason: "HTTP \(answer.status)" + (retryAfter.map { ", Retry-After: \($0)" } ?? ""))
                result.state.nextPollAt = until
                result.state.lastError = "HTTP \(answer.status): \(host) asked to wait until \(ISO8601DateFormatter().string(from: until))"
            default:
                fail(&result, FetchError.httpStatus(answer.status), now: now)
            }
        } catch {
            fail(&result, error, now: now)
        }
        return result
    }

    private func readFile(_ location: String) throws(FetchError) -> Data {
        guard let url = URL(string: location) else { throw .badURL(location) }
        let path = url.path
        guard FileManager.default.fileExists(atPath: path) else { throw .fileMissing(path) }
        let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
        guard size <= settings.maximumBodyBytes else { throw .tooLarge(limit: settings.maximumBodyBytes) }
        do {
            return try Data(contentsOf: url)
        } catch {
            throw .fileUnreadable(path: path, reason: error.localizedDescription)
        }
    }

    /// The body decides what it is, not the Content-Type (servers often get that wrong); the
    /// header contributes its charset, and a feed served as a type that is not XML is flagged.
    private func parse(_ body: Data, source: FeedSource, url: String, response: ResponseHeaders?) throws(FetchError) -> ParsedFeed {
        do {
            return try source.parse(body, from: url, response: response)
        } catch {
            if source.kind != .htmlRules, case .notAFeed(let root) = error, root.lowercased() == "html" {
                // Once, from the page already in hand: no further request is made for it.
                throw .htmlInsteadOfFeed(suggestions: FeedAutodiscovery.discover(html: body, pageURL: url).map(\.url))
            }
            throw .unparseable("\(error)")
        }
    }

    private func accept(_ feed: ParsedFeed, source: FeedSource, headers: HTTPHeaders?, into result: inout FeedResult, now: Date) {
        if let first = feed.problems.first {
            result.warnings.append("bozo (read what could be recovered): \(first)")
        }
        let (articles, skipped) = articles(from: feed, source: source, seenAt: now)
        result.articles = articles
        if skipped > 0 { result.warnings.append("\(skipped) items without a usable link or title were skipped") }
        result.outcome = .fetched
        result.state.itemCount = articles.count
        succeed(&result.state, now: now)
        result.state.nextPollAt = settings.policy.nextPoll(
            after: now, headers: headers, timeToLiveMinutes: feed.timeToLiveMinutes,
            itemDates: feed.items.compactMap { $0.published ?? $0.updated })
    }

    private func succeed(_ state: inout FeedState, now: Date) {
        state.lastSuccessAt = now
        state.lastError = nil
        state.consecutiveErrors = 0
        state.failingSince = nil
    }

    /// Backs off exponentially; parks a feed that has failed for `policy.parkAfterFailingFor`.
    private func fail(_ result: inout FeedResult, _ error: any Error, now: Date) {
        let fetchError = error as? FetchError ?? .transport("\(error)")
        result.outcome = .failed
        result.error = fetchError
        result.articles = []
        result.state.lastError = fetchError.description
        result.state.consecutiveErrors += 1
        let since = result.state.failingSince ?? now
        result.state.failingSince = since
        result.state.nextPollAt = now.addingTimeInterval(settings.policy.backoff(consecutiveErrors: result.state.consecutiveErrors))
        if now.timeIntervalSince(since) >= settings.policy.parkAfterFailingFor {
            result.state.parkedAt = now
            result.state.parkedReason = "failing since \(ISO8601DateFormatter().string(from: since)): \(fetchError)"
        }
    }

    /// A 301/308 chain replaces the fetched URL only after `permanentRedirectConfirmations`
    /// successful fetches in a row ended at the same target; a temporary hop resets the count.
    private func followPermanentRedirect(_ answer: HTTPAnswer, state: inout FeedState) {
        guard let target = answer.permanentTarget else {
            state.redirectCandidate = nil
            state.redirectSeenCount = 0
            return
        }
        state.redirectSeenCount = state.redirectCandidate == target ? state.redirectSeenCount + 1 : 1
        state.redirectCandidate = target
        if state.redirectSeenCount >= settings.policy.permanentRedirectConfirmations {
            state.fetchURL = target
            state.redirectCandidate = nil
            state.redirectSeenCount = 0
        }
    }

    /// Turns feed items into articles. An outlet's feed gives every item to that outlet; an
    /// aggregator's item belongs to the outlet of its `<source url>`, else of its link's domain.
    func articles(from feed: ParsedFeed, source: FeedSource, seenAt: Date) -> ([Article], skipped: Int) {
        var articles: [Article] = []
        var skipped = 0
        let feedOutlet = source.outletID.flatMap { registry[$0] }
        for item in feed.items {
            let link = item.link ?? item.guid.flatMap { $0.hasPrefix("http") ? $0 : nil }
            guard let link, let canonical = CanonicalURL.canonicalize(link), !item.title.isEmpty,
                let linkHost = CanonicalURL.host(of: canonical)
            else {
                skipped += 1
                continue
            }
            var outlet: Outlet?
            var domain: String
            switch source.kind {
            case .feed:
                outlet = feedOutlet
                domain = linkHost
            case .aggregator, .htmlRules:
                domain = item.sourceURL.flatMap(CanonicalURL.host(of:)) ?? linkHost
                outlet = registry.outlet(forHost: domain) ?? registry.outlet(forHost: linkHost)
                if outlet == nil, let named = item.sourceName.flatMap(registry.outlet(named:)) {
                    outlet = named
                    domain = named.domains.first ?? domain
                }
            }
            articles.append(
                Article(
                    canonicalURL: canonical, url: link, outletID: outlet?.id, domain: domain,
                    sourceName: item.sourceName ?? (source.kind == .feed ? nil : feed.title),
                    title: item.title, summary: String(item.summary.prefix(Article.summaryLimit)),
                    language: item.language ?? feed.language ?? outlet?.language,
                    publishedAt: item.published ?? item.updated, firstSeenAt: seenAt, feedURL: source.url,
                    groupKey: item.group, content: String(item.content.prefix(Article.contentLimit)), imageURL: Self.imageURL(of: item)))
        }
        return (articles, skipped)
    }

    /// The item's picture: `media:thumbnail` (or JSON Feed `image`), else the first enclosure or
    /// `media:content` that is an image by its type, its medium or its file name.
    static func imageURL(of item: ParsedItem) -> String? {
        if let url = item.imageURL { return url }
        return item.enclosures.first { enclosure in
            let type = enclosure.type?.lowercased() ?? ""
            let path = enclosure.url.lowercased().split(separator: "?").first ?? ""
            return type.hasPrefix("image") || (type.isEmpty && [".jpg", ".jpeg", ".png", ".webp", ".gif"].contains { path.hasSuffix($0) })
        }?.url
    }
}

extension ResponseHeaders {
    /// The headers of an HTTP response that say how to read its body.
    public init(_ headers: HTTPHeaders) {
        self.init(
            contentType: headers.first(name: "Content-Type"), contentLocation: headers.first(name: "Content-Location"),
            contentLanguage: headers.first(name: "Content-Language"))
    }
}
