import AsyncHTTPClient
import Feeds
import Foundation
import NIOCore
import NIOHTTP1
import Outlets
import Stories

public struct CrawlSettings: Sendable {
    /// The whole request, connect to last byte.
    public var timeout: TimeInterval = 20
    /// Larger bodies are refused rather than read.
    public var maximumBodyBytes: Int = 15 * 1024 * 1024
    /// Feeds fetched at once.
    public var concurrency: Int = 16
    public var userAgent: String = "parallax/\(ParallaxVersion.current) (+https://github.com/parallax-news/parallax)"

    public init() {}
}

public enum ParallaxVersion {
    public static let current = "0.1.0"
}

/// Why one feed yielded nothing this time.
public enum FetchError: Error, Equatable, CustomStringConvertible {
    case badURL(String)
    case fileMissing(String)
    case fileUnreadable(path: String, reason: String)
    case httpStatus(Int)
    case tooLarge(limit: Int)
    case timedOut(seconds: TimeInterval)
    case transport(String)
    case unparseable(String)

    public var description: String {
        switch self {
        case .badURL(let url): "not a fetchable URL: \(url)"
        case .fileMissing(let path): "no such file: \(path)"
        case .fileUnreadable(let path, let reason): "cannot read \(path): \(reason)"
        case .httpStatus(let code): "HTTP \(code) \(HTTPResponseStatus(statusCode: code).reasonPhrase)"
        case .tooLarge(let limit): "the body is larger than the \(limit / 1024 / 1024) MiB limit"
        case .timedOut(let seconds): "no complete answer within \(Int(seconds)) s"
        case .transport(let detail): "network error: \(detail)"
        case .unparseable(let detail): detail
        }
    }
}

/// The outcome of reading one feed.
public struct FeedResult: Sendable {
    public var source: FeedSource
    public var fetchedAt: Date
    public var httpStatus: Int?
    public var articles: [Article]
    /// Problems that did not stop the feed from being read (feedparser's "bozo"), and items skipped.
    public var warnings: [String]
    public var error: FetchError?

    public var succeeded: Bool { error == nil }
}

/// Reads every configured feed — `file://` from disk, `http(s)://` over the network — parses it
/// and turns its items into articles attributed to outlets.
public struct Crawler: Sendable {
    public let settings: CrawlSettings
    public let registry: OutletRegistry

    public init(settings: CrawlSettings = CrawlSettings(), registry: OutletRegistry) {
        self.settings = settings
        self.registry = registry
    }

    /// Fetches all feeds, at most `settings.concurrency` at once; results come in config order.
    public func crawl(_ feeds: [FeedSource], now: @escaping @Sendable () -> Date = Date.init) async -> [FeedResult] {
        let needsNetwork = feeds.contains { !$0.url.hasPrefix("file://") }
        let client: HTTPClient? = needsNetwork ? HTTPClient(eventLoopGroupProvider: .singleton, configuration: clientConfiguration) : nil
        let results = await withTaskGroup(of: (Int, FeedResult).self) { group in
            var results = [FeedResult?](repeating: nil, count: feeds.count)
            var next = 0
            func startNext() {
                guard next < feeds.count else { return }
                let index = next
                next += 1
                group.addTask { (index, await self.read(feeds[index], client: client, now: now())) }
            }
            for _ in 0..<max(1, settings.concurrency) { startNext() }
            for await (index, result) in group {
                results[index] = result
                startNext()
            }
            return results.compactMap { $0 }
        }
        try? await client?.shutdown()
        return results
    }

    private var clientConfiguration: HTTPClient.Configuration {
        var configuration = HTTPClient.Configuration()
        configuration.redirectConfiguration = .follow(max: 5, allowCycles: false)
        configuration.timeout = .init(connect: .seconds(10), read: .seconds(Int64(settings.timeout)))
        configuration.decompression = .enabled(limit: .size(settings.maximumBodyBytes))
        return configuration
    }

