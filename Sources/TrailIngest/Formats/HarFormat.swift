import Foundation
import TrailModel

extension RecordKind {
    static let armRequest = RecordKind("azure:arm:request")
    static let storageRequest = RecordKind("azure:storage:request")
    static let httpExchange = RecordKind("azure:http:exchange")
}

/// HTTP Archive 1.2 files (`{"log": {"version", "creator", "entries": [...]}}`) saved from the
/// portal or a browser's developer tools. One record per entry, kind by URL: IMDS token calls,
/// ARM calls, storage calls, anything else; the portal's ARM batch call also yields one record per
/// nested response. Entries are streamed one at a time (the splitter unwraps `log/entries`).
public struct HarFormat: EvidenceFormat {
    public let id = "har"
    public let title = "HTTP Archive (.har) from the Azure portal or a browser"
    public let example = "browser developer tools, Network tab: \"Save all as HAR with content\""

    public init() {}

    /// The document opens with `{"log": {` (whitespace allowed): every HAR writer puts `log` first and alone.
    public func sniff(_ sample: SniffSample) -> Bool {
        var rest = Substring(sample.text)
        for token in ["{", "\"log\"", ":", "{"] {
            rest = rest.drop { $0.isWhitespace }
            guard rest.hasPrefix(token) else { return false }
            rest = rest.dropFirst(token.count)
        }
        return true
    }

    public func parse(_ input: ParseInput, into sink: RecordSink) throws {
        try input.forEachJSONRecord(unwrapping: ["log/entries"], into: sink) { element in
            try Self.emitEntry(element, into: sink)
        }
    }

    static func emitEntry(_ element: JSONElement, into sink: RecordSink) throws {
        let value = try element.parse()
        guard let entry = value as? [String: Any], let request = entry["request"] as? [String: Any] else {
            throw JSONElementError(reason: element.pointer == nil ? "an HTTP Archive without a log.entries list"
                                   : "not a HAR entry: it has no request object")
        }
        let exchange = Self.exchange(of: entry, request: request)
        let (time, origin) = (entry["startedDateTime"] as? String).flatMap(RecordTime.parse) ?? (nil, .none)
        let position = SourcePosition(line: element.line, pointer: element.pointer)
        try sink.emit(EvidenceRecord(kind: exchange.kind, position: position, time: time, timeOrigin: origin,
                                     fields: exchange.fields(), raw: HarRedaction.redact(element.text, entry: entry)))
        guard ARMBatch.isBatchCall(exchange), let content = exchange.responseBody as? String else { return }
        let requestText = JSONValues.value(request, "postData", "text") as? String
        try ARMBatch.emitItems(content: content, requestText: requestText, at: position, time: (time, origin), into: sink)
    }

    static func exchange(of entry: [String: Any], request: [String: Any]) -> HTTPExchange {
        let response = entry["response"] as? [String: Any]
        var exchange = HTTPExchange(method: request["method"] as? String, url: request["url"] as? String)
        exchange.requestHeaders = (request["headers"] as? [Any]).map(HTTPHeaders.init(harList:))
        exchange.status = (response?["status"] as? NSNumber)?.intValue
        exchange.responseHeaders = (response?["headers"] as? [Any]).map(HTTPHeaders.init(harList:))
        exchange.responseBody = contentText(response?["content"] as? [String: Any])
        exchange.durationMs = (entry["time"] as? NSNumber).map { ($0.doubleValue * 1000).rounded() / 1000 }
        exchange.noAnswer = exchange.status == 0 || (response?["_error"] as? String)?.isEmpty == false
        return exchange
    }

    /// The response body text, decoded when the archive stored it in base64.
    static func contentText(_ content: [String: Any]?) -> String? {
        guard let text = content?["text"] as? String else { return nil }
        if (content?["encoding"] as? String)?.lowercased().hasPrefix("base64") == true, let decoded = base64Text(text) {
            return decoded
        }
        return text
    }

    /// The text a base64 string encodes, when it is base64 of UTF-8 text.
    static func base64Text(_ text: String) -> String? {
        guard text.count >= 8, let data = Data(base64Encoded: text) else { return nil }
        return String(data: data, encoding: .utf8)
    }
}

