import Crawl
import Feeds
import Foundation
import Outlets
import Store
import Synchronization
import TestHTTPServer
import Testing
import TestStates

private func feed(_ slugs: [String], ttl: Int? = nil) -> String {
    let items = slugs.map { "<item><title>Story \($0)</title><link>https://harbor.example/\($0)</link></item>" }.joined()
    return "<rss version=\"2.0\"><channel><title>Harbor</title>\(ttl.map { "<ttl>\($0)</ttl>" } ?? "")\(items)</channel></rss>"
}

private func rss(_ body: String, headers: [(String, String)] = []) -> TestHTTPServer.Response {
    .init(status: 200, headers: [("Content-Type", "application/rss+xml")] + headers, body: Data(body.utf8))
}

private func fixture(_ name: String) throws -> Data {
    let url = try #require(Bundle.module.url(forResource: "Fixtures/\(name)", withExtension: nil))
    return try Data(contentsOf: url)
}

/// A clock the test moves by hand, so schedules can be checked without waiting.
private final class TestClock: Sendable {
    private let current: Mutex<Date>
    init(_ start: Date = Date(timeIntervalSince1970: 1_795_003_200)) { current = Mutex(start) }  // 2026-11-18 12:00 UTC
    var now: Date { current.withLock { $0 } }
    func set(_ date: Date) { current.withLock { $0 = date } }
    func advance(_ seconds: TimeInterval) { current.withLock { $0 = $0.addingTimeInterval(seconds) } }
    var function: @Sendable () -> Date { { self.now } }
}

@Suite("Polite crawling against a real HTTP server on 127.0.0.1")
struct PoliteCrawlTests {
    @Test(arguments: StateBackend.available) func conditionalGetStoresValidatorsExactlyAndA304CostsNoParse(_ backend: StateBackend) async throws {
        let scratch = try await CrawlScratch(backend)
        let lastModified = "Wed, 18 Nov 2026 07:30:00 GMT"
        let version = Mutex("\"v1\"")
        let server = try await TestHTTPServer { request in
            let etag = version.withLock { $0 }
            if request.header("If-None-Match") == etag && request.header("If-Modified-Since") == lastModified {
                return .init(status: 304, headers: [("ETag", etag)])
            }
            return rss(feed(etag == "\"v1\"" ? ["a", "b"] : ["a", "b", "c"]), headers: [("ETag", etag), ("Last-Modified", lastModified)])
        }
        let source = FeedSource(url: server.baseURL + "/feed.xml", outletID: "harbor")
        let clock = TestClock()
        let crawler = Crawler(settings: localSettings(), registry: harborRegistry)

        let first = try await crawler.crawl([source], store: scratch.store, force: false, now: clock.function)
        #expect(first.map(\.outcome) == [.fetched])
        var state = try await scratch.state(source.url)
        #expect(state.etag == "\"v1\"")
        #expect(state.lastModified == lastModified)
        #expect(state.nextPollAt == clock.now.addingTimeInterval(30 * 60))
        #expect(try await scratch.store.articleCount() == 2)

        clock.advance(10 * 60)
        #expect(try await crawler.crawl([source], store: scratch.store, force: false, now: clock.function).isEmpty, "not due yet")

        clock.advance(25 * 60)
        let second = try await crawler.crawl([source], store: scratch.store, force: false, now: clock.function)
        #expect(second.map(\.outcome) == [.notModified])
        #expect(second.first?.articles.isEmpty == true)
        state = try await scratch.state(source.url)
        #expect(state.etag == "\"v1\"" && state.notModifiedCount == 1 && state.responseCount == 2)
        #expect(state.lastSuccessAt == clock.now)
        let conditional = try #require(server.receivedRequests.last)
        #expect(conditional.header("If-None-Match") == "\"v1\"")
        #expect(conditional.header("If-Modified-Since") == lastModified)

        version.withLock { $0 = "W/\"v2\"" }
        let third = try await crawler.crawl([source], store: scratch.store, force: true, now: clock.function)
        #expect(third.map(\.outcome) == [.fetched])
        #expect(try await scratch.state(source.url).etag == "W/\"v2\"", "refreshed on every 200")
        #expect(try await scratch.store.articleCount() == 3)
        await server.shutdown()
    }

