import Foundation
import TrailModel

extension RecordKind {
    public static let batchNode = RecordKind("azure:batch:node")
}

/// Compute nodes as `az batch node list/show -o json` and the Batch REST API return them
/// (a list, `{"value": [...]}`, one node, or a REST specification example), one record per node.
///
/// The record's time is `stateTransitionTime`, when the node entered its state; a node without it
/// takes the snapshot time.
public struct BatchNodeFormat: EvidenceFormat {
    public let id = "azure-batch-nodes"
    public let title = "Batch compute nodes (az batch node list/show, REST nodes)"
    public let example = "az batch node list --pool-id POOL -o json > nodes.json"

    /// Node members copied as they are, in this order.
    static let copied = [
        "state", "schedulingState", "stateTransitionTime", "lastBootTime", "allocationTime", "ipAddress",
        "vmSize", "isDedicated", "totalTasksRun", "runningTasksCount",
    ]

    public init() {}

    public func sniff(_ sample: SniffSample) -> Bool {
        guard let object = ARMDocuments.firstObject(sample) else { return false }
        return Self.isNode(object)
    }

    /// A node has an id and a state, plus what only nodes have: a scheduling state, agent info or a `/nodes/` URL.
    static func isNode(_ object: [String: Any]) -> Bool {
        guard object["id"] is String, object["state"] is String else { return false }
        let url = (object["url"] as? String)?.lowercased() ?? ""
        return object["schedulingState"] is String || object["nodeAgentInfo"] is [String: Any] || url.contains("/nodes/")
    }

    public func parse(_ input: ParseInput, into sink: RecordSink) throws {
        try sink.readJSONObjects(input, expected: "a compute node object") { object, item in
            guard Self.isNode(object) else {
                throw JSONElementError(reason: "not a compute node: it needs id, state and schedulingState (or nodeAgentInfo, or a .../nodes/ID url)")
            }
            let fields = Self.fields(of: object)
            let (time, origin) = AzurePayload.time([object["stateTransitionTime"] as? String], sink: sink)
            try sink.emit(EvidenceRecord(
                kind: .batchNode, position: SourcePosition(line: item.line, pointer: item.pointer),
                time: time, timeOrigin: origin, fields: fields, raw: item.text))
        }
    }

    static func fields(of node: [String: Any]) -> RecordFields {
        var fields = RecordFields()
        fields.set("node", AzurePayload.string(node, "id"))
        let url = node["url"] as? String
        fields.set("pool", ARMValues.segment(after: "pools", in: url))
        for name in copied { fields.copy(name, from: node) }
        let errors = node["errors"] as? [Any] ?? []
        if let first = errors.first as? [String: Any] {
            fields.set("errorCode", AzurePayload.string(first, "code"))
            fields.set("errorMessage", AzurePayload.string(first, "message"))
        }
        fields.setJSON("errors", errors)
        let startTaskInfo = node["startTaskInfo"] as? [String: Any]
        fields.copy("startTaskState", from: startTaskInfo, key: "state")
        fields.copy("startTaskResult", from: startTaskInfo, key: "result")
        fields.copy("startTaskExitCode", from: startTaskInfo, key: "exitCode")
        let failure = startTaskInfo?["failureInfo"] as? [String: Any]
        fields.set("startTaskFailureCode", AzurePayload.string(failure, "code"))
        fields.set("startTaskFailureCategory", AzurePayload.string(failure, "category"))
        fields.set("startTaskFailureMessage", AzurePayload.string(failure, "message"))
        fields.setJSON("startTaskFailureDetails", failure?["details"])
        fields.copy("nodeAgentVersion", from: node["nodeAgentInfo"] as? [String: Any], key: "version")
        fields.set("url", url)
        return fields
    }
}
