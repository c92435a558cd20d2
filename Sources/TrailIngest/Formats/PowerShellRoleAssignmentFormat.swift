import Foundation
import TrailModel

/// Role assignments as PowerShell `Get-AzRoleAssignment` prints them (its default list view):
/// `RoleAssignmentName`, `RoleAssignmentId`, `Scope`, `DisplayName`, `SignInName`,
/// `RoleDefinitionName`, `RoleDefinitionId`, `ObjectId`, `ObjectType`, `CanDelegate`,
/// `Description`, `ConditionVersion`, `Condition`, one block per assignment.
///
/// The records carry the same kind and field names as the JSON role assignment formats.
public struct PowerShellRoleAssignmentFormat: EvidenceFormat {
    public let id = "powershell-role-assignments"
    public let title = "role assignments (PowerShell Get-AzRoleAssignment list output)"
    public let example = "Get-AzRoleAssignment -Scope /subscriptions/... | Out-File role-assignments.txt"

    /// PowerShell names copied as the JSON formats name them, when the value is not empty.
    static let renamed: [(powerShell: String, field: String)] = [
        ("RoleDefinitionId", "roleDefinitionId"),
        ("RoleDefinitionName", "roleDefinitionName"), ("ObjectId", "principalId"),
    ]
    static let renamedAfterPrincipal: [(powerShell: String, field: String)] = [
        ("ObjectType", "principalType"), ("Scope", "scope"), ("Condition", "condition"),
        ("ConditionVersion", "conditionVersion"), ("Description", "description"),
    ]

    public init() {}

    public func sniff(_ sample: SniffSample) -> Bool {
        guard !sample.looksLikeJSON else { return false }
        let names = PowerShellList.firstNames(sample)
        return names.contains("scope") && names.contains("objectid")
            && (names.contains("roleassignmentid") || names.contains("roleassignmentname"))
            && (names.contains("roledefinitionname") || names.contains("roledefinitionid"))
    }

    public func parse(_ input: ParseInput, into sink: RecordSink) throws {
        let (time, timeOrigin) = sink.context.snapshotTime
        try PowerShellList.forEachBlock(input, into: sink) { block in
            guard let fields = Self.fields(of: block) else {
                return try sink.reject(line: block.line, reason: "not a role assignment: it needs Scope, ObjectId and RoleDefinitionName or RoleDefinitionId", text: block.raw)
            }
            try sink.emit(EvidenceRecord(kind: .roleAssignment, position: SourcePosition(line: block.line),
                                         time: time, timeOrigin: timeOrigin, fields: fields, raw: block.raw))
        }
    }

    static func fields(of block: PowerShellListBlock) -> RecordFields? {
        func present(_ name: String) -> String? {
            guard let value = block.value(name), !value.isEmpty else { return nil }
            return value
        }
        guard present("Scope") != nil, present("ObjectId") != nil,
              present("RoleDefinitionName") != nil || present("RoleDefinitionId") != nil else { return nil }
        var fields = RecordFields()
        fields.set("id", present("RoleAssignmentId"))
        fields.set("name", present("RoleAssignmentName") ?? ARMValues.lastSegment(present("RoleAssignmentId")))
        for (name, field) in renamed { fields.set(field, present(name)) }
        // The JSON formats' principalName is the sign-in name (users) or display name; an empty one (a deleted principal) stays empty.
        if let principalName = present("SignInName") ?? present("DisplayName") {
            fields.set("principalName", principalName)
        } else if block.entry("SignInName") != nil || block.entry("DisplayName") != nil {
            fields.set("principalName", "")
        }
        for (name, field) in renamedAfterPrincipal { fields.set(field, present(name)) }
        if let canDelegate = present("CanDelegate")?.lowercased(), canDelegate == "true" || canDelegate == "false" {
            fields.set("canDelegate", .bool(canDelegate == "true"))
        }
        if let guid = ARMValues.lastSegment(present("RoleDefinitionId")) { fields.set("roleDefinitionGuid", guid.lowercased()) }
        fields.set("displayName", present("DisplayName"))
        fields.set("signInName", present("SignInName"))
        return fields
    }
}
