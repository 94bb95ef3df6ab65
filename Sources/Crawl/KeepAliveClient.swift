import NIOCore
import NIOHTTP1
import NIOHTTP2
import NIOHTTPCompression
import NIOPosix
import NIOSSL
import NIOTLS
import Synchronization

/// The HTTP client for direct connections: keep-alive HTTP/1.1, and HTTP/2 where TLS
/// negotiates it, over connections pinned to the address the guard approved.
///
/// Why not AsyncHTTPClient here: polling is mostly conditional GETs answered 304, and with
/// AsyncHTTPClient a 304 cost about twice the CPU of the whole exchange on NIO's own pipeline
/// (its pool's state machines and three timers per request, each scheduled or cancelled from
/// off the event loop, waking it). This client does one exchange per connection at a time,
/// keeps its timers on the event loop and wakes the waiting task once, with the whole answer.
/// Requests through a proxy still go through AsyncHTTPClient, which tunnels them.
final class KeepAliveClient: Sendable {
    /// Where requests go: the origin as the URL names it, at the address the guard approved.
    struct Origin: Hashable, Sendable {
        var secure: Bool
        var host: String
        var port: Int
        var address: IPAddress

        /// The Host header (and HTTP/2 `:authority`): the port only when it is not the default.
        var authority: String {
            // An IPv6 literal goes in brackets (byte check: Foundation's `contains` is far slower).
            let name = host.utf8.contains(UInt8(ascii: ":")) ? "[\(host)]" : host
            return port == (secure ? 443 : 80) ? name : "\(name):\(port)"
        }
    }

    /// The limits of one exchange, all enforced on the event loop.
    struct Limits: Sendable {
        var maximumBodyBytes: Int
        var maximumDecompressedBytes: Int
        var connectTimeout: TimeAmount
        /// Silence allowed between two reads (and before the answer starts).
        var readTimeout: TimeAmount
        /// The whole exchange: connecting, TLS, request, answer and body.
        var deadline: NIODeadline
        /// For the error: the timeouts as configured.
        var totalSeconds: Double
        var readSeconds: Double
        var connectSeconds: Double
    }

    struct Answer: Sendable {
        var status: Int
        var headers: HTTPHeaders
        /// Read only for 2xx; other answers are taken from their head.
        var body: ByteBuffer
        /// Whether the connection may carry the host's next request.
        var reusable: Bool
    }

    fileprivate enum Connection: Sendable {
        case http1(Channel)
        case http2(Channel, NIOHTTP2Handler.StreamMultiplexer)

        var channel: Channel {
            switch self {
            case .http1(let channel), .http2(let channel, _): channel
            }
        }
    }

    private struct Pool {
        struct Idle {
            var channel: Channel
            var since: NIODeadline
        }

        var idle: [Origin: [Idle]] = [:]
        var http2: [Origin: Connection] = [:]
        /// Every connection still open, to close at shutdown.
        var open: [ObjectIdentifier: Channel] = [:]
        var closed = false

        var idleCount: Int { idle.values.reduce(0) { $0 + $1.count } }

        /// Takes out the connection idle the longest, to be closed.
        mutating func takeLongestIdle() -> Channel? {
            let oldest = idle.compactMap { origin, kept in kept.first.map { (origin, $0.since) } }.min { $0.1 < $1.1 }
            guard let origin = oldest?.0 else { return nil }
            return idle[origin]?.removeFirst().channel
        }
    }

    private let group: EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    private let trustRoots: [String]
    /// Made at the first https request: a crawl of plain http or files needs none.
    private let tls = Mutex<NIOSSLContext?>(nil)
    private let pool = Mutex(Pool())

    private let maximumIdleConnections: Int

    /// - Parameters:
    ///   - trustRoots: PEM certificates trusted besides the system's (a private CA).
    ///   - maximumIdleConnections: over all hosts; a crawl of many hosts would otherwise keep
    ///     a socket open for every host it has seen.
    init(trustRoots: [String], maximumIdleConnections: Int) {
        self.trustRoots = trustRoots
        self.maximumIdleConnections = max(0, maximumIdleConnections)
    }

