import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import NIOHTTPCompression
import NIOSSL
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
/// Direct requests go over `KeepAliveClient`; requests through a proxy over AsyncHTTPClient.
final class HTTPFetcher: Sendable {
    private let settings: CrawlSettings
    /// Direct connections, pinned to the address the guard approved and kept alive across feeds.
    private let direct: KeepAliveClient
    /// One proxied client per (scheme, host).
    private let clients = Mutex<[String: HTTPClient]>([:])
    /// Each host is resolved and checked once per crawl; every later request to it goes to
    /// that same address.
    private let addresses = Mutex<[String: Task<Result<IPAddress, FetchError>, Never>]>([:])
    /// robots.txt per origin, read once per crawl even when several pages of a host are
    /// fetched at once: they all wait for the one read.
    private let robots = Mutex<[String: Task<Result<RobotsTxt, FetchError>, Never>]>([:])

    init(settings: CrawlSettings) {
        self.settings = settings
        direct = KeepAliveClient(trustRoots: settings.additionalTrustRoots, maximumIdleConnections: settings.maximumIdleConnections)
    }

    func shutdown() async {
        await direct.shutdown()
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
        let end = ContinuousClock.now + .milliseconds(Int(settings.totalTimeout * 1000))
        var current = location
        var visited: Set<String> = [location]
        var hops: [HTTPAnswer.Hop] = []
        while true {
            guard let url = URL(string: current), let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https",
                let host = url.host?.lowercased(), !host.isEmpty
            else { throw .badURL(current) }
            var request = HTTPHeaders()
            request.add(name: "User-Agent", value: userAgent)
            request.add(name: "Accept", value: accept)
            request.add(name: "Accept-Encoding", value: "gzip, deflate")
            if let etag { request.add(name: "If-None-Match", value: etag) }
            if let lastModified { request.add(name: "If-Modified-Since", value: lastModified) }

            let answer: (status: Int, headers: HTTPHeaders, body: Data)
            if let proxy = settings.proxies.proxy(for: scheme, host: host) {
                answer = try await viaProxy(proxy, url: current, scheme: scheme, host: host, headers: request, deadline: deadline, end: end)
            } else {
                let origin = KeepAliveClient.Origin(
                    secure: scheme == "https", host: host, port: url.port ?? (scheme == "https" ? 443 : 80),
                    address: try await approvedAddress(of: host))
                let limits = KeepAliveClient.Limits(
                    maximumBodyBytes: settings.maximumBodyBytes, maximumDecompressedBytes: settings.maximumDecompressedBytes,
                    connectTimeout: .milliseconds(Int64(settings.connectTimeout * 1000)),
                    readTimeout: .milliseconds(Int64(settings.readTimeout * 1000)), deadline: deadline,
                    totalSeconds: settings.totalTimeout, readSeconds: settings.readTimeout, connectSeconds: settings.connectTimeout)
                let received = try await direct.get(origin, target: Self.requestTarget(of: url), headers: request, limits: limits)
                answer = (received.status, received.headers, received.body.readableBytes == 0 ? Data() : Data(received.body.readableBytesView))
            }
            let (status, headers, body) = answer
            if [301, 302, 303, 307, 308].contains(status), let location = headers.first(name: "Location") {
                guard let next = URL(string: location, relativeTo: url)?.absoluteURL.absoluteString else {
                    throw .badURL(location)
                }
                guard visited.insert(next).inserted else { throw .redirectLoop(next) }
                hops.append(status == 301 || status == 308 ? .permanent(next) : .temporary(next))
                guard hops.count <= settings.maximumRedirects else { throw .tooManyRedirects(settings.maximumRedirects) }
                current = next
                continue
            }
            return HTTPAnswer(status: status, headers: headers, body: body, finalURL: current, hops: hops)
        }
    }

