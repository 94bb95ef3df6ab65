import Foundation

/// Decides which queued feed starts next so that no host sees more than
/// `perHostConcurrency` requests at once, or two request starts closer than `hostSpacing`,
/// while the global slots go to hosts that can take a request now. Hosts are served in turn,
/// so one host with many feeds cannot starve the others.
struct HostDispatcher {
    struct Start {
        var index: Int
        /// When to send the request (spacing); at or before now means at once.
        var startAt: Date
        /// Set when the host is paused: the feed is deferred, not started.
        var pausedUntil: Date?
    }

    private let perHost: Int
    private let spacing: TimeInterval
    private var queues: [String: [Int]] = [:]
    private var order: [String] = []
    private var cursor = 0
    private var active: [String: Int] = [:]
    private var nextStart: [String: Date] = [:]
    private var pausedUntil: [String: Date]
    private var hostOf: [Int: String] = [:]

    init(settings: CrawlSettings, pauses: [String: Date]) {
        perHost = max(1, settings.perHostConcurrency)
        spacing = max(0, settings.hostSpacing)
        pausedUntil = pauses
    }

    /// `host` "" (local files) has no per-host limit.
    mutating func enqueue(_ index: Int, host: String) {
        if queues[host] == nil { order.append(host) }
        queues[host, default: []].append(index)
        hostOf[index] = host
    }

    mutating func next(now: Date) -> Start? {
        guard !order.isEmpty else { return nil }
        // First choice: a host with a free slot that may be contacted right now; else the
        // free host whose spacing ends soonest.
        var best: (position: Int, host: String, at: Date)?
        for offset in 0..<order.count {
            let position = (cursor + offset) % order.count
            let host = order[position]
            guard let queue = queues[host], !queue.isEmpty else { continue }
            if let until = pausedUntil[host], until > now {
                return take(position: position, host: host, start: Start(index: queue[0], startAt: now, pausedUntil: until))
            }
            guard host.isEmpty || active[host, default: 0] < perHost else { continue }
            let at = host.isEmpty ? now : max(now, nextStart[host] ?? now)
            if at <= now {
                best = (position, host, at)
                break
            }
            if best == nil || at < best!.at { best = (position, host, at) }
        }
        guard let best, let index = queues[best.host]?.first else { return nil }
        active[best.host, default: 0] += 1
        if !best.host.isEmpty { nextStart[best.host] = best.at.addingTimeInterval(spacing) }
        return take(position: best.position, host: best.host, start: Start(index: index, startAt: best.at, pausedUntil: nil))
    }

    private mutating func take(position: Int, host: String, start: Start) -> Start {
        queues[host]?.removeFirst()
        cursor = (position + 1) % order.count
        return start
    }

    mutating func finished(_ index: Int, pause: HostPause?) {
        guard let host = hostOf[index] else { return }
        active[host, default: 1] -= 1
        if let pause {
            pausedUntil[pause.host] = max(pausedUntil[pause.host] ?? pause.until, pause.until)
        }
    }
}
