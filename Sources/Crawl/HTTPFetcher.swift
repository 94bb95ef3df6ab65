import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import NIOHTTPCompression
import Synchronization

/// What a server answered, after any redirects.
struct HTTPAnswer: Sendable {
    enum Hop: Sendable, Equatable {
        case permanent(String)
        case temporary(String)
    }

    var status: Int
    var headers: HTTPHeaders
    /// Empty for 304 and for statuses whose body Parallax does not read.
    var body: Data
    var finalURL: String
    /// Every redirect followed, in order, with the URL it led to.
    var hops: [Hop]

    /// The target when every hop was a 301 or 308; nil when there was no redirect or any
    /// temporary one (302, 303, 307) in the chain.
    var permanentTarget: String? {
        guard !hops.isEmpty, hops.allSatisfy({ if case .permanent = $0 { true } else { false } }) else { return nil }
        return finalURL
    }
}

/// One HTTP(S) GET with everything a polite, careful fetcher needs: the SSRF guard on every
/// hop, at most `settings.maximumRedirects` redirects with loop detection, conditional
/// validators, a decompressed-size cap, a body cap and one deadline over the whole exchange.
final class HTTPFetcher: Sendable {
    private let settings: CrawlSettings
    /// Every client's connections, and the crawl's tasks, are on this one event loop.
    let executor = EventLoopExecutor(HTTPClient.defaultEventLoopGroup.next())
    /// One client per (scheme, host, approved address): each is pinned to the address the
    /// guard approved, and keeps its connections to that host alive across feeds.
    private let clients = Mutex<[String: HTTPClient]>([:])
    /// Each host is resolved and checked once per crawl; every later request to it goes to
    /// that same address.
    private let addresses = Mutex<[String: Task<Result<IPAddress, FetchError>, Never>]>([:])
    /// robots.txt per origin, read once per crawl even when several pages of a host are
    /// fetched at once: they all wait for the one read.
    private let robots = Mutex<[String: Task<Result<RobotsTxt, FetchError>, Never>]>([:])

    init(settings: CrawlSettings) {
        self.settings = settings
    }

    func shutdown() async {
        let all = clients.withLock { clients in
            defer { clients.removeAll() }
            return Array(clients.values)
        }
        for client in all { try? await client.shutdown() }
    }

    /// Follows redirects itself (the client's own following is off) so that every hop passes
    /// the address guard and the chain's kinds are known. Only a 2xx body is read. One
    /// deadline covers the whole exchange, redirects and body included.
    func get(
        _ location: String, userAgent: String, accept: String, etag: String? = nil, lastModified: String? = nil
    ) async throws(FetchError) -> HTTPAnswer {
        let deadline = NIODeadline.now() + .milliseconds(Int64(settings.totalTimeout * 1000))
        var current = location
        var visited: Set<String> = [location]
        var hops: [HTTPAnswer.Hop] = []
        while true {
            guard let url = URL(string: current), let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https",
                let host = url.host?.lowercased(), !host.isEmpty
            else { throw .badURL(current) }
            let client = try await client(scheme: scheme, host: host)
            var headers = HTTPHeaders()
            headers.add(name: "User-Agent", value: userAgent)
            headers.add(name: "Accept", value: accept)
            headers.add(name: "Accept-Encoding", value: "gzip, deflate")
            if let etag { headers.add(name: "If-None-Match", value: etag) }
            if let lastModified { headers.add(name: "If-Modified-Since", value: lastModified) }
            let request: HTTPClient.Request
            do {
                request = try HTTPClient.Request(url: current, headers: headers)
            } catch {
                throw .badURL(current)
            }

            let head: HTTPResponseHead
            var body = Data()
            do {
                let response = try await exchange(request, on: client, by: deadline)
                head = response.head
                if (200..<300).contains(head.status.code) { body = Data(response.body.readableBytesView) }
            } catch let stop as ResponseReader.HeadOnly {
                head = stop.head
            } catch {
                throw mapped(error)
            }
            let status = Int(head.status.code)
            if [301, 302, 303, 307, 308].contains(status), let location = head.headers.first(name: "Location") {
                guard let next = URL(string: location, relativeTo: url)?.absoluteURL.absoluteString else {
                    throw .badURL(location)
                }
                guard visited.insert(next).inserted else { throw .redirectLoop(next) }
                hops.append(status == 301 || status == 308 ? .permanent(next) : .temporary(next))
                guard hops.count <= settings.maximumRedirects else { throw .tooManyRedirects(settings.maximumRedirects) }
                current = next
                continue
            }
            return HTTPAnswer(status: status, headers: head.headers, body: body, finalURL: current, hops: hops)
        }
    }

