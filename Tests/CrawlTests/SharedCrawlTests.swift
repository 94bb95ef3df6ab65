import Crawl
import Feeds
import Foundation
import PostgresStore
import Store
import Synchronization
import TestHTTPServer
import Testing
import TestStates

/// One crawl worker in a test: a store connection of its own and its coordination, as a worker
/// process on another machine would have.
private struct Worker: Sendable {
    let store: PostgresStore
    let coordination: PostgresCrawlCoordination

    init(_ state: TestState, feeds: [FeedSource]) async throws {
        store = try #require(try await state.open() as? PostgresStore)
        coordination = try await PostgresCrawlCoordination.open(store: store, feeds: feeds, worker: PostgresCrawlCoordination.workerName())
    }

    /// Claims one feed, for the slot requests that renew its lease.
    func claimOne() async throws -> String {
        try #require(try await coordination.claimDueFeeds(limit: 1, forcedSince: nil, now: Date(), lease: 3600).first).url
    }

    func close() async {
        await coordination.close()
        await store.close()
    }
}

private func feeds(_ count: Int, base: String = "https://news.example") -> [FeedSource] {
    (0..<count).map { FeedSource(url: "\(base)/feed-\($0).xml", outletID: "harbor") }
}

/// Requests to one host held at once, as the test's workers see them.
private final class Holders: Sendable {
    let counts = Mutex((now: 0, most: 0, grants: 0))
}

@Suite("Crawl workers sharing a PostgreSQL state: leases and host slots")
struct SharedCrawlTests {
    @Test(.enabled(if: StateBackend.available.contains(.postgresql))) func concurrentClaimsNeverOverlapAndCoverEveryFeed() async throws {
        let state = try await TestState(.postgresql)
        let configured = feeds(60)
        var workers: [Worker] = []
        for _ in 0..<3 { workers.append(try await Worker(state, feeds: configured)) }
        // Each worker claims in small batches, all at once, until nothing is left.
        let claims = try await withThrowingTaskGroup(of: [String].self) { group in
            for worker in workers {
                group.addTask {
                    var mine: [String] = []
                    while true {
                        let batch = try await worker.coordination.claimDueFeeds(limit: 4, forcedSince: nil, now: Date(), lease: 3600)
                        if batch.isEmpty { return mine }
                        mine += batch.map(\.url)
                    }
                }
            }
            var all: [[String]] = []
            for try await mine in group { all.append(mine) }
            return all
        }
        let everything = claims.flatMap { $0 }
        #expect(everything.count == configured.count, "a feed was claimed twice or not at all")
        #expect(Set(everything) == Set(configured.map(\.url)))
        // Leased feeds are not claimed again while their lease runs, not even with force.
        #expect(try await workers[0].coordination.claimDueFeeds(limit: 100, forcedSince: Date(), now: Date(), lease: 3600).isEmpty)
        for worker in workers { await worker.close() }
    }

    @Test(.enabled(if: StateBackend.available.contains(.postgresql))) func anExpiredLeaseIsClaimedAgainAndAStoredFeedWaitsForItsInterval() async throws {
        let state = try await TestState(.postgresql)
        let configured = feeds(2)
        let dead = try await Worker(state, feeds: configured)
        let alive = try await Worker(state, feeds: configured)
        // The dead worker's lease is already over (a lease of -1 s): its feeds are free again.
        let lost = try await dead.coordination.claimDueFeeds(limit: 1, forcedSince: nil, now: Date(), lease: -1)
        #expect(lost.count == 1)
        let kept = try await alive.coordination.claimDueFeeds(limit: 10, forcedSince: nil, now: Date(), lease: 3600)
        #expect(Set(kept.map(\.url)) == Set(configured.map(\.url)), "the expired lease's feed was not claimed again")
        // The dead worker, were it only slow, may no longer fetch the feed: its lease is another's.
        let late = try await dead.coordination.acquireHostSlot(host: "news.example", perHost: 2, spacing: 0, hold: 60, feed: lost[0].url, lease: 3600)
        #expect(late == .leaseLost)
        // Storing a fetch ends the lease and schedules the next poll: nobody claims it before then.
        let now = Date()
        var fetched = FeedState(url: configured[0].url)
        fetched.lastAttemptAt = now
        fetched.nextPollAt = now.addingTimeInterval(30 * 60)
        try await alive.store.recordFetch(of: configured[0], state: fetched, articles: [])
        try await alive.coordination.releaseLeases([configured[1].url])
        let again = try await dead.coordination.claimDueFeeds(limit: 10, forcedSince: nil, now: now.addingTimeInterval(60), lease: 3600)
        #expect(again.map(\.url) == [configured[1].url])
        let stored = try #require(again.first?.state)
        #expect(stored.url == configured[1].url)
        let due = try await alive.coordination.claimDueFeeds(limit: 10, forcedSince: nil, now: now.addingTimeInterval(31 * 60), lease: 3600)
        #expect(due.map(\.url) == [configured[0].url], "a stored feed was not due again after its interval")
        #expect(due.first?.state?.lastAttemptAt != nil)
        await dead.close()
        await alive.close()
    }

