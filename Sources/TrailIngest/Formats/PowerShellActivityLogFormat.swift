import Foundation
import TrailModel

/// Activity Log events as PowerShell prints them: `Get-AzLog ... | Format-List` (or the default
/// list view), one block per event with `Caller`, `EventTimestamp`, `OperationName`, `Status`,
/// an `Authorization` object or a calculated `$_.Authorization.Action` column, and the
/// `Properties` dictionary shown as indented `key : value` lines (long values wrapped).
///
/// `EventTimestamp` is printed in the session's culture without a zone; Az.Monitor hands over
/// UTC times, so the en-US `M/d/yyyy h:mm:ss AM` form is read as UTC and said so.
public struct PowerShellActivityLogFormat: EvidenceFormat {
    public let id = "powershell-activity-log"
    public let title = "Activity Log events (PowerShell Get-AzLog list output)"
    public let example = "Get-AzLog -StartTime (Get-Date).AddDays(-7) | Where-Object {$_.Authorization.Action -like 'Microsoft.Authorization/roleAssignments/*'} | Format-List"

    public init() {}

    public func sniff(_ sample: SniffSample) -> Bool {
        guard !sample.looksLikeJSON else { return false }
        let names = PowerShellList.firstNames(sample)
        return names.contains("eventtimestamp") && names.contains("caller")
            && (names.contains("operationname") || names.contains("properties") || names.contains { $0.hasSuffix("authorization.action") })
    }

    public func parse(_ input: ParseInput, into sink: RecordSink) throws {
        try PowerShellList.forEachBlock(input, into: sink) { block in
            guard block.entry("EventTimestamp") != nil else {
                return try sink.reject(line: block.line, reason: "not an Activity Log event: no EventTimestamp", text: block.raw)
            }
            let event = Self.event(block)
            let (time, origin, unread) = ActivityLogEvent.time(event.time)
            var fields = event.fields
            if let unread {
                fields.set("unreadTime", unread)
                fields.set("unreadTimeReason", ActivityLogEvent.unreadTimeReason)
            }
            try sink.emit(EvidenceRecord(kind: .activityLogEvent, position: SourcePosition(line: block.line),
                                         time: time, timeOrigin: origin, fields: fields, raw: block.raw))
        }
    }

    static func event(_ block: PowerShellListBlock) -> ActivityLogEvent {
        func text(_ name: String) -> String? {
            guard let value = block.value(name), !value.isEmpty else { return nil }
            return value
        }
        /// A plain value, or the `Value` of a localizable object printed as nested lines.
        func localizable(_ name: String) -> String? {
            text(name) ?? block.nested(name).first { $0.name.lowercased() == "value" }.map(\.value).flatMap { $0.isEmpty ? nil : $0 }
        }
        func dictionary(_ name: String) -> [String: Any]? {
            let pairs = block.nested(name)
            return pairs.isEmpty ? nil : Dictionary(pairs.map { ($0.name, $0.value as Any) }, uniquingKeysWith: { first, _ in first })
        }
        var event = ActivityLogEvent()
        event.time = text("EventTimestamp")
        event.operationName = localizable("OperationName")
        event.status = localizable("Status")
        event.phase = localizable("EventName")
        event.subStatus = localizable("SubStatus")
        event.caller = text("Caller")
        event.correlationId = text("CorrelationId")
        event.eventDataId = text("EventDataId")
        event.resourceId = text("ResourceId")
        event.category = localizable("Category")
        event.level = text("Level")
        var authorization = dictionary("Authorization") ?? [:]
        for entry in block.entries where entry.name.lowercased().hasSuffix("authorization.action") { authorization["action"] = entry.joined }
        for entry in block.entries where entry.name.lowercased().hasSuffix("authorization.scope") { authorization["scope"] = entry.joined }
        event.authorization = authorization.isEmpty ? nil : authorization
        event.claims = dictionary("Claims")
        event.properties = dictionary("Properties")
        return event
    }
}
