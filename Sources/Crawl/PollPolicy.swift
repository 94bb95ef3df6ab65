import Feeds
import Foundation
import NIOHTTP1
import Store

/// When to poll a feed again and when to give up on it. Pure: a previous state and what one
/// fetch gave in, the next state out.
public struct PollPolicy: Sendable {
    /// The interval when the feed and its server say nothing longer.
    public var baseInterval: TimeInterval = 30 * 60
    public var minimumInterval: TimeInterval = 5 * 60
    public var maximumInterval: TimeInterval = 24 * 3600
    /// The first wait after a failure; each further failure doubles it, up to `maximumInterval`.
    public var firstBackoff: TimeInterval = 15 * 60
    /// A feed that has failed without a break for this long is parked.
    public var parkAfterFailingFor: TimeInterval = 7 * 24 * 3600
    /// How many fetches in a row must see the same 301/308 target before it replaces the
    /// stored feed URL: one redirect may be a publisher's mistake, three across three polls
    /// (at least minutes apart) is a move.
    public var permanentRedirectConfirmations = 3
    /// Poll feeds that publish rarely less often: the interval grows to half the mean gap
    /// between their newest items.
    public var adaptToPublishing = true
    /// When a 429 or 503 has no usable Retry-After, the host is paused this long.
    public var defaultHostPause: TimeInterval = 15 * 60
    /// The longest pause a Retry-After can ask for.
    public var maximumHostPause: TimeInterval = 24 * 3600

    public init() {}

    /// The next poll after a successful fetch (200 or 304): the longest of the base interval,
    /// the feed's `<ttl>`, `Cache-Control: max-age`, `Expires` and the publishing rhythm,
    /// clamped to `minimumInterval ... maximumInterval`.
    func nextPoll(after now: Date, headers: HTTPHeaders?, timeToLiveMinutes: Int?, itemDates: [Date]) -> Date {
        var interval = baseInterval
        if let ttl = timeToLiveMinutes, ttl > 0 { interval = max(interval, TimeInterval(ttl) * 60) }
        if let headers {
            if let maxAge = Self.maxAge(headers) { interval = max(interval, maxAge) }
            if let expires = headers.first(name: "Expires").flatMap(Self.httpDate) {
                interval = max(interval, expires.timeIntervalSince(now))
            }
        }
        if adaptToPublishing, let gap = Self.meanGap(itemDates) { interval = max(interval, gap / 2) }
        return now.addingTimeInterval(min(max(interval, minimumInterval), maximumInterval))
    }

    /// Exponential backoff: `firstBackoff × 2^(failures − 1)`, capped at `maximumInterval`.
    func backoff(consecutiveErrors: Int) -> TimeInterval {
        let exponent = Double(max(0, min(consecutiveErrors - 1, 30)))
        return min(firstBackoff * pow(2, exponent), maximumInterval)
    }

    /// How long a 429/503 asks the whole host to wait: `Retry-After` in seconds or as an
    /// HTTP date, else the default pause; never more than `maximumHostPause`.
    func hostPause(retryAfter: String?, now: Date) -> TimeInterval {
        var pause = defaultHostPause
        if let value = retryAfter?.trimmingCharacters(in: .whitespaces) {
            if let seconds = Int(value), seconds >= 0 {
                pause = TimeInterval(seconds)
            } else if let date = Self.httpDate(value) {
                pause = max(0, date.timeIntervalSince(now))
            }
        }
        return min(pause, maximumHostPause)
    }

    static func maxAge(_ headers: HTTPHeaders) -> TimeInterval? {
        for directive in headers[canonicalForm: "Cache-Control"] {
            let parts = directive.split(separator: "=", maxSplits: 1)
            if parts.count == 2, parts[0].trimmingCharacters(in: .whitespaces).lowercased() == "max-age",
                let seconds = Int(parts[1].trimmingCharacters(in: CharacterSet(charactersIn: " \"")))
            {
                return TimeInterval(seconds)
            }
        }
        return nil
    }

    /// An HTTP date: IMF-fixdate (`Sun, 06 Nov 1994 08:49:37 GMT`) is RFC 1123, which the feed
    /// date parser already reads.
    static func httpDate(_ text: String) -> Date? {
        FeedDate.parse(text)
    }

    private static func meanGap(_ dates: [Date]) -> TimeInterval? {
        let newest = dates.sorted(by: >).prefix(10)
        guard newest.count >= 3, let first = newest.first, let last = newest.last else { return nil }
        return first.timeIntervalSince(last) / Double(newest.count - 1)
    }
}
