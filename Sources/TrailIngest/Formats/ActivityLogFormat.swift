import Foundation
import TrailModel

/// Azure Activity Log events in their JSON shapes:
/// - `az monitor activity-log list` and the ARM `eventtypes/management/values` response
///   (camelCase: `eventTimestamp`, `operationName{value}`, `status{value}`, `eventName{value}`, ...),
///   including output filtered with `--query` down to `authorization`, `caller`, `eventTimestamp`, `properties`;
/// - Log Analytics `AzureActivity` rows exported as JSON (`az monitor log-analytics query`):
///   `OperationNameValue`, `ActivityStatusValue`, `Properties_d`, `Authorization_d`, `TimeGenerated`, ...;
/// - diagnostic-settings records (storage `insights-activity-logs` JSON lines, Event Hubs `{"records": [...]}`):
///   `time`, `operationName`, `category`, `resultType`, `identity{authorization, claims}`, `properties`.
///
/// One record per event, timed by the event.
public struct ActivityLogFormat: EvidenceFormat {
    public let id = "azure-activity-log"
    public let title = "Activity Log events (az monitor activity-log list, ARM, AzureActivity, diagnostic settings)"
    public let example = "az monitor activity-log list --offset 7d --resource-provider Microsoft.Authorization -o json > activity-log.json"

    static let unwrapping: Set<String> = ["value", "records"]
    /// Activity Log categories as diagnostic settings name them (the older log profiles used Write, Delete, Action).
    static let diagnosticCategories: Set<String> = [
        "administrative", "security", "servicehealth", "resourcehealth", "alert", "autoscale", "recommendation", "policy",
        "write", "delete", "action",
    ]

    enum Shape { case command, logAnalytics, diagnosticSettings }

    public init() {}

    public func sniff(_ sample: SniffSample) -> Bool {
        guard let object = ARMDocuments.firstObject(sample, unwrapping: Self.unwrapping) else { return false }
        return Self.shape(of: object) != nil
    }

    public func parse(_ input: ParseInput, into sink: RecordSink) throws {
        try ARMDocuments.forEachItem(input, into: sink, unwrapping: Self.unwrapping) { item in
            let object = try ARMValues.requireObject(item.value, "an Activity Log event")
            guard let shape = Self.shape(of: object) else {
                throw JSONElementError(reason: "not an Activity Log event: no eventTimestamp, TimeGenerated with OperationNameValue, or time with operationName and an Activity Log category")
            }
            let event = Self.event(object, shape: shape)
            let (time, origin, unread) = ActivityLogEvent.time(event.time)
            var fields = event.fields
            if let unread {
                fields.set("unreadTime", unread)
                fields.set("unreadTimeReason", ActivityLogEvent.unreadTimeReason)
            }
            try sink.emit(EvidenceRecord(
                kind: .activityLogEvent, position: SourcePosition(line: item.line, pointer: item.pointer),
                time: time, timeOrigin: origin, fields: fields, raw: item.text))
        }
    }

    static func shape(of object: [String: Any]) -> Shape? {
        // az and ARM write camelCase; PowerShell's ConvertTo-Json writes the same members in PascalCase.
        if ARMValues.member(object, "eventTimestamp") is String,
           ARMValues.member(object, "operationName") != nil || ARMValues.member(object, "authorization") is [String: Any] {
            return .command
        }
        if object["OperationNameValue"] is String || object["ActivityStatusValue"] is String {
            let type = object["Type"] as? String
            return type == nil || type == "AzureActivity" ? .logAnalytics : nil
        }
        if object["time"] is String, object["operationName"] is String, object["resourceId"] is String,
           let category = object["category"] as? String, diagnosticCategories.contains(category.lowercased()) {
            return .diagnosticSettings
        }
        return nil
    }

    static func event(_ object: [String: Any], shape: Shape) -> ActivityLogEvent {
        var event = ActivityLogEvent()
        switch shape {
        case .command:
            event.time = ARMValues.string(object, "eventTimestamp")
            event.operationName = ARMValues.localizable(object, "operationName")
            event.status = ARMValues.localizable(object, "status")
            event.phase = ARMValues.localizable(object, "eventName")
            event.subStatus = ARMValues.string(ARMValues.object(object, "subStatus"), "localizedValue") ?? ARMValues.localizable(object, "subStatus")
            event.category = ARMValues.localizable(object, "category")
            event.level = ARMValues.string(object, "level")
            event.callerIpAddress = ARMValues.string(ARMValues.object(object, "httpRequest"), "clientIpAddress")
            event.authorization = ARMValues.object(object, "authorization")
            event.claims = ARMValues.object(object, "claims")
            event.properties = ARMValues.object(object, "properties")
            event.resourceId = ARMValues.string(object, "resourceId")
            event.eventDataId = ARMValues.string(object, "eventDataId")
        case .logAnalytics:
            event.time = ARMValues.string(object, "TimeGenerated") ?? ARMValues.string(object, "TimeGenerated [UTC]")
            event.operationName = ARMValues.string(object, "OperationNameValue") ?? ARMValues.string(object, "OperationName")
            event.status = ARMValues.string(object, "ActivityStatusValue") ?? ARMValues.string(object, "ActivityStatus")
            event.subStatus = ARMValues.string(object, "ActivitySubstatusValue") ?? ARMValues.string(object, "ActivitySubstatus")
            event.category = ARMValues.string(object, "CategoryValue") ?? ARMValues.string(object, "Category")
            event.level = ARMValues.string(object, "Level")
            event.callerIpAddress = ARMValues.string(object, "CallerIpAddress")
            event.authorization = ARMValues.object(object, "Authorization_d") ?? ARMValues.object(object, "Authorization")
            event.claims = ARMValues.object(object, "Claims_d") ?? ARMValues.object(object, "Claims")
            event.properties = ARMValues.object(object, "Properties_d") ?? ARMValues.object(object, "Properties")
            event.resourceId = ARMValues.string(object, "ResourceId") ?? ARMValues.string(object, "_ResourceId")
            event.eventDataId = ARMValues.string(object, "EventDataId")
        case .diagnosticSettings:
            event.time = object["time"] as? String
            event.operationName = object["operationName"] as? String
            event.status = ARMValues.string(object, "resultType")
            // "Succeeded.Created": the part after the dot is the HTTP status text.
            event.subStatus = ARMValues.string(object, "resultSignature").flatMap { $0.split(separator: ".", maxSplits: 1).dropFirst().first.map(String.init) }
            event.category = ARMValues.string(object, "category")
            event.level = ARMValues.string(object, "level")
            event.callerIpAddress = ARMValues.string(object, "callerIpAddress")
            let identity = ARMValues.object(object, "identity")
            event.authorization = ARMValues.object(identity, "authorization")
            event.claims = ARMValues.object(identity, "claims")
            event.properties = ARMValues.object(object, "properties")
            event.resourceId = ARMValues.string(object, "resourceId")
            event.eventDataId = ARMValues.string(object, "eventDataId")
        }
        event.caller = ARMValues.string(object, "caller")
        event.correlationId = ARMValues.string(object, "correlationId")
        return event
    }
}
