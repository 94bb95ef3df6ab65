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
        public var status: Int
        public var headers: [(String, String)]
        public var body: Data

        public init(status: Int = 200, headers: [(String, String)] = [], body: Data = Data()) {
            self.status = status
            self.headers = headers
            self.body = body
        }

        public init(status: Int = 200, contentType: String, body: String) {
            self.init(status: status, headers: [("Content-Type", contentType)], body: Data(body.utf8))
        }
    }

    private let channel: Channel
    private let recorder: RequestRecorder
    public let port: Int

    public var baseURL: String { "http://127.0.0.1:\(port)" }

    /// Every request received so far, in order.
    public var receivedRequests: [Request] { recorder.all }

    public init(respond: @escaping @Sendable (Request) -> Response) async throws {
        let recorder = RequestRecorder()
        let bootstrap = ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.backlog, value: 64)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.pipeline.configureHTTPServerPipeline().flatMap {
                    channel.pipeline.addHandler(Handler(respond: respond, record: { recorder.append($0) }))
                }
            }
        channel = try await bootstrap.bind(host: "127.0.0.1", port: 0).get()
        port = channel.localAddress?.port ?? 0
        self.recorder = recorder
    }

    public func shutdown() async {
        try? await channel.close()
    }
}

final class RequestRecorder: Sendable {
    private let storage = Mutex<[TestHTTPServer.Request]>([])
    func append(_ request: TestHTTPServer.Request) { storage.withLock { $0.append(request) } }
    var all: [TestHTTPServer.Request] { storage.withLock { $0 } }
}

private final class Handler: ChannelInboundHandler, @unchecked Sendable {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    let respond: @Sendable (TestHTTPServer.Request) -> TestHTTPServer.Response
    let record: @Sendable (TestHTTPServer.Request) -> Void
    private var head: HTTPRequestHead?

    init(respond: @escaping @Sendable (TestHTTPServer.Request) -> TestHTTPServer.Response, record: @escaping @Sendable (TestHTTPServer.Request) -> Void) {
        self.respond = respond
        self.record = record
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
            var headers = HTTPHeaders(response.headers)
            if !headers.contains(name: "Content-Length") {
                headers.add(name: "Content-Length", value: "\(response.body.count)")
            }
            let responseHead = HTTPResponseHead(version: head.version, status: HTTPResponseStatus(statusCode: response.status), headers: headers)
            context.write(wrapOutboundOut(.head(responseHead)), promise: nil)
            var buffer = context.channel.allocator.buffer(capacity: response.body.count)
            buffer.writeBytes(response.body)
            context.write(wrapOutboundOut(.body(.byteBuffer(buffer))), promise: nil)
            context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
            self.head = nil
        }
    }
}
