import Foundation
import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1
import NIOPosix
import TrailStore

/// Where the recorder writes its records.
public enum CaptureTarget: Sendable {
    /// A JSON lines file, rotated at `maximumSize` bytes, keeping `keep` rotated files.
    case file(path: String, maximumSize: Int64?, keep: Int)
    /// A source in an evidence store, named by `sourcePath` from the port bound.
    case store(EvidenceStore, toolVersion: String, sourcePath: @Sendable (_ port: Int) -> String)
}

/// The capture file, handed to the writer's queue once.
private final class UncheckedFile: @unchecked Sendable {
    let value: CaptureFile
    init(_ value: CaptureFile) { self.value = value }
}

/// Counts exchanges under way, so that a shutdown waits for them to be answered and recorded.
final class ExchangeTracker: Sendable {
    private let state = NIOLockedValueBox((started: 0, finished: 0, notRecorded: 0))

    func begin() { state.withLockedValue { $0.started += 1 } }
    func end(recorded: Bool) {
        state.withLockedValue {
            $0.finished += 1
            if !recorded { $0.notRecorded += 1 }
        }
    }

    var inFlight: Int { state.withLockedValue { $0.started - $0.finished } }
    var finished: Int { state.withLockedValue { $0.finished } }
    var notRecorded: Int { state.withLockedValue { $0.notRecorded } }

    /// Waits, polling every 10 ms, until none is under way or `seconds` have passed; true when none is left.
    func waitForNone(atMost seconds: Double) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while inFlight > 0 && Date() < deadline { usleep(10_000) }
        return inFlight == 0
    }
}

/// The recording proxy: an HTTP/1.1 server on `listen` that forwards every request to the upstream and
/// records each exchange (see `ExchangeRecord`) through one `CaptureWriter`.
///
/// `start()` binds (port 0 picks a free port: `boundAddress` tells which); `stop()` stops accepting, waits
/// for the exchanges under way (at most the upstream time-out and a second), writes every queued record,
/// closes the capture and shuts the event loops down.
public final class RecordingProxy: Sendable {
    public let configuration: RecorderConfiguration
    private let group: MultiThreadedEventLoopGroup
    private let target: CaptureTarget
    private let capture: CaptureWriter
    /// The capture file, opened at once so that a path that cannot be written stops the recorder before it listens.
    private let file: UncheckedFile?
    private let exchanges = ExchangeTracker()
    private let serverChannel = NIOLockedValueBox<Channel?>(nil)

    /// What the recorder did, for the summary at shutdown.
    public struct Summary: Sendable {
        public var exchanges: Int
        /// Exchanges forwarded but not recorded: not token requests.
        public var notTokenRequests: Int
        public var capture: CaptureWriter.Counts
        /// Exchanges still unanswered when the shutdown stopped waiting (not recorded).
        public var abandoned: Int
    }

    /// Opens the capture; `onProblem` hears (once) of a capture that cannot be written.
    public init(configuration: RecorderConfiguration, target: CaptureTarget, onProblem: @escaping @Sendable (String) -> Void) throws {
        self.configuration = configuration
        self.target = target
        if case .file(let path, let maximumSize, let keep) = target {
            file = UncheckedFile(try CaptureFile(path: path, maximumSize: maximumSize, keep: keep))
        } else {
            file = nil
        }
        capture = CaptureWriter(maximumPending: configuration.maximumPendingRecords, onProblem: onProblem)
        group = MultiThreadedEventLoopGroup(numberOfThreads: max(1, min(4, System.coreCount)))
    }

    /// Binds and starts serving; returns the address bound.
    @discardableResult
    public func start() throws -> SocketAddress {
        let upstream: SocketAddress
        do {
            upstream = try SocketAddress.makeAddressResolvingHost(configuration.upstream.host, port: configuration.upstream.port)
        } catch {
            throw RecorderError.invalidUpstream(configuration.upstream.description)
        }
        let proxy = ProxyContext(
            configuration: configuration,
            client: UpstreamClient(address: upstream, timeout: .nanoseconds(Int64(configuration.timeoutSeconds * 1e9)),
                                   maximumBodyBytes: configuration.maximumResponseBodyBytes),
            capture: capture, exchanges: exchanges)
        let bootstrap = ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 256)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.tcpOption(.tcp_nodelay), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline(withErrorHandling: true)
                    try channel.pipeline.syncOperations.addHandler(ProxyHandler(proxy: proxy))
                }
            }
        let listen = configuration.listen
        do {
            let channel = try bootstrap.bind(host: listen.host, port: listen.port).wait()
            serverChannel.withLockedValue { $0 = channel }
            guard let address = channel.localAddress else { throw RecorderError.cannotListen(address: "\(listen)", reason: "no local address") }
            try openCapture(port: address.port ?? listen.port)
            return address
        } catch let error as IOError where error.errnoCode == EADDRINUSE {
            throw RecorderError.portInUse(address: "\(listen)")
        } catch let error as RecorderError {
            throw error
        } catch {
            throw RecorderError.cannotListen(address: "\(listen)", reason: "\(error)")
        }
    }

    /// Gives the capture writer its destination: the file opened at init, or the store source named after `port`.
    private func openCapture(port: Int) throws {
        switch target {
        case .file:
            if let file { capture.open(file.value) }
        case .store(let store, let toolVersion, let sourcePath):
            do {
                capture.open(try StoreCapture(store: store, sourcePath: sourcePath(port), toolVersion: toolVersion))
            } catch {
                _ = stop()
                throw error
            }
        }
    }

    /// The port bound, once started.
    public var port: Int? { serverChannel.withLockedValue { $0?.localAddress?.port } }

    /// Stops accepting, lets the exchanges under way finish, flushes and closes the capture.
    public func stop() -> Summary {
        if let channel = serverChannel.withLockedValue({ $0 }) { try? channel.close().wait() }
        _ = exchanges.waitForNone(atMost: configuration.timeoutSeconds + 1)
        let abandoned = exchanges.inFlight
        let counts = capture.close()
        try? group.syncShutdownGracefully()
        return Summary(exchanges: exchanges.finished, notTokenRequests: exchanges.notRecorded, capture: counts, abandoned: abandoned)
    }
}
