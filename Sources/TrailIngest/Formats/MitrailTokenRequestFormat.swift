import Foundation
import TrailModel

extension RecordKind {
    /// A request for a managed identity token (IMDS, App Service, Arc) and its answer.
    static let imdsTokenRequest = RecordKind("azure:imds:token-request")
}

/// mitrail's own token-request record: one IMDS exchange per JSON line, as a wrapper or proxy on a
/// node captures it (DESIGN.md, "mitrail's own token-request record"):
/// `{"time", "node", "pool", "method", "url", "requestHeaders", "status", "responseHeaders",
/// "responseBody" (text or object), "durationMs"}`; `status` 0 or `"error": "timeout"` is a request
/// that got no answer.
public struct MitrailTokenRequestFormat: EvidenceFormat {
    public let id = "mitrail-token-requests"
    public let title = "mitrail token-request records (JSON lines captured on a node)"
    public let example = "mitrail record --listen 127.0.0.1:8042 --out token-requests.jsonl (docs/RECORDER.md), or any wrapper appending one JSON line per IMDS request"

    public init() {}

    public func sniff(_ sample: SniffSample) -> Bool {
        guard let object = sample.firstJSONValue as? [String: Any] else { return false }
        return Self.looksLikeRecord(object)
    }

    /// A method and URL, an outcome (`status` or `error`), and either a token URL or mitrail's own member names.
    static func looksLikeRecord(_ object: [String: Any]) -> Bool {
        guard object["method"] is String, let url = object["url"] as? String,
              object["status"] is NSNumber || object["error"] is String else { return false }
        let ownMembers = ["requestHeaders", "responseHeaders", "responseBody", "durationMs"].contains { object[$0] != nil }
        return HTTPExchange.target(of: url) == .imdsToken || (ownMembers && object["time"] is String)
    }

    public func parse(_ input: ParseInput, into sink: RecordSink) throws {
        try input.forEachJSONRecord(into: sink) { element in
            try sink.emit(Self.record(of: element))
        }
    }

    static func record(of element: JSONElement) throws -> EvidenceRecord {
        let value = try element.parse()
        guard let object = value as? [String: Any] else {
            throw JSONElementError(reason: "expected a token-request object, found \(JSONValues.typeName(value))")
        }
        guard let url = object["url"] as? String else {
            throw JSONElementError(reason: "a token-request record needs its request \"url\"")
        }
        var time: Timestamp?
        var origin = TimeOrigin.none
        if let text = object["time"] as? String {
            guard let parsed = RecordTime.parse(text) else {
                throw JSONElementError(reason: "\"time\" is not an ISO 8601 timestamp: \(text)")
            }
            (time, origin) = parsed
        }
        let transportError = object["error"] as? String
        var exchange = HTTPExchange(method: object["method"] as? String, url: url)
        exchange.requestHeaders = (object["requestHeaders"] as? [String: Any]).map(HTTPHeaders.init(object:))
        exchange.responseHeaders = (object["responseHeaders"] as? [String: Any]).map(HTTPHeaders.init(object:))
        exchange.status = (object["status"] as? NSNumber)?.intValue
        exchange.responseBody = object["responseBody"]
        exchange.durationMs = (object["durationMs"] as? NSNumber)?.doubleValue
        exchange.noAnswer = transportError != nil || exchange.status == 0
        var fields = exchange.fields(asTokenRequest: true)
        fields.set("transportError", transportError)
        fields.set("node", object["node"] as? String)
        fields.set("pool", object["pool"] as? String)
        return EvidenceRecord(kind: .imdsTokenRequest, position: SourcePosition(line: element.line, pointer: element.pointer),
                              time: time, timeOrigin: origin, fields: fields, raw: element.text)
    }
}
