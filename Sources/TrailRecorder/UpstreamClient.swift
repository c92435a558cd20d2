import NIOCore
import NIOHTTP1
import NIOPosix

/// A request as the recorder forwards it.
struct ForwardedRequest: Sendable {
    var head: HTTPRequestHead
    var body: ByteBuffer?
}

/// What came back from the upstream: its whole answer, or why there was none.
enum UpstreamOutcome: Sendable {
    case response(HTTPResponseHead, ByteBuffer)
    /// `reason` is what the record's `error` says (`timeout`, `connection refused`, ...); `detail` the system's words.
    case noAnswer(reason: String, detail: String?)

    static let timeout = UpstreamOutcome.noAnswer(reason: "timeout", detail: nil)
}

/// Sends one request to the upstream on a connection of its own (closed after the answer) and collects the
/// whole answer, on the event loop of the client connection it serves.
struct UpstreamClient: Sendable {
    let address: SocketAddress
    let timeout: TimeAmount
    let maximumBodyBytes: Int

    /// Never fails: every problem becomes `.noAnswer`.
    func send(_ request: ForwardedRequest, on eventLoop: EventLoop) -> EventLoopFuture<UpstreamOutcome> {
        let promise = eventLoop.makePromise(of: UpstreamOutcome.self)
        let maximumBodyBytes = self.maximumBodyBytes
        let connect = ClientBootstrap(group: eventLoop)
            .connectTimeout(timeout)
            .channelOption(.tcpOption(.tcp_nodelay), value: 1)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHTTPClientHandlers()
                    try channel.pipeline.syncOperations.addHandler(UpstreamAnswerCollector(promise: promise, maximumBodyBytes: maximumBodyBytes))
                }
            }
            .connect(to: address)
        let deadline = eventLoop.scheduleTask(in: timeout) { promise.succeed(.timeout) }
        connect.assumeIsolated().whenComplete { result in
            switch result {
            case .success(let channel):
                channel.write(HTTPClientRequestPart.head(request.head), promise: nil)
                if let body = request.body, body.readableBytes > 0 { channel.write(HTTPClientRequestPart.body(.byteBuffer(body)), promise: nil) }
                channel.writeAndFlush(HTTPClientRequestPart.end(nil), promise: nil)
                promise.futureResult.whenComplete { _ in channel.close(promise: nil) }
            case .failure(let error):
                promise.succeed(Self.outcome(of: error))
            }
        }
        promise.futureResult.whenComplete { _ in deadline.cancel() }
        return promise.futureResult
    }

    /// The record's words for a failure to connect or read.
    static func outcome(of error: Error) -> UpstreamOutcome {
        if let error = error as? IOError {
            switch error.errnoCode {
            case ECONNREFUSED: return .noAnswer(reason: "connection refused", detail: "\(error)")
            case EHOSTUNREACH: return .noAnswer(reason: "host unreachable", detail: "\(error)")
            case ENETUNREACH: return .noAnswer(reason: "network unreachable", detail: "\(error)")
            case ECONNRESET: return .noAnswer(reason: "connection reset", detail: "\(error)")
            case ETIMEDOUT: return .timeout
            default: return .noAnswer(reason: "connection failed", detail: "\(error)")
            }
        }
        if let error = error as? ChannelError, case .connectTimeout = error { return .timeout }
        return .noAnswer(reason: "connection failed", detail: "\(error)")
    }
}

/// Collects the upstream's answer; completes the promise at its end, or with the reason there is none.
/// Completing an already completed promise (after the time-out) is a no-op.
final class UpstreamAnswerCollector: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPClientResponsePart

    private let promise: EventLoopPromise<UpstreamOutcome>
    private let maximumBodyBytes: Int
    private var head: HTTPResponseHead?
    private var body: ByteBuffer?
    private var done = false

    init(promise: EventLoopPromise<UpstreamOutcome>, maximumBodyBytes: Int) {
        self.promise = promise
        self.maximumBodyBytes = maximumBodyBytes
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !done else { return }
        switch unwrapInboundIn(data) {
        case .head(let head):
            // 1xx answers are interim: the real one follows.
            guard head.status.code >= 200 || head.status.code < 100 else { return }
            self.head = head
        case .body(var chunk):
            if (body?.readableBytes ?? 0) + chunk.readableBytes > maximumBodyBytes {
                finish(.noAnswer(reason: "response too large", detail: "the upstream's body passed \(maximumBodyBytes) bytes"), context)
                return
            }
            if body == nil { body = chunk } else { body?.writeBuffer(&chunk) }
        case .end:
            guard let head else { return }
            finish(.response(head, body ?? ByteBuffer()), context)
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        finish(.noAnswer(reason: "connection closed", detail: "the upstream closed the connection before its answer was complete"), context)
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        finish(UpstreamClient.outcome(of: error), context)
    }

    private func finish(_ outcome: UpstreamOutcome, _ context: ChannelHandlerContext) {
        guard !done else { return }
        done = true
        promise.succeed(outcome)
        context.close(promise: nil)
    }
}