    @Test(.enabled(if: StateBackend.available.contains(.postgresql))) func hostSlotsNeverExceedTheLimitAcrossWorkers() async throws {
        let state = try await TestState(.postgresql)
        var workers: [Worker] = []
        for _ in 0..<3 { workers.append(try await Worker(state, feeds: feeds(3))) }
        var claimed: [String] = []
        for worker in workers { claimed.append(try await worker.claimOne()) }
        let holders = Holders()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for (worker, feed) in zip(workers, claimed) {
                for _ in 0..<3 {
                    group.addTask {
                        var done = 0
                        while done < 6 {
                            switch try await worker.coordination.acquireHostSlot(host: "busy.example", perHost: 2, spacing: 0, hold: 3600, feed: feed, lease: 3600) {
                            case .granted(let slot, _):
                                holders.counts.withLock { $0.now += 1; $0.most = max($0.most, $0.now); $0.grants += 1 }
                                try await Task.sleep(for: .milliseconds(5))
                                holders.counts.withLock { $0.now -= 1 }
                                try await worker.coordination.releaseHostSlot(host: "busy.example", slot: slot, pause: nil)
                                done += 1
                            case .busy:
                                await Task.yield()
                            case .paused, .leaseLost:
                                Issue.record("the host is not paused and the lease is the worker's")
                                return
                            }
                        }
                    }
                }
            }
            try await group.waitForAll()
        }
        let counts = holders.counts.withLock { $0 }
        #expect(counts.grants == 3 * 3 * 6)
        #expect(counts.most <= 2, "\(counts.most) requests to one host at once")
        for worker in workers { await worker.close() }
    }

    @Test(.enabled(if: StateBackend.available.contains(.postgresql))) func grantsAreSpacedADeadWorkersSlotFreesAndAPauseHoldsForEveryWorker() async throws {
        let state = try await TestState(.postgresql)
        let first = try await Worker(state, feeds: feeds(2))
        let second = try await Worker(state, feeds: feeds(2))
        let firstFeed = try await first.claimOne()
        let secondFeed = try await second.claimOne()
        let hour: TimeInterval = 3600
        // Spacing of an hour: each grant starts an hour (and the slack) after the one before,
        // whichever worker asks, so the waits say the spacing without the test waiting. The first
        // slot is taken with a hold already over, as a worker that died holding it.
        guard case .granted(let a, let waitA) = try await first.coordination.acquireHostSlot(host: "spaced.example", perHost: 2, spacing: hour, hold: -hour, feed: firstFeed, lease: 3600)
        else { Issue.record("no first grant"); return }
        #expect(waitA < hour / 2)
        guard case .granted(let b, let waitB) = try await second.coordination.acquireHostSlot(host: "spaced.example", perHost: 2, spacing: hour, hold: 10 * hour, feed: secondFeed, lease: 3600)
        else { Issue.record("no second grant"); return }
        #expect(b == a, "a dead worker's slot stayed taken")
        #expect(waitB >= hour + HostSlotGrant.slack - 60)
        guard case .granted(let c, let waitC) = try await second.coordination.acquireHostSlot(host: "spaced.example", perHost: 2, spacing: hour, hold: 10 * hour, feed: secondFeed, lease: 3600)
        else { Issue.record("no third grant"); return }
        #expect(c != b)
        #expect(waitC >= 2 * (hour + HostSlotGrant.slack) - 60)
        // Both slots are held now.
        #expect(try await first.coordination.acquireHostSlot(host: "spaced.example", perHost: 2, spacing: hour, hold: hour, feed: firstFeed, lease: 3600) == .busy(retryAfter: 0.25))
        // A Retry-After one worker was told pauses the host for all, from the moment its slot is given back.
        let until = Date().addingTimeInterval(hour)
        guard case .granted(let pausedSlot, _) = try await first.coordination.acquireHostSlot(
            host: "paused.example", perHost: 2, spacing: 0, hold: hour, feed: firstFeed, lease: 3600)
        else { Issue.record("no grant on a fresh host"); return }
        #expect(try await second.coordination.hostPausedUntil("paused.example") == nil)
        try await first.coordination.releaseHostSlot(host: "paused.example", slot: pausedSlot, pause: (until, "HTTP 429, Retry-After: 3600"))
        #expect(try await second.coordination.hostPausedUntil("paused.example") != nil)
        let paused = try await second.coordination.acquireHostSlot(host: "paused.example", perHost: 2, spacing: 0, hold: hour, feed: secondFeed, lease: 3600)
        guard case .paused(let pausedUntil) = paused else { Issue.record("the pause did not hold: \(paused)"); return }
        #expect(abs(pausedUntil.timeIntervalSince(until)) < 1)
        await first.close()
        await second.close()
    }

    @Test(.enabled(if: StateBackend.available.contains(.postgresql)), .timeLimit(.minutes(1)))
    func twoWorkersCrawlEveryFeedOnceAndNeverOverloadTheHost() async throws {
        let state = try await TestState(.postgresql)
        let server = try await TestHTTPServer { request in
            let slug = request.path.split(separator: "/").last.map(String.init) ?? "x"
            let body = "<rss version=\"2.0\"><channel><title>Harbor</title><item><title>Story \(slug)</title><link>https://harbor.example/\(slug)</link></item></channel></rss>"
            return .init(status: 200, headers: [("Content-Type", "application/rss+xml")], body: Data(body.utf8), delay: .milliseconds(40))
        }
        let configured = feeds(16, base: server.baseURL)
        let settings = localSettings { $0.perHostConcurrency = 2; $0.concurrency = 8 }
        let crawler = Crawler(settings: settings, registry: harborRegistry)
        var workers: [Worker] = []
        for _ in 0..<2 { workers.append(try await Worker(state, feeds: configured)) }
        /// Every worker crawls at once; their results together.
        func crawlTogether(force: Bool) async throws -> [FeedResult] {
            try await withThrowingTaskGroup(of: [FeedResult].self) { group in
                for worker in workers {
                    group.addTask { try await crawler.crawl(configured, store: worker.store, coordination: worker.coordination, force: force) }
                }
                var all: [FeedResult] = []
                for try await some in group { all += some }
                return all
            }
        }
        let results = try await crawlTogether(force: false)
        #expect(results.count == configured.count)
        #expect(Set(results.map(\.source.url)) == Set(configured.map(\.url)))
        #expect(results.allSatisfy { $0.outcome == .fetched })
        let paths = server.receivedRequests.map(\.path)
        #expect(paths.count == configured.count, "some feed was fetched twice: \(paths.sorted())")
        #expect(server.maximumConcurrentRequests <= 2, "\(server.maximumConcurrentRequests) requests at once to one host")
        #expect(try await workers[0].store.articleCount() == configured.count)
        // Every lease ended with its fetch's transaction; nothing is due now.
        let leases = try await workers[0].store.crawlLeases()
        #expect(leases.live.isEmpty && leases.expired == 0 && leases.slotsHeld == 0)
        let again = try await crawler.crawl(configured, store: workers[1].store, coordination: workers[1].coordination, force: false)
        #expect(again.isEmpty)
        #expect(server.receivedRequests.count == configured.count)
        // `--all` on both workers: every feed once more, then both crawls end (a feed this crawl
        // already fetched is not claimed again, though it is not leased any more).
        let forced = try await crawlTogether(force: true)
        #expect(forced.count == configured.count)
        #expect(Set(forced.map(\.source.url)) == Set(configured.map(\.url)))
        #expect(server.receivedRequests.count == 2 * configured.count, "a forced crawl fetched some feed twice or missed one")
        for worker in workers { await worker.close() }
        await server.shutdown()
    }
}