    @Test(arguments: [("gzip", "feed.rss.gz"), ("deflate", "feed.rss.deflate")])
    func readsCompressedBodiesAndHonoursTheFeedTTL(encoding: String, file: String) async throws {
        let scratch = try await CrawlScratch(.sqlite)
        let body = try fixture(file)
        let server = try await TestHTTPServer { _ in
            .init(headers: [("Content-Type", "application/rss+xml"), ("Content-Encoding", encoding)], body: body)
        }
        let source = FeedSource(url: server.baseURL + "/feed.xml", outletID: "harbor")
        let clock = TestClock()
        let results = try await Crawler(settings: localSettings(), registry: harborRegistry).crawl([source], store: scratch.store, force: false, now: clock.function)
        await server.shutdown()
        #expect(results.first?.error == nil)
        #expect(try await scratch.store.articleCount() == 2)
        #expect(try await scratch.state(source.url).nextPollAt == clock.now.addingTimeInterval(90 * 60), "<ttl>90</ttl> beats the 30 min base")
        #expect(server.receivedRequests.first?.header("Accept-Encoding")?.contains("gzip") == true)
    }

    @Test(arguments: StateBackend.available) func cacheHeadersLengthenTheIntervalWithinItsClamp(_ backend: StateBackend) async throws {
        let scratch = try await CrawlScratch(backend)
        let server = try await TestHTTPServer { request in
            switch request.path {
            case "/max-age": rss(feed(["m"]), headers: [("Cache-Control", "public, max-age=7200")])
            case "/expires": rss(feed(["e"]), headers: [("Expires", "Wed, 18 Nov 2026 15:00:00 GMT")])
            default: rss(feed(["t"], ttl: 10_000))
            }
        }
        let clock = TestClock()
        let sources = ["/max-age", "/expires", "/huge-ttl"].map { FeedSource(url: server.baseURL + $0, outletID: "harbor") }
        _ = try await Crawler(settings: localSettings(), registry: harborRegistry).crawl(sources, store: scratch.store, force: false, now: clock.function)
        await server.shutdown()
        #expect(try await scratch.state(sources[0].url).nextPollAt == clock.now.addingTimeInterval(7200))
        #expect(try await scratch.state(sources[1].url).nextPollAt == clock.now.addingTimeInterval(3 * 3600))
        #expect(try await scratch.state(sources[2].url).nextPollAt == clock.now.addingTimeInterval(24 * 3600), "clamped to 24 h")
    }

    @Test(arguments: StateBackend.available) func followsARedirectChainAndKeepsTheURLWhenAHopIsTemporary(_ backend: StateBackend) async throws {
        let scratch = try await CrawlScratch(backend)
        let server = try await TestHTTPServer { request in
            switch request.path {
            case "/a": .init(status: 302, headers: [("Location", "/b")])
            case "/b": .init(status: 301, headers: [("Location", "/c")])
            case "/c": rss(feed(["x"]))
            default: .init(status: 404)
            }
        }
        let source = FeedSource(url: server.baseURL + "/a", outletID: "harbor")
        let results = try await Crawler(settings: localSettings(), registry: harborRegistry).crawl([source], store: scratch.store, force: true)
        await server.shutdown()
        #expect(results.first?.outcome == .fetched)
        #expect(server.receivedRequests.map(\.path) == ["/a", "/b", "/c"])
        let state = try await scratch.state(source.url)
        #expect(state.fetchURL == nil && state.redirectCandidate == nil)
        #expect(try await scratch.store.articleCount() == 1)
    }

