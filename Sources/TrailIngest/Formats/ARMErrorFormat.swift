import Foundation
import TrailModel

extension RecordKind {
    public static let armError = RecordKind("azure:arm:error")
}

/// ARM error bodies (CloudError): `{"error": {"code", "message", "target", "details": [...], "innererror", "additionalInfo"}}`
/// such as `AuthorizationFailed`, `LinkedAuthorizationFailed`, `KeyVaultNotFound`, `AutoStorageNoPermission`;
/// also the errors inside an ARM batch response (`{"responses": [{"httpStatusCode": 409, "content": {"error": ...}}]}`,
/// as the portal sends them), where only the responses that hold an error are read.
///
/// An authorization message is taken apart into the client (`clientId` when it is a GUID, else `caller`),
/// its object id (`principalId`), the refused `action` and the `scope`. The record takes the snapshot time.
public struct ARMErrorFormat: EvidenceFormat {
    public let id = "azure-arm-error"
    public let title = "ARM error bodies ({\"error\": {\"code\", \"message\"}}: AuthorizationFailed, AutoStorageNoPermission, ...)"
    public let example = "the response body of a failed az / ARM REST call (az rest ... or the portal's network log)"

    public init() {}

    public func sniff(_ sample: SniffSample) -> Bool {
        guard let object = Self.documentObject(sample) else { return false }
        // Cloud Shell and Service Fabric answer in the ARM shape with codes of their own: imds-response-body reads those.
        if ImdsResponseBodyFormat.isEndpointError(object) { return false }
        return Self.error(in: object) != nil || Self.bareCloudError(object) != nil || !Self.batchResponseErrors(object).isEmpty
    }

    /// The `error` member when it is an object with a code and a message (IMDS's `"error": "text"` is not).
    static func error(in object: [String: Any]) -> [String: Any]? {
        guard let error = object["error"] as? [String: Any], error["code"] is String, error["message"] is String else { return nil }
        return error
    }

    /// The errors of an ARM batch response, with their status and pointer.
    static func batchResponseErrors(_ object: [String: Any]) -> [(status: Any?, error: [String: Any], pointer: String)] {
        guard let responses = object["responses"] as? [Any] else { return [] }
        return responses.enumerated().compactMap { index, response in
            guard let response = response as? [String: Any], let content = response["content"] as? [String: Any],
                  let error = error(in: content) else { return nil }
            return (response["httpStatusCode"], error, "/responses/\(index)/content")
        }
    }

    public func parse(_ input: ParseInput, into sink: RecordSink) throws {
        let (time, origin) = sink.context.snapshotTime
        try sink.readJSONValues(input, unwrapping: []) { value, element in
            let (decoded, doubleEncoded) = Self.decodedTwice(value)
            guard let object = decoded as? [String: Any] else {
                throw JSONElementError(reason: "expected an ARM error object, found \(JSONValues.typeName(decoded))")
            }
            var errors: [(status: Any?, error: [String: Any], pointer: String?)] = []
            if let error = Self.error(in: object) ?? Self.bareCloudError(object) {
                errors = [(nil, error, element.pointer)]
            } else {
                errors = Self.batchResponseErrors(object).map { ($0.status, $0.error, (element.pointer ?? "") + $0.pointer) }
            }
            guard !errors.isEmpty else {
                throw JSONElementError(reason: "not an ARM error: it needs {\"error\": {\"code\": ..., \"message\": ...}}, or code and message with details")
            }
            for (status, error, pointer) in errors {
                var fields = RecordFields()
                if let status, let value = JSONValues.fieldValue(status) { fields.set("status", value) }
                Self.addErrorFields(error, to: &fields)
                Self.addNestedCause(of: error, to: &fields)
                if doubleEncoded { fields.set("encoding", "a JSON string holding the error body") }
                try sink.emit(EvidenceRecord(
                    kind: .armError, position: SourcePosition(line: element.line, pointer: pointer),
                    time: time, timeOrigin: origin, fields: fields, raw: element.text))
            }
        }
    }

    static func addErrorFields(_ error: [String: Any], to fields: inout RecordFields) {
        fields.set("errorCode", AzurePayload.string(error, "code"))
        fields.set("errorMessage", AzurePayload.string(error, "message"))
        fields.set("target", AzurePayload.string(error, "target"))
        let details = (error["details"] as? [Any] ?? []).compactMap { $0 as? [String: Any] }
        // The authorization failure may be the error itself or one of its details (a deployment's, say).
        let messages = [error["message"] as? String] + details.map { $0["message"] as? String }
        messages.lazy.compactMap { $0.flatMap(ARMAuthorizationMessage.parse) }.first?.addFields(to: &fields)
        ARMPolicyDenial.addFields(ofError: error, to: &fields)
        fields.setJSON("details", error["details"])
        fields.setJSON("innererror", error["innererror"] ?? error["innerError"])
        fields.setJSON("additionalInfo", error["additionalInfo"])
    }
}
