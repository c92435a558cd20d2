import Foundation
import TrailModel

/// Entra ID audit log events, in three shapes: Log Analytics `AuditLogs` rows exported as JSON
/// (`az monitor log-analytics query`: `TimeGenerated`, `OperationName`, `ActivityDateTime`, `Result`,
/// `InitiatedBy` and `TargetResources` as objects or as JSON text), Microsoft Graph `directoryAudit` objects
/// (`{"value": [...]}`: `activityDisplayName`, `activityDateTime`, `initiatedBy`, `targetResources`), and
/// diagnostic-settings records (`category` `AuditLogs`, the event in `properties`).
///
/// "Add member to group" and "Remove member from group" give exact times of membership changes: the member is
/// the target carrying the `Group.ObjectID` / `Group.DisplayName` modified properties (new value on add, old
/// value on remove, as JSON text), the group the target of type Group. Other events are kept with their
/// activity and result.
public struct EntraAuditLogsFormat: EvidenceFormat {
    public let id = "entra-audit-logs"
    public let title = "Entra ID audit logs (Log Analytics AuditLogs JSON, Graph directoryAudits, diagnostic settings)"
    public let example = "az monitor log-analytics query -w WORKSPACE --analytics-query \"AuditLogs | where OperationName in ('Add member to group', 'Remove member from group')\" -o json > audit-logs.json"

    static let wrappers: Set<String> = ["value", "records"]

    public init() {}

    public func sniff(_ sample: SniffSample) -> Bool {
        guard let object = sample.firstJSONValue(unwrapping: Self.wrappers) as? [String: Any] else { return false }
        return Self.event(of: object) != nil
    }

    /// The event's members with lower-case names, whichever shape it comes in; nil for anything else.
    static func event(of object: [String: Any]) -> [String: Any]? {
        let lowered = Dictionary(object.map { ($0.key.lowercased(), $0.value) }) { first, _ in first }
        if (lowered["category"] as? String)?.lowercased() == "auditlogs", let properties = lowered["properties"] as? [String: Any] {
            var event = Dictionary(properties.map { ($0.key.lowercased(), $0.value) }) { first, _ in first }
            event["time"] = lowered["time"]
            return event["targetresources"] != nil || event["activitydisplayname"] != nil ? event : nil
        }
        if let type = lowered["type"] as? String, type != "AuditLogs" { return nil }
        let hasActivity = lowered["activitydisplayname"] is String || (lowered["operationname"] is String && lowered["timegenerated"] != nil)
        let hasTime = lowered["activitydatetime"] is String || lowered["timegenerated"] is String
        return hasActivity && hasTime && lowered["targetresources"] != nil ? lowered : nil
    }

    public func parse(_ input: ParseInput, into sink: RecordSink) throws {
        try input.forEachJSONRecord(unwrapping: Self.wrappers, into: sink) { element in
            guard let object = try element.parse() as? [String: Any], let event = Self.event(of: object) else {
                throw JSONElementError(reason: "not an Entra audit event: expected ActivityDisplayName or OperationName, a time and TargetResources")
            }
            let timeText = event["activitydatetime"] as? String ?? event["timegenerated"] as? String ?? event["time"] as? String
            let (time, origin) = timeText.flatMap(RecordTime.parse) ?? (nil, .none)
            try sink.emit(EvidenceRecord(kind: .entraAuditEvent, position: SourcePosition(line: element.line, pointer: element.pointer),
                                         time: time, timeOrigin: origin, fields: Self.fields(of: event), raw: element.text))
        }
    }

    static func fields(of event: [String: Any]) -> RecordFields {
        var fields = RecordFields()
        let activity = event["activitydisplayname"] as? String ?? event["operationname"] as? String
        fields.set("activity", activity)
        fields.set("category", event["category"] as? String)
        fields.set("result", event["result"] as? String ?? event["resulttype"] as? String)
        fields.set("resultReason", (event["resultreason"] as? String).flatMap { $0.isEmpty ? nil : $0 })
        fields.set("correlationId", event["correlationid"] as? String)
        fields.set("initiatedBy", initiator(embedded(event["initiatedby"]) as? [String: Any]))
        let targets = (embedded(event["targetresources"]) as? [Any] ?? []).compactMap { $0 as? [String: Any] }
        switch activity?.lowercased() {
        case "add member to group": addMembership(targets, change: "added", into: &fields)
        case "remove member from group": addMembership(targets, change: "removed", into: &fields)
        default: break
        }
        return fields
    }