    /// The request target as the URL writes it: path and query, still percent-encoded.
    static func requestTarget(of url: URL) -> String {
        let path = url.path(percentEncoded: true)
        let query = url.query(percentEncoded: true).map { "?\($0)" } ?? ""
        return (path.isEmpty ? "/" : path) + query
    }

    /// Through a proxy, AsyncHTTPClient tunnels the request (CONNECT) and the proxy resolves
    /// the name; only an address written in the URL is checked here.
    private func viaProxy(
        _ proxy: HTTPClient.Configuration.Proxy, url: String, scheme: String, host: String, headers: HTTPHeaders,
        deadline: NIODeadline, end: ContinuousClock.Instant
    ) async throws(FetchError) -> (status: Int, headers: HTTPHeaders, body: Data) {
        if IPAddress(host) != nil { _ = try await approvedAddress(of: host) }
        let client = try proxiedClient(scheme: scheme, host: host, proxy: proxy)
        var request = HTTPClientRequest(url: url)
        request.headers = headers
        do {
            let response = try await client.execute(request, deadline: deadline)
            let status = Int(response.status.code)
            var body = Data()
            if (200..<300).contains(status) {
                body = try await read(response.body, by: end)
            } else if status == 304 || response.headers.first(name: "Content-Length") == "0" {
                // A response dropped unread is cancelled and its connection closed; reading
                // its empty body to the end keeps the connection for the host's next feed.
                for try await _ in response.body {}
            }
            return (status, response.headers, body)
        } catch {
            throw mapped(error)
        }
    }

    /// The client's deadline stops at the response head; a server dripping a byte a second
    /// never trips the read timeout either, so reading the body races a timer.
    private func read(_ body: HTTPClientResponse.Body, by end: ContinuousClock.Instant) async throws -> Data {
        let limit = settings.maximumBodyBytes
        let seconds = settings.totalTimeout
        return try await withThrowingTaskGroup(of: Data.self) { group in
            group.addTask { Data(try await body.collect(upTo: limit).readableBytesView) }
            group.addTask {
                try await Task.sleep(until: end, clock: .continuous)
                throw FetchError.timedOut(seconds: seconds)
            }
            defer { group.cancelAll() }
            guard let data = try await group.next() else { throw FetchError.timedOut(seconds: seconds) }
            return data
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
        case is NIOTooManyBytesError: return .tooLarge(limit: settings.maximumBodyBytes)
        case let error as NIOHTTPDecompression.DecompressionError where error == .limit:
            return .decompressedTooLarge(limit: settings.maximumDecompressedBytes)
        case let error as HTTPClientError where error == .deadlineExceeded || error == .readTimeout:
            return .timedOut(seconds: settings.totalTimeout)
        case let error as HTTPClientError where error == .connectTimeout:
            return .timedOut(seconds: settings.connectTimeout)
        default: return .transport("\(error)")
        }
    }

    private func proxiedClient(scheme: String, host: String, proxy: HTTPClient.Configuration.Proxy) throws(FetchError) -> HTTPClient {
        let key = "\(scheme) \(host)"
        return try clients.withLock { clients throws(FetchError) in
            if let existing = clients[key] { return existing }
            var configuration = HTTPClient.Configuration()
            configuration.redirectConfiguration = .disallow
            configuration.timeout = .init(
                connect: .milliseconds(Int64(settings.connectTimeout * 1000)),
                read: .milliseconds(Int64(settings.readTimeout * 1000)))
            configuration.decompression = .enabled(limit: .size(settings.maximumDecompressedBytes))
            configuration.httpVersion = .automatic
            // Parallax bootstraps no tracer; without this the client fills span attributes
            // (URL parsed again, strings built) for the no-op tracer on every request.
            configuration.tracing.tracer = nil
            configuration.proxy = proxy
            do {
                configuration.tlsConfiguration = try TLSConfiguration.parallaxClient(trusting: settings.additionalTrustRoots)
            } catch {
                throw .transport("the trusted certificates (crawl.ca-file) are not PEM certificates: \(error)")
            }
            let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
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
