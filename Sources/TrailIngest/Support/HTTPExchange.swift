import Foundation
import TrailModel

/// One HTTP request and its response, as several captures hold them (HAR entries, Azure SDK
/// recordings, mitrail's own token-request records, raw HTTP transcripts), and the record
/// fields every such exchange yields.
struct HTTPExchange {
    /// What the request was addressed to, which decides the record kind.
    enum Target: Equatable {
        case imdsToken, arm, storage, other
    }

    var method: String?
    var url: String?
    /// Nil when the capture did not keep them.
    var requestHeaders: HTTPHeaders?
    /// Nil when unknown; 0 when no answer came.
    var status: Int?
    var responseHeaders: HTTPHeaders?
    /// The response body: a parsed JSON value, or text.
    var responseBody: Any?
    var durationMs: Double?
    /// The request got no answer (a time-out, a refused connection).
    var noAnswer = false

    /// The target the URL names, else what the response shows (an `IMDS/...` server, a token body).
    var target: Target {
        if let url { return Self.target(of: url) }
        if responseHeaders?.value("Server")?.hasPrefix("IMDS/") == true { return .imdsToken }
        if let body = parsedBody as? [String: Any], TokenEndpointBody.looksLikeOne(body) { return .imdsToken }
        if responseHeaders?.value("Server")?.hasPrefix("Windows-Azure-") == true { return .storage }
        return .other
    }

    var kind: RecordKind {
        switch target {
        case .imdsToken: return .imdsTokenRequest
        case .arm: return .armRequest
        case .storage: return .storageRequest
        case .other: return .httpExchange
        }
    }

    static func target(of url: String) -> Target {
        target(of: URLParts(url))
    }

    static func target(of parts: URLParts) -> Target {
        let path = parts.path.lowercased()
        if path.contains("/metadata/identity/oauth2/token") || path.hasSuffix("/msi/token") {
            return .imdsToken
        }
        if ServiceHosts.armHosts.contains(parts.host) { return .arm }
        if ServiceHosts.isStorage(parts.host) { return .storage }
        return .other
    }

    /// The body as JSON when it is JSON text, else as it is.
    var parsedBody: Any? {
        guard let text = responseBody as? String else { return responseBody }
        return JSONBody.parse(text) ?? text
    }

    /// The record fields: request, response, error, identity and token details.
    func fields(asTokenRequest: Bool = false) -> RecordFields {
        var fields = RecordFields()
        fields.set("method", method)
        fields.set("url", url)
        if let status, status > 0 { fields.set("status", .integer(Int64(status))) }
        let isTokenRequest = asTokenRequest || target == .imdsToken
        let unanswered = noAnswer || status == 0
        if isTokenRequest || unanswered { fields.set("noAnswer", .bool(unanswered)) }
        if let durationMs { fields.set("durationMs", FieldNumber.value(durationMs)) }
        if let url {
            let parts = URLParts(url)
            if isTokenRequest { IdentityQuery.addFields(of: parts, to: &fields) }
            switch Self.target(of: parts) {
            case .arm: ARMPath.addFields(of: parts, to: &fields)
            case .storage: StoragePath.addFields(of: parts, to: &fields)
            default: break
            }
        }
        if isTokenRequest, let requestHeaders {
            fields.set("metadataHeader", .bool(requestHeaders.value("Metadata") == "true"))
        }
        let body = parsedBody
        ErrorBody.addFields(of: body, to: &fields)
        if fields["errorCode"] == nil { fields.set("errorCode", responseHeaders?.value("x-ms-error-code")) }
        if let object = body as? [String: Any] { TokenEndpointBody.addTokenFields(of: object, to: &fields) }
        BearerToken.addFields(ofAuthorization: requestHeaders?.value("Authorization"), to: &fields)
        fields.set("server", responseHeaders?.value("Server"))
        fields.set("requestId", responseHeaders?.value("x-ms-request-id"))
        fields.set("clientRequestId", requestHeaders?.value("x-ms-client-request-id") ?? responseHeaders?.value("x-ms-client-request-id"))
        fields.set("correlationId", responseHeaders?.value("x-ms-correlation-request-id"))
        return fields
    }

