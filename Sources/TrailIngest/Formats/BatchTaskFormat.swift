import Foundation
import TrailModel

extension RecordKind {
    public static let batchTask = RecordKind("azure:batch:task")
}

/// Tasks as `az batch task list/show -o json` and the Batch REST API return them, one record per task,
/// with the failure (`executionInfo.failureInfo`, e.g. `ResourceContainerAccessDenied`) and the storage
/// the task's resource files come from.
///
/// The record's time is `executionInfo.endTime`, else `stateTransitionTime`, else the snapshot time.
public struct BatchTaskFormat: EvidenceFormat {
    public let id = "azure-batch-tasks"
    public let title = "Batch tasks (az batch task list/show, REST tasks)"
    public let example = "az batch task list --job-id JOB -o json > tasks.json"

    static let copiedExecutionInfo = ["result", "exitCode", "retryCount", "requeueCount", "startTime", "endTime"]

    public init() {}

    public func sniff(_ sample: SniffSample) -> Bool {
        guard let object = ARMDocuments.firstObject(sample) else { return false }
        return Self.isTask(object)
    }

    /// A task has an id and a `.../jobs/JOB/tasks/TASK` URL, or a command line with execution info or a state.
    /// Diagnostic events (which carry `jobId`) are not tasks in this sense.
    static func isTask(_ object: [String: Any]) -> Bool {
        guard object["id"] is String, object["jobId"] == nil, object["category"] == nil else { return false }
        if let url = (object["url"] as? String)?.lowercased(), url.contains("/tasks/") { return true }
        return object["commandLine"] is String && (object["executionInfo"] is [String: Any] || object["state"] is String)
    }

    public func parse(_ input: ParseInput, into sink: RecordSink) throws {
        try sink.readJSONObjects(input, expected: "a task object") { object, item in
            guard Self.isTask(object) else {
                throw JSONElementError(reason: "not a Batch task: it needs id and a .../tasks/ID url (or commandLine with executionInfo or state)")
            }
            let execution = object["executionInfo"] as? [String: Any]
            let (time, origin) = AzurePayload.time(
                [execution?["endTime"] as? String, object["stateTransitionTime"] as? String], sink: sink)
            try sink.emit(EvidenceRecord(
                kind: .batchTask, position: SourcePosition(line: item.line, pointer: item.pointer),
                time: time, timeOrigin: origin, fields: Self.fields(of: object), raw: item.text))
        }
    }

    static func fields(of task: [String: Any]) -> RecordFields {
        var fields = RecordFields()
        let url = task["url"] as? String
        fields.set("task", AzurePayload.string(task, "id"))
        fields.set("job", ARMValues.segment(after: "jobs", in: url))
        let nodeInfo = task["nodeInfo"] as? [String: Any]
        fields.set("pool", AzurePayload.string(nodeInfo, "poolId"))
        fields.set("node", AzurePayload.string(nodeInfo, "nodeId"))
        fields.copy("state", from: task)
        fields.copy("stateTransitionTime", from: task)
        let execution = task["executionInfo"] as? [String: Any]
        for name in copiedExecutionInfo { fields.copy(name, from: execution) }
        // failureInfo since API 2017; schedulingError and preProcessingError in older responses.
        fields.setBatchFailure((execution?["failureInfo"] ?? execution?["schedulingError"] ?? task["preProcessingError"]) as? [String: Any])
        let resourceFiles = (task["resourceFiles"] as? [Any] ?? []).compactMap { $0 as? [String: Any] }
        let container = resourceFiles.lazy.compactMap { AzurePayload.string($0, "storageContainerUrl") }.first
        fields.set("storageContainerUrl", container)
        fields.set("autoStorageContainerName", resourceFiles.lazy.compactMap { AzurePayload.string($0, "autoStorageContainerName") }.first)
        fields.set("identityResourceId", resourceFiles.lazy.compactMap {
            AzurePayload.string($0["identityReference"] as? [String: Any], "resourceId")
        }.first)
        fields.set("targetResource", container.map { String($0.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)[0]) })
        fields.set("url", url)
        return fields
    }
}