    @Test(arguments: StateBackend.available) func detectsRedirectLoopsAndLongChains(_ backend: StateBackend) async throws {
        let scratch = try await CrawlScratch(backend)
        let server = try await TestHTTPServer { request in
            switch request.path {
            case "/x": .init(status: 307, headers: [("Location", "/y")])
            case "/y": .init(status: 308, headers: [("Location", "/x")])
            default:
                // /hop/N redirects to /hop/N+1 forever.
                .init(status: 302, headers: [("Location", "/hop/\((Int(request.path.split(separator: "/").last ?? "0") ?? 0) + 1)")])
            }
        }
        let loop = FeedSource(url: server.baseURL + "/x", outletID: "harbor")
        let chain = FeedSource(url: server.baseURL + "/hop/0", outletID: "harbor")
        let results = try await Crawler(settings: localSettings(), registry: harborRegistry).crawl([loop, chain], store: scratch.store, force: true)
        await server.shutdown()
        #expect(results[0].error == .redirectLoop(server.baseURL + "/x"))
        #expect(results[1].error == .tooManyRedirects(5))
        #expect(server.receivedRequests.filter { $0.path.hasPrefix("/hop/") }.count == 6, "the first request and 5 redirects")
        #expect(try await scratch.state(loop.url).lastError == "redirect loop: \(server.baseURL)/x was already visited")
        #expect(try await scratch.state(chain.url).consecutiveErrors == 1)
    }

    @Test(arguments: StateBackend.available) func aPermanentRedirectReplacesTheURLOnlyAfterThreeFetchesAgree(_ backend: StateBackend) async throws {
        let scratch = try await CrawlScratch(backend)
        let server = try await TestHTTPServer { request in
            request.path == "/old" ? .init(status: 301, headers: [("Location", "/new")]) : rss(feed(["moved"]))
        }
        let source = FeedSource(url: server.baseURL + "/old", outletID: "harbor")
        let crawler = Crawler(settings: localSettings(), registry: harborRegistry)
        var seen: [Int] = []
        for _ in 1...2 {
            _ = try await crawler.crawl([source], store: scratch.store, force: true)
            let state = try await scratch.state(source.url)
            #expect(state.fetchURL == nil)
            #expect(state.redirectCandidate == server.baseURL + "/new")
            seen.append(state.redirectSeenCount)
        }
        #expect(seen == [1, 2])
        _ = try await crawler.crawl([source], store: scratch.store, force: true)
        #expect(try await scratch.state(source.url).fetchURL == server.baseURL + "/new")
        let before = server.receivedRequests.count
        _ = try await crawler.crawl([source], store: scratch.store, force: true)
        await server.shutdown()
        #expect(server.receivedRequests.dropFirst(before).map(\.path) == ["/new"], "the stored URL is used directly")
        #expect(try await scratch.store.articleCount() == 1)
    }

    @Test(arguments: StateBackend.available) func a410ParksTheFeedForGood(_ backend: StateBackend) async throws {
        let scratch = try await CrawlScratch(backend)
        let server = try await TestHTTPServer { _ in .init(status: 410) }
        let source = FeedSource(url: server.baseURL + "/gone.xml", outletID: "harbor")
        let crawler = Crawler(settings: localSettings(), registry: harborRegistry)
        let first = try await crawler.crawl([source], store: scratch.store, force: false)
        #expect(first.first?.error == .httpStatus(410))
        let state = try await scratch.state(source.url)
        #expect(state.isParked)
        #expect(state.parkedReason?.contains("410") == true)
        let again = try await crawler.crawl([source], store: scratch.store, force: true)
        await server.shutdown()
        #expect(again.map(\.outcome) == [.parked])
        #expect(server.receivedRequests.count == 1, "a parked feed is never requested again")
    }