    /// The exchange's own time: the response's `Date` header, else a token endpoint body's `timestamp`.
    var responseTime: Timestamp? {
        if let date = responseHeaders?.value("Date").flatMap(HTTPDate.parse) { return date }
        return ((parsedBody as? [String: Any])?["timestamp"] as? String).flatMap(RecordTime.parse)?.time
    }
}

/// Header names and values in their order; lookups ignore case.
struct HTTPHeaders {
    var entries: [(name: String, value: String)] = []

    init(_ entries: [(name: String, value: String)] = []) { self.entries = entries }

    /// Headers from a JSON object (`{"Name": "value"}`; array values are joined with ", ").
    init(object: [String: Any]) {
        for (name, value) in object.sorted(by: { $0.key < $1.key }) {
            if let text = value as? String {
                entries.append((name, text))
            } else if let list = value as? [Any] {
                entries.append((name, list.compactMap { $0 as? String }.joined(separator: ", ")))
            } else if let scalar = JSONValues.fieldValue(value), case .integer(let number) = scalar {
                entries.append((name, String(number)))
            }
        }
    }

    /// Headers from a HAR list (`[{"name": ..., "value": ...}]`).
    init(harList: [Any]) {
        for case let header as [String: Any] in harList {
            if let name = header["name"] as? String { entries.append((name, header["value"] as? String ?? "")) }
        }
    }

    func value(_ name: String) -> String? {
        entries.first { Self.sameName($0.name, name) }?.value
    }

    /// Names equal but for case: ASCII names compared on their bytes, others by Foundation
    /// (which folds more than ASCII: `ß` and `ss`, the Kelvin sign and `k`).
    static func sameName(_ lhs: String, _ rhs: String) -> Bool {
        var (left, right) = (lhs, rhs)
        let ascii: Bool? = left.withUTF8 { left in
            right.withUTF8 { right in
                guard URLParts.allASCII(left), URLParts.allASCII(right) else { return nil }
                guard left.count == right.count else { return false }
                for index in 0..<left.count where Redactor.lowercase(left[index]) != Redactor.lowercase(right[index]) { return false }
                return true
            }
        }
        return ascii ?? (lhs.caseInsensitiveCompare(rhs) == .orderedSame)
    }
}

/// Host names of the Azure services whose requests get their own record kinds.
enum ServiceHosts {
    static let armHosts: Set<String> = [
        "management.azure.com", "management.usgovcloudapi.net", "management.chinacloudapi.cn", "management.microsoftazure.de",
    ]
    static let storageServices = [".blob.", ".dfs.", ".queue.", ".table.", ".file."]
    static let storageSuffixes = [".core.windows.net", ".core.usgovcloudapi.net", ".core.chinacloudapi.cn"]

    static func isStorage(_ host: String) -> Bool {
        storageSuffixes.contains(where: host.hasSuffix) && storageServices.contains(where: host.contains)
    }
}

/// A number as an integer field when it is whole, else as a number.
enum FieldNumber {
    static func value(_ number: Double) -> FieldValue {
        if number.isFinite, number == number.rounded(), abs(number) < 1e15 { return .integer(Int64(number)) }
        return .number(number)
    }
}

/// Reads text bodies that are JSON.
enum JSONBody {
    /// The parsed value when `text` (trimmed) is a JSON object or array; nil otherwise.
    static func parse(_ text: String) -> Any? {
        let trimmed = text.trimmedWhitespace(newlines: true)
        guard trimmed.hasPrefix("{") || trimmed.hasPrefix("[") else { return nil }
        return try? FastJSON.jsonObject(with: Array(trimmed.utf8))
    }

    /// A JSON object embedded in a line of text (from its first `{` to its last `}`), if any.
    static func embeddedObject(in text: Substring) -> [String: Any]? {
        guard let open = text.firstIndex(of: "{"), let close = text.lastIndex(of: "}"), open < close else { return nil }
        return (try? FastJSON.jsonObject(with: Array(text[open...close].utf8))) as? [String: Any]
    }
}