    private func tlsContext() throws -> NIOSSLContext {
        try tls.withLock { context in
            if let context { return context }
            var configuration = try TLSConfiguration.parallaxClient(trusting: trustRoots)
            configuration.applicationProtocols = ["h2", "http/1.1"]
            let made = try NIOSSLContext(configuration: configuration)
            context = made
            return made
        }
    }

    func shutdown() async {
        let channels = pool.withLock { pool in
            pool.closed = true
            defer { pool = Pool(closed: true) }
            return Array(pool.open.values)
        }
        for channel in channels { try? await channel.close() }
    }

    /// One GET. A connection kept from an earlier request may have been closed by the server
    /// meanwhile; the request then goes again on another connection (GET is safe to repeat).
    /// Each kept connection that fails is dropped, so this ends at the latest with a new one.
    func get(_ origin: Origin, target: String, headers: HTTPHeaders, limits: Limits) async throws(FetchError) -> Answer {
        var request = HTTPRequestHead(version: .http1_1, method: .GET, uri: target, headers: headers)
        request.headers.add(name: "Host", value: origin.authority)
        while true {
            let (connection, reused) = try await acquire(origin, limits: limits)
            do {
                let answer = try await exchange(request, on: connection, limits: limits)
                release(connection, of: origin, reusable: answer.reusable)
                return answer
            } catch ExchangeError.closedBeforeAnswer where reused {
                drop(connection, of: origin)
            } catch {
                throw Self.mapped(error, limits: limits, origin: origin)
            }
        }
    }

    private func exchange(_ request: HTTPRequestHead, on connection: Connection, limits: Limits) async throws -> Answer {
        switch connection {
        case .http1(let channel):
            let answer = channel.eventLoop.makePromise(of: Answer.self)
            channel.writeAndFlush(ExchangeHandler.Exchange(request: request, limits: limits, answer: answer)).whenFailure { _ in
                answer.fail(ExchangeError.closedBeforeAnswer)
            }
            return try await answer.futureResult.get()
        case .http2(let channel, let multiplexer):
            let answer = channel.eventLoop.makePromise(of: Answer.self)
            let decompressedLimit = limits.maximumDecompressedBytes
            // One hop to the event loop for the stream and the request together.
            channel.eventLoop.execute {
                multiplexer.createStreamChannel { stream in
                    stream.eventLoop.makeCompletedFuture {
                        try stream.pipeline.syncOperations.addHandlers([
                            HTTP2FramePayloadToHTTP1ClientCodec(httpProtocol: .https),
                            NIOHTTPResponseDecompressor(limit: .size(decompressedLimit)),
                            ExchangeHandler(oneExchange: true),
                        ])
                    }
                }.flatMap { stream in
                    stream.writeAndFlush(ExchangeHandler.Exchange(request: request, limits: limits, answer: answer))
                }.whenFailure { _ in
                    answer.fail(ExchangeError.closedBeforeAnswer)
                }
            }
            return try await answer.futureResult.get()
        }
    }

    private func acquire(_ origin: Origin, limits: Limits) async throws(FetchError) -> (Connection, reused: Bool) {
        let kept: Connection? = pool.withLock { pool in
            if let shared = pool.http2[origin] {
                if shared.channel.isActive { return shared }
                pool.http2[origin] = nil
            }
            let now = NIODeadline.now()
            while let kept = pool.idle[origin]?.popLast() {
                // Servers close idle connections after a while (Apache after 5 s, nginx 75 s);
                // one idle longer than that would most likely fail and cost a retry.
                if kept.channel.isActive && now - kept.since < Self.maximumIdleTime { return .http1(kept.channel) }
                kept.channel.close(promise: nil)
            }
            return nil
        }
        if let kept { return (kept, true) }
        do {
            let connection = try await connect(origin, limits: limits)
            let channel = connection.channel
            let keep = pool.withLock { pool in
                guard !pool.closed else { return false }
                pool.open[ObjectIdentifier(channel)] = channel
                if case .http2 = connection, pool.http2[origin] == nil { pool.http2[origin] = connection }
                return true
            }
            guard keep else {
                channel.close(promise: nil)
                throw FetchError.transport("the crawl is shutting down")
            }
            channel.closeFuture.whenComplete { _ in
                self.pool.withLock { _ = $0.open.removeValue(forKey: ObjectIdentifier(channel)) }
            }
            return (connection, false)
        } catch {
            throw Self.mapped(error, limits: limits, origin: origin, connecting: true)
        }
    }

