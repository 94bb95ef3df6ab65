import Foundation
import NIOCore
import NIOHTTP1
import NIOHTTP2
import NIOPosix
import NIOSSL
import Synchronization

/// A real HTTP server on 127.0.0.1 for tests: the crawler talks to it over a socket exactly
/// as it would to a publisher. Each request is answered by the `respond` closure. Plain HTTP/1.1
/// by default; with `tls`, HTTPS with HTTP/1.1 or HTTP/2 as ALPN decides.
public final class TestHTTPServer: Sendable {
    /// How a TLS server presents itself.
    public enum TLS: Sendable {
        /// The leaf signed by the test CA (`trustRootPEM`); ALPN offers only "http/1.1".
        case http1Only
        /// The leaf signed by the test CA; ALPN offers "h2" and "http/1.1", serving HTTP/2 when
        /// the client picks "h2" and HTTP/1.1 when it picks "http/1.1" or offers no ALPN.
        case http2AndHTTP1
        /// A self-signed leaf for 127.0.0.1 no test trusts (HTTP/1.1), for verification failures.
        case untrustedCertificate
    }

    public struct Request: Sendable {
        public var method: String
        public var path: String
        public var headers: [(String, String)]
        /// The protocol that carried the request: "HTTP/1.1", "HTTP/1.0" or "HTTP/2".
        public var version: String

        public func header(_ name: String) -> String? {
            headers.first { $0.0.lowercased() == name.lowercased() }?.1
        }
    }

    public struct Response: Sendable {
        /// How the body goes out.
        public enum Delivery: Sendable {
            /// At once, with its Content-Length.
            case whole
            /// One byte per interval, with the full Content-Length announced (a slowloris server).
            case drip(Duration)
            /// `body` repeated forever in chunked encoding, until the client hangs up.
            case endless
            /// At once, then the connection is closed without a `Connection: close` (as a
            /// server's keep-alive timeout closes a connection the client still holds).
            case wholeThenHangUp
        }

        public var status: Int
        public var headers: [(String, String)]
        public var body: Data
        /// Silence before the response starts.
        public var delay: Duration = .zero
        public var delivery: Delivery = .whole

        public init(status: Int = 200, headers: [(String, String)] = [], body: Data = Data(), delay: Duration = .zero, delivery: Delivery = .whole) {
            self.status = status
            self.headers = headers
            self.body = body
            self.delay = delay
            self.delivery = delivery
        }

        public init(status: Int = 200, contentType: String, body: String) {
            self.init(status: status, headers: [("Content-Type", contentType)], body: Data(body.utf8))
        }
    }

    private let channel: Channel
    private let recorder: RequestRecorder
    public let port: Int

    public let host: String

    private let scheme: String
    public var baseURL: String { "\(scheme)://\(host):\(port)" }

    /// Every request received so far, in order.
    public var receivedRequests: [Request] { recorder.all }

    /// The most requests this server was answering at one time.
    public var maximumConcurrentRequests: Int { recorder.maximumInFlight }

    /// The connections clients opened to this server so far.
    public var acceptedConnections: Int { recorder.connections }

    /// The test CA that signed the certificate of `.http1Only` and `.http2AndHTTP1` servers, in PEM,
    /// for a client under test to trust. That certificate names 127.0.0.1 … 127.0.0.11 and localhost.
    public static var trustRootPEM: String { Certificates.shared.trustRootPEM }

    /// The file holding `trustRootPEM`, for tools that take a path (`curl --cacert`).
    public static var trustRootPath: String { Certificates.shared.trustRootPath }

