import NIOCore
import NIOHTTP1
import NIOPosix

/// The same 2,000 conditional GETs as the 304 pass, sent by a bare NIO HTTP/1.1 client: one
/// keep-alive connection per concurrency slot, no pool, no timers, no decompression, no
/// crawler or store. What is left is the kernel's loopback TCP and NIO's channel pipeline,
/// awaited from Swift tasks as the crawler would: a floor for what a 304 could cost.
func floorPass(hosts: [(host: String, port: Int)], feedCount: Int, concurrency: Int) async throws -> Int {
    let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
    let notModified = try await withThrowingTaskGroup(of: Int.self) { workers in
        for worker in 0..<concurrency {
            let (host, port) = hosts[worker % hosts.count]
            workers.addTask {
                let channel = try await ClientBootstrap(group: group).connect(host: host, port: port) { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.addHTTPClientHandlers()
                        return try NIOAsyncChannel<HTTPClientResponsePart, HTTPClientRequestPart>(wrappingChannelSynchronously: channel)
                    }
                }
                return try await channel.executeThenClose { inbound, outbound in
                    var answers = inbound.makeAsyncIterator()
                    var notModified = 0
                    // Any of the servers answers any feed number alike.
                    for number in stride(from: worker, to: feedCount, by: concurrency) {
                        var headers = HTTPHeaders()
                        headers.add(name: "Host", value: host)
                        headers.add(name: "User-Agent", value: "bench-crawl floor")
                        headers.add(name: "If-None-Match", value: etag(number))
                        try await outbound.write(.head(HTTPRequestHead(version: .http1_1, method: .GET, uri: "/feed/\(number).xml", headers: headers)))
                        try await outbound.write(.end(nil))
                        while let part = try await answers.next() {
                            if case .head(let head) = part, head.status == .notModified { notModified += 1 }
                            if case .end = part { break }
                        }
                    }
                    return notModified
                }
            }
        }
        return try await workers.reduce(0, +)
    }
    try await group.shutdownGracefully()
    return notModified
}