    private func release(_ connection: Connection, of origin: Origin, reusable: Bool) {
        guard case .http1(let channel) = connection else { return }
        guard reusable, channel.isActive else {
            channel.close(promise: nil)
            return
        }
        let surplus = pool.withLock { pool -> Channel? in
            guard !pool.closed else { return channel }
            pool.idle[origin, default: []].append(Pool.Idle(channel: channel, since: .now()))
            return pool.idleCount > maximumIdleConnections ? pool.takeLongestIdle() : nil
        }
        surplus?.close(promise: nil)
    }

    static let maximumIdleTime = TimeAmount.seconds(30)

    /// A kept connection that failed before any answer is not offered again. An HTTP/2
    /// connection (the server may have said GOAWAY) is left open for the streams still on it;
    /// it is closed when the server closes it, or at shutdown.
    private func drop(_ connection: Connection, of origin: Origin) {
        switch connection {
        case .http1(let channel):
            channel.close(promise: nil)
        case .http2(let channel, _):
            pool.withLock { pool in
                if case .http2(let shared, _) = pool.http2[origin], shared === channel { pool.http2[origin] = nil }
            }
        }
    }

    private func connect(_ origin: Origin, limits: Limits) async throws -> Connection {
        let address = try SocketAddress(ipAddress: origin.address.description, port: origin.port)
        let ready = group.any().makePromise(of: Connection.self)
        let tls = origin.secure ? try tlsContext() : nil
        // The connection, like everything else, must fit in what is left of the deadline.
        let left = limits.deadline - .now()
        guard left > .zero else {
            ready.fail(ExchangeError.timedOut(total: true))
            throw ExchangeError.timedOut(total: true)
        }
        let bootstrap = ClientBootstrap(group: ready.futureResult.eventLoop)
            .connectTimeout(min(limits.connectTimeout, left))
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    guard let tls else {
                        try Self.addHTTP1Handlers(to: channel, limits: limits)
                        ready.succeed(.http1(channel))
                        return
                    }
                    // SNI and certificate name checks need a name; an address literal has none.
                    let serverName = IPAddress(origin.host) == nil ? origin.host : nil
                    try channel.pipeline.syncOperations.addHandler(NIOSSLClientHandler(context: tls, serverHostname: serverName))
                    try channel.pipeline.syncOperations.addHandler(ProtocolNegotiation(limits: limits, ready: ready))
                }
            }
        let channel: Channel
        do {
            channel = try await bootstrap.connect(to: address).get()
        } catch {
            ready.fail(error)
            throw error
        }
        guard tls != nil else { return try await ready.futureResult.get() }
        // The TLS handshake has the rest of the deadline.
        let deadline = channel.eventLoop.scheduleTask(deadline: limits.deadline) {
            ready.fail(ExchangeError.timedOut(total: true))
            channel.close(promise: nil)
        }
        defer { deadline.cancel() }
        do {
            return try await ready.futureResult.get()
        } catch {
            channel.close(promise: nil)
            throw error
        }
    }

    fileprivate static func addHTTP1Handlers(to channel: Channel, limits: Limits) throws {
        try channel.pipeline.syncOperations.addHTTPClientHandlers()
        try channel.pipeline.syncOperations.addHandlers([
            NIOHTTPResponseDecompressor(limit: .size(limits.maximumDecompressedBytes)), ExchangeHandler(oneExchange: false),
        ])
    }

    private static func mapped(_ error: any Error, limits: Limits, origin: Origin, connecting: Bool = false) -> FetchError {
        switch error {
        case let error as FetchError: return error
        case ExchangeError.timedOut(let total): return .timedOut(seconds: total ? limits.totalSeconds : limits.readSeconds)
        case ExchangeError.tooLarge: return .tooLarge(limit: limits.maximumBodyBytes)
        case ExchangeError.closedBeforeAnswer: return .transport("\(origin.authority) closed the connection without an answer")
        case ExchangeError.closedMidAnswer: return .transport("\(origin.authority) closed the connection in the middle of the answer")
        case let error as NIOHTTPDecompression.DecompressionError where error == .limit:
            return .decompressedTooLarge(limit: limits.maximumDecompressedBytes)
        case ChannelError.connectTimeout:
            return .timedOut(seconds: NIODeadline.now() >= limits.deadline ? limits.totalSeconds : limits.connectSeconds)
        case let error as NIOSSLError: return .transport("TLS with \(origin.authority) failed: \(error)")
        case let error as BoringSSLError: return .transport("TLS with \(origin.authority) failed: \(error)")
        case let error as IOError where connecting: return .transport("cannot connect to \(origin.authority): \(error.description)")
        default: return .transport("\(origin.authority): \(error)")
        }
    }
}