    /// - Parameters:
    ///   - host: any loopback address (127.0.0.2, … act as distinct hosts on Linux).
    ///   - tls: serve HTTPS (see `TLS`) instead of plain HTTP/1.1.
    ///   - port: 0 lets the system choose a free one.
    ///   - recordsRequests: false keeps no list of requests (`receivedRequests` stays empty), for
    ///     benchmarks that serve millions of them.
    public init(
        host: String = "127.0.0.1", port: Int = 0, tls: TLS? = nil, recordsRequests: Bool = true,
        respond: @escaping @Sendable (Request) -> Response
    ) async throws {
        let recorder = RequestRecorder(keepsRequests: recordsRequests)
        let sslContext = try tls.map { try NIOSSLContext(configuration: Certificates.shared.serverConfiguration($0)) }
        let handler: @Sendable () -> Handler = {
            Handler(respond: respond, record: { recorder.append($0) }, answered: { recorder.answered() })
        }
        let bootstrap = ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.backlog, value: 64)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                recorder.connected()
                guard let sslContext else { return Self.configureHTTP1(channel, handler: handler) }
                return channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: sslContext))
                }.flatMap {
                    guard case .http2AndHTTP1 = tls else { return Self.configureHTTP1(channel, handler: handler) }
                    return channel.configureHTTP2SecureUpgrade(
                        h2ChannelConfigurator: { channel in
                            channel.configureHTTP2Pipeline(mode: .server) { stream in
                                stream.eventLoop.makeCompletedFuture {
                                    try stream.pipeline.syncOperations.addHandlers(HTTP2FramePayloadToHTTP1ServerCodec(), handler())
                                }
                            }.map { _ in }
                        },
                        http1ChannelConfigurator: { channel in Self.configureHTTP1(channel, handler: handler) })
                }
            }
        channel = try await bootstrap.bind(host: host, port: port).get()
        self.host = host
        scheme = tls == nil ? "http" : "https"
        self.port = channel.localAddress?.port ?? 0
        self.recorder = recorder
    }

    private static func configureHTTP1(_ channel: Channel, handler: @escaping @Sendable () -> Handler) -> EventLoopFuture<Void> {
        channel.pipeline.configureHTTPServerPipeline().flatMap { channel.pipeline.addHandler(handler()) }
    }

    public func shutdown() async {
        try? await channel.close()
    }
}

final class RequestRecorder: Sendable {
    private struct Counts {
        var requests: [TestHTTPServer.Request] = []
        var inFlight = 0
        var maximumInFlight = 0
        var connections = 0
    }

    private let storage = Mutex(Counts())
    private let keepsRequests: Bool

    init(keepsRequests: Bool) { self.keepsRequests = keepsRequests }

    func append(_ request: TestHTTPServer.Request) {
        storage.withLock {
            if keepsRequests { $0.requests.append(request) }
            $0.inFlight += 1
            $0.maximumInFlight = max($0.maximumInFlight, $0.inFlight)
        }
    }

    func answered() { storage.withLock { $0.inFlight -= 1 } }
    func connected() { storage.withLock { $0.connections += 1 } }
    var connections: Int { storage.withLock { $0.connections } }
    var all: [TestHTTPServer.Request] { storage.withLock { $0.requests } }
    var maximumInFlight: Int { storage.withLock { $0.maximumInFlight } }
}

/// The fixture certificates in Certificates/ (see its README), read once.
private struct Certificates: Sendable {
    static let shared = Certificates()

    let trustRootPath: String
    let trustRootPEM: String
    private let directory: URL

    private init() {
        guard let resources = Bundle.module.resourceURL else {
            preconditionFailure("TestHTTPServer: its resource bundle has no resource directory")
        }
        directory = resources.appendingPathComponent("Certificates")
        trustRootPath = directory.appendingPathComponent("ca.pem").path
        do {
            trustRootPEM = try String(contentsOfFile: trustRootPath, encoding: .utf8)
        } catch {
            preconditionFailure("TestHTTPServer: cannot read the test CA at \(trustRootPath): \(error)")
        }
    }

    func serverConfiguration(_ tls: TestHTTPServer.TLS) throws -> TLSConfiguration {
        let (certificate, key) = switch tls {
        case .http1Only, .http2AndHTTP1: ("server.pem", "server-key.pem")
        case .untrustedCertificate: ("untrusted.pem", "untrusted-key.pem")
        }
        var configuration = TLSConfiguration.makeServerConfiguration(
            certificateChain: try NIOSSLCertificate.fromPEMFile(directory.appendingPathComponent(certificate).path).map { .certificate($0) },
            privateKey: .file(directory.appendingPathComponent(key).path))
        configuration.applicationProtocols = if case .http2AndHTTP1 = tls { ["h2", "http/1.1"] } else { ["http/1.1"] }
        return configuration
    }
}

private final class Handler: ChannelInboundHandler, @unchecked Sendable {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    let respond: @Sendable (TestHTTPServer.Request) -> TestHTTPServer.Response
    let record: @Sendable (TestHTTPServer.Request) -> Void
    let answered: @Sendable () -> Void
    private var head: HTTPRequestHead?