    @Test(arguments: StateBackend.available) func a429WithRetryAfterSecondsPausesTheWholeHost(_ backend: StateBackend) async throws {
        let scratch = try await CrawlScratch(backend)
        let server = try await TestHTTPServer { request in
            request.path == "/busy.xml" ? .init(status: 429, headers: [("Retry-After", "120")]) : rss(feed([String(request.path.dropFirst())]))
        }
        let busy = FeedSource(url: server.baseURL + "/busy.xml", outletID: "harbor")
        let calm = FeedSource(url: server.baseURL + "/calm.xml", outletID: "harbor")
        let clock = TestClock()
        let crawler = Crawler(settings: localSettings { $0.perHostConcurrency = 1 }, registry: harborRegistry)

        let results = try await crawler.crawl([busy, calm], store: scratch.store, force: false, now: clock.function)
        #expect(results.map(\.outcome) == [.deferred, .deferred])
        #expect(server.receivedRequests.map(\.path) == ["/busy.xml"], "the other feed on that host is not requested")
        #expect(try await scratch.store.hostPauses(after: clock.now) == ["127.0.0.1": clock.now.addingTimeInterval(120)])
        #expect(try await scratch.state(calm.url).nextPollAt == clock.now.addingTimeInterval(120))
        #expect(try await scratch.state(busy.url).consecutiveErrors == 0, "a pause is not a failure")

        clock.advance(60)
        let during = try await crawler.crawl([busy, calm], store: scratch.store, force: true, now: clock.function)
        #expect(during.map(\.outcome) == [.deferred, .deferred], "--all does not override a publisher's pause")
        #expect(server.receivedRequests.count == 1)

        clock.advance(61)
        let after = try await crawler.crawl([calm], store: scratch.store, force: false, now: clock.function)
        await server.shutdown()
        #expect(after.map(\.outcome) == [.fetched])
        #expect(try await scratch.store.articleCount() == 1)
    }

    @Test(arguments: StateBackend.available) func a503WithRetryAfterAsADatePausesTheHostUntilThatDate(_ backend: StateBackend) async throws {
        let scratch = try await CrawlScratch(backend)
        let server = try await TestHTTPServer { _ in .init(status: 503, headers: [("Retry-After", "Wed, 18 Nov 2026 13:30:00 GMT")]) }
        let source = FeedSource(url: server.baseURL + "/feed.xml", outletID: "harbor")
        let clock = TestClock()
        let results = try await Crawler(settings: localSettings(), registry: harborRegistry).crawl([source], store: scratch.store, force: false, now: clock.function)
        await server.shutdown()
        let until = clock.now.addingTimeInterval(90 * 60)
        #expect(results.first?.hostPause?.until == until)
        #expect(try await scratch.store.hostPauses(after: clock.now) == ["127.0.0.1": until])
        #expect(try await scratch.state(source.url).lastStatus == 503)
    }

    @Test(arguments: StateBackend.available) func repeated500sBackOffExponentiallyUpTo24HoursThenPark(_ backend: StateBackend) async throws {
        let scratch = try await CrawlScratch(backend)
        let server = try await TestHTTPServer { _ in .init(status: 500) }
        let source = FeedSource(url: server.baseURL + "/feed.xml", outletID: "harbor")
        let clock = TestClock()
        let started = clock.now
        let crawler = Crawler(settings: localSettings(), registry: harborRegistry)
        var waits: [TimeInterval] = []
        var state = FeedState(url: source.url)
        while !state.isParked && waits.count < 30 {
            let results = try await crawler.crawl([source], store: scratch.store, force: false, now: clock.function)
            #expect(results.count == 1)
            state = try await scratch.state(source.url)
            #expect(state.failingSince == started)
            #expect(state.consecutiveErrors == waits.count + 1)
            let next = try #require(state.nextPollAt)
            waits.append(next.timeIntervalSince(clock.now))
            clock.set(next)
        }
        await server.shutdown()
        #expect(Array(waits.prefix(9)) == [15, 30, 60, 120, 240, 480, 960, 1440, 1440].map { TimeInterval($0 * 60) })
        #expect(state.isParked)
        #expect(state.parkedReason?.contains("HTTP 500") == true)
        let parkedAfter = try #require(state.parkedAt).timeIntervalSince(started)
        #expect(parkedAfter >= 7 * 86400 && parkedAfter < 8 * 86400)
        #expect(server.receivedRequests.count == waits.count)
    }