/// Removes the secrets a HAR entry holds in name/value lists, which text redaction cannot see:
/// the values of `Authorization`, `Cookie`, `Set-Cookie` and kin headers, every cookie value,
/// SAS `sig` and other secret query parameters, and non-JWT tokens inside bodies. Names stay.
enum HarRedaction {
    static let secretHeaders: Set<String> = [
        "authorization", "proxy-authorization", "cookie", "set-cookie", "x-ms-authorization-auxiliary",
        "x-identity-header", "secret", "x-functions-key", "ocp-apim-subscription-key",
    ]
    static let secretParameters: Set<String> = [
        "sig", "code", "access_token", "refresh_token", "id_token", "client_secret", "client_assertion", "password",
    ]
    static let tokenMembers = ["access_token", "refresh_token", "id_token"]

    static func redact(_ text: String, entry: [String: Any]) -> String {
        var named: [String] = []
        var tokens: [String] = []
        for case let side? in [entry["request"] as? [String: Any], entry["response"] as? [String: Any]] {
            named += values(in: side["headers"], named: secretHeaders)
            named += values(in: side["cookies"], named: nil)
            named += values(in: side["queryString"], named: secretParameters)
            named += values(in: JSONValues.value(side, "postData", "params"), named: secretParameters)
            let content = side["content"] as? [String: Any]
            for case let body? in [HarFormat.contentText(content), JSONValues.value(side, "postData", "text") as? String] {
                guard let object = JSONBody.parse(body) as? [String: Any] else { continue }
                tokens += tokenMembers.compactMap { object[$0] as? String }.filter { $0.count >= 8 }
            }
            // A body in base64 (whatever its `encoding` says) that holds a token or a secret goes whole: its encoded
            // text would give them back.
            if let encoded = content?["text"] as? String, let decoded = HarFormat.base64Text(encoded), Redactor.redact(decoded) != decoded {
                tokens.append(encoded)
            }
        }
        named = named.filter { !$0.isEmpty && $0 != Redactor.placeholder }
        var output = text
        // A bearer JWT keeps its claims and fingerprint, as an access_token does; anything else goes whole.
        for secret in named { output = replacingNamedValue(secret, in: output, with: BearerToken.redactedValue(secret) ?? Redactor.placeholder) }
        for token in tokens { output = output.replacingOccurrences(of: token, with: Redactor.placeholder) }
        // A long secret still present was written with other escaping: write the entry again instead.
        let remaining = (named + tokens).filter { $0.count >= 8 }
        guard remaining.contains(where: { output.contains($0) || output.contains($0.replacingOccurrences(of: "/", with: "\\/")) })
        else { return output }
        return reserialized(entry, without: Set(named + tokens)) ?? Redactor.placeholder
    }

    /// Replaces `"value": "SECRET"` (any spacing around the colon) with `"value": "REPLACEMENT"`.
    static func replacingNamedValue(_ secret: String, in text: String, with replacement: String = Redactor.placeholder) -> String {
        let quoted = JSONText.quoted(secret)
        var output = ""
        var rest = Substring(text)
        while let range = rest.range(of: quoted) {
            let before = rest[..<range.lowerBound]
            output += before
            output += isValueMember(endingAt: before) ? JSONText.quoted(replacement) : quoted
            rest = rest[range.upperBound...]
        }
        return output + rest
    }

    /// True when `before` ends with `"value":` (spaces allowed), so what follows is that member's value.
    static func isValueMember(endingAt before: Substring) -> Bool {
        var head = before
        while head.last?.isWhitespace == true { head.removeLast() }
        guard head.last == ":" else { return false }
        head.removeLast()
        while head.last?.isWhitespace == true { head.removeLast() }
        return head.hasSuffix("\"value\"")
    }

    /// The `value` of each `{"name", "value"}` item whose name is in `names` (every item when nil).
    static func values(in list: Any?, named names: Set<String>?) -> [String] {
        guard let list = list as? [Any] else { return [] }
        return list.compactMap { item in
            guard let item = item as? [String: Any], let name = item["name"] as? String,
                  names?.contains(name.lowercased()) ?? true else { return nil }
            return item["value"] as? String
        }
    }

    /// The entry written again with every secret string replaced, for text whose escaping hid them.
    static func reserialized(_ entry: [String: Any], without secrets: Set<String>) -> String? {
        func scrub(_ value: Any) -> Any {
            switch value {
            case let text as String: return secrets.contains(text) ? BearerToken.redactedValue(text) ?? Redactor.placeholder : text
            case let object as [String: Any]: return object.mapValues(scrub)
            case let list as [Any]: return list.map(scrub)
            default: return value
            }
        }
        guard let data = try? JSONSerialization.data(withJSONObject: scrub(entry), options: [.sortedKeys, .withoutEscapingSlashes])
        else { return nil }
        return String(decoding: data, as: UTF8.self)
    }
}