    init(
        respond: @escaping @Sendable (TestHTTPServer.Request) -> TestHTTPServer.Response, record: @escaping @Sendable (TestHTTPServer.Request) -> Void,
        answered: @escaping @Sendable () -> Void
    ) {
        self.respond = respond
        self.record = record
        self.answered = answered
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            self.head = head
        case .body:
            break
        case .end:
            guard let head else { return }
            let version = head.version.major == 2 ? "HTTP/2" : "HTTP/\(head.version.major).\(head.version.minor)"
            let request = TestHTTPServer.Request(
                method: "\(head.method)", path: head.uri, headers: head.headers.map { ($0.name, $0.value) }, version: version)
            record(request)
            let response = respond(request)
            let channel = context.channel
            let answered = self.answered
            let send: @Sendable () -> Void = {
                Self.send(response, version: head.version, on: channel)
                answered()
            }
            if response.delay > .zero {
                channel.eventLoop.scheduleTask(in: .nanoseconds(Self.nanoseconds(response.delay))) { send() }
            } else {
                send()
            }
            self.head = nil
        }
    }

    private static func nanoseconds(_ duration: Duration) -> Int64 {
        duration.components.seconds * 1_000_000_000 + duration.components.attoseconds / 1_000_000_000
    }

    private static func send(_ response: TestHTTPServer.Response, version: HTTPVersion, on channel: Channel) {
        var headers = HTTPHeaders(response.headers)
        if case .endless = response.delivery {
            headers.replaceOrAdd(name: "Transfer-Encoding", value: "chunked")
        } else if !headers.contains(name: "Content-Length") {
            headers.add(name: "Content-Length", value: "\(response.body.count)")
        }
        let head = HTTPResponseHead(version: version, status: HTTPResponseStatus(statusCode: response.status), headers: headers)
        channel.write(HTTPServerResponsePart.head(head), promise: nil)
        switch response.delivery {
        case .whole, .wholeThenHangUp:
            channel.write(HTTPServerResponsePart.body(.byteBuffer(channel.allocator.buffer(bytes: response.body))), promise: nil)
            let sent = channel.writeAndFlush(HTTPServerResponsePart.end(nil))
            if case .wholeThenHangUp = response.delivery { sent.whenComplete { _ in channel.close(promise: nil) } }
        case .drip(let interval):
            channel.flush()
            drip(Array(response.body), from: 0, every: .nanoseconds(nanoseconds(interval)), on: channel)
        case .endless:
            channel.flush()
            // Large writes: when the client stops reading, the socket buffer (megabytes on
            // loopback) fills after a few dozen of them; a few bytes per write would take
            // hundreds of thousands, keeping the event loop every test server and client in
            // the process shares busy for seconds.
            let unit = response.body.isEmpty ? Data(" ".utf8) : response.body
            var chunk = Data()
            while chunk.count < 64 * 1024 { chunk.append(unit) }
            pour(channel.allocator.buffer(bytes: chunk), on: channel)
        }
    }

    private static func drip(_ bytes: [UInt8], from index: Int, every interval: TimeAmount, on channel: Channel) {
        guard channel.isActive else { return }
        guard index < bytes.count else {
            channel.writeAndFlush(HTTPServerResponsePart.end(nil), promise: nil)
            return
        }
        channel.writeAndFlush(HTTPServerResponsePart.body(.byteBuffer(channel.allocator.buffer(bytes: [bytes[index]]))), promise: nil)
        channel.eventLoop.scheduleTask(in: interval) { drip(bytes, from: index + 1, every: interval, on: channel) }
    }

    /// Writes the next chunk only when the previous one left, so an endless body costs no memory.
    /// A write the socket takes at once completes inside `writeAndFlush`, running its callback
    /// right there: calling `pour` from the callback directly would nest a set of stack frames
    /// per chunk for as long as the socket takes them (a stack overflow with small chunks), so
    /// the next chunk is queued on the event loop instead.
    private static func pour(_ chunk: ByteBuffer, on channel: Channel) {
        channel.writeAndFlush(HTTPServerResponsePart.body(.byteBuffer(chunk))).whenComplete { result in
            guard case .success = result, channel.isActive else { return }
            channel.eventLoop.execute { pour(chunk, on: channel) }
        }
    }
}
