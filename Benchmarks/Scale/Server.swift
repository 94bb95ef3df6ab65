import Foundation
import Synchronization
import TestHTTPServer

/// The feed server of the simulation, run in a child process (`bench-scale --serve`) so that the
/// driver's and Parallax's CPU are not mixed with it. Every source has one RSS feed on one of
/// `hosts` loopback addresses (127.20.0.1, …: distinct hosts to the crawler), holding the
/// source's items of the 48 hours before the simulated time, newest 50 at most, with an ETag
/// that changes only when the items do. The driver moves the simulated time: a line
/// `at SECONDS` on standard input (seconds after the world's origin), answered `ok`.
enum FeedServer {
    static let port = 18_480
    static let window: Int32 = 48 * 3600
    static let itemsPerFeed = 50

    static func address(host: Int) -> String { "127.20.\(host / 250).\(host % 250 + 1)" }

    static func feedURL(source: Int, hosts: Int) -> String { "http://\(address(host: source % hosts)):\(port)/feed/\(source).xml" }

    static func serve(world: World, hosts: Int, latency: Duration) async throws {
        let now = Mutex<Int32>(Int32(world.parameters.historyEnd.timeIntervalSince(world.parameters.origin)))
        var servers: [TestHTTPServer] = []
        for host in 0..<hosts {
            servers.append(try await TestHTTPServer(host: address(host: host), port: port, recordsRequests: false) { request in
                let name = request.path.split(separator: "/").last ?? ""
                guard request.path.hasPrefix("/feed/"), let source = Int(name.dropLast(4)), source >= 0, source < world.parameters.sources else {
                    return .init(status: 404, contentType: "text/plain", body: "no such feed\n")
                }
                let items = Self.items(world: world, source: source, now: now.withLock { $0 })
                let tag = "\"\(source)-\(items.first ?? -1)-\(items.last ?? -1)\""
                if request.header("If-None-Match") == tag {
                    return .init(status: 304, headers: [("ETag", tag)], delay: latency)
                }
                return .init(
                    headers: [("Content-Type", "application/rss+xml; charset=utf-8"), ("ETag", tag)],
                    body: Data(body(world: world, source: source, items: items).utf8), delay: latency)
            })
        }
        FileHandle.standardOutput.write(Data("READY\n".utf8))
        while let line = readLine() {
            let parts = line.split(separator: " ")
            if parts.count == 2, parts[0] == "at", let seconds = Int32(parts[1]) {
                now.withLock { $0 = seconds }
                FileHandle.standardOutput.write(Data("ok\n".utf8))
            }
        }
        for server in servers { await server.shutdown() }
    }

    /// The source's items published in the window before `now`, newest last, at most `itemsPerFeed`.
    static func items(world: World, source: Int, now: Int32) -> ArraySlice<Int32> {
        let own = world.bySource[source]
        func firstIndex(atOrAfter second: Int32) -> Int {
            var low = 0, high = own.count
            while low < high {
                let middle = (low + high) / 2
                if world.times[Int(own[middle])] < second { low = middle + 1 } else { high = middle }
            }
            return low
        }
        let end = firstIndex(atOrAfter: now + 1)
        let start = max(firstIndex(atOrAfter: now - window + 1), end - itemsPerFeed)
        return own[start..<end]
    }

    static func body(world: World, source: Int, items: ArraySlice<Int32>) -> String {
        let domain = world.outletDomain(source)
        var text = """
            <?xml version="1.0" encoding="UTF-8"?>
            <rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:media="http://search.yahoo.com/mrss/" xmlns:atom="http://www.w3.org/2005/Atom">
            <channel><title>\(domain) news</title><link>https://\(domain)/</link><description>Latest stories from \(domain)</description>
            <language>en</language><atom:link href="https://\(domain)/rss" rel="self" type="application/rss+xml"/>

            """
        for index in items.reversed().map(Int.init) {
            let link = world.link(index)
            text += """
                <item><title>\(world.headline(index))</title><link>\(link)</link><guid isPermaLink="true">\(link)</guid>
                <description><![CDATA[<p>\(world.description(index))</p>]]></description>
                <dc:creator>Staff reporter</dc:creator><pubDate>\(rfc822(world.date(index)))</pubDate>
                <media:thumbnail url="https://\(domain)/images/\(index).jpg" width="640" height="360"/></item>

                """
        }
        return text + "</channel></rss>\n"
    }

    static func rfc822(_ date: Date) -> String {
        var time = time_t(date.timeIntervalSince1970)
        var parts = tm()
        gmtime_r(&time, &parts)
        let days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        return String(
            format: "%@, %02d %@ %04d %02d:%02d:%02d GMT", days[Int(parts.tm_wday)], Int(parts.tm_mday), months[Int(parts.tm_mon)],
            Int(parts.tm_year) + 1900, Int(parts.tm_hour), Int(parts.tm_min), Int(parts.tm_sec))
    }
}
