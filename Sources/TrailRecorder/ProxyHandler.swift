import NIOCore
import NIOHTTP1
import TrailModel

/// What every connection of one recorder shares.
struct ProxyContext: Sendable {
    let configuration: RecorderConfiguration
    let client: UpstreamClient
    let capture: CaptureWriter
    let exchanges: ExchangeTracker
}

/// Serves one client connection: each request is forwarded as it came (but for hop-by-hop headers and
/// `Host`), the upstream's answer is returned as it came, and the exchange is recorded once the client has it.
/// HTTP/1.1 pipelining is ordered by NIO's server pipeline handler in front of this one.
final class ProxyHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let proxy: ProxyContext
    private var head: HTTPRequestHead?
    private var body: ByteBuffer?
    private var bodyTooLarge = false

    init(proxy: ProxyContext) { self.proxy = proxy }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            self.head = head
            body = nil
            bodyTooLarge = false
        case .body(var chunk):
            guard !bodyTooLarge else { return }
            if (body?.readableBytes ?? 0) + chunk.readableBytes > proxy.configuration.maximumRequestBodyBytes {
                bodyTooLarge = true
                body = nil
            } else if body == nil {
                body = chunk
            } else {
                body?.writeBuffer(&chunk)
            }
        case .end:
            guard let head else { return }
            self.head = nil
            exchange(head, body: bodyTooLarge ? nil : body, refused: bodyTooLarge, context: context)
        }
    }

    private func exchange(_ head: HTTPRequestHead, body: ByteBuffer?, refused: Bool, context: ChannelHandlerContext) {
        let started = Timestamp.now
        let clock = NIODeadline.now()
        proxy.exchanges.begin()
        let outcome: EventLoopFuture<UpstreamOutcome>
        if refused {
            outcome = context.eventLoop.makeSucceededFuture(
                .noAnswer(reason: "request too large", detail: "not forwarded: the body passed \(proxy.configuration.maximumRequestBodyBytes) bytes"))
        } else {
            outcome = proxy.client.send(ForwardedRequest(head: Self.forwardedHead(head, body: body, upstream: proxy.configuration.upstream), body: body),
                                        on: context.eventLoop)
        }
        outcome.assumeIsolated().whenSuccess { [self] answer in
            let duration = Double((NIODeadline.now() - clock).nanoseconds) / 1_000_000
            respond(answer, to: head, refused: refused, context: context)
            let recorded = Self.isTokenRequest(head.uri)
            if recorded { proxy.capture.submit(record(head, answer, started: started, durationMs: duration).line()) }
            proxy.exchanges.end(recorded: recorded)
        }
    }

    /// The request as the upstream gets it: origin-form target, no hop-by-hop headers, `Host` naming the upstream,
    /// and a body the client sent in chunks sent with its length (it is whole by then).
    static func forwardedHead(_ head: HTTPRequestHead, body: ByteBuffer?, upstream: UpstreamURL) -> HTTPRequestHead {
        var headers = HopByHopHeaders.setting("Host", to: upstream.authority, in: HopByHopHeaders.removed(from: head.headers))
        if let body, body.readableBytes > 0, !headers.contains(name: "Content-Length") {
            headers = HopByHopHeaders.setting("Content-Length", to: String(body.readableBytes), in: headers)
        }
        return HTTPRequestHead(version: .http1_1, method: head.method, uri: Self.originForm(head.uri), headers: headers)
    }

    /// A managed identity token request (IMDS `/metadata/identity/oauth2/token`, App Service and Arc style
    /// `/msi/token`): what the record format holds. Other requests (instance metadata, scheduled events) are
    /// forwarded the same way but not recorded, so that explain never takes them for token requests.
    static func isTokenRequest(_ uri: String) -> Bool {
        let path = originForm(uri).split(separator: "?", maxSplits: 1).first.map { $0.lowercased() } ?? ""
        return path.contains("/metadata/identity/oauth2/token") || path.hasSuffix("/msi/token")
    }

    /// `http://host/path?query` (a request to a proxy) becomes `/path?query`; anything else is kept.
    static func originForm(_ uri: String) -> String {
        guard uri.lowercased().hasPrefix("http://") else { return uri }
        let rest = uri.dropFirst("http://".count)
        guard let slash = rest.firstIndex(where: { $0 == "/" || $0 == "?" }) else { return "/" }
        return rest[slash] == "?" ? "/" + rest[slash...] : String(rest[slash...])
    }

    private func respond(_ answer: UpstreamOutcome, to request: HTTPRequestHead, refused: Bool, context: ChannelHandlerContext) {
        guard context.channel.isActive else { return }
        let keepAlive = request.isKeepAlive
        var status: HTTPResponseStatus
        var headers: HTTPHeaders
        var body: ByteBuffer
        switch answer {
        case .response(let upstream, let upstreamBody):
            status = upstream.status
            headers = HopByHopHeaders.removed(from: upstream.headers)
            body = upstreamBody
            let bodiless = request.method == .HEAD || status.code < 200 || status.code == 204 || status.code == 304
            if bodiless {
                body = ByteBuffer()
            } else {
                headers = HopByHopHeaders.setting("Content-Length", to: String(body.readableBytes), in: headers)
            }
        case .noAnswer(let reason, _):
            status = refused ? .payloadTooLarge : reason == "timeout" ? .gatewayTimeout : .badGateway
            body = ByteBuffer(string: "mitrail record: no answer from \(proxy.configuration.upstream) (\(reason))\n")
            headers = ["Content-Type": "text/plain; charset=utf-8", "Content-Length": String(body.readableBytes)]
        }
        if !keepAlive {
            headers.add(name: "Connection", value: "close")
        } else if request.version == .http1_0 {
            headers.add(name: "Connection", value: "keep-alive")
        }
        context.write(wrapOutboundOut(.head(HTTPResponseHead(version: request.version, status: status, headers: headers))), promise: nil)
        if body.readableBytes > 0 { context.write(wrapOutboundOut(.body(.byteBuffer(body))), promise: nil) }
        let written = context.writeAndFlush(wrapOutboundOut(.end(nil)))
        if !keepAlive { written.assumeIsolated().whenComplete { _ in context.close(promise: nil) } }
    }

    private func record(_ head: HTTPRequestHead, _ answer: UpstreamOutcome, started: Timestamp, durationMs: Double) -> ExchangeRecord {
        let configuration = proxy.configuration
        let recordedAnswer: ExchangeRecord.Answer
        switch answer {
        case .response(let upstream, var body):
            recordedAnswer = .response(status: Int(upstream.status.code), headers: RecordedHeaders.response(upstream.headers),
                                       body: body.readBytes(length: body.readableBytes) ?? [])
        case .noAnswer(let reason, let detail):
            recordedAnswer = .none(error: reason, detail: detail)
        }
        return ExchangeRecord(time: started, node: configuration.node, pool: configuration.pool, method: head.method.rawValue,
                              url: configuration.upstream.description + Self.originForm(head.uri),
                              requestHeaders: RecordedHeaders.request(head.headers), answer: recordedAnswer, durationMs: durationMs)
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        context.close(promise: nil)
    }
}
