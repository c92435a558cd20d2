import Foundation
import TrailModel

/// Errors of the Azure SDK for JavaScript printed as JSON, as Storage Explorer's "Error Details" and
/// `JSON.stringify(error)` show them: `{"name": "RestError", "code": "AuthorizationPermissionMismatch",
/// "statusCode": 403, "request": {"url", "method", "headers": {"_headersMap": ...}, "requestId"},
/// "response": {"status", "headers": {"_headersMap": ...}, "bodyAsText"}, "details": {...}}`. Header maps
/// hold `{"name", "value"}` objects (core-rest-pipeline) or plain strings (core-http).
///
/// One record per error, of the kind its URL names (`azure:storage:request` for a blob URL; a Storage
/// error without its request is `azure:storage:error`), timed by the response's `Date` header, else the
/// message's `Time:`, else the snapshot time.
public struct JSRestErrorFormat: EvidenceFormat {
    public let id = "azure-js-rest-error"
    public let title = "Azure SDK for JavaScript errors as JSON (RestError: code, statusCode, request, response; Storage Explorer's error details)"
    public let example = "Storage Explorer: the error's 'Copy to clipboard', or console.error(JSON.stringify(error, null, 2)) in a Node.js app"

    public init() {}

    public func sniff(_ sample: SniffSample) -> Bool {
        guard let object = sample.firstJSONValue as? [String: Any] else { return false }
        return Self.isRestError(object)
    }

    /// A named error with a status or a code and the request or response it failed on, or a `RestError` /
    /// `StorageError` with its message (Storage Explorer also prints only `name`, `message` and `stack`).
    static func isRestError(_ object: [String: Any]) -> Bool {
        guard let name = object["name"] as? String, name.hasSuffix("Error") else { return false }
        if (name == "RestError" || name == "StorageError") && object["message"] is String { return true }
        guard object["statusCode"] is NSNumber || object["code"] is String else { return false }
        return object["request"] is [String: Any] || object["response"] is [String: Any]
    }

    public func parse(_ input: ParseInput, into sink: RecordSink) throws {
        try sink.readJSONValues(input) { value, element in
            guard let object = value as? [String: Any], Self.isRestError(object) else {
                throw JSONElementError(reason: "not a JavaScript SDK error: it needs a name ending in Error, statusCode or code, and request or response (or a RestError with its message)")
            }
            let (fields, exchange) = Self.fields(of: object)
            let (time, origin) = exchange.responseTime.map { ($0, TimeOrigin.record) }
                ?? RecordTime.parse(fields.string("errorTime")) ?? sink.context.snapshotTime
            let storageCode = fields.string("errorCode").flatMap { AzureErrorCatalog.byCode[$0] }?.service == .storage
            let kind = exchange.url == nil && storageCode ? RecordKind.storageError : exchange.kind
            try sink.emit(EvidenceRecord(kind: kind, position: SourcePosition(line: element.line, pointer: element.pointer),
                                         time: time, timeOrigin: origin, fields: fields, raw: element.text))
        }
    }

    static func fields(of error: [String: Any]) -> (RecordFields, HTTPExchange) {
        let request = error["request"] as? [String: Any]
        let response = error["response"] as? [String: Any]
        var exchange = HTTPExchange(method: request?["method"] as? String, url: request?["url"] as? String)
        exchange.status = (error["statusCode"] as? NSNumber)?.intValue ?? (response?["status"] as? NSNumber)?.intValue
        exchange.requestHeaders = headers(request?["headers"])
        exchange.responseHeaders = headers(response?["headers"])
        exchange.responseBody = response?["bodyAsText"] as? String
        var fields = exchange.fields()
        if fields["errorCode"] == nil { fields.set("errorCode", error["code"] as? String) }
        if let message = error["message"] as? String {
            let (text, requestId, time) = AzurePayload.splitServiceMessage(message)
            if fields["errorMessage"] == nil { fields.set("errorMessage", text) }
            if fields["requestId"] == nil { fields.set("requestId", requestId) }
            fields.set("errorTime", time)
            // Without a code, Storage's message says which error it is (it is also the HTTP reason Storage sends).
            if fields["errorCode"] == nil, let known = AzureErrorCatalog.lowercasedMessages.first(where: { text.lowercased().contains($0.text) }) {
                fields.set("errorCode", known.message.code)
            }
        }
        fields.set("clientRequestId", request?["requestId"] as? String)
        fields.set("errorName", error["name"] as? String)
        fields.set("shape", "JavaScript RestError JSON")
        return (fields, exchange)
    }

    /// `{"_headersMap": {"name": {"name": "Name", "value": "v"}}}` or `{"_headersMap": {"name": "v"}}` or a plain map.
    static func headers(_ value: Any?) -> HTTPHeaders? {
        guard let object = value as? [String: Any] else { return nil }
        let map = object["_headersMap"] as? [String: Any] ?? object
        var headers = HTTPHeaders()
        for key in map.keys.sorted() {
            if let entry = map[key] as? [String: Any], let text = entry["value"] as? String {
                headers.entries.append((entry["name"] as? String ?? key, text))
            } else if let text = map[key] as? String {
                headers.entries.append((key, text))
            }
        }
        return headers
    }
}