extension TLSConfiguration {
    /// The system's certificate authorities, and `pems` (a private CA) besides them.
    static func parallaxClient(trusting pems: [String]) throws -> TLSConfiguration {
        var configuration = TLSConfiguration.makeClientConfiguration()
        if !pems.isEmpty {
            let certificates = try pems.flatMap { try NIOSSLCertificate.fromPEMBytes(Array($0.utf8)) }
            configuration.additionalTrustRoots = [.certificates(certificates)]
        }
        return configuration
    }
}

private enum ExchangeError: Error {
    case timedOut(total: Bool)
    case tooLarge
    case closedBeforeAnswer
    case closedMidAnswer
}

/// After the TLS handshake: HTTP/2 or HTTP/1.1 as negotiated, then the connection is ready.
private final class ProtocolNegotiation: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = NIOAny

    private let limits: KeepAliveClient.Limits
    private let ready: EventLoopPromise<KeepAliveClient.Connection>

    init(limits: KeepAliveClient.Limits, ready: EventLoopPromise<KeepAliveClient.Connection>) {
        self.limits = limits
        self.ready = ready
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        guard case .handshakeCompleted(let negotiated) = event as? TLSUserEvent else {
            context.fireUserInboundEventTriggered(event)
            return
        }
        let channel = context.channel
        do {
            context.pipeline.syncOperations.removeHandler(context: context, promise: nil)
            if negotiated == "h2" {
                var connection = NIOHTTP2Handler.ConnectionConfiguration()
                // Server push is refused in the SETTINGS; a server pushing anyway has its streams closed.
                connection.initialSettings.append(HTTP2Setting(parameter: .enablePush, value: 0))
                let multiplexer = try channel.pipeline.syncOperations.configureHTTP2Pipeline(
                    mode: .client, connectionConfiguration: connection, streamConfiguration: .init()
                ) { pushed in
                    pushed.close()
                }
                ready.succeed(.http2(channel, multiplexer))
            } else {
                try KeepAliveClient.addHTTP1Handlers(to: channel, limits: limits)
                ready.succeed(.http1(channel))
            }
        } catch {
            ready.fail(error)
            context.close(promise: nil)
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        ready.fail(error)
        context.close(promise: nil)
    }

    func channelInactive(context: ChannelHandlerContext) {
        ready.fail(ExchangeError.closedBeforeAnswer)
        context.fireChannelInactive()
    }
}