    @Test(arguments: StateBackend.available) func aServerDrippingOneByteASecondTimesOut(_ backend: StateBackend) async throws {
        let scratch = try await CrawlScratch(backend)
        let server = try await TestHTTPServer { _ in
            .init(headers: [("Content-Type", "application/rss+xml")], body: Data(feed(["slow"]).utf8), delivery: .drip(.seconds(1)))
        }
        let source = FeedSource(url: server.baseURL + "/slow.xml", outletID: "harbor")
        let results = try await Crawler(settings: localSettings { $0.totalTimeout = 1 }, registry: harborRegistry).crawl([source], store: scratch.store, force: true)
        await server.shutdown()
        #expect(results.first?.error == .timedOut(seconds: 1))
        #expect(try await scratch.state(source.url).lastError == "no complete answer within 1 s")
        #expect(try await scratch.store.articleCount() == 0)
    }

    @Test(arguments: StateBackend.available) func anEndlessBodyStopsAtTheCap(_ backend: StateBackend) async throws {
        let scratch = try await CrawlScratch(backend)
        let server = try await TestHTTPServer { _ in
            .init(headers: [("Content-Type", "application/rss+xml")], body: Data(String(repeating: "<!-- more -->", count: 1000).utf8), delivery: .endless)
        }
        let source = FeedSource(url: server.baseURL + "/endless.xml", outletID: "harbor")
        let results = try await Crawler(settings: localSettings { $0.maximumBodyBytes = 256 * 1024 }, registry: harborRegistry)
            .crawl([source], store: scratch.store, force: true)
        await server.shutdown()
        #expect(results.first?.error == .tooLarge(limit: 256 * 1024))
        #expect(try await scratch.state(source.url).lastError == "the body is larger than the 256 KiB limit")
    }

    @Test(arguments: StateBackend.available) func anErrorPageIsAnsweredFromItsHeadWithoutReadingItsBody(_ backend: StateBackend) async throws {
        let scratch = try await CrawlScratch(backend)
        // Chunks this small fill the socket buffer only after many thousands of writes.
        let server = try await TestHTTPServer { _ in
            .init(status: 500, headers: [("Content-Type", "text/html")], body: Data("<p>sorry</p>".utf8), delivery: .endless)
        }
        let source = FeedSource(url: server.baseURL + "/broken.xml", outletID: "harbor")
        let results = try await Crawler(settings: localSettings(), registry: harborRegistry).crawl([source], store: scratch.store, force: true)
        await server.shutdown()
        #expect(results.first?.error == .httpStatus(500), "neither a timeout nor a body cap: the endless body is never read")
        #expect(try await scratch.state(source.url).lastStatus == 500)
        #expect(try await scratch.state(source.url).consecutiveErrors == 1)
    }

    @Test(arguments: StateBackend.available) func notModifiedAnswersKeepTheConnectionForTheHostsNextFeed(_ backend: StateBackend) async throws {
        let scratch = try await CrawlScratch(backend)
        let server = try await TestHTTPServer { request in
            request.header("If-None-Match") == "\"same\"" ? .init(status: 304, headers: [("ETag", "\"same\"")]) : rss(feed(["a"]), headers: [("ETag", "\"same\"")])
        }
        let sources = (0..<6).map { FeedSource(url: server.baseURL + "/feed-\($0).xml", outletID: "harbor") }
        let oneAtATime = localSettings {
            $0.concurrency = 1
            $0.perHostConcurrency = 1
        }
        _ = try await Crawler(settings: oneAtATime, registry: harborRegistry).crawl(sources, store: scratch.store, force: true)
        let connectionsBefore = server.acceptedConnections
        let results = try await Crawler(settings: oneAtATime, registry: harborRegistry).crawl(sources, store: scratch.store, force: true)
        await server.shutdown()
        #expect(results.allSatisfy { $0.outcome == .notModified })
        #expect(try await scratch.state(sources[5].url).notModifiedCount == 1)
        #expect(server.acceptedConnections - connectionsBefore == 1, "six 304s, one after the other, over one connection")
    }

