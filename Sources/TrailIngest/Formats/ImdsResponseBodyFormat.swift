import Foundation
import TrailModel

extension RecordKind {
    /// A token endpoint's answer on its own, without the request (a saved IMDS body).
    static let imdsTokenResponse = RecordKind("azure:imds:token-response")
}

/// Bodies returned by IMDS and the other managed identity token endpoints, saved on their own:
/// - errors of the OAuth shape (`{"error", "error_description", "error_codes", "timestamp", "trace_id", "correlation_id"}`);
/// - successes (`{"access_token", "client_id", "expires_on", "resource", "token_type"}`);
/// - IMDS's bare `{"error": "..."}` (`Bad request: . Required metadata header not specified`, a wrong path's `Not found`);
/// - App Service and Functions errors (`{"statusCode", "message", "correlationId"}`);
/// - Cloud Shell and Service Fabric errors in the ARM shape with an endpoint's own code
///   (`{"error": {"code": "AudienceNotSupported", "message"}}`, `{"error": {"correlationId", "code": "SecretHeaderNotFound", "message"}}`).
/// One body, a JSON array of them or JSON lines. Detection accepts exactly what the parser reads.
public struct ImdsResponseBodyFormat: EvidenceFormat {
    public let id = "imds-response-body"
    public let title = "IMDS / managed identity token endpoint response bodies"
    public let example = "curl -s -H Metadata:true 'http://169.254.169.254/metadata/identity/oauth2/token?api-version=2018-02-01&resource=https://storage.azure.com/' > imds-response.json"

    /// Codes only the managed identity endpoints answer with, in the ARM error shape.
    static let endpointCodes: Set<String> = ["AudienceNotSupported", "SecretHeaderNotFound", "ManagedIdentityNotFound", "ArgumentNullOrEmpty"]
    /// HTTP reason phrases that IMDS's bare `{"error": ...}` bodies are, and their statuses.
    static let reasonPhrases: [String: Int64] = [
        "bad request": 400, "not found": 404, "method not allowed": 405, "gone": 410, "too many requests": 429,
        "internal server error": 500, "service unavailable": 503,
    ]

    public init() {}

    public func sniff(_ sample: SniffSample) -> Bool {
        guard let object = sample.firstJSONValue as? [String: Any] else { return false }
        return Self.isBody(object)
    }

    /// True for the shapes above.
    static func isBody(_ object: [String: Any]) -> Bool {
        guard object["url"] == nil, object["method"] == nil else { return false }
        if TokenEndpointBody.looksLikeOne(object) { return true }
        if object["statusCode"] is NSNumber && object["message"] is String && object["correlationId"] is String { return true }
        if isEndpointError(object) { return true }
        return object.count == 1 && object["error"] is String
    }

    /// A Cloud Shell or Service Fabric error: the ARM shape with a code only managed identity endpoints use.
    static func isEndpointError(_ object: [String: Any]) -> Bool {
        guard let error = object["error"] as? [String: Any], let code = error["code"] as? String else { return false }
        return endpointCodes.contains(code) && error["message"] is String
    }

    public func parse(_ input: ParseInput, into sink: RecordSink) throws {
        try input.forEachJSONRecord(into: sink) { element in
            try sink.emit(Self.record(of: element, snapshot: sink.context.snapshotTime))
        }
    }

    static func record(of element: JSONElement, snapshot: (Timestamp?, TimeOrigin)) throws -> EvidenceRecord {
        let value = try element.parse()
        guard let body = value as? [String: Any], isBody(body) else {
            throw JSONElementError(reason: "not a token endpoint body: it needs error and error_description, access_token with token_type "
                                   + "or expires_on, statusCode with message and correlationId, error alone, or error.code of a managed identity endpoint")
        }
        var fields = RecordFields()
        // The status is known only when the body states it (App Service's bodies do, IMDS's reason-phrase bodies are one).
        if let status = body["statusCode"] as? NSNumber { fields.set("status", .integer(status.int64Value)) }
        if let message = body["error"] as? String, body["error_description"] == nil {
            addBareError(message, to: &fields)
        } else {
            ErrorBody.addFields(of: body, to: &fields)
            fields.set("correlationId", (body["error"] as? [String: Any])?["correlationId"] as? String)
        }
        TokenEndpointBody.addTokenFields(of: body, to: &fields)
        let (time, origin) = (body["timestamp"] as? String).flatMap(RecordTime.parse) ?? snapshot
        return EvidenceRecord(kind: .imdsTokenResponse, position: SourcePosition(line: element.line, pointer: element.pointer),
                              time: time, timeOrigin: origin, fields: fields, raw: element.text)
    }

    /// IMDS's `{"error": "text"}`: the text, the code its documented wording stands for, and the status when
    /// the text is an HTTP reason phrase (a wrong path's `Not found`).
    static func addBareError(_ message: String, to fields: inout RecordFields) {
        fields.set("errorMessage", message)
        let lower = message.lowercased()
        if let known = AzureErrorCatalog.lowercasedMessages.first(where: { lower.contains($0.text) }) {
            fields.set("errorCode", known.message.code)
        }
        if let status = reasonPhrases[lower.trimmingCharacters(in: .whitespaces)], fields["status"] == nil {
            fields.set("status", .integer(status))
            fields.set("statusSource", "the body's reason phrase")
        }
    }
}
