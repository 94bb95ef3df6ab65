@testable import Crawl
import Foundation
import NIOHTTP1
import Testing

@Suite("Scheduling: host dispatch and poll policy")
struct SchedulingTests {
    private let now = Date(timeIntervalSince1970: 1_795_003_200)

    @Test func hostsTakeTurnsWithinTheirLimitAndSpacing() {
        var settings = CrawlSettings()
        settings.perHostConcurrency = 2
        settings.hostSpacing = 0.5
        var dispatcher = HostDispatcher(settings: settings, pauses: ["paused.example": now.addingTimeInterval(60)])
        for (index, host) in ["a.example", "a.example", "a.example", "b.example", "paused.example", ""].enumerated() {
            dispatcher.enqueue(index, host: host)
        }
        var starts: [(Int, TimeInterval, Bool)] = []
        while let start = dispatcher.next(now: now) {
            starts.append((start.index, start.startAt.timeIntervalSince(now), start.pausedUntil != nil))
        }
        // a.example gets its 2 slots, the second spaced 0.5 s after the first; b, the paused
        // host (deferred, not started) and local files are served in turn; a's third feed waits.
        #expect(starts.map(\.0) == [0, 3, 4, 5, 1])
        #expect(starts.first { $0.0 == 1 }?.1 == 0.5)
        #expect(starts.first { $0.0 == 4 }?.2 == true)
        dispatcher.finished(0, pause: nil)
        let third = dispatcher.next(now: now)
        #expect(third?.index == 2)
        #expect(third?.startAt == now.addingTimeInterval(1.0))
    }

    @Test func theNextPollIsTheLongestHintClamped() {
        var policy = PollPolicy()
        policy.adaptToPublishing = true
        let daily = (0..<5).map { now.addingTimeInterval(-Double($0) * 86400) }
        #expect(policy.nextPoll(after: now, headers: nil, timeToLiveMinutes: nil, itemDates: daily) == now.addingTimeInterval(12 * 3600),
                "a feed publishing daily is polled every 12 h")
        let busy = (0..<10).map { now.addingTimeInterval(-Double($0) * 60) }
        #expect(policy.nextPoll(after: now, headers: nil, timeToLiveMinutes: nil, itemDates: busy) == now.addingTimeInterval(30 * 60))
        let noCache = HTTPHeaders([("Cache-Control", "max-age=0")])
        policy.baseInterval = 60
        #expect(policy.nextPoll(after: now, headers: noCache, timeToLiveMinutes: nil, itemDates: []) == now.addingTimeInterval(5 * 60),
                "never more often than every 5 min")
    }

    @Test func retryAfterInSecondsOrAsADateAndItsBounds() {
        let policy = PollPolicy()
        #expect(policy.hostPause(retryAfter: "120", now: now) == 120)
        #expect(policy.hostPause(retryAfter: "Wed, 18 Nov 2026 12:30:00 GMT", now: now) == 1800)
        #expect(policy.hostPause(retryAfter: "Wed, 18 Nov 2026 11:00:00 GMT", now: now) == 0, "a date in the past means now")
        #expect(policy.hostPause(retryAfter: "soon", now: now) == 15 * 60)
        #expect(policy.hostPause(retryAfter: nil, now: now) == 15 * 60)
        #expect(policy.hostPause(retryAfter: "9999999", now: now) == 24 * 3600)
    }
}
