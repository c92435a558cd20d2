import Foundation

/// Where the recorder listens, where it forwards, and what it writes in each record.
public struct RecorderConfiguration: Sendable {
    /// The address to listen on (port 0: a free port, chosen by the system).
    public var listen: ListenAddress
    public var upstream: UpstreamURL
    /// How long to wait for the upstream's whole answer before answering 504 and recording no answer.
    public var timeoutSeconds: Double
    /// Written into every record, when known (`--node`, else `$AZ_BATCH_NODE_ID`).
    public var node: String?
    /// Written into every record, when known (`--pool`, else `$AZ_BATCH_POOL_ID`).
    public var pool: String?
    /// A request body larger than this is refused with 413 (token requests have none).
    public var maximumRequestBodyBytes = 1 << 20
    /// A response body larger than this is answered 502 (a token response is a few KiB).
    public var maximumResponseBodyBytes = 16 << 20
    /// How many records may wait for the capture writer; beyond that a record is dropped and counted.
    public var maximumPendingRecords = 8_192

    public init(listen: ListenAddress, upstream: UpstreamURL, timeoutSeconds: Double = 30, node: String? = nil, pool: String? = nil) {
        self.listen = listen
        self.upstream = upstream
        self.timeoutSeconds = timeoutSeconds
        self.node = node
        self.pool = pool
    }
}

/// `HOST:PORT`: where the recorder listens, and the upstream's address.
public struct ListenAddress: Sendable, Equatable, CustomStringConvertible {
    public var host: String
    public var port: Int

    public init(host: String, port: Int) {
        self.host = host
        self.port = port
    }

    /// Reads `HOST:PORT` (`[::1]:PORT` for IPv6); nil when it is not that.
    static func parse(_ text: Substring, ports: ClosedRange<Int>) -> ListenAddress? {
        guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]), ports.contains(port) else { return nil }
        var host = text[..<colon]
        if host.hasPrefix("["), host.hasSuffix("]") { host = host.dropFirst().dropLast() }
        guard !host.isEmpty, !host.contains("/"), !host.contains("@"), !host.contains("?") else { return nil }
        return ListenAddress(host: String(host), port: port)
    }

    /// Reads `HOST:PORT`; port 0 asks for a free port.
    public init(parsing text: String) throws {
        guard let address = Self.parse(Substring(text), ports: 0...65_535) else { throw RecorderError.invalidListenAddress(text) }
        self = address
    }

    /// `HOST:PORT`, IPv6 hosts in brackets.
    public var description: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }
}

/// The upstream the recorder forwards to: `http://HOST[:PORT]`, IMDS by default.
public struct UpstreamURL: Sendable, Equatable, CustomStringConvertible {
    public var address: ListenAddress
    public var host: String { address.host }
    public var port: Int { address.port }

    public init(address: ListenAddress) { self.address = address }

    /// Reads `http://HOST[:PORT][/]`; a path, query or any other scheme is refused.
    public init(parsing text: String) throws {
        guard text.lowercased().hasPrefix("http://") else { throw RecorderError.invalidUpstream(text) }
        var authority = Substring(text.dropFirst("http://".count))
        if authority.hasSuffix("/") { authority = authority.dropLast() }
        let hasPort = authority.lastIndex(of: ":").map { !authority[$0...].contains("]") } ?? false
        guard let address = ListenAddress.parse(hasPort ? authority : authority + ":80", ports: 1...65_535) else {
            throw RecorderError.invalidUpstream(text)
        }
        self.address = address
    }

    /// The `Host` header a client addressing the upstream directly sends.
    public var authority: String { port == 80 ? (host.contains(":") ? "[\(host)]" : host) : address.description }

    /// `http://AUTHORITY`, the start of every recorded URL.
    public var description: String { "http://" + authority }
}