    /// Reads and parses one feed; never throws, so one bad feed cannot stop a run.
    public func read(_ source: FeedSource, client: HTTPClient?, now: Date) async -> FeedResult {
        var result = FeedResult(source: source, fetchedAt: now, httpStatus: nil, articles: [], warnings: [], error: nil)
        do {
            let (body, charset, status) = try await fetch(source.url, client: client)
            result.httpStatus = status
            let feed: ParsedFeed
            do {
                feed = try source.parse(body, encoding: charset)
            } catch {
                throw FetchError.unparseable("\(error)")
            }
            if let first = feed.problems.first {
                result.warnings.append("not well-formed (read what could be recovered): \(first)")
            }
            let (articles, skipped) = articles(from: feed, source: source, seenAt: now)
            result.articles = articles
            if skipped > 0 { result.warnings.append("\(skipped) items without a usable link or title were skipped") }
        } catch let error as FetchError {
            result.error = error
        } catch {
            result.error = .transport("\(error)")
        }
        return result
    }

    private func fetch(_ location: String, client: HTTPClient?) async throws -> (Data, String?, Int?) {
        guard let url = URL(string: location), let scheme = url.scheme?.lowercased() else { throw FetchError.badURL(location) }
        if scheme == "file" {
            let path = url.path
            guard FileManager.default.fileExists(atPath: path) else { throw FetchError.fileMissing(path) }
            let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
            guard size <= settings.maximumBodyBytes else { throw FetchError.tooLarge(limit: settings.maximumBodyBytes) }
            do {
                return (try Data(contentsOf: url), nil, nil)
            } catch {
                throw FetchError.fileUnreadable(path: path, reason: error.localizedDescription)
            }
        }
        guard scheme == "http" || scheme == "https", let client else { throw FetchError.badURL(location) }
        var request = HTTPClientRequest(url: location)
        request.headers.add(name: "User-Agent", value: settings.userAgent)
        request.headers.add(name: "Accept", value: "application/rss+xml, application/atom+xml, application/xml;q=0.9, text/xml;q=0.8, */*;q=0.5")
        request.headers.add(name: "Accept-Encoding", value: "gzip, deflate")
        do {
            let response = try await client.execute(request, timeout: .seconds(Int64(settings.timeout)))
            guard (200..<300).contains(response.status.code) else { throw FetchError.httpStatus(Int(response.status.code)) }
            let buffer = try await response.body.collect(upTo: settings.maximumBodyBytes)
            let charset = response.headers.first(name: "Content-Type").flatMap(Self.charset(ofContentType:))
            return (Data(buffer.readableBytesView), charset, Int(response.status.code))
        } catch let error as FetchError {
            throw error
        } catch is NIOTooManyBytesError {
            throw FetchError.tooLarge(limit: settings.maximumBodyBytes)
        } catch let error as HTTPClientError where error == .deadlineExceeded || error == .readTimeout || error == .connectTimeout {
            throw FetchError.timedOut(seconds: settings.timeout)
        } catch {
            throw FetchError.transport("\(error)")
        }
    }

    static func charset(ofContentType contentType: String) -> String? {
        for parameter in contentType.split(separator: ";").dropFirst() {
            let parts = parameter.split(separator: "=", maxSplits: 1)
            if parts.count == 2, parts[0].trimmingCharacters(in: .whitespaces).lowercased() == "charset" {
                let value = parts[1].trimmingCharacters(in: CharacterSet(charactersIn: " \"'"))
                return value.isEmpty ? nil : value
            }
        }
        return nil
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
            let outlet: Outlet?
            let domain: String
            switch source.kind {
            case .feed:
                outlet = feedOutlet
                domain = linkHost
            case .aggregator, .htmlRules:
                domain = item.sourceURL.flatMap(CanonicalURL.host(of:)) ?? linkHost
                outlet = registry.outlet(forHost: domain) ?? registry.outlet(forHost: linkHost)
            }
            articles.append(
                Article(
                    canonicalURL: canonical, url: link, outletID: outlet?.id, domain: domain,
                    sourceName: item.sourceName ?? (source.kind == .feed ? nil : feed.title),
                    title: item.title, summary: String(item.summary.prefix(1000)),
                    language: item.language ?? feed.language ?? outlet?.language,
                    publishedAt: item.published ?? item.updated, firstSeenAt: seenAt, feedURL: source.url))
        }
        return (articles, skipped)
    }
}