    /// The member and the group of a membership change, from its targets.
    static func addMembership(_ targets: [[String: Any]], change: String, into fields: inout RecordFields) {
        fields.set("change", change)
        let member = targets.first { properties(of: $0)["group.objectid"] != nil }
            ?? targets.first { ($0["type"] as? String)?.lowercased() != "group" } ?? targets.first
        let modified = member.map(properties(of:)) ?? [:]
        let groupTarget = targets.first { ($0["type"] as? String)?.lowercased() == "group" && !same($0, member) }
        let side = change == "added" ? "newvalue" : "oldvalue"
        let groupID = unquoted(modified["group.objectid"]?[side]) ?? groupTarget?["id"] as? String
        fields.set("groupId", groupID.map { ARMValues.guid($0) ?? $0 })
        fields.set("groupName", unquoted(modified["group.displayname"]?[side]) ?? (groupTarget?["displayName"] as? String).flatMap { $0.isEmpty ? nil : $0 })
        if let member, let id = member["id"] as? String {
            fields.set("memberId", ARMValues.guid(id) ?? id)
            fields.set("memberType", (member["type"] as? String).map { $0.prefix(1).lowercased() + $0.dropFirst() })
            fields.set("memberDisplayName", (member["displayName"] as? String).flatMap { $0.isEmpty ? nil : $0 })
            fields.set("userPrincipalName", (member["userPrincipalName"] as? String).flatMap { $0.isEmpty ? nil : $0 })
        }
    }

    /// A target's modified properties by lower-case name: `group.objectid` → ["newvalue": ..., "oldvalue": ...].
    static func properties(of target: [String: Any]) -> [String: [String: Any]] {
        var result: [String: [String: Any]] = [:]
        for property in (embedded(target["modifiedProperties"]) as? [Any] ?? []).compactMap({ $0 as? [String: Any] }) {
            guard let name = property["displayName"] as? String else { continue }
            result[name.lowercased()] = Dictionary(property.map { ($0.key.lowercased(), $0.value) }) { first, _ in first }
        }
        return result
    }

    static func same(_ target: [String: Any], _ other: [String: Any]?) -> Bool {
        guard let other, let id = target["id"] as? String else { return false }
        return (other["id"] as? String)?.lowercased() == id.lowercased()
    }

    /// Audit logs write modified values as JSON text (`"\"0000...\""`); the value inside, or nil when empty.
    static func unquoted(_ value: Any?) -> String? {
        guard var text = value as? String else { return nil }
        text = text.trimmingCharacters(in: .whitespaces)
        if text.hasPrefix("\""), let decoded = try? JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed]) as? String {
            text = decoded
        }
        return text.isEmpty ? nil : text
    }

    /// Log Analytics exports dynamic columns as JSON text: the value inside, or the value itself.
    static func embedded(_ value: Any?) -> Any? {
        guard let text = value as? String, let first = text.first, first == "{" || first == "[" else { return value }
        return try? JSONSerialization.jsonObject(with: Data(text.utf8))
    }

    /// Who made the change: the user's UPN, else the app's display name or service principal ID.
    static func initiator(_ initiatedBy: [String: Any]?) -> String? {
        if let user = initiatedBy?["user"] as? [String: Any] {
            if let upn = user["userPrincipalName"] as? String, !upn.isEmpty { return upn }
            if let id = user["id"] as? String, !id.isEmpty { return id }
        }
        if let app = initiatedBy?["app"] as? [String: Any] {
            for key in ["displayName", "servicePrincipalName", "servicePrincipalId", "appId"] {
                if let text = app[key] as? String, !text.isEmpty { return text }
            }
        }
        return nil
    }
}