    @Test(arguments: StateBackend.available) func aGzipBombStopsAtTheDecompressedCap(_ backend: StateBackend) async throws {
        let scratch = try await CrawlScratch(backend)
        let bomb = try fixture("bomb.rss.gz")
        let server = try await TestHTTPServer { _ in
            .init(headers: [("Content-Type", "application/rss+xml"), ("Content-Encoding", "gzip")], body: bomb)
        }
        let source = FeedSource(url: server.baseURL + "/bomb.xml", outletID: "harbor")
        let results = try await Crawler(settings: localSettings { $0.maximumDecompressedBytes = 1024 * 1024 }, registry: harborRegistry)
            .crawl([source], store: scratch.store, force: true)
        await server.shutdown()
        #expect(bomb.count < 64 * 1024)
        #expect(results.first?.error == .decompressedTooLarge(limit: 1024 * 1024))
        #expect(try await scratch.state(source.url).lastError?.contains("1 MiB") == true)
    }

    @Test(arguments: StateBackend.available) func theBodyDecidesWhatItIsNotTheContentType(_ backend: StateBackend) async throws {
        let scratch = try await CrawlScratch(backend)
        let server = try await TestHTTPServer { request in
            request.path == "/feed-as-html"
                ? .init(status: 200, contentType: "text/html; charset=utf-8", body: feed(["typed"]))
                : .init(status: 200, contentType: "application/rss+xml", body: "<!DOCTYPE html><html><head><title>Home</title></head><body>Hi</body></html>")
        }
        let mislabelledFeed = FeedSource(url: server.baseURL + "/feed-as-html", outletID: "harbor")
        let mislabelledPage = FeedSource(url: server.baseURL + "/page-as-rss", outletID: "harbor")
        let results = try await Crawler(settings: localSettings(), registry: harborRegistry)
            .crawl([mislabelledFeed, mislabelledPage], store: scratch.store, force: true)
        await server.shutdown()
        #expect(results[0].outcome == .fetched)
        #expect(try await scratch.store.articleCount() == 1)
        #expect(results[1].error == .htmlInsteadOfFeed(suggestions: []))
        #expect(try await scratch.state(mislabelledPage.url).consecutiveErrors == 1)
    }

    @Test(arguments: StateBackend.available) func noMoreThanThePerHostLimitAtOnceAndTheFeedsOwnUserAgent(_ backend: StateBackend) async throws {
        let scratch = try await CrawlScratch(backend)
        let server = try await TestHTTPServer { request in
            var response = rss(feed([String(request.path.dropFirst())]))
            response.delay = .milliseconds(100)
            return response
        }
        var sources = (1...6).map { FeedSource(url: server.baseURL + "/f\($0)", outletID: "harbor") }
        sources[0].userAgent = "HarborBot-Allowed/1.0"
        let results = try await Crawler(settings: localSettings(), registry: harborRegistry).crawl(sources, store: scratch.store, force: true)
        await server.shutdown()
        #expect(results.allSatisfy { $0.outcome == .fetched })
        #expect(server.maximumConcurrentRequests <= 2)
        #expect(try await scratch.store.articleCount() == 6)
        let agents = Dictionary(server.receivedRequests.map { ($0.path, $0.header("User-Agent") ?? "") }, uniquingKeysWith: { a, _ in a })
        #expect(agents["/f1"] == "HarborBot-Allowed/1.0")
        #expect(agents["/f2"] == CrawlSettings().userAgent)
        #expect(CrawlSettings().userAgent.hasPrefix("parallax/\(ParallaxVersion.current) (+https://"))
    }