    /// One request, failed with `deadlineExceeded` if it is not over (body included) by
    /// `deadline`, and cancelled with the task that awaits it. AsyncHTTPClient's delegate API
    /// rather than its async `execute`, which registers every request through a task of its
    /// own on Swift's global executor: a trip to another thread and back per request.
    private func exchange(_ request: HTTPClient.Request, on client: HTTPClient, by deadline: NIODeadline) async throws
        -> ResponseReader.Response
    {
        let task = client.execute(request: request, delegate: ResponseReader(limit: settings.maximumBodyBytes), deadline: deadline)
        return try await withTaskCancellationHandler {
            try await task.futureResult.get()
        } onCancel: {
            task.cancel()
        }
    }

    /// An HTML page (an aggregator's page, an article, a page to discover feeds on): unlike a
    /// feed, which a publisher offers to be polled, a page is fetched only when the site's
    /// robots.txt allows it.
    func page(_ location: String, userAgent: String, etag: String? = nil, lastModified: String? = nil) async throws(FetchError) -> HTTPAnswer {
        guard let url = URL(string: location), let scheme = url.scheme, let host = url.host else { throw .badURL(location) }
        let origin = "\(scheme)://\(host)\(url.port.map { ":\($0)" } ?? "")"
        let rules = try await robotsTxt(origin: origin, userAgent: userAgent)
        var path = url.path.isEmpty ? "/" : url.path
        if let query = url.query { path += "?\(query)" }
        guard rules.allows(path) else { throw .disallowedByRobots(location) }
        return try await get(
            location, userAgent: userAgent, accept: "text/html, application/xhtml+xml;q=0.9, */*;q=0.5", etag: etag, lastModified: lastModified)
    }

    private func robotsTxt(origin: String, userAgent: String) async throws(FetchError) -> RobotsTxt {
        let read = robots.withLock { reads in
            if let existing = reads[origin] { return existing }
            let task = Task { await self.readRobotsTxt(origin: origin, userAgent: userAgent) }
            reads[origin] = task
            return task
        }
        return try await read.value.get()
    }

    /// RFC 9309: a missing robots.txt (4xx) allows everything; one that cannot be read
    /// (5xx, network) disallows everything for now.
    private func readRobotsTxt(origin: String, userAgent: String) async -> Result<RobotsTxt, FetchError> {
        do {
            let answer = try await get(origin + "/robots.txt", userAgent: userAgent, accept: "text/plain")
            switch answer.status {
            case 200..<300: return .success(RobotsTxt(parsing: String(decoding: answer.body, as: UTF8.self)))
            case 400..<500: return .success(.allowAll)
            default: return .success(.disallowAll)
            }
        } catch {
            if case .forbiddenAddress = error { return .failure(error) }
            return .success(.disallowAll)
        }
    }

    private func mapped(_ error: any Error) -> FetchError {
        switch error {
        case let error as FetchError: return error
        case let error as NIOHTTPDecompression.DecompressionError where error == .limit:
            return .decompressedTooLarge(limit: settings.maximumDecompressedBytes)
        case let error as HTTPClientError where error == .deadlineExceeded || error == .readTimeout:
            return .timedOut(seconds: settings.totalTimeout)
        case let error as HTTPClientError where error == .connectTimeout:
            return .timedOut(seconds: settings.connectTimeout)
        default: return .transport("\(error)")
        }
    }

    private func client(scheme: String, host: String) async throws(FetchError) -> HTTPClient {
        let proxy = settings.proxies.proxy(for: scheme, host: host)
        // Through a proxy, the proxy resolves names and connects (this machine may not even be
        // able to resolve them); only an address written in the URL can be checked here.
        let pinned: IPAddress? = proxy == nil || IPAddress(host) != nil ? try await approvedAddress(of: host) : nil
        let key = "\(scheme) \(host) \(pinned?.description ?? "via proxy")"
        return clients.withLock { clients in
            if let existing = clients[key] { return existing }
            var configuration = HTTPClient.Configuration()
            configuration.redirectConfiguration = .disallow
            configuration.timeout = .init(
                connect: .milliseconds(Int64(settings.connectTimeout * 1000)),
                read: .milliseconds(Int64(settings.readTimeout * 1000)))
            configuration.decompression = .enabled(limit: .size(settings.maximumDecompressedBytes))
            configuration.httpVersion = .automatic
            // Parallax bootstraps no tracer; without this the client starts a span for the
            // no-op tracer on every request and fills its attributes (strings built for nothing).
            configuration.tracing.tracer = nil
            if let proxy {
                configuration.proxy = proxy
            } else if let pinned, IPAddress(host) == nil {
                configuration.dnsOverride = [host: pinned.description]
            }
            let client = HTTPClient(eventLoopGroup: executor.eventLoop, configuration: configuration)
            clients[key] = client
            return client
        }
    }

