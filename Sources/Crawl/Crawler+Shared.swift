import Feeds
import Foundation
import Store

extension Crawler {
    /// Crawls as one of several workers sharing a server store: due feeds are claimed in small
    /// batches (each leased to this worker until it stores its result), and every request first
    /// takes one of its host's slots through `coordination`, so the per-host limit, the spacing
    /// and `Retry-After` pauses hold across all workers together. Results are stored as in
    /// `crawl(_:store:force:)`; the lease of a stored feed ends with the transaction that stores it.
    /// - Returns: the results of the feeds this worker fetched (or deferred), in the order they finished.
    public func crawl(
        _ feeds: [FeedSource], store: any StateStore, coordination: any CrawlCoordination, force: Bool,
        now: @escaping @Sendable () -> Date = Date.init, progress: (_ done: Int, _ total: Int) -> Void = { _, _ in }
    ) async throws -> [FeedResult] {
        var sources: [String: FeedSource] = [:]
        for feed in feeds where sources[feed.url] == nil { sources[feed.url] = feed }
        // A forced crawl takes each feed once: those tried since it began are not claimed again
        // (to the millisecond, as attempt times are stored).
        let started = Date(timeIntervalSince1970: (now().timeIntervalSince1970 * 1000).rounded(.down) / 1000)
        let concurrency = max(1, settings.concurrency)
        let fetcher = HTTPFetcher(settings: settings)
        var queue: [Claimed] = []
        var exhausted = false
        var results: [FeedResult] = []
        var pending: [FeedResult] = []
        var claimedCount = 0
        func flush() async throws {
            guard !pending.isEmpty else { return }
            let counts = try await store.recordFetches(pending.map { FeedFetch(source: $0.source, state: $0.state, articles: $0.articles) })
            for (var result, new) in zip(pending, counts) {
                result.newArticleCount = new.count
                results.append(result)
            }
            pending.removeAll(keepingCapacity: true)
        }
        do {
            try await withThrowingTaskGroup(of: FeedResult?.self) { group in
                var running = 0
                func fill() async throws {
                    while running < concurrency {
                        if queue.isEmpty && !exhausted {
                            let claimed = try await coordination.claimDueFeeds(
                                limit: concurrency * 2, forcedSince: force ? started : nil, now: now(), lease: settings.leaseDuration)
                            let at = ContinuousClock.now
                            queue = Self.interleavedByHost(claimed.compactMap { claim in
                                sources[claim.url].map { Claimed(source: $0, state: claim.state ?? FeedState(url: $0.url), claimedAt: at) }
                            })
                            claimedCount += queue.count
                            exhausted = claimed.isEmpty
                        }
                        guard !queue.isEmpty else { return }
                        let next = queue.removeFirst()
                        running += 1
                        group.addTask { try await self.readSharing(next, coordination: coordination, fetcher: fetcher, now: now) }
                    }
                }
                try await fill()
                while let finished = try await group.next() {
                    running -= 1
                    try await fill()
                    guard let result = finished else { continue }
                    progress(results.count + pending.count + 1, claimedCount)
                    // (A host's pause was stored as its slot was given back.)
                    pending.append(result)
                    if pending.count >= Self.resultsPerTransaction { try await flush() }
                }
            }
            try await flush()
        } catch {
            // Feeds claimed but not started go back at once; those in flight wait for their lease.
            try? await coordination.releaseLeases(queue.map(\.source.url))
            await fetcher.shutdown()
            throw error
        }
        await fetcher.shutdown()
        return results
    }

    struct Claimed: Sendable {
        var source: FeedSource
        var state: FeedState
        var claimedAt: ContinuousClock.Instant
    }

    /// A batch in host turns (a, b, c, a, b, …), so that the first requests go to different hosts.
    static func interleavedByHost(_ claims: [Claimed]) -> [Claimed] {
        var byHost: [String: [Claimed]] = [:]
        var order: [String] = []
        for claim in claims {
            let host = hostKey(of: claim.state.effectiveURL)
            if byHost[host] == nil { order.append(host) }
            byHost[host, default: []].append(claim)
        }
        var interleaved: [Claimed] = []
        var round = 0
        while interleaved.count < claims.count {
            for host in order where round < byHost[host]!.count { interleaved.append(byHost[host]![round]) }
            round += 1
        }
        return interleaved
    }

    /// Fetches one claimed feed once its host grants a slot; nil when the lease ran too short
    /// to fetch it safely (its lease is given back, and some worker claims it again) or was lost.
    private func readSharing(
        _ claimed: Claimed, coordination: any CrawlCoordination, fetcher: HTTPFetcher, now: @Sendable () -> Date
    ) async throws -> FeedResult? {
        let host = Self.hostKey(of: claimed.state.effectiveURL)
        if host.isEmpty { return await read(claimed.source, state: claimed.state, fetcher: fetcher, now: now()) }
        // A slot is held for the whole exchange; one not given back this long after its start
        // belongs to a dead worker.
        let hold = settings.totalTimeout + 10
        while true {
            // Past this, the lease might end while the request is out and another worker fetch it too.
            guard ContinuousClock.now - claimed.claimedAt < .seconds(max(0, settings.leaseDuration - hold)) else {
                try await coordination.releaseLeases([claimed.source.url])
                return nil
            }
            switch try await coordination.acquireHostSlot(
                host: host, perHost: settings.perHostConcurrency, spacing: settings.hostSpacing, hold: hold, feed: claimed.source.url,
                lease: settings.leaseDuration)
            {
            case .leaseLost:
                return nil
            case .paused(let until):
                return deferred(claimed.source, state: claimed.state, until: until, now: now())
            case .busy(let retryAfter):
                try await Task.sleep(for: .milliseconds(Int(retryAfter * 1000)))
            case .granted(let slot, let wait):
                let granted = ContinuousClock.now
                if wait > 0 { try await Task.sleep(for: .milliseconds(Int((wait * 1000).rounded(.up)))) }
                // While this worker waited, the request before it may have been told to pause the host.
                if wait > 0, let until = try await coordination.hostPausedUntil(host) {
                    try await coordination.releaseHostSlot(host: host, slot: slot, pause: nil)
                    return deferred(claimed.source, state: claimed.state, until: until, now: now())
                }
                // Too late for the grant: the next grant of this host may start too soon after this
                // request. Checked last, so that no database round trip lies between it and the request.
                if ContinuousClock.now - granted > .milliseconds(Int((wait + HostSlotGrant.lateness) * 1000)) {
                    try await coordination.releaseHostSlot(host: host, slot: slot, pause: nil)
                    continue
                }
                let result = await read(claimed.source, state: claimed.state, fetcher: fetcher, now: now())
                // The pause's host is the one that answered (after redirects), the slot's the one asked.
                if let pause = result.hostPause, pause.host != host {
                    try await coordination.releaseHostSlot(host: pause.host, slot: -1, pause: (pause.until, pause.reason))
                }
                try await coordination.releaseHostSlot(
                    host: host, slot: slot, pause: result.hostPause.flatMap { $0.host == host ? ($0.until, $0.reason) : nil })
                return result
            }
        }
    }
}
