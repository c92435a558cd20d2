import Foundation
import TrailModel

extension RecordKind {
    /// A token endpoint's answer on its own, without the request (a saved IMDS body).
    static let imdsTokenResponse = RecordKind("azure:imds:token-response")
}

/// Bodies returned by IMDS and the other managed identity token endpoints, saved on their own:
/// errors (`{"error", "error_description", "error_codes", "timestamp", "trace_id", "correlation_id"}`),
/// successes (`{"access_token", "client_id", "expires_on", "resource", "token_type"}`), and IMDS's
/// own 400 for a missing `Metadata` header (`{"error": "Bad request: . Required metadata header not specified"}`).
/// One body, a JSON array of them or JSON lines.
public struct ImdsResponseBodyFormat: EvidenceFormat {
    public let id = "imds-response-body"
    public let title = "IMDS / managed identity token endpoint response bodies"
    public let example = "curl -s -H Metadata:true 'http://169.254.169.254/metadata/identity/oauth2/token?api-version=2018-02-01&resource=https://storage.azure.com/' > imds-response.json"

    public init() {}

    public func sniff(_ sample: SniffSample) -> Bool {
        guard let object = sample.firstJSONValue as? [String: Any] else { return false }
        return Self.isBody(object)
    }

    /// True for the shapes above. In a file already known to hold such bodies (`inFile`), App Service's
    /// `{"statusCode", "message", "correlationId"}` error counts too; alone it is too plain to recognise.
    static func isBody(_ object: [String: Any], inFile: Bool = false) -> Bool {
        guard object["url"] == nil, object["method"] == nil else { return false }
        if TokenEndpointBody.looksLikeOne(object) { return true }
        if inFile && object["statusCode"] is NSNumber && object["message"] is String { return true }
        return object.count == 1 && (object["error"] as? String)?.contains("Required metadata header") == true
    }

    public func parse(_ input: ParseInput, into sink: RecordSink) throws {
        try input.forEachJSONRecord(into: sink) { element in
            try sink.emit(Self.record(of: element, snapshot: sink.context.snapshotTime))
        }
    }

    static func record(of element: JSONElement, snapshot: (Timestamp?, TimeOrigin)) throws -> EvidenceRecord {
        let value = try element.parse()
        guard let body = value as? [String: Any], isBody(body, inFile: true) else {
            throw JSONElementError(reason: "not a token endpoint body: it needs error and error_description, access_token with token_type or expires_on, or statusCode and message")
        }
        var fields = RecordFields()
        // The status is known only when the body states it (App Service's bodies do).
        if let status = body["statusCode"] as? NSNumber { fields.set("status", .integer(status.int64Value)) }
        if let message = body["error"] as? String, body["error_description"] == nil {
            fields.set("errorMessage", message)
        } else {
            ErrorBody.addFields(of: body, to: &fields)
        }
        TokenEndpointBody.addTokenFields(of: body, to: &fields)
        let (time, origin) = (body["timestamp"] as? String).flatMap(RecordTime.parse) ?? snapshot
        return EvidenceRecord(kind: .imdsTokenResponse, position: SourcePosition(line: element.line, pointer: element.pointer),
                              time: time, timeOrigin: origin, fields: fields, raw: element.text)
    }
}
