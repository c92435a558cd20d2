import Foundation
import TrailModel

extension RecordKind {
    public static let batchDiagnosticEvent = RecordKind("azure:batch:diagnostic-event")
}

/// Batch service log events ("task fail event", "task schedule fail event", ...): the event body as the
/// Batch docs show it (`{"jobId", "id", "nodeInfo", "executionInfo", "schedulingError", ...}`), and the
/// Azure Monitor diagnostic-settings record around it (`{"time", "resourceId", "category": "ServiceLog",
/// "operationName": "TaskFailEvent", "properties": {...}}`, JSON lines as in `PT1H.json`, or `{"records": [...]}`).
///
/// The record's time is `executionInfo.endTime`, else the diagnostic record's `time`, else the snapshot time.
public struct BatchDiagnosticEventFormat: EvidenceFormat {
    public let id = "azure-batch-diagnostic-events"
    public let title = "Batch service log events (task fail / schedule fail events, diagnostic-settings ServiceLog records)"
    public let example = "the insights-logs-servicelog container of the Batch account's diagnostic settings (PT1H.json)"

    static let copiedExecutionInfo = ["result", "exitCode", "retryCount", "requeueCount", "startTime", "endTime"]

    public init() {}

    public func sniff(_ sample: SniffSample) -> Bool {
        guard let object = sample.firstJSONValue(unwrapping: ["records", "value"]) as? [String: Any] else { return false }
        return Self.isEnvelope(object) || Self.isEventBody(object)
    }

    static func isEnvelope(_ object: [String: Any]) -> Bool {
        (object["category"] as? String)?.lowercased() == "servicelog" && object["operationName"] is String
            && (object["properties"] is [String: Any] || object["properties"] is String)
    }

    /// A task event body: the task's `id` with its `jobId`, and `nodeInfo` or `taskType`.
    static func isEventBody(_ object: [String: Any]) -> Bool {
        object["jobId"] is String && object["id"] is String && (object["nodeInfo"] is [String: Any] || object["taskType"] is String)
    }

    public func parse(_ input: ParseInput, into sink: RecordSink) throws {
        try sink.readJSONValues(input, unwrapping: ["records", "value"]) { value, element in
            guard let object = value as? [String: Any] else {
                throw JSONElementError(reason: "expected a Batch event object, found \(JSONValues.typeName(value))")
            }
            var fields = RecordFields()
            var body = object
            var envelopeTime: String?
            if Self.isEnvelope(object) {
                guard let properties = Self.properties(of: object) else {
                    throw JSONElementError(reason: "the ServiceLog record's properties are not a JSON object")
                }
                body = properties
                envelopeTime = object["time"] as? String
                fields.set("eventName", AzurePayload.string(object, "operationName"))
                let resourceId = AzurePayload.string(object, "resourceId")
                // Azure Monitor upper-cases the resource ID; Batch account names are lower-case by rule.
                fields.set("account", ARMValues.segment(after: "batchAccounts", in: resourceId)?.lowercased())
                fields.set("resourceId", resourceId)
            } else if !Self.isEventBody(object) {
                throw JSONElementError(reason: "not a Batch event: it needs jobId, id and nodeInfo (or a ServiceLog record around it)")
            }
            Self.addEventFields(body, eventName: fields.string("eventName"), to: &fields)
            let execution = body["executionInfo"] as? [String: Any]
            let (time, origin) = AzurePayload.time([execution?["endTime"] as? String, envelopeTime], sink: sink)
            try sink.emit(EvidenceRecord(
                kind: .batchDiagnosticEvent, position: SourcePosition(line: element.line, pointer: element.pointer),
                time: time, timeOrigin: origin, fields: fields, raw: element.text))
        }
    }

    static func properties(of envelope: [String: Any]) -> [String: Any]? {
        if let object = envelope["properties"] as? [String: Any] { return object }
        guard let text = envelope["properties"] as? String else { return nil }
        return (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any]
    }

    static func addEventFields(_ body: [String: Any], eventName: String?, to fields: inout RecordFields) {
        let nodeInfo = body["nodeInfo"] as? [String: Any]
        if let job = AzurePayload.string(body, "jobId") {
            fields.set("job", job)
            fields.set("task", AzurePayload.string(body, "id"))
        } else if eventName?.lowercased().hasPrefix("pool") == true {
            fields.set("pool", AzurePayload.string(body, "id"))
        }
        fields.set("pool", AzurePayload.string(nodeInfo, "poolId") ?? AzurePayload.string(body, "poolId") ?? fields.string("pool"))
        fields.set("node", AzurePayload.string(nodeInfo, "nodeId") ?? AzurePayload.string(body, "nodeId"))
        fields.copy("taskType", from: body)
        let execution = body["executionInfo"] as? [String: Any]
        for name in copiedExecutionInfo { fields.copy(name, from: execution) }
        let failure = execution?["failureInfo"] ?? execution?["schedulingError"] ?? body["schedulingError"]
        fields.setBatchFailure(failure as? [String: Any])
        fields.copy("resultCode", from: body)
        fields.copy("resultMessage", from: body)
    }
}
