import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import Synchronization

/// A real HTTP/1.1 server on 127.0.0.1 for tests: the crawler talks to it over a socket exactly
/// as it would to a publisher. Each request is answered by the `respond` closure.
public final class TestHTTPServer: Sendable {
    public struct Request: Sendable {
        public var method: String
        public var path: String
        public var headers: [(String, String)]

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

    public var baseURL: String { "http://\(host):\(port)" }

    /// Every request received so far, in order.
    public var receivedRequests: [Request] { recorder.all }

    /// The most requests this server was answering at one time.
    public var maximumConcurrentRequests: Int { recorder.maximumInFlight }

    /// The connections clients opened to this server so far.
    public var acceptedConnections: Int { recorder.connections }

    /// - Parameter host: any loopback address (127.0.0.2, … act as distinct hosts on Linux).
    public init(host: String = "127.0.0.1", respond: @escaping @Sendable (Request) -> Response) async throws {
        let recorder = RequestRecorder()
        let bootstrap = ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.backlog, value: 64)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                recorder.connected()
                return channel.pipeline.configureHTTPServerPipeline().flatMap {
                    channel.pipeline.addHandler(Handler(respond: respond, record: { recorder.append($0) }, answered: { recorder.answered() }))
                }
            }
        channel = try await bootstrap.bind(host: host, port: 0).get()
        self.host = host
        port = channel.localAddress?.port ?? 0
        self.recorder = recorder
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

    func append(_ request: TestHTTPServer.Request) {
        storage.withLock {
            $0.requests.append(request)
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
            let request = TestHTTPServer.Request(method: "\(head.method)", path: head.uri, headers: head.headers.map { ($0.name, $0.value) })
            record(request)
            let response = respond(request)
            let channel = context.channel
            let version = head.version
            let answered = self.answered
            let send: @Sendable () -> Void = {
                Self.send(response, version: version, on: channel)
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
        case .whole:
            channel.write(HTTPServerResponsePart.body(.byteBuffer(channel.allocator.buffer(bytes: response.body))), promise: nil)
            channel.writeAndFlush(HTTPServerResponsePart.end(nil), promise: nil)
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
