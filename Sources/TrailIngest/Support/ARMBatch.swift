import Foundation
import TrailModel

extension RecordKind {
    /// One answer inside the portal's ARM batch call (e.g. the nested 409 `AutoStorageNoPermission`).
    static let armBatchResponseItem = RecordKind("azure:arm:batch-response-item")
}

/// The portal's ARM batch call (`POST https://management.azure.com/batch?api-version=...`): its
/// request body lists requests (`{"requests": [{"httpMethod", "url", "name", ...}]}`), its 200
/// response answers each (`{"responses": [{"name", "httpStatusCode", "headers", "content"}]}`).
enum ARMBatch {
    static func isBatchCall(_ exchange: HTTPExchange) -> Bool {
        guard exchange.target == .arm, exchange.method?.uppercased() == "POST", let url = exchange.url else { return false }
        return URLParts(url).path.lowercased().hasSuffix("/batch")
    }

    /// Emits one record per nested response, at pointers `POINTER/response/content/responses/N`.
    static func emitItems(content: String, requestText: String?, at position: SourcePosition,
                          time: (Timestamp?, TimeOrigin), into sink: RecordSink) throws {
        let base = (position.pointer ?? "") + "/response/content"
        guard let responses = (JSONBody.parse(content) as? [String: Any])?["responses"] as? [Any] else {
            try sink.reject(line: position.line, pointer: base, reason: "the batch response content is not {\"responses\": [...]}", text: content)
            return
        }
        let requests = (requestText.flatMap(JSONBody.parse) as? [String: Any])?["requests"] as? [Any] ?? []
        for (index, item) in responses.enumerated() {
            let pointer = base + "/responses/\(index)"
            guard let item = item as? [String: Any] else {
                try sink.reject(line: position.line, pointer: pointer,
                                reason: "a batch response item is \(JSONValues.typeName(item)), not an object", text: "\(item)")
                continue
            }
            let request = matchingRequest(for: item, at: index, in: requests)
            try sink.emit(EvidenceRecord(kind: .armBatchResponseItem, position: SourcePosition(line: position.line, pointer: pointer),
                                         time: time.0, timeOrigin: time.1, fields: fields(of: item, request: request), raw: text(of: item)))
        }
    }

    /// The request with the item's `name`, else the one at the same index.
    static func matchingRequest(for item: [String: Any], at index: Int, in requests: [Any]) -> [String: Any]? {
        if let name = item["name"] as? String,
           let match = requests.lazy.compactMap({ $0 as? [String: Any] }).first(where: { $0["name"] as? String == name }) {
            return match
        }
        return index < requests.count ? requests[index] as? [String: Any] : nil
    }

    static func fields(of item: [String: Any], request: [String: Any]?) -> RecordFields {
        var exchange = HTTPExchange(method: request?["httpMethod"] as? String, url: request?["url"] as? String)
        exchange.status = (item["httpStatusCode"] as? NSNumber)?.intValue
        exchange.responseHeaders = (item["headers"] as? [String: Any]).map(HTTPHeaders.init(object:))
        exchange.responseBody = item["content"]
        var fields = exchange.fields()
        // Batch requests may name their URL relative to the ARM endpoint.
        if let url = exchange.url, HTTPExchange.target(of: url) != .arm { ARMPath.addFields(of: url, to: &fields) }
        fields.set("requestName", item["name"] as? String)
        fields.set("commandName", request.flatMap { JSONValues.value($0, "requestHeaderDetails", "commandName") } as? String)
        return fields
    }

    /// The item as compact JSON with sorted members (it was text inside the response's content).
    static func text(of item: [String: Any]) -> String {
        guard let data = try? JSONSerialization.data(withJSONObject: item, options: [.sortedKeys, .withoutEscapingSlashes]) else { return "\(item)" }
        return String(decoding: data, as: UTF8.self)
    }
}