    private func approvedAddress(of host: String) async throws(FetchError) -> IPAddress {
        let lookup = addresses.withLock { lookups in
            if let existing = lookups[host] { return existing }
            let guardian = settings.addressGuard
            let task = Task { () -> Result<IPAddress, FetchError> in
                do throws(FetchError) {
                    return .success(try await guardian.address(for: host))
                } catch {
                    return .failure(error)
                }
            }
            lookups[host] = task
            return task
        }
        return try await lookup.value.get()
    }
}

/// Reads one response as AsyncHTTPClient delivers it: the head, and a 2xx body up to the cap.
/// Any other status is answered from its head alone; an empty body (a 304, `Content-Length: 0`)
/// is read to its end so that the connection stays open for the host's next feed.
final class ResponseReader: HTTPClientResponseDelegate {
    struct Response: Sendable {
        var head: HTTPResponseHead
        var body: ByteBuffer
    }

    /// Stops the exchange at the head of a response whose body Parallax does not read; the
    /// connection is closed rather than drained of an error page of any size.
    struct HeadOnly: Error {
        var head: HTTPResponseHead
    }

    private struct Progress {
        var head: HTTPResponseHead?
        var body = ByteBuffer()
    }

    private let limit: Int
    private let progress = Mutex(Progress())

    init(limit: Int) {
        self.limit = limit
    }

    func didReceiveHead(task: HTTPClient.Task<Response>, _ head: HTTPResponseHead) -> EventLoopFuture<Void> {
        progress.withLock { $0.head = head }
        let code = head.status.code
        guard (200..<300).contains(code) || code == 304 || head.headers.first(name: "Content-Length") == "0" else {
            return task.eventLoop.makeFailedFuture(HeadOnly(head: head))
        }
        return task.eventLoop.makeSucceededVoidFuture()
    }

    func didReceiveBodyPart(task: HTTPClient.Task<Response>, _ buffer: ByteBuffer) -> EventLoopFuture<Void> {
        let fits = progress.withLock { progress in
            guard progress.body.readableBytes + buffer.readableBytes <= limit else { return false }
            progress.body.writeImmutableBuffer(buffer)
            return true
        }
        return fits ? task.eventLoop.makeSucceededVoidFuture() : task.eventLoop.makeFailedFuture(FetchError.tooLarge(limit: limit))
    }

    func didFinishRequest(task: HTTPClient.Task<Response>) throws -> Response {
        try progress.withLock { progress in
            guard let head = progress.head else { throw FetchError.transport("the connection ended before a response") }
            return Response(head: head, body: progress.body)
        }
    }
}

/// `HTTP_PROXY`, `HTTPS_PROXY` and `NO_PROXY` (upper or lower case), as curl reads them.
public struct ProxySettings: Sendable {
    var http: HTTPClient.Configuration.Proxy?
    var https: HTTPClient.Configuration.Proxy?
    var noProxy: [String]

    public static func fromEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment) -> ProxySettings {
        func value(_ name: String) -> String? {
            (environment[name.lowercased()] ?? environment[name.uppercased()]).flatMap { $0.isEmpty ? nil : $0 }
        }
        let noProxy = (value("NO_PROXY") ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        return ProxySettings(http: value("HTTP_PROXY").flatMap(proxy), https: value("HTTPS_PROXY").flatMap(proxy), noProxy: noProxy)
    }

    private static func proxy(_ text: String) -> HTTPClient.Configuration.Proxy? {
        guard let url = URL(string: text.contains("://") ? text : "http://\(text)"), let host = url.host else { return nil }
        let authorization = url.user.map { HTTPClient.Authorization.basic(username: $0, password: url.password ?? "") }
        return .server(host: host, port: url.port ?? 80, authorization: authorization)
    }

    func proxy(for scheme: String, host: String) -> HTTPClient.Configuration.Proxy? {
        let excluded = noProxy.contains { entry in
            entry == "*" || host == entry || host.hasSuffix(entry.hasPrefix(".") ? entry : ".\(entry)")
        }
        if excluded { return nil }
        return scheme == "https" ? https : http
    }
}