/// Sends one GET at a time and collects its answer: the head, and the body of a 2xx within the
/// caps, under the deadline and the read timeout. It completes one promise per exchange, so the
/// task waiting for it is woken once. An answer that is not 2xx is taken from its head and its
/// body left unread: the connection is then closed, unless the answer has no body (a 304).
private final class ExchangeHandler: ChannelDuplexHandler {
    typealias InboundIn = HTTPClientResponsePart
    typealias OutboundIn = Exchange
    typealias OutboundOut = HTTPClientRequestPart

    struct Exchange {
        var request: HTTPRequestHead
        var limits: KeepAliveClient.Limits
        var answer: EventLoopPromise<KeepAliveClient.Answer>
    }

    /// An HTTP/2 stream carries one exchange and is closed after it.
    private let oneExchange: Bool
    private var current: Exchange?
    private var head: HTTPResponseHead?
    private var body = ByteBuffer()
    private var lastRead = NIODeadline.now()
    private var timer: Scheduled<Void>?

    init(oneExchange: Bool) {
        self.oneExchange = oneExchange
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        let exchange = unwrapOutboundIn(data)
        guard current == nil else {
            exchange.answer.fail(ExchangeError.closedBeforeAnswer)
            promise?.fail(ChannelError.inappropriateOperationForState)
            return
        }
        current = exchange
        head = nil
        lastRead = .now()
        context.write(wrapOutboundOut(.head(exchange.request)), promise: nil)
        context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: promise)
        arm(context, deadline: min(exchange.limits.deadline, lastRead + exchange.limits.readTimeout))
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard let current else { return }
        lastRead = .now()
        switch unwrapInboundIn(data) {
        case .head(let received):
            guard received.status.code >= 200 else { return }  // 1xx: the answer follows
            head = received
            let code = Int(received.status.code)
            let bodyless = code == 204 || code == 304 || received.headers.first(name: "Content-Length") == "0"
            if !(200..<300).contains(code) && !bodyless {
                finish(context, with: .success(answer(received, reusable: false)), close: true)
            }
        case .body(var part):
            guard let received = head, (200..<300).contains(received.status.code) else { return }
            guard body.readableBytes + part.readableBytes <= current.limits.maximumBodyBytes else {
                finish(context, with: .failure(ExchangeError.tooLarge), close: true)
                return
            }
            body.writeBuffer(&part)
        case .end:
            guard let received = head else { return }
            finish(context, with: .success(answer(received, reusable: received.isKeepAlive && !oneExchange)), close: oneExchange)
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        if current != nil {
            finish(context, with: .failure(error), close: true)
        } else {
            context.close(promise: nil)
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        if current != nil {
            finish(context, with: .failure(head == nil ? ExchangeError.closedBeforeAnswer : ExchangeError.closedMidAnswer), close: false)
        }
        context.fireChannelInactive()
    }

    private func answer(_ head: HTTPResponseHead, reusable: Bool) -> KeepAliveClient.Answer {
        KeepAliveClient.Answer(status: Int(head.status.code), headers: head.headers, body: body, reusable: reusable)
    }

    private func finish(_ context: ChannelHandlerContext, with result: Result<KeepAliveClient.Answer, any Error>, close: Bool) {
        guard let exchange = current else { return }
        current = nil
        timer?.cancel()
        timer = nil
        body = ByteBuffer()
        if close { context.close(promise: nil) }
        exchange.answer.completeWith(result)
    }

    /// One timer per exchange, moved on only when it fires: resetting it on every read would
    /// cost a heap operation per read for a timeout that almost never fires.
    private func arm(_ context: ChannelHandlerContext, deadline: NIODeadline) {
        timer = context.eventLoop.assumeIsolated().scheduleTask(deadline: deadline) { [self] in
            guard let exchange = current else { return }
            let now = NIODeadline.now()
            if now >= exchange.limits.deadline {
                finish(context, with: .failure(ExchangeError.timedOut(total: true)), close: true)
            } else if now >= lastRead + exchange.limits.readTimeout {
                finish(context, with: .failure(ExchangeError.timedOut(total: false)), close: true)
            } else {
                arm(context, deadline: min(exchange.limits.deadline, lastRead + exchange.limits.readTimeout))
            }
        }
    }
}