    @Test(arguments: StateBackend.available) func theGuardRefusesInternalAddressesBeforeAnyRequest(_ backend: StateBackend) async throws {
        let scratch = try await CrawlScratch(backend)
        let inside = try await TestHTTPServer(host: "127.0.0.2") { _ in rss(feed(["secret"])) }
        let outside = try await TestHTTPServer { _ in .init(status: 302, headers: [("Location", inside.baseURL + "/metadata")]) }
        // The guard is on; only 127.0.0.1 stands in for a public address.
        let guarded = localSettings { $0.addressGuard = AddressGuard(allowPrivateNetworks: false, exceptions: ["127.0.0.1"]) }
        let viaRedirect = FeedSource(url: outside.baseURL + "/feed.xml", outletID: "harbor")
        let direct = FeedSource(url: inside.baseURL + "/feed.xml", outletID: "harbor")
        let metadata = FeedSource(url: "http://169.254.169.254/latest/meta-data/", outletID: "harbor")
        let results = try await Crawler(settings: guarded, registry: harborRegistry)
            .crawl([viaRedirect, direct, metadata], store: scratch.store, force: true)
        await inside.shutdown()
        await outside.shutdown()
        #expect(results[0].error == .forbiddenAddress(host: "127.0.0.2", address: "127.0.0.2"))
        #expect(results[1].error == .forbiddenAddress(host: "127.0.0.2", address: "127.0.0.2"))
        #expect(results[2].error == .forbiddenAddress(host: "169.254.169.254", address: "169.254.169.254"))
        #expect(outside.receivedRequests.count == 1)
        #expect(inside.receivedRequests.isEmpty, "nothing reached the internal server")
        #expect(try await scratch.state(viaRedirect.url).lastError?.contains("internal address") == true)
        #expect(try await scratch.store.articleCount() == 0)
    }

    @Test(arguments: StateBackend.available) func anHTMLPageInsteadOfAFeedSuggestsTheFeedItLinksTo(_ backend: StateBackend) async throws {
        let scratch = try await CrawlScratch(backend)
        let page = """
            <!DOCTYPE html><html><head><title>The Harbor Ledger</title>
            <link rel="stylesheet" href="/style.css">
            <link rel="alternate" type="application/rss+xml" title="Harbor headlines" href="/rss/headlines.xml">
            </head><body><h1>Home</h1></body></html>
            """
        let server = try await TestHTTPServer { request in
            switch request.path {
            case "/rss/headlines.xml": rss(feed(["found"]))
            case "/robots.txt": .init(status: 404)
            default: .init(status: 200, contentType: "text/html; charset=utf-8", body: page)
            }
        }
        let homepage = FeedSource(url: server.baseURL + "/", outletID: "harbor")
        let crawler = Crawler(settings: localSettings(), registry: harborRegistry)
        let results = try await crawler.crawl([homepage], store: scratch.store, force: true)
        #expect(results.first?.error == .htmlInsteadOfFeed(suggestions: [server.baseURL + "/rss/headlines.xml"]))
        #expect(try await scratch.state(homepage.url).lastError?.contains("it links to the feed \(server.baseURL)/rss/headlines.xml") == true)
        #expect(server.receivedRequests.map(\.path) == ["/"], "the suggestion comes from the page in hand")

        let discovered = try await crawler.discover(server.baseURL + "/")
        #expect(discovered == [DiscoveredFeed(url: server.baseURL + "/rss/headlines.xml", title: "Harbor headlines", type: "application/rss+xml")])
        let itself = try await crawler.discover(server.baseURL + "/rss/headlines.xml")
        await server.shutdown()
        #expect(itself.map(\.url) == [server.baseURL + "/rss/headlines.xml"])
        #expect(try await scratch.store.articleCount() == 0)
    }

