import NIOHTTP1
import TrailIngest

/// Which request header values a record keeps: those known to carry no secret, by name. Every other
/// header keeps its name and has its value replaced by `REDACTED` (`Authorization`, App Service's
/// `X-IDENTITY-HEADER`, Service Fabric's and Azure ML's `Secret`, a header nobody here has seen yet).
/// Response headers are kept (IMDS sends no secret in them) and redacted with the rest of the record.
enum RecordedHeaders {
    /// Lower-case names whose values are kept: what IMDS reads (`Metadata`) and what tells which client asked.
    static let keptRequestHeaders: Set<String> = [
        "metadata", "host", "user-agent", "accept", "accept-encoding", "accept-language", "content-type", "content-length",
        "connection", "keep-alive", "x-ms-client-request-id", "x-ms-return-client-request-id", "x-client-sku", "x-client-ver",
        "x-client-os", "x-client-cpu", "x-client-current-telemetry", "x-client-last-telemetry", "x-ms-app", "x-ms-useragent",
        "traceparent", "tracestate", "request-id",
    ]

    /// The request headers as the record holds them, in the client's order.
    static func request(_ headers: HTTPHeaders) -> [(name: String, value: String)] {
        headers.map { header in
            keptRequestHeaders.contains(header.name.lowercased()) ? (header.name, header.value) : (header.name, Redactor.placeholder)
        }
    }

    /// The response headers as the record holds them.
    static func response(_ headers: HTTPHeaders) -> [(name: String, value: String)] {
        headers.map { ($0.name, $0.value) }
    }
}

/// Headers that concern one connection and are not forwarded (RFC 9110, section 7.6.1), plus those the
/// `Connection` header names.
enum HopByHopHeaders {
    static let names: Set<String> = [
        "connection", "keep-alive", "proxy-connection", "proxy-authenticate", "proxy-authorization", "te", "trailer",
        "transfer-encoding", "upgrade",
    ]

    /// `headers` with `name` set to `value` where it stood (first occurrence; later ones dropped), or
    /// added at the end: the order a client or upstream sent stays.
    static func setting(_ name: String, to value: String, in headers: HTTPHeaders) -> HTTPHeaders {
        var result = HTTPHeaders()
        var placed = false
        for header in headers {
            guard header.name.lowercased() == name.lowercased() else {
                result.add(name: header.name, value: header.value)
                continue
            }
            if !placed { result.add(name: header.name, value: value) }
            placed = true
        }
        if !placed { result.add(name: name, value: value) }
        return result
    }

    /// `headers` without the hop-by-hop ones.
    static func removed(from headers: HTTPHeaders) -> HTTPHeaders {
        var named = names
        for value in headers[canonicalForm: "connection"] { named.insert(value.lowercased().trimmingCharacters(in: .whitespaces)) }
        var kept = HTTPHeaders()
        for header in headers where !named.contains(header.name.lowercased()) { kept.add(name: header.name, value: header.value) }
        return kept
    }
}
