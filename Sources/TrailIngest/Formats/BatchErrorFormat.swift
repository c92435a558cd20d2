import Foundation
import TrailModel

extension RecordKind {
    public static let batchError = RecordKind("azure:batch:error")
}

/// Batch data-plane (account endpoint) error bodies:
/// `{"odata.metadata": "...", "code": "...", "message": {"lang", "value"}, "values": [{"key", "value"}]}`,
/// with or without `odata.metadata`; the message's `RequestId:` and `Time:` lines become fields.
public struct BatchErrorFormat: EvidenceFormat {
    public let id = "azure-batch-error"
    public let title = "Batch data-plane error bodies (code, message{lang, value}, values)"
    public let example = "the body of a failed request to https://ACCOUNT.REGION.batch.azure.com (az batch ... --debug)"

    public init() {}

    public func sniff(_ sample: SniffSample) -> Bool {
        guard let object = ARMDocuments.firstObject(sample) else { return false }
        return Self.isBatchError(object)
    }

    static func isBatchError(_ object: [String: Any]) -> Bool {
        object["code"] is String && (object["message"] as? [String: Any])?["value"] is String
    }

    public func parse(_ input: ParseInput, into sink: RecordSink) throws {
        try sink.readJSONObjects(input, expected: "a Batch error object") { object, item in
            guard Self.isBatchError(object) else {
                throw JSONElementError(reason: "not a Batch error body: it needs code and message.value")
            }
            let message = (object["message"] as? [String: Any])?["value"] as? String ?? ""
            let (text, requestId, errorTime) = AzurePayload.splitServiceMessage(message)
            var fields = RecordFields()
            fields.set("errorCode", AzurePayload.string(object, "code"))
            fields.set("errorMessage", text.isEmpty ? nil : text)
            fields.set("requestId", requestId)
            fields.set("errorTime", errorTime)
            fields.setJSON("values", object["values"])
            let (time, origin) = AzurePayload.time([errorTime], sink: sink)
            try sink.emit(EvidenceRecord(
                kind: .batchError, position: SourcePosition(line: item.line, pointer: item.pointer),
                time: time, timeOrigin: origin, fields: fields, raw: item.text))
        }
    }
}