    @Test(arguments: StateBackend.available) func anHTMLRulesPageIsFetchedOnlyWhereRobotsAllow(_ backend: StateBackend) async throws {
        let scratch = try await CrawlScratch(backend)
        let page = """
            <html><body><ul>
            <li><a href="https://harbor.example/ferry">Ferry strike ends</a></li>
            <li><a href="https://harbor.example/tide">Record tide expected</a></li>
            </ul></body></html>
            """
        let server = try await TestHTTPServer { request in
            switch request.path {
            case "/robots.txt": .init(status: 200, contentType: "text/plain", body: "User-agent: *\nDisallow: /members/\n")
            default: .init(status: 200, contentType: "text/html", body: page)
            }
        }
        let rules = ExtractionRules(item: "//li", title: "string(./a)", link: "./a/@href")
        let open = FeedSource(url: server.baseURL + "/headlines", kind: .htmlRules, rules: rules)
        let closed = FeedSource(url: server.baseURL + "/members/headlines", kind: .htmlRules, rules: rules)
        let results = try await Crawler(settings: localSettings(), registry: harborRegistry).crawl([open, closed], store: scratch.store, force: true)
        await server.shutdown()
        #expect(results[0].outcome == .fetched)
        #expect(results[1].error == .disallowedByRobots(closed.url))
        #expect(try await scratch.store.articleCount() == 2)
        #expect(try await scratch.state(closed.url).lastError == "robots.txt disallows \(closed.url)")
        #expect(!server.receivedRequests.contains { $0.path == "/members/headlines" })
        #expect(server.receivedRequests.filter { $0.path == "/robots.txt" }.count == 1, "read once per host")
    }

    @Test(arguments: StateBackend.available) func requestsGoThroughTheConfiguredProxyUnlessNoProxySaysOtherwise(_ backend: StateBackend) async throws {
        let scratch = try await CrawlScratch(backend)
        // AsyncHTTPClient tunnels through a proxy with CONNECT; this proxy refuses every tunnel,
        // which is enough to see that the request went to it and not to the network.
        let proxy = try await TestHTTPServer { _ in .init(status: 403) }
        let viaProxy = localSettings {
            $0.addressGuard = AddressGuard(allowPrivateNetworks: false)
            $0.proxies = .fromEnvironment(["HTTP_PROXY": proxy.baseURL, "NO_PROXY": "direct.invalid"])
            $0.totalTimeout = 1
        }
        let proxied = FeedSource(url: "http://news.invalid/rss.xml", outletID: "harbor")
        let direct = FeedSource(url: "http://direct.invalid/rss.xml", outletID: "harbor")
        let internalLiteral = FeedSource(url: "http://10.0.0.1/rss.xml", outletID: "harbor")
        let results = try await Crawler(settings: viaProxy, registry: harborRegistry)
            .crawl([proxied, direct, internalLiteral], store: scratch.store, force: true)
        await proxy.shutdown()
        let tunnel = try #require(proxy.receivedRequests.first)
        #expect(tunnel.method == "CONNECT" && tunnel.path == "news.invalid:80", "the name is left to the proxy to resolve")
        #expect(proxy.receivedRequests.allSatisfy { $0.path == "news.invalid:80" })
        #expect(results[0].outcome == .failed)
        #expect(try await scratch.state(proxied.url).consecutiveErrors == 1)
        #expect(results[1].error == .transport("cannot resolve direct.invalid"), "NO_PROXY: resolved here, and .invalid never resolves")
        #expect(results[2].error == .forbiddenAddress(host: "10.0.0.1", address: "10.0.0.1"), "an address in the URL is checked even via a proxy")
    }
}
